// Property-based fuzzing of the control plane (/__emulator): every route found in the built app (and the
// ones the README promises, so a missing one shows up as a 404 rather than being skipped), with random
// methods, queries, JSON bodies of random shapes, form bodies and odd content types, as one account.
// Answers are Twilio-shaped or valid successes, never a 5xx; no prototype is polluted; another account's
// state, journal, faults and deliveries stay byte-identical; and the fuzzed account's exported state
// matches what its API lists. Every control route refuses requests without valid credentials.
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { EVENT_TYPES } from '../../src/store/records.js'
import { basicAuth, fixedClock } from '../helper.js'
import { check, expectNoPollution, expectTwilioAnswer, formEncode, HOSTILE_KEYS, hostileString, HTTP_METHODS, listRoutes, pct, prototypeSnapshot, startCountingReceiver, Violation } from './harness.js'

const A = { sid: 'AC' + 'a'.repeat(32), authToken: 'token-of-account-a' }
const B = { sid: 'AC' + 'b'.repeat(32), authToken: 'token-of-account-b', apiKeys: [{ sid: 'SK' + 'b'.repeat(32), secret: 'key-secret-of-b' }] }
const SERVICE_A = 'VA' + 'a'.repeat(32)
const SERVICES_B = ['VA' + 'b'.repeat(32), 'VA' + 'c'.repeat(32)]
const ADMIN_TOKEN = 'admin-token-the-fuzzer-never-sends'
const AUTH_A = basicAuth(A.sid, A.authToken)
const AUTH_B = basicAuth(B.sid, B.authToken)
const FORM = 'application/x-www-form-urlencoded'
const JSON_TYPE = 'application/json'

/** The control routes the README documents; each one is fuzzed whether or not it exists yet. */
const DOCUMENTED = ['/__emulator/events', '/__emulator/deliveries', '/__emulator/reset', '/__emulator/state', '/__emulator/requests', '/__emulator/faults', '/__emulator/faults/:Id']

const hex32 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 })
const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 })

async function setup (t: { teardown: (fn: () => unknown) => void }): Promise<{ app: FastifyInstance, hook: string }> {
  const receiver = await startCountingReceiver(t)
  const app = await buildApp({
    logger: false,
    clock: fixedClock().clock,
    accountSid: A.sid,
    authToken: A.authToken,
    accounts: [B],
    adminToken: ADMIN_TOKEN,
    deliveryTimeoutMs: 2000,
    journalLimit: 100,
    deliveryLogLimit: 200
  })
  t.teardown(() => app.close())
  return { app, hook: receiver.url() }
}

