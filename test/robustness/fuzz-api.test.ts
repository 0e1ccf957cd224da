// Property-based fuzzing of Twilio's API surface (/v2) and of the whole router: hostile form bodies
// (repeated and empty keys, broken percent-escapes, invalid UTF-8, thousands of keys, __proto__ and
// friends, very long values), random paths, methods, Authorization headers and content types.
// Every answer is a Twilio-shaped error or a valid success, never a 5xx; no prototype is polluted; and
// after every run the stored state matches a model built from the acknowledged writes only.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { EVENT_TYPES } from '../../src/store/records.js'
import { ACCOUNT_SID, AUTH_TOKEN, basicAuth, fixedClock } from '../helper.js'
import { check, expectNoPollution, expectTwilioAnswer, formEncode, HOSTILE_KEYS, pct, hostileString, HTTP_METHODS, invalidUtf8, prototypeSnapshot, Violation } from './harness.js'

const FORM = 'application/x-www-form-urlencoded'
const OTHER = { sid: 'AC' + 'b'.repeat(32), authToken: 'other-token', apiKeys: [{ sid: 'SK' + 'b'.repeat(32), secret: 'other-key-secret' }] }
const FIXED_SERVICES = ['VA' + 'a'.repeat(32), 'VA' + '1'.repeat(32)]
const hex32 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 })

/** A port on 127.0.0.1 where nothing listens: webhook URLs point there, so no delivery leaves the machine. */
async function refusedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

const PORT = await refusedPort()
const GOOD_URLS = [`http://127.0.0.1:${PORT}/hook`, `https://127.0.0.1:${PORT}/a/b?c=d&e=%20`, `http://localhost:${PORT}/`]
const BAD_URLS = ['ftp://127.0.0.1/x', 'http://', '/relative', 'http://[::1', 'mailto:a@b', 'javascript:alert(1)', 'file:///etc/passwd', 'data:,x', '127.0.0.1:80']

// ---- form bodies ---------------------------------------------------------------------------------

type Pair = readonly [string, string]

const VALUES: Record<string, fc.Arbitrary<string>> = {
  FriendlyName: fc.oneof(fc.string({ maxLength: 40 }), hostileString),
  EventTypes: fc.oneof(fc.constantFrom(...EVENT_TYPES), fc.constantFrom('factor.*', 'FACTOR.CREATED', 'x', '', '*,*')),
  WebhookUrl: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...GOOD_URLS) }, { weight: 1, arbitrary: fc.constantFrom(...BAD_URLS) }, { weight: 1, arbitrary: hostileString }),
  Status: fc.constantFrom('enabled', 'disabled', 'ENABLED', 'on', ''),
  Version: fc.constantFrom('v1', 'v2', 'v3', 'V2', ''),
  CodeLength: fc.constantFrom('4', '6', '10', '3', '11', 'six', '6.0', '-1', ''),
  LookupEnabled: fc.constantFrom('true', 'false', 'True', '1', 'yes', ''),
  'Totp.Skew': fc.constantFrom('0', '1', '2', '3', 'x'),
  'Push.ApnCredentialSid': fc.oneof(hex32.map((h) => 'CR' + h), hostileString),
  'Passkeys.RelyingParty.Origins': fc.oneof(fc.constantFrom('https://a.example,https://b.example', ',,,', ''), fc.nat({ max: 50_000 }).map((n) => ','.repeat(n))),
  'Passkeys.AuthenticatorAttachment': fc.constantFrom('platform', 'any', 'none', '')
}
const KNOWN_KEYS = Object.keys(VALUES)

const knownPair: fc.Arbitrary<Pair> = fc.constantFrom(...KNOWN_KEYS).chain((key) => (VALUES[key] as fc.Arbitrary<string>).map((v): Pair => [key, v]))
const hostilePair: fc.Arbitrary<Pair> = fc.tuple(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), hostileString), hostileString)

