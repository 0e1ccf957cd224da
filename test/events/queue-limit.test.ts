// DELIVERY_QUEUE_LIMIT bounds the deliveries waiting or in flight: the excess is cancelled at once,
// with its reason in the log, so a fan-out faster than the receivers answer cannot grow memory.
import t from 'tap'
import { build } from '../helper.js'
import { createWebhook, deliveries, startReceiver, trigger } from './receiver.js'

t.test('deliveries beyond the queue limit are cancelled, the others delivered', async (t) => {
  const app = await build(t, { deliveryQueueLimit: 3, deliveryConcurrency: 1 })
  const receiver = await startReceiver(t)
  const sids: string[] = []
  for (let i = 0; i < 5; i++) sids.push(await createWebhook(app, { url: receiver.url(`/hook${i}`), eventTypes: ['*'] }))

  const res = await trigger(app, { Type: 'factor.created' })
  t.equal(res.statusCode, 201)
  const log = await deliveries(app, { WaitFor: '5', Timeout: '30000' })
  const byWebhook = new Map(log.body.deliveries.map((d: { webhook_sid: string }) => [d.webhook_sid, d]))
  t.same(sids.map((sid) => (byWebhook.get(sid) as { status: string }).status), ['succeeded', 'succeeded', 'succeeded', 'cancelled', 'cancelled'])
  t.match(byWebhook.get(sids[4]), { cancel_reason: 'the delivery queue is full (DELIVERY_QUEUE_LIMIT)' })
  const received = await receiver.received(3)
  t.same(received.map((r) => r.path).sort(), ['/hook0', '/hook1', '/hook2'])

  // Once the queue has drained, new events are delivered again.
  await trigger(app, { Type: 'factor.verified' })
  const again = await deliveries(app, { Type: 'factor.verified', WaitFor: '5', Timeout: '30000' })
  t.equal(again.body.deliveries.filter((d: { status: string }) => d.status === 'succeeded').length, 3)
})