/** Parameter values per name: valid ones, near misses, and any JSON value (JSON bodies carry types). */
function valuesFor (hook: string): Record<string, fc.Arbitrary<unknown>> {
  const sid = (prefix: string): fc.Arbitrary<string> => hex32.map((h) => prefix + h)
  return {
    Scope: fc.constantFrom('account', 'all', 'ALL', ''),
    Method: fc.constantFrom('GET', 'post', 'DELETE', 'FETCH', ''),
    PathPrefix: fc.constantFrom('/v2', '/v2/Services/' + SERVICES_B[0]!, 'v2', '/'),
    Operation: fc.constantFrom('CreateWebhook', 'ListWebhook', 'DeleteService', 'createwebhook', 'Nope'),
    Since: fc.constantFrom('2026-11-28', '2026-11-28T10:00:00Z', '2026-13-45', 'yesterday', '2026-11-28T10:00:00+99:00'),
    Until: fc.constantFrom('2030-01-01', '0000-01-01T00:00:00Z', '9999-99-99'),
    Target: fc.constantFrom('api', 'delivery', 'DELIVERY', 'both'),
    Path: fc.constantFrom('/**', '/v2/Services/*/Webhooks', '/nothing-matches-this', 'v2', '/x?y', '/' + '*'.repeat(200)),
    EventType: fc.constantFrom(...EVENT_TYPES, 'factor.created'),
    ServiceSid: fc.oneof(fc.constantFrom(...SERVICES_B, SERVICE_A), sid('VA'), fc.constant('VAshort')),
    WebhookSid: fc.oneof(sid('YW'), fc.constant('YWshort')),
    Type: fc.constantFrom('factor.created', 'factor.verified', 'challenge.approved', 'challenge.denied', 'factor.deleted', '*', 'x'),
    EntityIdentity: fc.oneof(fc.string({ maxLength: 20 }), hostileString),
    FactorSid: fc.oneof(sid('YF'), fc.constant('YF1')),
    FactorType: fc.constantFrom('push', 'totp', 'sms'),
    FactorFriendlyName: hostileString,
    FactorMetadata: fc.oneof(fc.constantFrom('{}', '{"a":1}', '{', 'null', '[1]'), anyJson),
    ChallengeSid: fc.oneof(sid('YC'), fc.constant('YC')),
    ChallengeDetails: fc.oneof(fc.constantFrom('{"message":"hi","fields":[]}', '{', '"x"'), anyJson),
    ChallengeHiddenDetails: fc.oneof(fc.constantFrom('{}', 'nope'), anyJson),
    ChallengeMetadata: fc.oneof(fc.constantFrom('{}', '}'), anyJson),
    Status: fc.oneof(fc.constantFrom('succeeded', 'failed', 'queued', 'cancelled', 'in-progress'), fc.integer({ min: 380, max: 620 }).map(String), fc.integer({ min: 380, max: 620 })),
    Code: fc.oneof(fc.integer({ min: 9000, max: 100_001 }), fc.constant('20429')),
    Message: hostileString,
    RetryAfter: fc.oneof(fc.integer({ min: -1, max: 90_000 }), fc.constant('soon')),
    DelayMs: fc.oneof(fc.integer({ min: -5, max: 50 }), fc.constantFrom('10', '1e3', 200_000)),
    Drop: fc.constantFrom('true', 'false', true, false, 'yes', 1),
    Duplicate: fc.constantFrom('true', 'false', true, 'no'),
    Times: fc.oneof(fc.integer({ min: -1, max: 5 }), fc.constantFrom('2', '1000001', 1.5)),
    Probability: fc.oneof(fc.double({ min: -1, max: 2, noNaN: true }), fc.constantFrom('0.5', '.5', '1.0', 'half', '1e-1')),
    Seed: fc.oneof(fc.integer({ min: -1, max: 2 ** 32 }), fc.constant('x')),
    // A wait is always bounded by a short Timeout here (alone, WaitFor would hold the request 10 s).
    WaitFor: fc.integer({ min: 1, max: 3 }),
    Timeout: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.constantFrom('x', 60_001)),
    WebhookUrl: fc.constant(hook)
  }
}

type Pair = [string, unknown]

/** The parameters each route reads, and the ones it requires (so that some requests are complete). */
/** The methods each route answers (the fuzz leans on them, and tries the others too). */
const ROUTE_METHODS: Record<string, string[]> = {
  '/__emulator/events': ['POST'],
  '/__emulator/deliveries': ['GET'],
  '/__emulator/reset': ['POST'],
  '/__emulator/requests': ['GET', 'DELETE'],
  '/__emulator/state': ['GET', 'PUT'],
  '/__emulator/faults': ['GET', 'POST', 'DELETE'],
  '/__emulator/faults/:Id': ['DELETE']
}

const ROUTE_PARAMS: Record<string, { keys: string[], required: string[] }> = {
  '/__emulator/events': { keys: ['ServiceSid', 'Type', 'EntityIdentity', 'FactorSid', 'FactorType', 'FactorFriendlyName', 'FactorMetadata', 'ChallengeSid', 'ChallengeDetails', 'ChallengeHiddenDetails', 'ChallengeMetadata'], required: ['ServiceSid', 'Type', 'EntityIdentity'] },
  '/__emulator/deliveries': { keys: ['ServiceSid', 'WebhookSid', 'Type', 'Status', 'WaitFor'], required: [] },
  '/__emulator/reset': { keys: ['Scope'], required: [] },
  '/__emulator/requests': { keys: ['Method', 'PathPrefix', 'Operation', 'Since', 'Until'], required: [] },
  '/__emulator/faults': { keys: ['Target', 'Method', 'Path', 'Operation', 'EventType', 'ServiceSid', 'WebhookSid', 'Status', 'Code', 'Message', 'RetryAfter', 'DelayMs', 'Drop', 'Duplicate', 'Times', 'Probability', 'Seed'], required: ['Path', 'Status'] }
}