/** A valid create or update, plus parameters the API ignores (hostile keys included). */
const validWebhookPairs: fc.Arbitrary<Pair[]> = fc.record({
  name: fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom('%zz', '\u0000', '<b>', '__proto__', 'x'.repeat(5000))),
  types: fc.uniqueArray(fc.constantFrom(...EVENT_TYPES), { minLength: 1, maxLength: 3 }),
  url: fc.constantFrom(...GOOD_URLS),
  status: fc.option(fc.constantFrom('enabled', 'disabled')),
  version: fc.option(fc.constantFrom('v1', 'v2')),
  ignored: fc.array(fc.tuple(fc.constantFrom(...HOSTILE_KEYS.filter((k) => k !== ''), 'Unknown', 'webhookurl'), hostileString), { maxLength: 3 })
}).map(({ name, types, url, status, version, ignored }) => {
  const pairs: Pair[] = [['FriendlyName', name], ...types.map((type): Pair => ['EventTypes', type]), ['WebhookUrl', url]]
  if (status !== null) pairs.push(['Status', status])
  if (version !== null) pairs.push(['Version', version])
  return [...pairs, ...ignored]
})

/** Anything near a webhook form: missing, repeated, empty and invalid parameters. */
const mutatedWebhookPairs: fc.Arbitrary<Pair[]> = fc.record({
  name: fc.option(VALUES.FriendlyName as fc.Arbitrary<string>, { freq: 6 }),
  types: fc.array(VALUES.EventTypes as fc.Arbitrary<string>, { minLength: 0, maxLength: 4 }),
  url: fc.option(VALUES.WebhookUrl as fc.Arbitrary<string>, { freq: 6 }),
  extra: fc.array(fc.oneof({ weight: 3, arbitrary: knownPair }, { weight: 2, arbitrary: hostilePair }), { maxLength: 5 })
}).map(({ name, types, url, extra }) => {
  const pairs: Pair[] = []
  if (name !== null) pairs.push(['FriendlyName', name])
  for (const type of types) pairs.push(['EventTypes', type])
  if (url !== null) pairs.push(['WebhookUrl', url])
  return [...pairs, ...extra]
})

const webhookPairs = fc.oneof({ weight: 1, arbitrary: validWebhookPairs }, { weight: 1, arbitrary: mutatedWebhookPairs })

const servicePairs: fc.Arbitrary<Pair[]> = fc.tuple(
  fc.option(fc.oneof(fc.string({ maxLength: 35 }), hostileString), { freq: 5 }),
  fc.array(fc.oneof({ weight: 3, arbitrary: knownPair }, { weight: 1, arbitrary: hostilePair }), { maxLength: 5 })
).map(([name, extra]) => (name === null ? extra : [['FriendlyName', name] as Pair, ...extra]))

/** How the pairs travel: encoded, raw (broken escapes survive), with invalid UTF-8, or buried in thousands of keys. */
const encoding = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'encoded' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'raw' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('bytes' as const), bytes: invalidUtf8, at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('many' as const), count: fc.integer({ min: 1000, max: 5000 }), repeat: fc.boolean() }) }
)
type Encoding = typeof encoding extends fc.Arbitrary<infer E> ? E : never

function encodeBody (pairs: Pair[], how: Encoding): Buffer {
  const encoded = formEncode(pairs)
  switch (how.kind) {
    case 'encoded': return Buffer.from(encoded)
    case 'raw': return Buffer.from(pairs.map(([k, v]) => `${k}=${v}`).join('&'))
    case 'bytes': {
      const at = how.at % (encoded.length + 1)
      return Buffer.concat([Buffer.from(encoded.slice(0, at)), how.bytes, Buffer.from(encoded.slice(at))])
    }
    case 'many': {
      // Thousands of distinct keys, or one key repeated thousands of times.
      const filler = Array.from({ length: how.count }, (_, i) => (how.repeat ? 'EventTypes=*' : `k${i}=v`)).join('&')
      return Buffer.from(encoded === '' ? filler : `${encoded}&${filler}`)
    }
  }
}

