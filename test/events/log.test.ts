// GET /__emulator/deliveries: entry shape, filters, the WaitFor/Timeout wait, the per-account bound,
// clearAccount, and account scoping.
import t from 'tap'
import { ACCOUNT_SID, basicAuth, build, fixedClock, sequentialSids, SERVICE_SID } from '../helper.js'
import { createWebhook, deliveries, errorBody, startReceiver, trigger } from './receiver.js'

const OTHER_ACCOUNT = { sid: 'AC' + 'b'.repeat(32), authToken: 'other-token' }
const OTHER_AUTH = basicAuth(OTHER_ACCOUNT.sid, OTHER_ACCOUNT.authToken)
const OTHER_SERVICE = 'VA' + 'c'.repeat(32)

t.test('an entry holds the event, webhook, request as sent, every attempt and the final status', async (t) => {
  const { clock } = fixedClock()
  const app = await build(t, { clock, newSid: sequentialSids() })
  const receiver = await startReceiver(t, () => ({ status: 200, body: 'received' }))
  const webhookSid = await createWebhook(app, { url: receiver.url('/hook?a=1'), version: 'v1', eventTypes: ['factor.deleted'] })
  const event = await trigger(app, { Type: 'factor.deleted', FactorSid: 'YF' + '9'.repeat(32) })
  const log = await deliveries(app, { WaitFor: '1', Timeout: '30000' })
  t.equal(log.statusCode, 200)
  t.equal(log.body.dropped, 0)
  const entry = log.body.deliveries[0]
  const attempt = entry.attempts[0]
  t.same(entry, {
    sid: event.body.deliveries[0].sid,
    account_sid: ACCOUNT_SID,
    service_sid: SERVICE_SID,
    webhook_sid: webhookSid,
    event: { uuid: event.body.uuid, type: 'factor.deleted' },
    url: receiver.url('/hook?a=1'),
    version: 'v1',
    status: 'succeeded',
    request: {
      method: 'POST',
      url: receiver.url('/hook?a=1'),
      headers: {
        'X-Twilio-Signature': receiver.requests[0]?.headers['x-twilio-signature'],
        'Content-Type': 'application/x-www-form-urlencoded',
        'User-Agent': 'TwilioProxy/1.1',
        'I-Twilio-Idempotency-Token': receiver.requests[0]?.headers['i-twilio-idempotency-token']
      },
      params: receiver.requests[0]?.params
    },
    attempts: [{
      attempt: 1,
      started_at: '2026-11-28T10:00:00.000Z',
      duration_ms: attempt.duration_ms,
      response_status: 200,
      response_body: 'received',
      response_body_truncated: false,
      error: null,
      fault: null
    }],
    cancel_reason: null,
    date_created: '2026-11-28T10:00:00.000Z',
    next_attempt_at: null,
    date_finished: '2026-11-28T10:00:00.000Z'
  })
  t.ok(attempt.duration_ms >= 0 && attempt.duration_ms < 5000)
})

t.test('filters: ServiceSid, WebhookSid, Type, Status (all given ones must match)', async (t) => {
  const app = await build(t)
  const receiver = await startReceiver(t, (request) => ({ status: request.path === '/bad' ? 500 : 200 }))
  const good = await createWebhook(app, { url: receiver.url('/good') })
  const bad = await createWebhook(app, { url: receiver.url('/bad') })
  const elsewhere = await createWebhook(app, { url: receiver.url('/elsewhere'), serviceSid: OTHER_SERVICE })
  await trigger(app, { Type: 'factor.created' })
  await trigger(app, { Type: 'challenge.approved' })
  await trigger(app, { Type: 'factor.created', ServiceSid: OTHER_SERVICE })
  await deliveries(app, { WaitFor: '5', Timeout: '30000' })

  const count = async (query: Record<string, string>): Promise<number> => (await deliveries(app, query)).body.deliveries.length
  t.equal(await count({}), 5)
  t.equal(await count({ ServiceSid: SERVICE_SID }), 4)
  t.equal(await count({ ServiceSid: OTHER_SERVICE }), 1)
  t.equal(await count({ WebhookSid: good }), 2)
  t.equal(await count({ WebhookSid: elsewhere }), 1)
  t.equal(await count({ Type: 'factor.created' }), 3)
  t.equal(await count({ Type: 'challenge.approved', WebhookSid: bad }), 1)
  t.equal(await count({ Status: 'failed' }), 2)
  t.equal(await count({ Status: 'succeeded', ServiceSid: SERVICE_SID }), 2)
  t.equal(await count({ Status: 'queued' }), 0)
  t.equal(await count({ Type: 'factor.verified' }), 0)
})