function paramsArbitrary (hook: string, route: string): fc.Arbitrary<Pair[]> {
  const values = valuesFor(hook)
  const all = Object.keys(values).filter((n) => n !== 'Timeout' && n !== 'WebhookUrl')
  const { keys, required } = ROUTE_PARAMS[route] ?? { keys: all, required: [] }
  const pairOf = (name: string): fc.Arbitrary<Pair[]> => (values[name] as fc.Arbitrary<unknown>).chain((value): fc.Arbitrary<Pair[]> =>
    name === 'WaitFor' ? (values.Timeout as fc.Arbitrary<unknown>).map((timeout) => [[name, value], ['Timeout', timeout]]) : fc.constant([[name, value]]))
  const own = fc.constantFrom(...keys).chain(pairOf)
  const other = fc.constantFrom(...all).chain(pairOf)
  const hostile: fc.Arbitrary<Pair[]> = fc.tuple(fc.oneof(fc.constantFrom(...HOSTILE_KEYS), hostileString), fc.oneof(hostileString, anyJson)).map((pair) => [pair])
  const base = required.length === 0 ? fc.constant([]) : fc.tuple(...required.map(pairOf)).map((groups) => groups.flat())
  return fc.tuple(
    fc.oneof({ weight: 1, arbitrary: fc.constant([] as Pair[]) }, { weight: 3, arbitrary: base }),
    fc.array(fc.oneof({ weight: 8, arbitrary: own }, { weight: 1, arbitrary: other }, { weight: 1, arbitrary: hostile }), { maxLength: 3 })
  ).map(([start, groups]) => [...start, ...groups.flat()])
}

/** A valid state document for account B (its webhooks point at the local receiver). */
function validStateArbitrary (hook: string): fc.Arbitrary<unknown> {
  const webhook = fc.record({
    sid: hex32.map((h) => 'YW' + h),
    friendly_name: fc.string({ minLength: 1, maxLength: 20 }),
    event_types: fc.uniqueArray(fc.constantFrom(...EVENT_TYPES), { minLength: 1, maxLength: 3 }),
    webhook_url: fc.constant(hook),
    status: fc.constantFrom('enabled', 'disabled'),
    version: fc.constantFrom('v1', 'v2')
  }, { requiredKeys: ['sid', 'friendly_name', 'event_types', 'webhook_url'] })
  const service = fc.record({
    sid: fc.oneof(fc.constantFrom(...SERVICES_B), hex32.map((h) => 'VA' + h)),
    friendly_name: fc.string({ minLength: 1, maxLength: 30 }),
    code_length: fc.integer({ min: 4, max: 10 }),
    totp: fc.record({ skew: fc.integer({ min: 0, max: 2 }), issuer: fc.option(fc.string()) }),
    webhooks: fc.uniqueArray(webhook, { maxLength: 3, selector: (w) => w.sid })
  }, { requiredKeys: ['sid', 'friendly_name'] })
  return fc.record({ accounts: fc.tuple(fc.record({ sid: fc.constant(B.sid), services: fc.uniqueArray(service, { maxLength: 3, selector: (s) => s.sid }) })) })
}