const formBody = (pairs: fc.Arbitrary<Pair[]>): fc.Arbitrary<Buffer> => fc.tuple(pairs, encoding).map(([p, how]) => encodeBody(p, how))

// ---- operations and the model ---------------------------------------------------------------------

/** Which webhook or service an operation addresses: a known one (by index), a well-formed unknown SID, or junk. */
const target = fc.oneof(
  { weight: 14, arbitrary: fc.nat().map((i) => ({ kind: 'known' as const, i })) },
  { weight: 1, arbitrary: hex32.map((h) => ({ kind: 'unknown' as const, h })) },
  { weight: 1, arbitrary: hostileString.map((s) => ({ kind: 'junk' as const, s })) }
)
type Target = typeof target extends fc.Arbitrary<infer T> ? T : never

const contentType = fc.constantFrom(FORM, FORM, FORM, `${FORM}; charset=utf-8`, 'APPLICATION/X-WWW-FORM-URLENCODED', `${FORM};charset=latin1`)

const operation = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('createWebhook' as const), service: target, body: formBody(webhookPairs), type: contentType }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('updateWebhook' as const), service: target, webhook: target, body: formBody(webhookPairs), type: contentType }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('deleteWebhook' as const), service: target, webhook: target }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('fetchWebhook' as const), service: target, webhook: target }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('listWebhooks' as const), service: target, query: fc.array(fc.tuple(fc.constantFrom('PageSize', 'Page', 'PageToken', '__proto__', 'PageSize'), hostileString), { maxLength: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('createService' as const), body: formBody(servicePairs), type: contentType }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('updateService' as const), service: target, body: formBody(servicePairs), type: contentType }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('deleteService' as const), service: target }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('fetchService' as const), service: target }) }
)

interface ServiceModel {
  /** The last body the API acknowledged (undefined for a service created on first use, until fetched). */
  body: unknown
  webhooks: Map<string, unknown>
}

class Model {
  readonly services = new Map<string, ServiceModel>()
  created = 0
  deleted = 0
  droppedWithService = 0

  pick<T> (items: readonly T[], i: number): T | undefined {
    return items.length === 0 ? undefined : items[i % items.length]
  }

  /** For webhook operations, a known service is one that has webhooks, when there is one. */
  serviceSid (target: Target, withWebhooks = false): string {
    if (target.kind === 'unknown') return 'VA' + target.h
    if (target.kind === 'junk') return pct(target.s)
    const populated = [...this.services].filter(([, s]) => s.webhooks.size > 0).map(([sid]) => sid)
    if (withWebhooks && populated.length > 0) return this.pick(populated, target.i) as string
    return this.pick([...FIXED_SERVICES, ...[...this.services.keys()].filter((s) => !FIXED_SERVICES.includes(s))], target.i) as string
  }

  webhookSid (serviceSid: string, target: Target): string {
    if (target.kind === 'unknown') return 'YW' + target.h
    if (target.kind === 'junk') return pct(target.s)
    return this.pick([...(this.services.get(serviceSid)?.webhooks.keys() ?? [])], target.i) ?? 'YW' + '0'.repeat(32)
  }

  service (sid: string): ServiceModel {
    let service = this.services.get(sid)
    if (service === undefined) {
      service = { body: undefined, webhooks: new Map() }
      this.services.set(sid, service)
    }
    return service
  }
}

const AUTH = { authorization: basicAuth() }

type Operation = typeof operation extends fc.Arbitrary<infer O> ? O : never

