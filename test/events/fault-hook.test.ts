// The dispatcher's beforeAttempt hook: the point where fault injection plugs in.
import t from 'tap'
import type { AttemptFault } from '../../src/events/attempt-hook.js'
import { build } from '../helper.js'
import { createWebhook, deliveries, startReceiver, trigger } from './receiver.js'

interface Attempt { attempt: number, started_at: string, response_status: number | null, error: { code: number, message: string } | null, fault: AttemptFault | null }
interface Delivery { webhook_sid: string, status: string, attempts: Attempt[], date_created: string, next_attempt_at: string | null }

t.test('the hook sees every attempt with its number; drop fails it without sending, the retry goes through', async (t) => {
  const app = await build(t, { deliveryRetries: 2, deliveryBackoffMs: 10 })
  const receiver = await startReceiver(t)
  await createWebhook(app, { url: receiver.url() })
  const calls: Array<[string, number, string]> = []
  app.emulator.deliveries.beforeAttempt = (delivery, attemptNumber) => {
    calls.push([delivery.webhookSid, attemptNumber, delivery.status])
    return attemptNumber === 1 ? { drop: true } : undefined
  }
  await trigger(app, { Type: 'factor.created' })
  const [delivery] = (await deliveries(app, { WaitFor: '1', Timeout: '30000' })).body.deliveries as Delivery[]
  t.equal(delivery?.status, 'succeeded')
  t.same(calls.map(([, n]) => n), [1, 2])
  t.match(delivery?.attempts, [
    { attempt: 1, response_status: null, error: { code: 60330, message: 'Failed to invoke the webhook: connection dropped (injected fault)' }, fault: { drop: true } },
    { attempt: 2, response_status: 200, error: null, fault: null }
  ])
  t.equal(receiver.requests.length, 1, 'the dropped attempt sent nothing')
})

t.test('status pretends the receiver answered it (nothing is sent); 200 counts as success', async (t) => {
  const app = await build(t)
  const receiver = await startReceiver(t)
  const failing = await createWebhook(app, { url: receiver.url('/fail') })
  const passing = await createWebhook(app, { url: receiver.url('/pass') })
  app.emulator.deliveries.beforeAttempt = (delivery) => ({ status: delivery.webhookSid === failing ? 502 : 200 })
  await trigger(app, { Type: 'factor.created' })
  const list = (await deliveries(app, { WaitFor: '2', Timeout: '30000' })).body.deliveries as Delivery[]
  const fail = list.find((d) => d.webhook_sid === failing)
  const pass = list.find((d) => d.webhook_sid === passing)
  t.equal(fail?.status, 'failed')
  t.match(fail?.attempts, [{ response_status: 502, error: { code: 60330, message: 'Failed to invoke the webhook: injected answer HTTP 502' }, fault: { status: 502 } }])
  t.equal(pass?.status, 'succeeded')
  t.match(pass?.attempts, [{ response_status: 200, error: null, fault: { status: 200 } }])
  t.equal(receiver.requests.length, 0)
})

t.test('duplicate sends the identical request twice; the delivery has one attempt', async (t) => {
  const app = await build(t)
  const receiver = await startReceiver(t)
  await createWebhook(app, { url: receiver.url() })
  app.emulator.deliveries.beforeAttempt = () => ({ duplicate: true })
  await trigger(app, { Type: 'challenge.approved' })
  const [delivery] = (await deliveries(app, { WaitFor: '1', Timeout: '30000' })).body.deliveries as Delivery[]
  t.equal(delivery?.status, 'succeeded')
  t.equal(delivery?.attempts.length, 1)
  const [first, second] = await receiver.received(2)
  t.equal(receiver.requests.length, 2)
  t.equal(first?.body, second?.body)
  t.equal(first?.headers['x-twilio-signature'], second?.headers['x-twilio-signature'])
  t.equal(first?.headers['i-twilio-idempotency-token'], second?.headers['i-twilio-idempotency-token'])
})

t.test('delayMs holds one delivery back without holding up the others', async (t) => {
  const app = await build(t, { deliveryConcurrency: 1, deliveryTimeoutMs: 30_000 })
  // /prompt holds the only slot until released.
  const receiver = await startReceiver(t, (request) => (request.path === '/prompt' ? 'hang' : {}))
  const slow = await createWebhook(app, { url: receiver.url('/slow') })
  await createWebhook(app, { url: receiver.url('/prompt') })
  app.emulator.deliveries.beforeAttempt = (delivery) => (delivery.webhookSid === slow ? { delayMs: 150 } : undefined)
  await trigger(app, { Type: 'factor.created' })
  const [first] = await receiver.received(1)
  t.equal(first?.path, '/prompt', 'the delayed delivery did not take the only slot')
  const waiting = (await deliveries(app, { WebhookSid: slow })).body.deliveries[0] as Delivery
  t.equal(waiting.status, 'queued', 'delayed, then waiting for the slot')
  receiver.release()
  const list = (await deliveries(app, { WaitFor: '2', Timeout: '30000' })).body.deliveries as Delivery[]
  const delayed = list.find((d) => d.webhook_sid === slow)
  t.equal(delayed?.status, 'succeeded')
  const delay = Date.parse(delayed?.attempts[0]?.started_at ?? '') - Date.parse(delayed?.date_created ?? '')
  t.ok(delay >= 149, `started ${delay} ms after creation`)
  t.same(delayed?.attempts[0]?.fault, { delayMs: 150 })
})

t.test('a hook that throws fails that attempt with the error; clearing the hook restores normal delivery', async (t) => {
  const app = await build(t)
  const receiver = await startReceiver(t)
  await createWebhook(app, { url: receiver.url() })
  app.emulator.deliveries.beforeAttempt = () => { throw new Error('bad fault spec') }
  await trigger(app, { Type: 'factor.created' })
  const [broken] = (await deliveries(app, { WaitFor: '1', Timeout: '30000' })).body.deliveries as Delivery[]
  t.equal(broken?.status, 'failed')
  t.equal(broken?.attempts[0]?.error?.message, 'Failed to invoke the webhook: the beforeAttempt hook threw: bad fault spec')
  t.equal(receiver.requests.length, 0)

  app.emulator.deliveries.beforeAttempt = undefined
  await trigger(app, { Type: 'factor.created' })
  const list = (await deliveries(app, { WaitFor: '2', Timeout: '30000' })).body.deliveries as Delivery[]
  t.equal(list[1]?.status, 'succeeded')
  t.equal(receiver.requests.length, 1)
})