/** A state document near the fixture format, with random mutations (wrong types, nested junk, foreign SIDs). */
function stateArbitrary (hook: string): fc.Arbitrary<unknown> {
  const webhook = fc.record({
    sid: fc.oneof(hex32.map((h) => 'YW' + h), fc.constant('YWbad')),
    friendly_name: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), anyJson),
    event_types: fc.oneof(fc.uniqueArray(fc.constantFrom(...EVENT_TYPES), { minLength: 1, maxLength: 3 }), anyJson),
    webhook_url: fc.oneof({ weight: 4, arbitrary: fc.constant(hook) }, { weight: 1, arbitrary: fc.constantFrom('ftp://127.0.0.1/x', 'http://', '') }),
    status: fc.constantFrom('enabled', 'disabled', 'on'),
    date_created: fc.constantFrom('2026-01-01T00:00:00Z', '2026-02-30T00:00:00Z', 'then')
  }, { requiredKeys: ['sid', 'friendly_name', 'event_types', 'webhook_url'] })
  const service = fc.record({
    sid: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...SERVICES_B) }, { weight: 1, arbitrary: fc.constant(SERVICE_A) }, { weight: 2, arbitrary: hex32.map((h) => 'VA' + h) }),
    friendly_name: fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), anyJson),
    code_length: fc.oneof(fc.integer({ min: 4, max: 10 }), anyJson),
    push: fc.oneof(fc.constant({ include_date: true }), anyJson, fc.constant({ include_date: [1] }), fc.constant({ nope: 1 })),
    totp: fc.oneof(fc.constant({ skew: 2 }), fc.constant({ time_step: 'x' }), anyJson),
    passkeys: fc.oneof(fc.constant({ relying_party: { id: 'a', name: null, origins: ['https://a'] } }), fc.constant({ relying_party: null }), fc.constant({ relying_party: { origins: 'x' } }), anyJson),
    tts_name: fc.oneof(fc.constant(null), fc.string(), anyJson),
    webhooks: fc.array(webhook, { maxLength: 3 })
  }, { requiredKeys: ['sid', 'friendly_name'] })
  const account = fc.record({
    sid: fc.oneof({ weight: 5, arbitrary: fc.constant(B.sid) }, { weight: 1, arbitrary: fc.constant(A.sid) }),
    auth_token: fc.string(),
    services: fc.array(service, { maxLength: 3 })
  }, { requiredKeys: ['sid'] })
  return fc.oneof(
    { weight: 3, arbitrary: validStateArbitrary(hook) },
    { weight: 3, arbitrary: fc.record({ accounts: fc.array(account, { minLength: 1, maxLength: 2 }), description: fc.string() }, { requiredKeys: ['accounts'] }) },
    { weight: 1, arbitrary: anyJson }
  )
}

interface ControlRequest {
  route: string
  method: string
  url: string
  headers: Record<string, string>
  payload: string | undefined
}

function requestArbitrary (routes: string[], hook: string): fc.Arbitrary<ControlRequest> {
  return fc.constantFrom(...routes).chain((route) => routeRequest(route, hook))
}

function routeRequest (route: string, hook: string): fc.Arbitrary<ControlRequest> {
  const params = paramsArbitrary(hook, route)
  const body = fc.oneof(
    { weight: 1, arbitrary: fc.constant({ type: undefined as string | undefined, payload: undefined as string | undefined }) },
    { weight: 4, arbitrary: params.map((p) => ({ type: JSON_TYPE, payload: JSON.stringify(Object.fromEntries(p)) })) },
    { weight: 3, arbitrary: params.map((p) => ({ type: FORM, payload: formEncode(p.map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? ''])) })) },
    { weight: 2, arbitrary: anyJson.map((v) => ({ type: JSON_TYPE, payload: JSON.stringify(v) })) },
    { weight: route === '/__emulator/state' ? 8 : 1, arbitrary: stateArbitrary(hook).map((v) => ({ type: JSON_TYPE, payload: JSON.stringify(v) })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('text/plain', 'application/xml', 'application/json; charset=latin1', 'multipart/form-data', 'garbage', '', `${JSON_TYPE};;`), fc.string({ unit: 'binary', maxLength: 200 })).map(([type, payload]) => ({ type, payload })) },
    { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '[', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '{"a":1,"a":2}', '1e999', '"\\ud800"').map((payload) => ({ type: JSON_TYPE, payload })) }
  )
  const credentials = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(AUTH_B, basicAuth(B.apiKeys[0]!.sid, B.apiKeys[0]!.secret)) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, basicAuth(B.sid, A.authToken), basicAuth(A.sid, B.authToken), 'Basic ' + 'x'.repeat(300), 'Bearer ' + ADMIN_TOKEN.slice(1)) }
  )
  return fc.record({
    id: fc.oneof(hex32.map((h) => 'FI' + h), hostileString.map(pct)),
    method: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(ROUTE_METHODS[route] ?? ['GET', 'POST'])) }, { weight: 1, arbitrary: fc.constantFrom(...HTTP_METHODS) }),
    query: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: params.map((p) => formEncode(p.map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? '']))) }),
    body,
    auth: credentials,
    admin: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('', 'admin', ADMIN_TOKEN.toUpperCase(), ADMIN_TOKEN + ' ') })
  }).map(({ id, method, query, body, auth, admin }) => {
    const headers: Record<string, string> = {}
    if (auth !== undefined) headers.authorization = auth
    if (body.type !== undefined) headers['content-type'] = body.type
    if (admin !== null) headers['x-emulator-admin-token'] = admin
    const path = route.replace(':Id', id)
    return { route, method, url: query === null ? path : `${path}?${query}`, headers, payload: body.payload }
  })
}