async function run (app: FastifyInstance, model: Model, op: Operation, seen: Map<string, number>): Promise<void> {
  let method: 'GET' | 'POST' | 'DELETE'
  let url: string
  let payload: Buffer | undefined
  let type: string | undefined
  let serviceSid = ''
  let webhookSid = ''
  switch (op.op) {
    case 'createWebhook':
      serviceSid = model.serviceSid(op.service)
      ;[method, url, payload, type] = ['POST', `/v2/Services/${serviceSid}/Webhooks`, op.body, op.type]
      break
    case 'updateWebhook':
    case 'deleteWebhook':
    case 'fetchWebhook':
      serviceSid = model.serviceSid(op.service, true)
      webhookSid = model.webhookSid(serviceSid, op.webhook)
      url = `/v2/Services/${serviceSid}/Webhooks/${webhookSid}`
      method = op.op === 'updateWebhook' ? 'POST' : op.op === 'deleteWebhook' ? 'DELETE' : 'GET'
      if (op.op === 'updateWebhook') [payload, type] = [op.body, op.type]
      break
    case 'listWebhooks':
      serviceSid = model.serviceSid(op.service)
      ;[method, url] = ['GET', `/v2/Services/${serviceSid}/Webhooks?${formEncode(op.query)}`]
      break
    case 'createService':
      ;[method, url, payload, type] = ['POST', '/v2/Services', op.body, op.type]
      break
    case 'updateService':
    case 'deleteService':
    case 'fetchService':
      serviceSid = model.serviceSid(op.service)
      url = `/v2/Services/${serviceSid}`
      method = op.op === 'updateService' ? 'POST' : op.op === 'deleteService' ? 'DELETE' : 'GET'
      if (op.op === 'updateService') [payload, type] = [op.body, op.type]
      break
  }
  const res = await app.inject({ method, url, payload, headers: type === undefined ? AUTH : { ...AUTH, 'content-type': type } })
  const what = `${op.op} ${method} ${url.slice(0, 120)}`
  expectTwilioAnswer(res, method, what)
  seen.set(`${op.op} ${res.statusCode}`, (seen.get(`${op.op} ${res.statusCode}`) ?? 0) + 1)
  const body: unknown = res.statusCode === 204 ? undefined : res.json()
  const same = (expected: unknown, label: string): void => {
    if (JSON.stringify(expected) !== JSON.stringify(body)) throw new Violation(`${what}: ${label}: expected ${JSON.stringify(expected)?.slice(0, 300)}, got ${res.body.slice(0, 300)}`)
  }
  const sidOf = (b: unknown): string => (b as { sid: string }).sid

  switch (op.op) {
    case 'createWebhook':
      if (res.statusCode === 201) {
        if (!/^YW[0-9a-f]{32}$/.test(sidOf(body)) || (body as { service_sid: string }).service_sid !== serviceSid) throw new Violation(`${what}: bad webhook ${res.body}`)
        if (model.services.get(serviceSid)?.webhooks.has(sidOf(body)) === true) throw new Violation(`${what}: SID reused`)
        model.service(serviceSid).webhooks.set(sidOf(body), body)
        model.created++
      }
      break
    case 'updateWebhook':
      if (res.statusCode === 200) {
        if (model.services.get(serviceSid)?.webhooks.has(webhookSid) !== true) throw new Violation(`${what}: updated a webhook that does not exist`)
        model.service(serviceSid).webhooks.set(webhookSid, body)
      }
      break
    case 'deleteWebhook':
      if (res.statusCode === 204) {
        if (model.services.get(serviceSid)?.webhooks.delete(webhookSid) !== true) throw new Violation(`${what}: deleted a webhook that does not exist`)
        model.deleted++
      } else if (model.services.get(serviceSid)?.webhooks.has(webhookSid) === true) {
        throw new Violation(`${what}: a stored webhook was not deleted`)
      }
      break
    case 'fetchWebhook': {
      const expected = model.services.get(serviceSid)?.webhooks.get(webhookSid)
      if (expected === undefined) {
        if (res.statusCode !== 404) throw new Violation(`${what}: fetched a webhook the model does not have`)
      } else {
        if (res.statusCode !== 200) throw new Violation(`${what}: stored webhook not fetchable`)
        same(expected, 'fetched body differs from the acknowledged one')
      }
      break
    }
    case 'listWebhooks':
      if (res.statusCode === 200) {
        const listed = (body as { webhooks: unknown[] }).webhooks.map(sidOf)
        const known = [...(model.services.get(serviceSid)?.webhooks.keys() ?? [])]
        if (listed.some((sid) => !known.includes(sid))) throw new Violation(`${what}: listed a webhook the model does not have`)
      }
      break
    case 'createService':
      if (res.statusCode === 201) model.service(sidOf(body)).body = body
      break
    case 'updateService':
      if (res.statusCode === 200) {
        if (!model.services.has(serviceSid)) throw new Violation(`${what}: updated a service that does not exist`)
        model.service(serviceSid).body = body
      }
      break
    case 'deleteService': {
      const service = model.services.get(serviceSid)
      if (res.statusCode === 204) {
        if (service === undefined) throw new Violation(`${what}: deleted a service that does not exist`)
        model.droppedWithService += service.webhooks.size
        model.services.delete(serviceSid)
      } else if (service !== undefined) {
        throw new Violation(`${what}: a stored service was not deleted`)
      }
      break
    }
    case 'fetchService': {
      const service = model.services.get(serviceSid)
      if (service === undefined) {
        if (res.statusCode !== 404) throw new Violation(`${what}: fetched a service the model does not have`)
      } else {
        if (res.statusCode !== 200) throw new Violation(`${what}: stored service not fetchable`)
        if (service.body === undefined) service.body = body
        else same(service.body, 'fetched service differs')
      }
      break
    }
  }
}

