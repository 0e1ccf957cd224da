// Fan-out: which webhooks get an event, and exactly what each receives (v1 vs v2 params, headers).
import t from 'tap'
import { ACCOUNT_SID, basicAuth, build, fixedClock, FORM, form, SERVICE_SID } from '../helper.js'
import { createWebhook, deliveries, startReceiver, trigger } from './receiver.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const BASE_KEYS = ['uuid', 'type', 'account_sid', 'service_sid', 'entity_identity', 'factor_sid', 'factor_type', 'factor_friendly_name']

t.test('an event goes to the enabled webhooks of its service subscribed to its type or *, and to no other', async (t) => {
  const app = await build(t)
  const receiver = await startReceiver(t)
  const created = await createWebhook(app, { url: receiver.url('/created'), eventTypes: ['factor.created'] })
  const all = await createWebhook(app, { url: receiver.url('/all'), eventTypes: ['*'] })
  const createdAndApproved = await createWebhook(app, { url: receiver.url('/created-approved'), eventTypes: ['challenge.approved', 'factor.created'] })
  await createWebhook(app, { url: receiver.url('/disabled'), eventTypes: ['*'], status: 'disabled' })
  const deleted = await createWebhook(app, { url: receiver.url('/deleted'), eventTypes: ['*'] })
  const laterDisabled = await createWebhook(app, { url: receiver.url('/later-disabled'), eventTypes: ['*'] })
  await createWebhook(app, { url: receiver.url('/other-service'), eventTypes: ['*'], serviceSid: 'VA' + 'f'.repeat(32) })
  const deletedFactor = await createWebhook(app, { url: receiver.url('/deleted-factor'), eventTypes: ['factor.deleted'] })

  const auth = { authorization: basicAuth() }
  t.equal((await app.inject({ method: 'DELETE', url: `/v2/Services/${SERVICE_SID}/Webhooks/${deleted}`, headers: auth })).statusCode, 204)
  t.equal((await app.inject({ method: 'POST', url: `/v2/Services/${SERVICE_SID}/Webhooks/${laterDisabled}`, headers: { ...auth, ...FORM }, payload: form({ Status: 'disabled' }) })).statusCode, 200)

  const expected: Array<[string, string[]]> = [
    ['factor.created', [created, all, createdAndApproved]],
    ['factor.verified', [all]],
    ['factor.deleted', [all, deletedFactor]],
    ['challenge.approved', [all, createdAndApproved]],
    ['challenge.denied', [all]]
  ]
  let total = 0
  for (const [type, webhookSids] of expected) {
    const res = await trigger(app, { Type: type })
    t.equal(res.statusCode, 201)
    t.same(res.body.deliveries.map((d: { webhook_sid: string }) => d.webhook_sid), webhookSids, type)
    total += webhookSids.length
  }
  const requests = await receiver.received(total)
  t.equal(requests.length, total)
  const log = await deliveries(app, { WaitFor: String(total), Timeout: '30000' })
  t.equal(log.body.deliveries.length, total)
  t.ok(log.body.deliveries.every((d: { status: string }) => d.status === 'succeeded'))
  t.notOk(requests.some((r) => ['/disabled', '/deleted', '/later-disabled', '/other-service'].includes(r.path)))
})

t.test('v1 and v2 webhooks receive exactly their param sets, in a stable order, with Twilio headers', async (t) => {
  const { clock } = fixedClock()
  const app = await build(t, { clock })
  const receiver = await startReceiver(t)
  await createWebhook(app, { url: receiver.url('/v1?q=1'), version: 'v1' })
  await createWebhook(app, { url: receiver.url('/v2'), version: 'v2' })

  await trigger(app, { Type: 'factor.verified', FactorSid: 'YF' + 'a'.repeat(32), FactorMetadata: '{"os":"iOS"}' })
  let requests = await receiver.received(2)
  const byPath = (path: string): Record<string, string> => requests.find((r) => r.path === path)?.params ?? {}
  t.same(Object.keys(byPath('/v1?q=1')), [...BASE_KEYS, 'sent_at'])
  t.same(Object.keys(byPath('/v2')), [...BASE_KEYS, 'factor_metadata', 'sent_at'])
  t.same(byPath('/v2'), {
    uuid: byPath('/v2').uuid,
    type: 'factor.verified',
    account_sid: ACCOUNT_SID,
    service_sid: SERVICE_SID,
    entity_identity: 'user-1234',
    factor_sid: 'YF' + 'a'.repeat(32),
    factor_type: 'push',
    factor_friendly_name: 'Emulated factor',
    factor_metadata: '{"os":"iOS"}',
    sent_at: '2026-11-28T10:00:00Z'
  })
  t.equal(byPath('/v1?q=1').uuid, byPath('/v2').uuid, 'one event, one uuid')

  await trigger(app, { Type: 'challenge.approved', ChallengeHiddenDetails: '{"ip":"10.0.0.1"}' })
  requests = (await receiver.received(4)).slice(2)
  t.same(Object.keys(byPath('/v1?q=1')), [...BASE_KEYS, 'challenge_sid', 'challenge_details', 'challenge_hidden_details', 'sent_at'])
  t.same(Object.keys(byPath('/v2')), [...BASE_KEYS, 'factor_metadata', 'challenge_sid', 'challenge_details', 'challenge_hidden_details', 'challenge_metadata', 'sent_at'])

  await trigger(app, { Type: 'challenge.denied' })
  requests = (await receiver.received(6)).slice(4)
  t.same(Object.keys(byPath('/v1?q=1')), [...BASE_KEYS, 'challenge_sid', 'challenge_details', 'sent_at'], 'no hidden details unless given')

  const tokens = new Set<string>()
  for (const request of receiver.requests) {
    t.equal(request.method, 'POST')
    t.equal(request.headers['content-type'], 'application/x-www-form-urlencoded')
    t.equal(request.headers['user-agent'], 'TwilioProxy/1.1')
    t.match(request.headers['x-twilio-signature'], /^[A-Za-z0-9+/]{27}=$/)
    t.match(request.headers['i-twilio-idempotency-token'], UUID)
    tokens.add(request.headers['i-twilio-idempotency-token'] as string)
  }
  t.equal(tokens.size, 6, 'one idempotency token per delivery')
})