async function json (app: FastifyInstance, url: string, auth: string): Promise<string> {
  const res = await app.inject({ method: 'GET', url, headers: { authorization: auth } })
  if (res.statusCode !== 200) throw new Violation(`GET ${url}: ${res.statusCode} ${res.body}`)
  return res.body
}

/** What another account must not be able to change: its state, journal, faults and delivery log. */
async function footprint (app: FastifyInstance, auth: string): Promise<string[]> {
  return await Promise.all(['/__emulator/state', '/__emulator/requests', '/__emulator/faults', '/__emulator/deliveries'].map(async (url) => await json(app, url, auth)))
}

t.test('every control route, any request from one account: Twilio answers only, no pollution, other accounts untouched', async (t) => {
  const { app, hook } = await setup(t)
  await app.ready()
  const found = listRoutes(app).filter((r) => r.url.startsWith('/__emulator/') && r.url !== '/__emulator/health').map((r) => r.url)
  const routes = [...new Set([...found, ...DOCUMENTED])]
  t.comment(`fuzzing ${routes.join(', ')} (missing: ${DOCUMENTED.filter((r) => !found.includes(r)).join(', ') || 'none'})`)

  // Account A: a webhook to the receiver, one delivered event, one API request in its journal, one fault.
  const formA = { authorization: AUTH_A, 'content-type': FORM }
  const created = await app.inject({ method: 'POST', url: `/v2/Services/${SERVICE_A}/Webhooks`, headers: formA, payload: formEncode([['FriendlyName', 'a'], ['EventTypes', '*'], ['WebhookUrl', hook]]) })
  t.equal(created.statusCode, 201)
  const event = await app.inject({ method: 'POST', url: '/__emulator/events', headers: formA, payload: formEncode([['ServiceSid', SERVICE_A], ['Type', 'factor.created'], ['EntityIdentity', 'a']]) })
  t.equal(event.statusCode, 201)
  t.equal((await app.inject({ method: 'GET', url: '/__emulator/deliveries?WaitFor=1&Timeout=5000', headers: { authorization: AUTH_A } })).statusCode, 200)
  const fault = await app.inject({ method: 'POST', url: '/__emulator/faults', headers: formA, payload: 'Path=/nothing&Status=418' })
  t.equal(fault.statusCode, 201)
  const before = await footprint(app, AUTH_A)

  const prototypes = prototypeSnapshot()
  const seen = new Map<string, number>()
  await check(fc.asyncProperty(requestArbitrary(routes, hook), async (req) => {
    const res = await app.inject({ method: req.method as 'GET', url: req.url, headers: req.headers, payload: req.payload })
    const what = `${req.method} ${req.url.slice(0, 160)} ${JSON.stringify(req.headers).slice(0, 120)} ${String(req.payload).slice(0, 200)}`
    expectTwilioAnswer(res, req.method, what)
    expectNoPollution(prototypes, what)
    const key = `${req.method} ${req.route} ${res.statusCode}`
    seen.set(key, (seen.get(key) ?? 0) + 1)
  }), 500)
  t.comment(`outcomes: ${[...seen].sort().map(([k, n]) => `${k}×${n}`).join(', ')}`)

  // The fuzz went past validation on every route that exists.
  for (const expected of ['POST /__emulator/events 201', 'GET /__emulator/deliveries 200', 'POST /__emulator/reset 200', 'GET /__emulator/state 200', 'PUT /__emulator/state 200',
    'GET /__emulator/requests 200', 'DELETE /__emulator/requests 204', 'POST /__emulator/faults 201', 'GET /__emulator/faults 200', 'PUT /__emulator/state 400', 'POST /__emulator/faults 400', 'GET /__emulator/reset 405']) {
    t.ok((seen.get(expected) ?? 0) > 0, `saw ${expected}`)
  }
  t.same(await footprint(app, AUTH_A), before, "account A's state, journal, faults and deliveries are unchanged")

  // B's exported state and B's API agree: same services, same webhooks, same fields.
  app.emulator.faults.clear(B.sid)
  const state = JSON.parse(await json(app, '/__emulator/state', AUTH_B)) as { accounts: Array<{ sid: string, services: Array<{ sid: string, friendly_name: string, webhooks: Array<Record<string, unknown>> }> }> }
  t.same(state.accounts.map((a) => a.sid), [B.sid])
  const services = state.accounts[0]!.services
  const listed = JSON.parse(await json(app, '/v2/Services?PageSize=1000', AUTH_B)) as { services: Array<{ sid: string, friendly_name: string }> }
  t.same(listed.services.map((s) => [s.sid, s.friendly_name]), services.map((s) => [s.sid, s.friendly_name]), 'services listed = services exported')
  for (const service of services) {
    const webhooks = JSON.parse(await json(app, `/v2/Services/${service.sid}/Webhooks?PageSize=1000`, AUTH_B)) as { webhooks: Array<Record<string, unknown>> }
    t.same(webhooks.webhooks.map((w) => [w.sid, w.friendly_name, w.event_types, w.webhook_url, w.status, w.version, w.date_created, w.date_updated]),
      service.webhooks.map((w) => [w.sid, w.friendly_name, w.event_types, w.webhook_url, w.status, w.version, w.date_created, w.date_updated]), `webhooks of ${service.sid}`)
    for (const w of service.webhooks) t.equal((await app.inject({ method: 'GET', url: `/v2/Services/${service.sid}/Webhooks/${String(w.sid)}`, headers: { authorization: AUTH_B } })).statusCode, 200)
  }
  expectNoPollution(prototypes, 'at the end')
})

t.test('every control route and method refuses missing or wrong credentials with 401/20003', async (t) => {
  const { app } = await setup(t)
  await app.ready()
  const routes = listRoutes(app).filter((r) => r.url.startsWith('/__emulator/') && r.url !== '/__emulator/health')
  t.ok(routes.length >= DOCUMENTED.length, `${routes.length} control routes`)
  const wrong = [undefined, basicAuth(B.sid, A.authToken), basicAuth(A.sid, ''), basicAuth(B.apiKeys[0]!.sid, B.authToken), `Bearer ${ADMIN_TOKEN}`]
  for (const route of routes) {
    const url = route.url.replace(':Id', 'FI' + '0'.repeat(32))
    for (const method of HTTP_METHODS) {
      for (const authorization of wrong) {
        const headers: Record<string, string> = { 'x-emulator-admin-token': ADMIN_TOKEN, 'content-type': JSON_TYPE }
        if (authorization !== undefined) headers.authorization = authorization
        const res = await app.inject({ method, url, headers, payload: method === 'GET' || method === 'HEAD' ? undefined : '{}' })
        t.equal(res.statusCode, 401, `${method} ${url} ${String(authorization)}`)
        if (method !== 'HEAD') t.same(res.json(), { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 })
      }
    }
  }
})
