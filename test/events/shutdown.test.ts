// Shutdown: app.close() never hangs on deliveries. In-flight attempts finish or are cut at the grace
// deadline (DELIVERY_TIMEOUT_MS), queued and retry-waiting ones are cancelled, new ones are refused.
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { DeliveryLog } from '../../src/events/delivery-log.js'
import { DeliveryDispatcher } from '../../src/events/dispatcher.js'
import type { VerifyEvent } from '../../src/events/event.js'
import { newSid } from '../../src/sid.js'
import type { WebhookRecord } from '../../src/store/records.js'
import { ACCOUNT_SID, SERVICE_SID } from '../helper.js'
import { createWebhook, startReceiver, trigger } from './receiver.js'

function factorEvent (): VerifyEvent {
  return {
    uuid: '00000000-0000-4000-8000-000000000000',
    type: 'factor.created',
    accountSid: ACCOUNT_SID,
    serviceSid: SERVICE_SID,
    entityIdentity: 'user',
    factorSid: 'YF' + '0'.repeat(32),
    factorType: 'push',
    factorFriendlyName: 'phone',
    factorMetadata: '{}',
    challenge: undefined,
    sentAt: '2026-11-28T10:00:00Z'
  }
}

function webhook (url: string): WebhookRecord {
  return {
    seq: 0,
    sid: 'YW' + '0'.repeat(32),
    accountSid: ACCOUNT_SID,
    serviceSid: SERVICE_SID,
    friendlyName: 'w',
    eventTypes: ['*'],
    webhookUrl: url,
    status: 'enabled',
    version: 'v2',
    dateCreated: 0,
    dateUpdated: 0
  }
}

t.test('close() with a hanging receiver resolves within the grace period; queued deliveries are cancelled', async (t) => {
  // The grace (= attempt timeout) leaves a slow CI box ample time to call close() while the first attempt runs.
  const app = await buildApp({ logger: false, deliveryTimeoutMs: 1500, deliveryConcurrency: 1 })
  const receiver = await startReceiver(t, () => 'hang')
  for (let i = 0; i < 3; i++) await createWebhook(app, { url: receiver.url(`/h${i}`) })
  await trigger(app, { Type: 'factor.created' })
  await receiver.received(1)

  const started = performance.now()
  await app.close()
  const elapsed = performance.now() - started
  t.ok(elapsed <= 1500 + 1000, `closed in ${Math.round(elapsed)} ms (grace 1500 ms)`)

  const { deliveries } = app.emulator.deliveries.log.list(ACCOUNT_SID, {})
  t.same(deliveries.map((d) => d.status), ['failed', 'cancelled', 'cancelled'])
  t.match(deliveries[0]?.attempts[0]?.error?.message, /^Failed to invoke the webhook: no complete response within 1500 ms$/)
  t.same(deliveries.slice(1).map((d) => [d.attempts.length, d.cancelReason]), [[0, 'the emulator is shutting down'], [0, 'the emulator is shutting down']])
  t.equal(receiver.requests.length, 1, 'nothing new was sent after close()')
  t.equal(app.emulator.deliveries.pending, 0)
})

t.test('an attempt still running at the grace deadline is cut and its delivery cancelled', async (t) => {
  // Through the app the grace equals the attempt timeout, so an attempt's own timeout comes first; a
  // dispatcher with a shorter grace shows the cut itself.
  const log = new DeliveryLog(100)
  const dispatcher = new DeliveryDispatcher({ timeoutMs: 10_000, shutdownGraceMs: 100, retries: 0, backoffMs: 0, concurrency: 4 }, log, Date.now, newSid)
  const receiver = await startReceiver(t, () => 'hang')
  const [record] = dispatcher.dispatch(factorEvent(), [webhook(receiver.url())], 'token')
  await receiver.received(1)
  const started = performance.now()
  await dispatcher.close()
  const elapsed = performance.now() - started
  t.ok(elapsed >= 95 && elapsed < 3000, `closed in ${Math.round(elapsed)} ms (grace 100 ms)`)
  t.equal(record?.status, 'cancelled')
  t.equal(record?.cancelReason, 'cut off at the shutdown grace deadline')
  t.match(record?.attempts, [{ responseStatus: null, error: { code: 60330, message: 'Failed to invoke the webhook: cut off: the emulator is shutting down' } }])
  t.equal(dispatcher.pending, 0)
})

t.test('a delivery waiting for a retry is cancelled at close(), which does not wait for the backoff', async (t) => {
  const app = await buildApp({ logger: false, deliveryRetries: 3, deliveryBackoffMs: 60_000 })
  const receiver = await startReceiver(t)
  await createWebhook(app, { url: receiver.url() })
  // The first attempt fails at once (a dropped connection), so the retry is scheduled 60 s away.
  app.emulator.deliveries.beforeAttempt = () => ({ drop: true })
  await trigger(app, { Type: 'factor.created' })
  const [pending] = app.emulator.deliveries.log.list(ACCOUNT_SID, {}).deliveries
  t.equal(pending?.status, 'queued')
  t.equal(pending?.attempts.length, 1)
  t.ok(pending?.nextAttemptAt !== null && (pending?.nextAttemptAt ?? 0) >= Date.now() + 50_000, 'retry due in about 60 s')

  const started = performance.now()
  await app.close()
  t.ok(performance.now() - started < 3000)
  t.equal(pending?.status, 'cancelled')
  t.equal(pending?.cancelReason, 'the emulator is shutting down')
  t.equal(pending?.attempts.length, 1)
  t.equal(app.emulator.deliveries.pending, 0)
  t.equal(receiver.requests.length, 0)
})

t.test('events dispatched after shutdown began are cancelled at once', async (t) => {
  const app = await buildApp({ logger: false })
  const receiver = await startReceiver(t)
  await app.close()
  const records = app.emulator.deliveries.dispatch(factorEvent(), [webhook(receiver.url())], 'token')
  t.same(records.map((r) => [r.status, r.cancelReason]), [['cancelled', 'the emulator is shutting down']])
  t.equal(receiver.requests.length, 0)
})
