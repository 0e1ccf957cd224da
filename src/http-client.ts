// A drop-in for twilio-node's RequestClient (the `httpClient` client option) that sends every request to
// the emulator instead of Twilio: same path and query, host replaced. It uses the global fetch, so the
// emulator needs no runtime dependency on the twilio package.

/** What twilio-node passes to `httpClient.request` (RequestClient.RequestOptions). */
export interface TwilioRequestOptions {
  method: string
  uri: string
  username?: string
  password?: string
  authStrategy?: { getAuthString: () => Promise<string> }
  headers?: Record<string, string | undefined>
  /** Query parameters; arrays become repeated keys. */
  params?: object
  /** The body: form-encoded (arrays as repeated keys) unless Content-Type says application/json. */
  data?: unknown
  /** Milliseconds; default 30000, as twilio-node. */
  timeout?: number
  allowRedirects?: boolean
  forever?: boolean
  logLevel?: string
}

/** What twilio-node expects back: the body as text, parsed by its Version class. */
export interface TwilioResponse {
  statusCode: number
  body: string
  headers: Record<string, string>
}

const DEFAULT_TIMEOUT_MS = 30_000
// Set by fetch itself; undici refuses some of them.
const MANAGED_HEADERS = new Set(['connection', 'keep-alive', 'host', 'content-length', 'transfer-encoding'])

function appendAll (target: URLSearchParams, values: object | undefined): void {
  if (values === undefined || values === null) return
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) target.append(key, String(item))
    }
  }
}

export class EmulatorHttpClient {
  /** `baseUrl`: the emulator's origin, e.g. http://127.0.0.1:4010. */
  constructor (readonly baseUrl: string) {}

  /** The emulator URL for a Twilio URL: same path and query string. */
  rewrite (uri: string): URL {
    const original = new URL(uri)
    return new URL(original.pathname + original.search, this.baseUrl)
  }

  async request (opts: TwilioRequestOptions): Promise<TwilioResponse> {
    if (opts.method === undefined || opts.method === '') throw new Error('http method is required')
    if (opts.uri === undefined || opts.uri === '') throw new Error('uri is required')
    const url = this.rewrite(opts.uri)
    appendAll(url.searchParams, opts.params)

    const headers = new Headers()
    for (const [name, value] of Object.entries(opts.headers ?? {})) {
      if (value !== undefined && !MANAGED_HEADERS.has(name.toLowerCase())) headers.set(name, value)
    }
    if (opts.username !== undefined && opts.username !== '' && opts.password !== undefined && opts.password !== '') {
      headers.set('Authorization', 'Basic ' + Buffer.from(`${opts.username}:${opts.password}`).toString('base64'))
    } else if (opts.authStrategy !== undefined) {
      headers.set('Authorization', await opts.authStrategy.getAuthString())
    }

    let body: string | undefined
    if (opts.data !== undefined && opts.data !== null) {
      if (headers.get('content-type') === 'application/json') {
        body = typeof opts.data === 'string' ? opts.data : JSON.stringify(opts.data)
      } else {
        const form = new URLSearchParams()
        appendAll(form, opts.data as object)
        body = form.toString()
        if (!headers.has('content-type')) headers.set('Content-Type', 'application/x-www-form-urlencoded')
      }
    }

    const response = await fetch(url, {
      method: opts.method.toUpperCase(),
      headers,
      body,
      redirect: opts.allowRedirects === true ? 'follow' : 'manual',
      signal: AbortSignal.timeout(opts.timeout ?? DEFAULT_TIMEOUT_MS)
    })
    return {
      statusCode: response.status,
      body: await response.text(),
      headers: Object.fromEntries(response.headers)
    }
  }
}
