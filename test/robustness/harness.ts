// Shared by the robustness tests: the Twilio error-envelope check, prototype-pollution snapshots, the
// fast-check run settings, the route list of a built app and hostile-input generators.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { listenOnLoopback } from '../helper.js'
import fc from 'fast-check'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'

/** Fixed seed so a run is repeatable; FC_SEED=<n> (and FC_PATH=<path>) replay another one. */
export const FC_SEED = process.env.FC_SEED === undefined ? 20261128 : Number(process.env.FC_SEED)
/** Multiplies every property's numRuns (FC_RUNS_SCALE=10 for a long local fuzz). */
const SCALE = process.env.FC_RUNS_SCALE === undefined ? 1 : Number(process.env.FC_RUNS_SCALE)

/**
 * Runs a property with the fixed seed. On failure it throws one short message naming the seed, the
 * path that replays the failing case (FC_SEED=… FC_PATH=…) and the first broken invariant; the
 * counterexample itself can be megabytes of generated body, so only its start is shown.
 */
export async function check<Ts> (property: fc.IAsyncPropertyWithHooks<Ts>, numRuns: number): Promise<void> {
  const details = await fc.check(property, {
    seed: FC_SEED,
    numRuns: Math.max(1, Math.round(numRuns * SCALE)),
    // Shrinking replays requests against a shared app; the first counterexample is the useful one.
    endOnFailure: true,
    ...(process.env.FC_PATH === undefined ? {} : { path: process.env.FC_PATH })
  })
  if (!details.failed) return
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)
  const example = fc.stringify(details.counterexample).slice(0, 600)
  throw new Error(`property failed after ${details.numRuns} runs; replay with FC_SEED=${details.seed} FC_PATH=${String(details.counterexamplePath)}\n${error}\ncounterexample (start): ${example}`)
}

export class Violation extends Error {
  override name = 'Violation'
}

function describe (res: LightMyRequestResponse, what: string): string {
  return `${what}: HTTP ${res.statusCode} ${String(res.headers['content-type'])} ${res.body.slice(0, 300)}`
}

const ERROR_KEYS = ['code', 'message', 'more_info', 'status']

/**
 * The answer to any request: never a 5xx; an error is exactly Twilio's envelope
 * `{ code, message, more_info, status }` with status === the HTTP status and Content-Type
 * application/json; a success is JSON (or empty for 204 and HEAD). Throws Violation otherwise.
 */
export function expectTwilioAnswer (res: LightMyRequestResponse, method: string, what: string): void {
  const status = res.statusCode
  if (status >= 500) throw new Violation(describe(res, `${what}: 5xx`))
  if (status < 200) throw new Violation(describe(res, `${what}: unexpected status`))
  if (typeof res.headers['twilio-request-id'] !== 'string' || !/^RQ[0-9a-f]{32}$/.test(res.headers['twilio-request-id'])) {
    throw new Violation(describe(res, `${what}: no Twilio-Request-Id`))
  }
  // Node drops the body of a HEAD answer on a real socket; app.inject keeps it for 404s, so either is fine.
  const empty = status === 204 || (method === 'HEAD' && res.body === '')
  if (empty) {
    if (res.body !== '') throw new Violation(describe(res, `${what}: body on ${status}`))
    if (status >= 400 && res.headers['content-type'] !== 'application/json') throw new Violation(describe(res, `${what}: error content type`))
    return
  }
  if (res.headers['content-type'] !== 'application/json') throw new Violation(describe(res, `${what}: content type`))
  let body: unknown
  try {
    body = JSON.parse(res.body)
  } catch {
    throw new Violation(describe(res, `${what}: not JSON`))
  }
  if (status < 400) {
    if (typeof body !== 'object' || body === null) throw new Violation(describe(res, `${what}: success body is not an object`))
    return
  }
  const error = body as Record<string, unknown>
  const keys = typeof body === 'object' && body !== null ? Object.keys(error).sort() : []
  if (keys.join(',') !== ERROR_KEYS.join(',') ||
    !Number.isInteger(error.code) ||
    typeof error.message !== 'string' ||
    error.more_info !== `https://www.twilio.com/docs/errors/${String(error.code)}` ||
    error.status !== status) {
    throw new Violation(describe(res, `${what}: not a Twilio error envelope`))
  }
}