t.test('WaitFor returns as soon as N matching deliveries are final, not before', async (t) => {
  const app = await build(t, { deliveryTimeoutMs: 30_000 })
  // /fast answers at once; /held waits until the test releases it.
  const receiver = await startReceiver(t, (request) => (request.path === '/held' ? 'hang' : {}))
  await createWebhook(app, { url: receiver.url('/fast') })
  await createWebhook(app, { url: receiver.url('/held') })
  await trigger(app, { Type: 'factor.created' })

  const one = await deliveries(app, { WaitFor: '1', Timeout: '30000' })
  t.equal(one.statusCode, 200)
  t.same(one.body.deliveries.map((d: { status: string }) => d.status).sort(), ['in-progress', 'succeeded'])

  let settled = false
  const waitForTwo = deliveries(app, { WaitFor: '2', Timeout: '30000' }).finally(() => { settled = true })
  await receiver.received(2)
  // Another request round trip later, the wait for 2 is still open: only 1 delivery is final.
  t.equal((await deliveries(app, { Status: 'in-progress' })).body.deliveries.length, 1)
  t.notOk(settled, 'WaitFor=2 still waiting while 1 is final')

  const released = performance.now()
  receiver.release()
  const two = await waitForTwo
  const latency = performance.now() - released
  t.equal(two.statusCode, 200)
  t.same(two.body.deliveries.map((d: { status: string }) => d.status), ['succeeded', 'succeeded'])
  t.ok(latency < 5000, `answered ${Math.round(latency)} ms after the delivery finished (Timeout was 30000)`)
})

t.test('WaitFor answers 408 with how many matched when Timeout elapses', async (t) => {
  const app = await build(t)
  const receiver = await startReceiver(t)
  await createWebhook(app, { url: receiver.url() })
  await trigger(app, { Type: 'factor.created' })
  await deliveries(app, { WaitFor: '1', Timeout: '30000' })
  const started = performance.now()
  const res = await deliveries(app, { WaitFor: '3', Timeout: '100' })
  const elapsed = performance.now() - started
  t.equal(res.statusCode, 408)
  t.same(res.body, errorBody(408, 20408, 'Timed out after 100 ms waiting for 3 matching deliveries in a final status (succeeded, failed or cancelled); 1 matched'))
  t.ok(elapsed >= 95 && elapsed < 5000, `${Math.round(elapsed)} ms`)
  const zero = await deliveries(app, { WaitFor: '1', Timeout: '0', Type: 'challenge.denied' })
  t.equal(zero.statusCode, 408)
  t.equal(zero.body.message, 'Timed out after 0 ms waiting for 1 matching delivery in a final status (succeeded, failed or cancelled); 0 matched')
})

const badQueries: Array<[Record<string, string>, number, string]> = [
  [{ WaitFor: '0' }, 60200, 'Invalid parameter: WaitFor'],
  [{ WaitFor: 'x' }, 60200, 'Invalid parameter: WaitFor'],
  [{ WaitFor: '1', Timeout: '60001' }, 60200, 'Invalid parameter: Timeout'],
  [{ WaitFor: '1', Timeout: '-1' }, 60200, 'Invalid parameter: Timeout'],
  [{ Timeout: '100' }, 60200, 'Invalid parameter: Timeout (it applies only with WaitFor)'],
  [{ WaitFor: '1', Status: 'queued' }, 60200, 'Invalid parameter: Status (WaitFor counts final deliveries: succeeded, failed or cancelled)'],
  [{ Status: 'done' }, 60200, 'Invalid parameter: Status'],
  [{ Type: '*' }, 60200, 'Invalid parameter: Type'],
  [{ ServiceSid: 'VA1' }, 60200, 'Invalid parameter: ServiceSid'],
  [{ WebhookSid: 'YW' + 'g'.repeat(32) }, 60200, 'Invalid parameter: WebhookSid']
]

