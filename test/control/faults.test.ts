import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { build, SERVICE_SID } from '../helper.js'
import { createWebhook as createEventWebhook, deliveries, startReceiver, trigger } from '../events/receiver.js'
import { A, authOf, B, control, createWebhook, SECOND_ACCOUNT, twilioError, webhooksPath } from './harness.js'

async function addFault (app: FastifyInstance, fault: Record<string, unknown>, caller = A): Promise<{ id: string, [key: string]: unknown }> {
  const res = await control(app, 'POST', '/faults', fault, caller)
  if (res.statusCode !== 201) throw new Error(`fault not added: ${res.statusCode} ${res.body}`)
  return res.json()
}

async function listCount (app: FastifyInstance, caller = A): Promise<number> {
  const res = await app.inject({ method: 'GET', url: webhooksPath(), headers: authOf(caller) })
  return res.json().webhooks.length
}

t.test('a 429 fault answers Twilio\'s envelope with Retry-After, once, and stores nothing', async (t) => {
  const app = await build(t)
  const fault = await addFault(app, { Operation: 'CreateWebhook', Status: 429, Code: 20429, Message: 'Too many requests', RetryAfter: 3 })
  t.match(fault.id, /^FI[0-9a-f]{32}$/)
  t.match(fault.date_created, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  t.same(fault, {
    id: fault.id,
    target: 'api',
    method: null,
    path: null,
    operation: 'CreateWebhook',
    event_type: null,
    service_sid: null,
    webhook_sid: null,
    status: 429,
    code: 20429,
    message: 'Too many requests',
    retry_after: 3,
    delay_ms: null,
    drop: false,
    duplicate: false,
    times: 1,
    remaining: 1,
    applied: 0,
    probability: 1,
    seed: fault.seed,
    date_created: fault.date_created
  })
  const limited = await createWebhook(app, 'x')
  t.equal(limited.statusCode, 429)
  t.equal(limited.headers['retry-after'], '3')
  t.equal(limited.headers['content-type'], 'application/json')
  t.same(limited.json(), twilioError(429, 20429, 'Too many requests'))
  t.equal(await listCount(app), 0)
  t.equal((await createWebhook(app, 'y')).statusCode, 201, 'Times defaults to 1')
  t.same((await control(app, 'GET', '/faults')).json(), { faults: [] }, 'a used-up fault is removed')
  const journal = (await control(app, 'GET', '/requests?Operation=CreateWebhook')).json().requests
  t.same(journal.map((r: { status: number, error_code: number | null }) => [r.status, r.error_code]), [[429, 20429], [201, null]])
})

t.test('defaults by status: code 20000+status, a message, Retry-After 1 for 429 only', async (t) => {
  const app = await build(t)
  await addFault(app, { Path: '/v2/**', Status: 503, Times: 1 })
  const unavailable = await createWebhook(app, 'x')
  t.same(unavailable.json(), twilioError(503, 20503, 'Service Unavailable (injected fault)'))
  t.equal(unavailable.headers['retry-after'], undefined)
  await addFault(app, { Path: '/v2/**', Status: '429' })
  const limited = await createWebhook(app, 'x')
  t.same(limited.json(), twilioError(429, 20429, 'Too Many Requests (injected fault)'))
  t.equal(limited.headers['retry-after'], '1')
  // Any status with a standard reason phrase gets it; one without gets its number.
  await addFault(app, { Path: '/v2/**', Status: 422 })
  t.same((await createWebhook(app, 'x')).json(), twilioError(422, 20422, 'Unprocessable Entity (injected fault)'))
  await addFault(app, { Path: '/v2/**', Status: 599 })
  t.same((await createWebhook(app, 'x')).json(), twilioError(599, 20599, 'HTTP 599 (injected fault)'))
})

t.test('Times counts matching requests; GET lists remaining and applied; matchers combine', async (t) => {
  const app = await build(t)
  const fault = await addFault(app, { Method: 'post', Path: '/v2/Services/*/Webhooks', Status: 500, Times: 3 })
  t.equal(fault.method, 'POST')
  t.equal((await app.inject({ method: 'GET', url: webhooksPath(), headers: authOf() })).statusCode, 200, 'GET does not match')
  t.equal((await createWebhook(app, 'a')).statusCode, 500)
  const listed = (await control(app, 'GET', '/faults')).json().faults
  t.match(listed, [{ id: fault.id, times: 3, remaining: 2, applied: 1 }])
  t.equal((await createWebhook(app, 'b')).statusCode, 500)
  t.equal((await createWebhook(app, 'c')).statusCode, 500)
  t.equal((await createWebhook(app, 'd')).statusCode, 201)
})

t.test('path patterns: * stays within a segment, ** crosses segments, no * is exact', async (t) => {
  const app = await build(t)
  const sid = (await createWebhook(app, 'a')).json().sid as string
  const instance = `${webhooksPath()}/${sid}`
  const matches = async (path: string, url: string): Promise<boolean> => {
    await control(app, 'DELETE', '/faults')
    await addFault(app, { Path: path, Status: 503 })
    return (await app.inject({ method: 'GET', url, headers: authOf() })).statusCode === 503
  }
  t.equal(await matches('/v2/Services/*/Webhooks', webhooksPath()), true)
  t.equal(await matches('/v2/Services/*/Webhooks', instance), false)
  t.equal(await matches('/v2/Services/*/Webhooks/*', instance), true)
  t.equal(await matches('/v2/**', instance), true)
  t.equal(await matches('/v2/Services/VA*', webhooksPath()), false)
  t.equal(await matches(instance, instance), true)
  t.equal(await matches(webhooksPath(), instance), false)
  t.equal(await matches('/v2/Services/VA0123456789abcdef0123456789abcdef/Web.ooks', webhooksPath()), false, 'a dot is literal')
})

t.test('DelayMs holds the response; the request then runs normally', async (t) => {
  const app = await build(t)
  await addFault(app, { Operation: 'ListWebhook', DelayMs: 300 })
  const started = performance.now()
  const res = await app.inject({ method: 'GET', url: webhooksPath(), headers: authOf() })
  const elapsed = performance.now() - started
  t.equal(res.statusCode, 200)
  t.ok(elapsed >= 290, `took ${Math.round(elapsed)} ms`)
  const fast = performance.now()
  await app.inject({ method: 'GET', url: webhooksPath(), headers: authOf() })
  t.ok(performance.now() - fast < 250, 'only once')
})

t.test('a delay combines with an error', async (t) => {
  const app = await build(t)
  await addFault(app, { Operation: 'CreateWebhook', DelayMs: 150, Status: 500 })
  const started = performance.now()
  const res = await createWebhook(app, 'x')
  t.equal(res.statusCode, 500)
  t.ok(performance.now() - started >= 140)
})

t.test('Drop=true closes the connection without a response, and is journaled as dropped', async (t) => {
  const app = await build(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  await addFault(app, { Operation: 'CreateWebhook', Drop: 'true' })
  const url = `http://127.0.0.1:${port}${webhooksPath()}`
  const init = { method: 'POST', headers: { ...authOf(), 'content-type': 'application/x-www-form-urlencoded' }, body: 'FriendlyName=a&EventTypes=*&WebhookUrl=https://e.com' }
  await t.rejects(fetch(url, init), 'the client sees the connection end')
  const again = await fetch(url, init)
  t.equal(again.status, 201)
  const journal = (await control(app, 'GET', '/requests')).json().requests
  t.same(journal.map((r: { status: number | null, dropped: boolean }) => [r.status, r.dropped]), [[null, true], [201, false]])

  await addFault(app, { Operation: 'ListWebhook', Drop: true })
  await t.rejects(app.inject({ method: 'GET', url: webhooksPath(), headers: authOf() }), { code: 'LIGHT_ECONNRESET' }, 'in-process calls reject too')
})

t.test('Probability with a Seed fires the same requests on every run', async (t) => {
  const run = async (seed: number): Promise<number[]> => {
    const app = await build(t)
    await addFault(app, { Operation: 'ListWebhook', Status: 503, Times: 1000, Probability: 0.3, Seed: seed })
    const hits: number[] = []
    for (let i = 0; i < 100; i++) {
      const res = await app.inject({ method: 'GET', url: webhooksPath(), headers: authOf() })
      if (res.statusCode === 503) hits.push(i)
    }
    const [fault] = (await control(app, 'GET', '/faults')).json().faults
    t.equal(fault.applied, hits.length)
    t.equal(fault.remaining, 1000 - hits.length)
    return hits
  }
  const first = await run(42)
  t.same(await run(42), first, 'same seed, same requests')
  t.ok(first.length > 15 && first.length < 45, `about 30% fired (${first.length})`)
  t.not((await run(43)).join(), first.join(), 'another seed, another pattern')
})

t.test('faults apply only to the account that added them', async (t) => {
  const app = await build(t, { accounts: [SECOND_ACCOUNT] })
  await addFault(app, { Path: '/v2/**', Status: 500, Times: 100 })
  t.equal((await createWebhook(app, 'b', B, 'VA' + 'b'.repeat(32))).statusCode, 201)
  t.equal((await createWebhook(app, 'a')).statusCode, 500)
  t.same((await control(app, 'GET', '/faults', undefined, B)).json(), { faults: [] })
  t.equal((await control(app, 'DELETE', '/faults', undefined, B)).statusCode, 204)
  t.equal((await createWebhook(app, 'a')).statusCode, 500, 'B cannot clear A\'s faults')
})

t.test('faults need authentication and do not touch control routes', async (t) => {
  const app = await build(t)
  await addFault(app, { Path: '/**', Status: 500, Times: 10 })
  t.equal((await app.inject({ method: 'GET', url: webhooksPath() })).statusCode, 401, 'auth comes first')
  t.equal((await control(app, 'GET', '/faults')).statusCode, 200)
})

t.test('DELETE /faults/{Id} removes one; DELETE /faults removes all; unknown ids are 404', async (t) => {
  const app = await build(t)
  const first = await addFault(app, { Operation: 'CreateWebhook', Status: 500 })
  const second = await addFault(app, { Operation: 'ListWebhook', Status: 500 })
  t.equal((await control(app, 'DELETE', `/faults/${first.id}`)).statusCode, 204)
  t.same((await control(app, 'GET', '/faults')).json().faults.map((f: { id: string }) => f.id), [second.id])
  const again = await control(app, 'DELETE', `/faults/${first.id}`)
  t.same(again.json(), twilioError(404, 20404, `The requested resource /__emulator/faults/${first.id} was not found`))
  t.equal((await control(app, 'DELETE', '/faults/nope')).statusCode, 404)
  t.equal((await control(app, 'DELETE', '/faults')).statusCode, 204)
  t.same((await control(app, 'GET', '/faults')).json(), { faults: [] })
  t.equal((await createWebhook(app, 'x')).statusCode, 201)
  t.equal((await control(app, 'PUT', '/faults', {})).statusCode, 405)
})

t.test('form bodies work as JSON bodies do', async (t) => {
  const app = await build(t)
  const res = await app.inject({
    method: 'POST',
    url: '/__emulator/faults',
    headers: { ...authOf(), 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'Operation=FetchService&Status=404&Times=2&Probability=0.5&Seed=7&DelayMs=10'
  })
  t.equal(res.statusCode, 201)
  t.match(res.json(), { operation: 'FetchService', status: 404, code: 20404, times: 2, probability: 0.5, seed: 7, delay_ms: 10 })
})

t.test('every bad parameter is a Twilio 400 naming it, and adds nothing', async (t) => {
  const app = await build(t)
  const cases: Array<[Record<string, unknown>, string, number]> = [
    [{ Status: 500 }, 'Path', 60200],
    [{ Operation: 'CreateWebhook' }, 'Status, DelayMs or Drop=true', 20001],
    [{ Operation: 'MakeWebhook', Status: 500 }, 'Operation', 60200],
    [{ Method: 'FETCH', Status: 500 }, 'Method', 60200],
    [{ Path: 'v2/Services', Status: 500 }, 'Path', 60200],
    [{ Path: '/v2?x=1', Status: 500 }, 'Path', 60200],
    [{ Path: '/v2/**', Status: 200 }, 'Status', 60200],
    [{ Path: '/v2/**', Status: 600 }, 'Status', 60200],
    [{ Path: '/v2/**', Status: '5xx' }, 'Status', 60200],
    [{ Path: '/v2/**', Status: 500, Code: 1 }, 'Code', 60200],
    [{ Path: '/v2/**', Code: 20500 }, 'Code', 60200],
    [{ Path: '/v2/**', Message: 'x', DelayMs: 1 }, 'Message', 60200],
    [{ Path: '/v2/**', Status: 429, RetryAfter: -1 }, 'RetryAfter', 60200],
    [{ Path: '/v2/**', DelayMs: 120_001 }, 'DelayMs', 60200],
    [{ Path: '/v2/**', DelayMs: 1.5 }, 'DelayMs', 60200],
    [{ Path: '/v2/**', Drop: 'yes' }, 'Drop', 60200],
    [{ Path: '/v2/**', Drop: true, Status: 500 }, 'Drop', 60200],
    [{ Path: '/v2/**', Status: 500, Times: 0 }, 'Times', 60200],
    [{ Path: '/v2/**', Status: 500, Probability: 1.5 }, 'Probability', 60200],
    [{ Path: '/v2/**', Status: 500, Probability: 'half' }, 'Probability', 60200],
    [{ Path: '/v2/**', Status: 500, Seed: -1 }, 'Seed', 60200],
    [{ Path: '/v2/**', Status: 500, Target: 'sms' }, 'Target', 60200],
    [{ Path: '/v2/**', Status: 500, Duplicate: true }, 'Duplicate', 60200],
    [{ Path: '/v2/**', Status: 500, EventType: 'factor.created' }, 'EventType', 60200],
    [{ Target: 'delivery', Path: '/x', Status: 500 }, 'Path', 60200],
    [{ Target: 'delivery', Status: 500, RetryAfter: 1 }, 'RetryAfter', 60200],
    [{ Target: 'delivery', EventType: 'factor.exploded', Status: 500 }, 'EventType', 60200],
    [{ Target: 'delivery', WebhookSid: 'YW1', Status: 500 }, 'WebhookSid', 60200],
    [{ Target: 'delivery', ServiceSid: 'VA1', Status: 500 }, 'ServiceSid', 60200],
    [{ Target: 'delivery', Drop: true, Duplicate: true }, 'Duplicate', 60200],
    [{ Target: 'delivery' }, 'Status, DelayMs, Drop=true or Duplicate=true', 20001],
    [{ Path: '/v2/**', Status: 500, Tims: 2 }, 'Tims', 60200],
    [{ Path: ['/a', '/b'], Status: 500 }, 'Path', 60200],
    [{ Path: '/v2/**', Status: { code: 500 } }, 'Status', 60200]
  ]
  for (const [body, name, code] of cases) {
    const res = await control(app, 'POST', '/faults', body)
    const label = JSON.stringify(body)
    t.equal(res.statusCode, 400, label)
    t.equal(res.headers['content-type'], 'application/json', label)
    t.equal(res.json().code, code, label)
    t.ok((res.json().message as string).includes(name), `${label}: ${res.json().message as string}`)
  }
  const notJson = await app.inject({ method: 'POST', url: '/__emulator/faults', headers: { ...authOf(), 'content-type': 'application/json' }, payload: '{"Path":' })
  t.same(notJson.json(), twilioError(400, 20001, 'Invalid request body'))
  const array = await control(app, 'POST', '/faults', [1, 2])
  t.equal(array.statusCode, 400)
  t.same((await control(app, 'GET', '/faults')).json(), { faults: [] })
})

t.test('delivery faults: answer 5xx, duplicate, drop and delay, for the matching deliveries only', async (t) => {
  const app = await build(t, { accounts: [SECOND_ACCOUNT] })
  const receiver = await startReceiver(t)
  const factorHook = await createEventWebhook(app, { url: receiver.url('/factor'), eventTypes: ['factor.created'] })
  await createEventWebhook(app, { url: receiver.url('/challenge'), eventTypes: ['challenge.approved'] })

  const answer = await addFault(app, { Target: 'delivery', EventType: 'factor.created', Status: 503 })
  t.match(answer, { target: 'delivery', event_type: 'factor.created', status: 503, code: null, message: null })
  await trigger(app, { Type: 'factor.created' })
  const failed = (await deliveries(app, { WaitFor: '1', Timeout: '5000' })).body.deliveries
  t.match(failed, [{ status: 'failed', webhook_sid: factorHook, attempts: [{ response_status: 503, fault: { status: 503 } }] }])
  t.equal(receiver.requests.length, 0, 'an injected answer sends nothing')

  await addFault(app, { Target: 'delivery', WebhookSid: factorHook, Duplicate: true })
  await trigger(app, { Type: 'factor.created' })
  await receiver.received(2)
  const [first, second] = receiver.requests
  t.equal(first?.path, '/factor')
  t.equal(second?.headers['i-twilio-idempotency-token'], first?.headers['i-twilio-idempotency-token'], 'the same delivery, twice')
  t.equal(second?.body, first?.body)

  await addFault(app, { Target: 'delivery', Drop: true, ServiceSid: SERVICE_SID })
  await trigger(app, { Type: 'challenge.approved' })
  const dropped = (await deliveries(app, { Type: 'challenge.approved', WaitFor: '1', Timeout: '5000' })).body.deliveries
  t.match(dropped, [{ status: 'failed', attempts: [{ response_status: null, fault: { drop: true } }] }])

  await addFault(app, { Target: 'delivery', DelayMs: 300 })
  const started = Date.now()
  await trigger(app, { Type: 'challenge.approved' })
  await receiver.received(3)
  t.ok(Date.now() - started >= 290, 'delayed')
  t.equal(receiver.requests[2]?.path, '/challenge')
  t.same((await control(app, 'GET', '/faults')).json(), { faults: [] }, 'each fault fired once')

  // Account B's deliveries never see A's faults, and A's API requests never see delivery faults.
  await addFault(app, { Target: 'delivery', Status: 500, Times: 10 })
  t.equal((await createWebhook(app, 'api')).statusCode, 201)
  const otherService = 'VA' + 'b'.repeat(32)
  await createEventWebhook(app, { url: receiver.url('/b'), eventTypes: ['*'], serviceSid: otherService, auth: authOf(B).authorization })
  await trigger(app, { Type: 'factor.verified', ServiceSid: otherService }, authOf(B).authorization)
  await receiver.received(4)
  t.equal(receiver.requests[3]?.path, '/b')
})

t.test('a fault applies to the first request of a credential not seen before (auth checked in full, then faults)', async (t) => {
  const key = { sid: 'SK' + 'c'.repeat(32), secret: 'key-secret' }
  const app = await build(t, { accounts: [{ sid: A.sid, authToken: A.token, apiKeys: [key] }] })
  await addFault(app, { Operation: 'ListWebhook', Status: 503, Message: 'Down for a test' })
  const byKey = { sid: key.sid, token: key.secret }
  const first = await app.inject({ method: 'GET', url: webhooksPath(), headers: authOf(byKey) })
  t.equal(first.statusCode, 503)
  t.same(first.json(), twilioError(503, 20503, 'Down for a test'))
  // A wrong secret is still refused before any fault is looked at.
  await addFault(app, { Operation: 'ListWebhook', Status: 503, Message: 'Down for a test' })
  const refused = await app.inject({ method: 'GET', url: webhooksPath(), headers: authOf({ sid: key.sid, token: 'wrong' }) })
  t.equal(refused.statusCode, 401)
  t.equal((await app.inject({ method: 'GET', url: webhooksPath(), headers: authOf(byKey) })).statusCode, 503)
})
