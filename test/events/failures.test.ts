// Failed deliveries (60330): error answers, redirects, hangs, refused connections; they never hold up
// the others. Retries with a doubling backoff when configured; bounded concurrency; capped bodies.
import t from 'tap'
import { build } from '../helper.js'
import { createWebhook, deliveries, refusedUrl, startReceiver, trigger, type ReceivedRequest } from './receiver.js'

interface Attempt { attempt: number, started_at: string, duration_ms: number, response_status: number | null, response_body: string | null, response_body_truncated: boolean, error: { code: number, message: string } | null }
interface Delivery { sid: string, webhook_sid: string, url: string, status: string, attempts: Attempt[], event: { uuid: string, type: string }, date_finished: string }

function byWebhook (list: Delivery[], sid: string): Delivery {
  const found = list.find((d) => d.webhook_sid === sid)
  if (found === undefined) throw new Error(`no delivery for ${sid}`)
  return found
}

t.test('500, redirect, hang and refused receivers fail with 60330; healthy ones succeed unaffected', async (t) => {
  const app = await build(t, { deliveryTimeoutMs: 1500 })
  const receiver = await startReceiver(t, (request: ReceivedRequest) => {
    if (request.path === '/error') return { status: 500, body: 'boom' }
    if (request.path === '/redirect') return { status: 302, headers: { location: '/ok' } }
    if (request.path === '/created') return { status: 201 }
    if (request.path === '/hang') return 'hang'
    return { status: 200, body: 'thanks' }
  })
  const ok = await createWebhook(app, { url: receiver.url('/ok') })
  const error = await createWebhook(app, { url: receiver.url('/error') })
  const redirect = await createWebhook(app, { url: receiver.url('/redirect') })
  const created = await createWebhook(app, { url: receiver.url('/created') })
  const hang = await createWebhook(app, { url: receiver.url('/hang') })
  const refused = await createWebhook(app, { url: await refusedUrl() })
  const ok2 = await createWebhook(app, { url: receiver.url('/ok?second') })
  // Warm up fetch (its first call loads undici), so a slow CI box does not time out the healthy receivers.
  await (await fetch(receiver.url('/warm-up'), { method: 'POST' })).text()

  const res = await trigger(app, { Type: 'factor.verified' })
  t.equal(res.statusCode, 201)
  const atResponse = (await deliveries(app, { WebhookSid: hang })).body.deliveries[0] as Delivery
  t.not(atResponse.status, 'failed', 'the API answered before the hanging receiver timed out')

  const log = await deliveries(app, { WaitFor: '7', Timeout: '30000' })
  t.equal(log.statusCode, 200)
  const list = log.body.deliveries as Delivery[]

  for (const sid of [ok, ok2]) {
    const d = byWebhook(list, sid)
    t.equal(d.status, 'succeeded')
    t.match(d.attempts, [{ attempt: 1, response_status: 200, response_body: 'thanks', response_body_truncated: false, error: null }])
    // Healthy receivers are not held up by the hanging one (1500 ms timeout).
    t.ok(Date.parse(d.date_finished) < Date.parse(byWebhook(list, hang).date_finished), 'finished before the hanging one')
  }
  const expectations: Array<[string, number | null, string | null, RegExp]> = [
    [error, 500, 'boom', /^Failed to invoke the webhook: the receiver answered HTTP 500, not 200$/],
    [redirect, 302, 'ok', /^Failed to invoke the webhook: the receiver answered HTTP 302, not 200 \(redirects are not followed\)$/],
    [created, 201, 'ok', /^Failed to invoke the webhook: the receiver answered HTTP 201, not 200$/],
    [hang, null, null, /^Failed to invoke the webhook: no complete response within 1500 ms$/],
    [refused, null, null, /^Failed to invoke the webhook: connect ECONNREFUSED 127\.0\.0\.1:\d+$/]
  ]
  for (const [sid, status, body, message] of expectations) {
    const d = byWebhook(list, sid)
    t.equal(d.status, 'failed', d.url)
    t.equal(d.attempts.length, 1, 'no retries by default')
    const attempt = d.attempts[0] as Attempt
    t.equal(attempt.response_status, status)
    t.equal(attempt.response_body, body)
    t.equal(attempt.error?.code, 60330)
    t.match(attempt.error?.message, message)
  }
  const hung = byWebhook(list, hang).attempts[0] as Attempt
  t.ok(hung.duration_ms >= 1490 && hung.duration_ms < 10000, `timed out after ${hung.duration_ms} ms`)
  t.equal(receiver.requests.filter((r) => r.path === '/ok').length, 1, 'the redirect to /ok was not followed')
})