t.test('bad query parameters are Twilio 400s naming them', async (t) => {
  const app = await build(t)
  for (const [query, code, message] of badQueries) {
    const res = await deliveries(app, query)
    t.equal(res.statusCode, 400, JSON.stringify(query))
    t.same(res.body, errorBody(400, code, message))
  }
  const repeated = await app.inject({ method: 'GET', url: '/__emulator/deliveries?WaitFor=1&WaitFor=2', headers: { authorization: basicAuth() } })
  t.equal(repeated.statusCode, 400)
  const post = await app.inject({ method: 'POST', url: '/__emulator/deliveries', headers: { authorization: basicAuth() } })
  t.equal(post.statusCode, 405)
})

t.test('the log keeps DELIVERY_LOG_LIMIT entries per account, dropping the oldest and counting them', async (t) => {
  const app = await build(t, { deliveryLogLimit: 5, accounts: [OTHER_ACCOUNT] })
  const receiver = await startReceiver(t)
  await createWebhook(app, { url: receiver.url() })
  await createWebhook(app, { url: receiver.url('/other'), serviceSid: OTHER_SERVICE, auth: OTHER_AUTH })
  const uuids: string[] = []
  for (let i = 0; i < 8; i++) uuids.push((await trigger(app, { Type: 'factor.created' })).body.uuid)
  await trigger(app, { Type: 'factor.created', ServiceSid: OTHER_SERVICE }, OTHER_AUTH)
  await receiver.received(9)
  const log = await deliveries(app, { WaitFor: '5', Timeout: '30000' })
  t.equal(log.body.dropped, 3)
  t.same(log.body.deliveries.map((d: { event: { uuid: string } }) => d.event.uuid), uuids.slice(3), 'the 5 newest, oldest first')
  const other = await deliveries(app, { WaitFor: '1', Timeout: '30000' }, OTHER_AUTH)
  t.equal(other.body.dropped, 0, 'the bound is per account')
  t.equal(other.body.deliveries.length, 1)
})

t.test("clearAccount forgets one account's deliveries only", async (t) => {
  const app = await build(t, { accounts: [OTHER_ACCOUNT] })
  const receiver = await startReceiver(t)
  await createWebhook(app, { url: receiver.url() })
  await createWebhook(app, { url: receiver.url('/other'), serviceSid: OTHER_SERVICE, auth: OTHER_AUTH })
  await trigger(app, { Type: 'factor.created' })
  await trigger(app, { Type: 'factor.created', ServiceSid: OTHER_SERVICE }, OTHER_AUTH)
  await deliveries(app, { WaitFor: '1', Timeout: '30000' })
  await deliveries(app, { WaitFor: '1', Timeout: '30000' }, OTHER_AUTH)

  app.emulator.deliveries.clearAccount(ACCOUNT_SID)
  t.same((await deliveries(app)).body, { deliveries: [], dropped: 0 })
  t.equal((await deliveries(app, {}, OTHER_AUTH)).body.deliveries.length, 1)
  // A wait after the reset counts only new deliveries.
  t.equal((await deliveries(app, { WaitFor: '1', Timeout: '50' })).statusCode, 408)
  await trigger(app, { Type: 'factor.created' })
  t.equal((await deliveries(app, { WaitFor: '1', Timeout: '30000' })).body.deliveries.length, 1)
})

t.test('both routes are scoped to the caller: another account sees none of the first one\'s deliveries', async (t) => {
  const app = await build(t, { accounts: [OTHER_ACCOUNT] })
  const receiver = await startReceiver(t)
  const webhookSid = await createWebhook(app, { url: receiver.url() })
  await trigger(app, { Type: 'factor.created' })
  await deliveries(app, { WaitFor: '1', Timeout: '30000' })

  t.same((await deliveries(app, {}, OTHER_AUTH)).body, { deliveries: [], dropped: 0 })
  t.same((await deliveries(app, { ServiceSid: SERVICE_SID, WebhookSid: webhookSid }, OTHER_AUTH)).body, { deliveries: [], dropped: 0 })
  t.equal((await deliveries(app, { WaitFor: '1', Timeout: '50' }, OTHER_AUTH)).statusCode, 408)
  const foreign = await trigger(app, { Type: 'factor.created' }, OTHER_AUTH)
  t.equal(foreign.statusCode, 404)
  t.equal((await deliveries(app)).body.deliveries.length, 1)
  t.equal(receiver.requests.length, 1)
  const anonymous = await app.inject({ method: 'GET', url: '/__emulator/deliveries' })
  t.equal(anonymous.statusCode, 401)
})
