// One HTTP POST to a receiver, with global fetch: redirects are not followed, the whole exchange (body
// included) is bounded by a timeout, it can be cut from outside (shutdown), and the response body is
// read only up to a cap. Never throws: every outcome is a PostResult.

/** Bytes of a receiver's response body kept in the delivery log; reading stops there. */
export const RESPONSE_BODY_LIMIT = 4096

export interface PostResult {
  /** HTTP status of the answer; null when none came. */
  status: number | null
  body: string | null
  truncated: boolean
  /** Why no complete answer came (network error, timeout, cut); undefined when one did. */
  failure?: string
  /** True when `cancel` cut the exchange. */
  cancelled?: boolean
}

export interface PostOptions {
  timeoutMs: number
  /** Aborting it cuts the request at once (shutdown grace deadline). */
  cancel: AbortSignal
}

const TIMED_OUT = Symbol('timed out')
const CANCELLED = Symbol('cancelled')

export async function postForm (url: string, headers: Record<string, string>, body: string, options: PostOptions): Promise<PostResult> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(TIMED_OUT), options.timeoutMs)
  timer.unref()
  const onCancel = (): void => controller.abort(CANCELLED)
  if (options.cancel.aborted) onCancel()
  else options.cancel.addEventListener('abort', onCancel, { once: true })

  const failed = (err: unknown, status: number | null): PostResult => {
    const reason: unknown = controller.signal.reason
    if (reason === TIMED_OUT) return { status, body: null, truncated: false, failure: `no complete response within ${options.timeoutMs} ms` }
    if (reason === CANCELLED) return { status, body: null, truncated: false, failure: 'cut off: the emulator is shutting down', cancelled: true }
    return { status, body: null, truncated: false, failure: describeError(err) }
  }

  try {
    let response: Response
    try {
      response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: controller.signal })
    } catch (err) {
      return failed(err, null)
    }
    try {
      const { text, truncated } = await readCapped(response, RESPONSE_BODY_LIMIT)
      return { status: response.status, body: text, truncated }
    } catch (err) {
      return failed(err, response.status)
    }
  } finally {
    clearTimeout(timer)
    options.cancel.removeEventListener('abort', onCancel)
  }
}

/** Reads at most `limit` bytes of the body, then cancels the rest of the stream. */
async function readCapped (response: Response, limit: number): Promise<{ text: string, truncated: boolean }> {
  if (response.body === null) return { text: '', truncated: false }
  // A body of exactly `limit` bytes counts as truncated: reading stops there without waiting for its end.
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  let truncated = false
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    const room = limit - size
    if (value.byteLength >= room) {
      // Stop at the limit without waiting to see whether more follows: `truncated` means "cut here".
      chunks.push(value.subarray(0, room))
      size = limit
      truncated = true
      break
    }
    chunks.push(value)
    size += value.byteLength
  }
  if (truncated) await reader.cancel().catch(() => undefined)
  return { text: Buffer.concat(chunks, size).toString('utf8'), truncated }
}

/** fetch reports network failures as TypeError('fetch failed') with the socket error as its cause. */
function describeError (err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause
    if (cause instanceof Error && cause.message !== '') return cause.message
    if (typeof cause === 'object' && cause !== null && 'code' in cause) return String(cause.code)
    return err.message
  }
  return String(err)
}