t.test('retries: a failing receiver gets 1 + DELIVERY_RETRIES attempts with a doubling backoff', async (t) => {
  const app = await build(t, { deliveryRetries: 3, deliveryBackoffMs: 40 })
  let calls = 0
  // Fails twice, then succeeds.
  const flaky = await startReceiver(t, () => (++calls <= 2 ? { status: 503 } : { status: 200 }))
  const down = await startReceiver(t, () => ({ status: 500 }))
  const flakySid = await createWebhook(app, { url: flaky.url() })
  const downSid = await createWebhook(app, { url: down.url() })
  await trigger(app, { Type: 'factor.created' })
  const log = await deliveries(app, { WaitFor: '2', Timeout: '30000' })
  const list = log.body.deliveries as Delivery[]

  const recovered = byWebhook(list, flakySid)
  t.equal(recovered.status, 'succeeded')
  t.same(recovered.attempts.map((a) => a.response_status), [503, 503, 200])
  const failed = byWebhook(list, downSid)
  t.equal(failed.status, 'failed')
  t.same(failed.attempts.map((a) => a.attempt), [1, 2, 3, 4])
  t.ok(failed.attempts.every((a) => a.error?.code === 60330))

  // Gaps between attempt starts are at least 40, 80, 160 ms (the backoff plus the attempt itself).
  const starts = failed.attempts.map((a) => Date.parse(a.started_at))
  const gaps = starts.slice(1).map((s, i) => s - (starts[i] as number))
  t.ok(gaps[0] as number >= 39 && gaps[1] as number >= 79 && gaps[2] as number >= 159, `gaps ${gaps.join(', ')} ms`)
  t.ok((gaps[2] as number) < 5000, 'no unexpected waiting')

  // Every retry is the same request: same signature, same idempotency token.
  t.equal(down.requests.length, 4)
  t.equal(new Set(down.requests.map((r) => r.headers['i-twilio-idempotency-token'])).size, 1)
  t.equal(new Set(down.requests.map((r) => r.headers['x-twilio-signature'])).size, 1)
  t.equal(new Set(down.requests.map((r) => r.body)).size, 1)
})

t.test('at most DELIVERY_CONCURRENCY attempts are in flight; the rest queue, none is lost', async (t) => {
  const app = await build(t, { deliveryConcurrency: 3, deliveryTimeoutMs: 30_000 })
  // The receiver holds every request until the test releases it.
  const receiver = await startReceiver(t, () => 'hang')
  for (let i = 0; i < 10; i++) await createWebhook(app, { url: receiver.url(`/w${i}`) })
  await trigger(app, { Type: 'factor.created' })

  await receiver.received(3)
  t.equal(app.emulator.deliveries.pending, 10)
  t.equal((await deliveries(app, { Status: 'in-progress' })).body.deliveries.length, 3)
  t.equal((await deliveries(app, { Status: 'queued' })).body.deliveries.length, 7)
  t.equal(receiver.requests.length, 3, 'the other 7 wait for a free slot')

  for (const arrived of [6, 9, 10]) {
    receiver.release()
    await receiver.received(arrived)
  }
  receiver.release()
  const log = await deliveries(app, { WaitFor: '10', Timeout: '30000' })
  t.equal(log.body.deliveries.length, 10)
  t.ok((log.body.deliveries as Delivery[]).every((d) => d.status === 'succeeded'))
  t.equal(receiver.requests.length, 10)
  t.equal(receiver.maxHanging(), 3)
  t.equal(app.emulator.deliveries.pending, 0)
})

t.test('a URL fetch refuses (credentials in it) is a failed delivery, not an error', async (t) => {
  const app = await build(t)
  const receiver = await startReceiver(t)
  const withCredentials = receiver.url('/hook').replace('http://', 'http://user:secret@')
  const sid = await createWebhook(app, { url: withCredentials })
  t.equal((await trigger(app, { Type: 'factor.created' })).statusCode, 201)
  const [delivery] = (await deliveries(app, { WaitFor: '1', Timeout: '30000' })).body.deliveries as Delivery[]
  t.equal(delivery?.webhook_sid, sid)
  t.equal(delivery?.status, 'failed')
  t.equal(delivery?.attempts[0]?.error?.code, 60330)
  t.match(delivery?.attempts[0]?.error?.message, /^Failed to invoke the webhook: .*credentials/)
  t.equal(receiver.requests.length, 0)
})

t.test('response bodies are stored up to 4 KiB and marked truncated', async (t) => {
  const app = await build(t)
  const receiver = await startReceiver(t, (request) => ({ status: 200, body: request.path === '/big' ? 'x'.repeat(100_000) : 'small' }))
  const big = await createWebhook(app, { url: receiver.url('/big') })
  const small = await createWebhook(app, { url: receiver.url('/small') })
  await trigger(app, { Type: 'factor.created' })
  const list = (await deliveries(app, { WaitFor: '2', Timeout: '30000' })).body.deliveries as Delivery[]
  const bigAttempt = byWebhook(list, big).attempts[0] as Attempt
  t.equal(byWebhook(list, big).status, 'succeeded')
  t.equal(bigAttempt.response_body?.length, 4096)
  t.equal(bigAttempt.response_body_truncated, true)
  const smallAttempt = byWebhook(list, small).attempts[0] as Attempt
  t.equal(smallAttempt.response_body, 'small')
  t.equal(smallAttempt.response_body_truncated, false)
})
