// POST /__emulator/events: validation, generated values, the 201 answer, account scoping.
import t from 'tap'
import { ACCOUNT_SID, basicAuth, build, fixedClock, FORM, SERVICE_SID } from '../helper.js'
import { createWebhook, errorBody, startReceiver, trigger } from './receiver.js'

const OTHER_ACCOUNT = { sid: 'AC' + 'b'.repeat(32), authToken: 'other-token' }
const OTHER_AUTH = basicAuth(OTHER_ACCOUNT.sid, OTHER_ACCOUNT.authToken)
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

t.test('a factor event: 201 with the event, generated factor fields, and one queued delivery per subscribed webhook', async (t) => {
  const { clock } = fixedClock()
  const app = await build(t, { clock })
  const receiver = await startReceiver(t)
  const webhookSid = await createWebhook(app, { url: receiver.url(), eventTypes: ['factor.verified'] })
  const res = await trigger(app, { Type: 'factor.verified' })
  t.equal(res.statusCode, 201)
  const body = res.body
  t.match(body.uuid, UUID)
  t.match(body.params.factor_sid, /^YF[0-9a-f]{32}$/)
  t.same(body, {
    uuid: body.uuid,
    type: 'factor.verified',
    account_sid: ACCOUNT_SID,
    service_sid: SERVICE_SID,
    params: {
      uuid: body.uuid,
      type: 'factor.verified',
      account_sid: ACCOUNT_SID,
      service_sid: SERVICE_SID,
      entity_identity: 'user-1234',
      factor_sid: body.params.factor_sid,
      factor_type: 'push',
      factor_friendly_name: 'Emulated factor',
      factor_metadata: '{}',
      sent_at: '2026-11-28T10:00:00Z'
    },
    deliveries: [{ sid: body.deliveries[0].sid, webhook_sid: webhookSid, url: receiver.url(), version: 'v2', status: 'queued' }]
  })
  t.match(body.deliveries[0].sid, /^DL[0-9a-f]{32}$/)
  await receiver.received(1)
})