/** Everything the API lists equals the model: same services, same webhooks in creation order, same bodies. */
async function expectStoreMatches (app: FastifyInstance, model: Model): Promise<void> {
  const services = await app.inject({ method: 'GET', url: '/v2/Services?PageSize=1000', headers: AUTH })
  const listedServices = (services.json() as { services: Array<{ sid: string }> }).services.map((s) => s.sid)
  if (listedServices.join() !== [...model.services.keys()].join()) {
    throw new Violation(`services listed ${listedServices.join()} != model ${[...model.services.keys()].join()}`)
  }
  let total = 0
  for (const [serviceSid, service] of model.services) {
    const res = await app.inject({ method: 'GET', url: `/v2/Services/${serviceSid}/Webhooks?PageSize=1000`, headers: AUTH })
    const listed = (res.json() as { webhooks: Array<{ sid: string }> }).webhooks
    total += listed.length
    if (JSON.stringify(listed) !== JSON.stringify([...service.webhooks.values()])) {
      throw new Violation(`webhooks of ${serviceSid} differ from the acknowledged writes`)
    }
    for (const webhook of listed) {
      const fetched = await app.inject({ method: 'GET', url: `/v2/Services/${serviceSid}/Webhooks/${webhook.sid}`, headers: AUTH })
      if (fetched.statusCode !== 200 || fetched.body !== JSON.stringify(webhook)) throw new Violation(`listed webhook ${webhook.sid} fetches differently`)
    }
  }
  if (total !== model.created - model.deleted - model.droppedWithService) {
    throw new Violation(`listed ${total} webhooks, but ${model.created} created - ${model.deleted} deleted - ${model.droppedWithService} removed with their service`)
  }
}

async function newApp (t: { teardown: (fn: () => unknown) => void }): Promise<FastifyInstance> {
  const app = await buildApp({ logger: false, clock: fixedClock().clock, accounts: [OTHER], journalLimit: 50 })
  t.teardown(() => app.close())
  return app
}

const prototypesBefore = prototypeSnapshot()