/** What Object.prototype (and friends) look like now, to compare after hostile input. */
export function prototypeSnapshot (): string {
  const names = (o: object): string => Object.getOwnPropertyNames(o).sort().join(',')
  return [names(Object.prototype), names(Array.prototype), names(Function.prototype), names(String.prototype)].join('|')
}

/** Throws when a prototype gained or lost a property, or a probe key is visible on a fresh object. */
export function expectNoPollution (before: string, what: string): void {
  const probe = {} as Record<string, unknown>
  for (const key of ['polluted', 'isAdmin', 'x', 'a', 'toString2']) {
    if (probe[key] !== undefined) throw new Violation(`${what}: ({}).${key} is ${String(probe[key])}`)
  }
  if (prototypeSnapshot() !== before) throw new Violation(`${what}: a built-in prototype changed`)
}

export interface RouteInfo {
  /** Path pattern with :params, e.g. /__emulator/faults/:Id */
  url: string
  methods: string[]
}

/** Every route of a ready app, from printRoutes (full paths rebuilt from its tree). */
export function listRoutes (app: FastifyInstance): RouteInfo[] {
  const routes: RouteInfo[] = []
  const stack: string[] = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([\s│├└─]*?)([├└]── )(\S+) \(([^)]*)\)$/.exec(line)
    if (match === null) continue
    const depth = Math.floor(((match[1] as string).length) / 4)
    stack.length = depth
    // One route per alternative name of a parameter segment (/:Sid|:ServiceSid).
    const segment = (match[3] as string).split('|')[0] as string
    stack.push(segment)
    routes.push({ url: stack.join(''), methods: (match[4] as string).split(', ') })
  }
  return routes
}

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

/** Keys that have hurt form and JSON parsers before. */
export const HOSTILE_KEYS = [
  '__proto__', 'constructor', 'prototype', '__proto__[polluted]', 'constructor[prototype][polluted]',
  '__proto__.polluted', 'constructor.prototype.polluted', 'hasOwnProperty', 'toString', 'valueOf', '',
  '__defineGetter__', 'isAdmin'
]

/** Strings that are hard on parsers, encoders and validators. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '%', '%%', '%zz', '%E0%A4%A', '%C0%AF', '%00', '\u0000', '\uFFFD', '\uD800', '&', '=', '&&==',
    '+', '[]', '[0]', 'null', 'undefined', 'true', '-1', '1e309', 'NaN', '0x10', '9'.repeat(400), '../../etc/passwd',
    '<script>alert(1)</script>', '${7*7}', '{{7*7}}', 'http://', 'javascript:alert(1)', 'file:///etc/passwd',
    'ftp://127.0.0.1/x', 'http://127.0.0.1:1/%zz', 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'YW' + 'f'.repeat(32), 'VA' + '0'.repeat(32)),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.nat({ max: 20_000 }).map((n) => 'x'.repeat(n))
)

/** Percent-encodes every byte of the UTF-8 form of `s` but unreserved ones (lone surrogates become U+FFFD). */
export function pct (s: string): string {
  let out = ''
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte)
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : '%' + byte.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}

/** Form-encodes pairs in order, repeated keys kept. */
export function formEncode (pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&')
}

/** Bytes that are not valid UTF-8, spliced into raw form bodies. */
export const invalidUtf8: fc.Arbitrary<Buffer> = fc.constantFrom(
  Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xe2, 0x82]), Buffer.from([0xed, 0xa0, 0x80]),
  Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]), Buffer.from([0xc0, 0xaf]), Buffer.from([0x00])
)

export interface CountingReceiver {
  url: (path?: string) => string
  /** Requests received so far. */
  received: number
  /** Most requests that were open at the same time. */
  maxConcurrent: number
  close: () => Promise<void>
}

/**
 * A webhook receiver on 127.0.0.1 that counts requests and the most it had open at once; `answer`
 * decides each response (default: 200 "ok" at once).
 */
export async function startCountingReceiver (
  t: { teardown: (fn: () => unknown) => void },
  answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => { res.end('ok') }
): Promise<CountingReceiver> {
  let open = 0
  const state = { received: 0, maxConcurrent: 0 }
  const server = createServer((req, res) => {
    open++
    state.received++
    state.maxConcurrent = Math.max(state.maxConcurrent, open)
    res.on('close', () => { open-- })
    req.resume()
    req.on('end', () => answer(req, res))
  })
  const { url, close } = await listenOnLoopback(t, server)
  return {
    url,
    get received () { return state.received },
    get maxConcurrent () { return state.maxConcurrent },
    close
  }
}