t.test('a challenge event takes every optional field as given; JSON bodies work too', async (t) => {
  const app = await build(t)
  const fields = {
    ServiceSid: SERVICE_SID,
    Type: 'challenge.denied',
    EntityIdentity: 'ff483d1ff591898a9942916050d2ca3f',
    FactorSid: 'YF' + '1'.repeat(32),
    FactorType: 'totp',
    FactorFriendlyName: 'My phone',
    FactorMetadata: '{"os":"Android"}',
    ChallengeSid: 'YC' + '2'.repeat(32),
    ChallengeDetails: '{"message":"Hi","fields":[{"label":"Amount","value":"$10"}]}',
    ChallengeHiddenDetails: '{"ip":"127.0.0.1"}',
    ChallengeMetadata: '{"k":1}'
  }
  const res = await app.inject({ method: 'POST', url: '/__emulator/events', headers: { authorization: basicAuth(), 'content-type': 'application/json' }, payload: JSON.stringify(fields) })
  t.equal(res.statusCode, 201)
  const params = res.json().params
  t.same(params, {
    uuid: params.uuid,
    type: 'challenge.denied',
    account_sid: ACCOUNT_SID,
    service_sid: SERVICE_SID,
    entity_identity: fields.EntityIdentity,
    factor_sid: fields.FactorSid,
    factor_type: 'totp',
    factor_friendly_name: 'My phone',
    factor_metadata: fields.FactorMetadata,
    challenge_sid: fields.ChallengeSid,
    challenge_details: fields.ChallengeDetails,
    challenge_hidden_details: fields.ChallengeHiddenDetails,
    challenge_metadata: fields.ChallengeMetadata,
    sent_at: params.sent_at
  })
  t.match(params.sent_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  t.same(res.json().deliveries, [])

  // In a JSON body, JSON-valued fields may be the values themselves.
  const objects = await app.inject({
    method: 'POST',
    url: '/__emulator/events',
    headers: { authorization: basicAuth(), 'content-type': 'application/json' },
    payload: JSON.stringify({ ...fields, ChallengeDetails: { message: 'Hi', fields: [] }, FactorMetadata: { os: 'iOS' } })
  })
  t.equal(objects.statusCode, 201)
  t.equal(objects.json().params.challenge_details, '{"message":"Hi","fields":[]}')
  t.equal(objects.json().params.factor_metadata, '{"os":"iOS"}')
})

t.test('a challenge event without challenge fields gets a YC SID, default details and no hidden details', async (t) => {
  const app = await build(t)
  const res = await trigger(app, { Type: 'challenge.approved' })
  t.equal(res.statusCode, 201)
  const params = res.body.params
  t.match(params.challenge_sid, /^YC[0-9a-f]{32}$/)
  t.equal(params.challenge_details, '{"message":"Emulated challenge","fields":[]}')
  t.equal(params.challenge_metadata, '{}')
  t.notOk('challenge_hidden_details' in params)
})

const invalid: Array<[string, Record<string, string>, number, number, string]> = [
  ['no ServiceSid', { ServiceSid: '' }, 400, 20001, 'Missing required parameter ServiceSid in the post body'],
  ['no Type', {}, 400, 20001, 'Missing required parameter Type in the post body'],
  ['no EntityIdentity', { Type: 'factor.created', EntityIdentity: '' }, 400, 20001, 'Missing required parameter EntityIdentity in the post body'],
  ['an unknown Type', { Type: 'factor.exploded' }, 400, 60200, 'Invalid parameter: Type'],
  ['the * wildcard as Type', { Type: '*' }, 400, 60200, 'Invalid parameter: Type'],
  ['a malformed ServiceSid', { ServiceSid: 'VA123', Type: 'factor.created' }, 400, 60200, 'Invalid parameter: ServiceSid'],
  ['a malformed FactorSid', { Type: 'factor.created', FactorSid: 'YF' + 'z'.repeat(32) }, 400, 60200, 'Invalid parameter: FactorSid'],
  ['an unknown FactorType', { Type: 'factor.created', FactorType: 'sms' }, 400, 60200, 'Invalid parameter: FactorType'],
  ['a malformed ChallengeSid', { Type: 'challenge.approved', ChallengeSid: 'YF' + '0'.repeat(32) }, 400, 60200, 'Invalid parameter: ChallengeSid'],
  ['FactorMetadata that is not JSON', { Type: 'factor.created', FactorMetadata: '{oops' }, 400, 60200, 'Invalid parameter: FactorMetadata must be valid JSON'],
  ['ChallengeDetails that is not JSON', { Type: 'challenge.approved', ChallengeDetails: 'hello' }, 400, 60200, 'Invalid parameter: ChallengeDetails must be valid JSON'],
  ['ChallengeHiddenDetails that is not JSON', { Type: 'challenge.approved', ChallengeHiddenDetails: '{"a":' }, 400, 60200, 'Invalid parameter: ChallengeHiddenDetails must be valid JSON'],
  ['ChallengeMetadata that is not JSON', { Type: 'challenge.denied', ChallengeMetadata: '[1,' }, 400, 60200, 'Invalid parameter: ChallengeMetadata must be valid JSON'],
  ['a challenge field on a factor event', { Type: 'factor.deleted', ChallengeSid: 'YC' + '0'.repeat(32) }, 400, 60200, 'Invalid parameter: ChallengeSid (only challenge.approved and challenge.denied events have challenge fields)']
]

for (const [name, params, status, code, message] of invalid) {
  t.test(`rejects ${name} with ${status}/${code}, delivering nothing`, async (t) => {
    const app = await build(t)
    const res = await trigger(app, params)
    t.equal(res.statusCode, status)
    t.same(res.body, errorBody(status, code, message))
    t.equal(app.emulator.deliveries.pending, 0)
  })
}

t.test('a repeated parameter, a non-object JSON body and a POST without a body are Twilio 400s', async (t) => {
  const app = await build(t)
  const repeated = await app.inject({
    method: 'POST',
    url: '/__emulator/events',
    headers: { ...FORM, authorization: basicAuth() },
    payload: `ServiceSid=${SERVICE_SID}&Type=factor.created&Type=factor.deleted&EntityIdentity=x`
  })
  t.equal(repeated.statusCode, 400)
  t.same(repeated.json(), errorBody(400, 60200, 'Invalid parameter: Type'))
  const repeatedJson = await app.inject({
    method: 'POST',
    url: '/__emulator/events',
    headers: { ...FORM, authorization: basicAuth() },
    payload: `ServiceSid=${SERVICE_SID}&Type=challenge.approved&EntityIdentity=x&ChallengeDetails=%7B%7D&ChallengeDetails=%7B%7D`
  })
  t.same(repeatedJson.json(), errorBody(400, 60200, 'Invalid parameter: ChallengeDetails'))
  const array = await app.inject({ method: 'POST', url: '/__emulator/events', headers: { authorization: basicAuth(), 'content-type': 'application/json' }, payload: '[1]' })
  t.equal(array.statusCode, 400)
  t.equal(array.json().code, 20001)
  const broken = await app.inject({ method: 'POST', url: '/__emulator/events', headers: { authorization: basicAuth(), 'content-type': 'application/json' }, payload: '{"Type":' })
  t.equal(broken.statusCode, 400)
  const empty = await app.inject({ method: 'POST', url: '/__emulator/events', headers: { authorization: basicAuth() } })
  t.equal(empty.statusCode, 400)
  t.same(empty.json(), errorBody(400, 20001, 'Missing required parameter ServiceSid in the post body'))
})

t.test('authentication is required; other methods are 405', async (t) => {
  const app = await build(t)
  const anonymous = await app.inject({ method: 'POST', url: '/__emulator/events', headers: FORM, payload: 'Type=factor.created' })
  t.equal(anonymous.statusCode, 401)
  t.equal(anonymous.json().code, 20003)
  const wrong = await trigger(app, { Type: 'factor.created' }, basicAuth(ACCOUNT_SID, 'wrong'))
  t.equal(wrong.statusCode, 401)
  const get = await app.inject({ method: 'GET', url: '/__emulator/events', headers: { authorization: basicAuth() } })
  t.equal(get.statusCode, 405)
  t.same(get.json(), errorBody(405, 20004, 'Method not allowed'))
})

t.test("another account's Service is 404 and delivers nothing; its own webhooks are untouched", async (t) => {
  const app = await build(t, { accounts: [OTHER_ACCOUNT] })
  const receiver = await startReceiver(t)
  await createWebhook(app, { url: receiver.url() })
  const res = await trigger(app, { Type: 'factor.created' }, OTHER_AUTH)
  t.equal(res.statusCode, 404)
  t.same(res.body, errorBody(404, 20404, `The requested resource /v2/Services/${SERVICE_SID} was not found`))
  t.equal(app.emulator.deliveries.pending, 0)
  t.equal(receiver.requests.length, 0)
})

t.test('with strictServices an unknown Service is 404; otherwise it simply has no webhooks', async (t) => {
  const strict = await build(t, { strictServices: true })
  const res = await trigger(strict, { Type: 'factor.created' })
  t.equal(res.statusCode, 404)
  const lenient = await build(t)
  const ok = await trigger(lenient, { Type: 'factor.created' })
  t.equal(ok.statusCode, 201)
  t.same(ok.body.deliveries, [])
})