t.test('hostile form bodies on every Services and Webhooks operation: Twilio answers only, state = acknowledged writes', async (t) => {
  const app = await newApp(t)
  const seen = new Map<string, number>()
  let requests = 0
  await check(fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 30 }), async (ops) => {
    // Each run starts from an empty account, so a failure replays from its seed alone.
    app.emulator.repository.clearAccount(ACCOUNT_SID)
    const model = new Model()
    for (const op of ops) {
      await run(app, model, op, seen)
      requests++
    }
    expectNoPollution(prototypesBefore, 'after the run')
    await expectStoreMatches(app, model)
  }), 150)
  t.comment(`${requests} requests; outcomes: ${[...seen].sort().map(([k, n]) => `${k}×${n}`).join(', ')}`)
  // The fuzz reached the handlers, not only the validators: every operation succeeded at least once.
  for (const expected of ['createWebhook 201', 'updateWebhook 200', 'deleteWebhook 204', 'fetchWebhook 200', 'listWebhooks 200', 'createService 201', 'updateService 200', 'deleteService 204', 'fetchService 200',
    'createWebhook 400', 'updateWebhook 404', 'listWebhooks 400', 'createService 400']) {
    t.ok((seen.get(expected) ?? 0) > 0, `saw ${expected}`)
  }
  expectNoPollution(prototypesBefore, 'at the end')
})

// ---- any method, path, credentials, content type and body -----------------------------------------

const segment = fc.oneof(
  fc.constantFrom('Services', 'Webhooks', 'webhooks', 'services', 'v2', '__emulator', 'events', 'deliveries', 'reset', 'state', 'requests', 'faults', 'health', '', '.', '..', '%2e%2e', '%2F', '%zz', '%', '%00', ';', '*', '~'),
  fc.constantFrom(...FIXED_SERVICES),
  hex32.map((h) => 'YW' + h),
  hex32.map((h) => 'FI' + h),
  hostileString.map(pct),
  fc.nat({ max: 400 }).map((n) => 'a'.repeat(n))
)
const randomPath = fc.tuple(fc.constantFrom('/v2/Services', '/v2', '/__emulator', '', '/V2/Services', '/v1/Services', '//v2/Services'), fc.array(segment, { maxLength: 4 }), fc.boolean())
  .map(([prefix, segments, slash]) => `${prefix}/${segments.join('/')}${slash ? '/' : ''}`.replace(/^\/\//, '/'))
const TEMPLATES = ['/v2/Services', '/v2/Services/:s', '/v2/Services/:s/Webhooks', '/v2/Services/:s/Webhooks/:w', '/__emulator/health', '/__emulator/events',
  '/__emulator/deliveries', '/__emulator/reset', '/__emulator/state', '/__emulator/requests', '/__emulator/faults', '/__emulator/faults/:f']
/** A real route with its parameters filled in (well-formed or not). */
const routePath = fc.tuple(fc.constantFrom(...TEMPLATES), segment, fc.constantFrom(...FIXED_SERVICES), hex32, fc.boolean())
  .map(([template, junk, service, hex, wellFormed]) => template
    .replace(':s', wellFormed ? service : junk)
    .replace(':w', wellFormed ? 'YW' + hex : junk)
    .replace(':f', wellFormed ? 'FI' + hex : junk))
const path = fc.oneof({ weight: 2, arbitrary: routePath }, { weight: 1, arbitrary: randomPath })
const query = fc.option(fc.array(fc.tuple(fc.constantFrom('PageSize', 'Page', 'PageToken', 'Scope', 'Method', 'Since', 'Status', '__proto__', 'constructor'), hostileString), { maxLength: 4 }).map(formEncode), { freq: 2 })

const credentials = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(basicAuth(), basicAuth(OTHER.sid, OTHER.authToken), basicAuth(OTHER.apiKeys[0]!.sid, OTHER.apiKeys[0]!.secret)) },
  fc.constantFrom(undefined, '', 'Basic', 'Basic ', 'Basic =', 'Basic !!!', 'Bearer abc', 'basic ' + Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64'),
    'Basic ' + Buffer.from('no-colon').toString('base64'), 'Basic ' + Buffer.from(`${ACCOUNT_SID}:`).toString('base64'), 'Basic ' + Buffer.from(`:${AUTH_TOKEN}`).toString('base64'),
    basicAuth(ACCOUNT_SID, AUTH_TOKEN + ' '), basicAuth(OTHER.apiKeys[0]!.sid, AUTH_TOKEN), basicAuth(ACCOUNT_SID.toLowerCase(), AUTH_TOKEN), `Basic ${'A'.repeat(8000)}`),
  fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((s) => 'Basic ' + Buffer.from(s, 'latin1').toString('base64')),
  fc.tuple(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 })).map(([u, p]) => basicAuth(u, p))
)
const anyType = fc.constantFrom(undefined, FORM, `${FORM}; charset=utf-8`, 'application/json', 'application/json; charset=latin1', 'APPLICATION/JSON', 'text/plain',
  'multipart/form-data; boundary=x', `${FORM};;;`, '*/*', 'application/xml', 'garbage', '', 'application/x-www-form-urlencoded, application/json', 'application/json\u0000')
const anyBody = fc.oneof(
  fc.constant(undefined),
  formBody(fc.oneof(webhookPairs, servicePairs)),
  fc.json().map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  fc.constantFrom('{', '{"a":', '[]', 'null', '"x"', '1e999', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}').map((s) => Buffer.from(s))
)
const anyMethod = fc.constantFrom(...HTTP_METHODS, 'PROPFIND', 'TRACE', 'MKCOL', 'SEARCH', 'COPY', 'LOCK')

t.test('any method, path, query, Authorization header, content type and body: a Twilio answer, never a 5xx', async (t) => {
  const app = await newApp(t)
  const seen = new Map<number, number>()
  await check(fc.asyncProperty(anyMethod, path, query, credentials, anyType, anyBody, async (method, p, q, auth, type, body) => {
    const headers: Record<string, string> = {}
    if (auth !== undefined) headers.authorization = auth
    if (type !== undefined) headers['content-type'] = type
    const url = q === null ? p : `${p}?${q}`
    const res = await app.inject({ method: method as 'GET', url, headers, payload: body })
    // An injected fault (a random POST /__emulator/faults can create one) must not leak into the next run.
    for (const sid of [ACCOUNT_SID, OTHER.sid]) app.emulator.faults.clear(sid)
    expectTwilioAnswer(res, method, `${method} ${url.slice(0, 150)} auth=${String(auth).slice(0, 40)} type=${String(type)}`)
    seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1)
    expectNoPollution(prototypesBefore, `${method} ${url.slice(0, 150)}`)
  }), 600)
  t.comment(`statuses: ${[...seen].sort((a, b) => a[0] - b[0]).map(([k, n]) => `${k}×${n}`).join(', ')}`)
  for (const status of [200, 204, 400, 401, 404, 405, 415]) t.ok((seen.get(status) ?? 0) > 0, `saw ${status}`)
})

t.test('targeted hostile inputs answer exactly', async (t) => {
  const app = await newApp(t)
  const list = `/v2/Services/${FIXED_SERVICES[0]!}/Webhooks`
  const valid = `FriendlyName=a&EventTypes=*&WebhookUrl=${encodeURIComponent(GOOD_URLS[0]!)}`
  const cases: Array<{ method: 'GET' | 'POST', url: string, body?: string | Buffer, type?: string, status: number, code?: number }> = [
    // A repeated single-valued parameter is ambiguous: refused, naming it.
    { method: 'POST', url: list, body: `${valid}&FriendlyName=b`, status: 400, code: 60200 },
    { method: 'POST', url: list, body: `${valid}&Status=enabled&Status=disabled`, status: 400, code: 60200 },
    // Keys that could reach a prototype are plain data (ignored as unknown parameters).
    { method: 'POST', url: list, body: `${valid}&__proto__=x&__proto__[polluted]=1&constructor[prototype][polluted]=1`, status: 201 },
    // A broken escape or invalid UTF-8 in a value is kept as text (replacement characters), not a crash.
    { method: 'POST', url: list, body: `FriendlyName=%zz%E0%A4&EventTypes=*&WebhookUrl=${encodeURIComponent(GOOD_URLS[0]!)}`, status: 201 },
    { method: 'POST', url: list, body: Buffer.concat([Buffer.from('FriendlyName='), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(`&EventTypes=*&WebhookUrl=${encodeURIComponent(GOOD_URLS[0]!)}`)]), status: 201 },
    { method: 'POST', url: list, body: `${valid}&` + Array.from({ length: 20_000 }, (_, i) => `k${i}=v`).join('&'), status: 201 },
    { method: 'POST', url: list, body: `FriendlyName=a&WebhookUrl=${encodeURIComponent(GOOD_URLS[0]!)}&` + 'EventTypes=*&'.repeat(65), status: 400, code: 60306 },
    { method: 'POST', url: list, body: `FriendlyName=${'x'.repeat(900_000)}&EventTypes=*&WebhookUrl=${encodeURIComponent(GOOD_URLS[0]!)}`, status: 201 },
    { method: 'POST', url: list, body: 'x'.repeat(1024 * 1024 + 1), status: 413, code: 20413 },
    { method: 'POST', url: list, body: valid, type: 'application/json', status: 415, code: 20415 },
    { method: 'POST', url: list, body: valid, type: 'text/plain', status: 415, code: 20415 },
    // Only http(s) URLs with a host are webhook URLs.
    ...BAD_URLS.map((u) => ({ method: 'POST' as const, url: list, body: `FriendlyName=a&EventTypes=*&WebhookUrl=${encodeURIComponent(u)}`, status: 400, code: 60200 })),
    // URLs the router cannot decode, and over-long segments, are unknown resources.
    { method: 'GET', url: '/v2/Services/%zz/Webhooks', status: 404, code: 20404 },
    { method: 'GET', url: `/v2/Services/${'a'.repeat(5000)}/Webhooks`, status: 404, code: 20404 },
    { method: 'GET', url: '/%', status: 404, code: 20404 },
    { method: 'GET', url: `${list}?PageToken=PA${'z'.repeat(11)}`, status: 200 },
    { method: 'GET', url: `${list}?PageToken=${'P'.repeat(65)}`, status: 400, code: 60306 },
    { method: 'GET', url: `${list}?Page=${Number.MAX_SAFE_INTEGER}&PageSize=1000`, status: 200 },
    { method: 'GET', url: `${list}?PageSize=1&PageSize=2`, status: 400, code: 60306 }
  ]
  for (const c of cases) {
    const res = await app.inject({ method: c.method, url: c.url, payload: c.body, headers: { ...AUTH, 'content-type': c.type ?? FORM } })
    const label = `${c.method} ${c.url.slice(0, 80)} ${String(c.body).slice(0, 60)}`
    expectTwilioAnswer(res, c.method, label)
    t.equal(res.statusCode, c.status, label)
    if (c.code !== undefined) t.equal(res.json().code, c.code, label)
  }
  const created = (await app.inject({ method: 'GET', url: `${list}?PageSize=1000`, headers: AUTH })).json().webhooks as Array<Record<string, string>>
  t.equal(created.length, 5)
  t.equal(created[1]!.friendly_name, '%zz%E0%A4', 'broken escapes are kept as text')
  t.equal(created[2]!.friendly_name, '\uFFFD\uFFFD\uFFFD', 'invalid UTF-8 becomes replacement characters')
  t.equal(created[4]!.friendly_name!.length, 900_000)
  expectNoPollution(prototypesBefore, 'targeted cases')
})
