// Volume: 200 events to 5 webhooks are exactly 1,000 deliveries, none lost or duplicated.
import t from 'tap'
import twilio from 'twilio'
import { AUTH_TOKEN, build } from '../helper.js'
import { createWebhook, deliveries, startReceiver, trigger } from './receiver.js'

const EVENTS = 200
const WEBHOOKS = 5

t.test(`${EVENTS} events to ${WEBHOOKS} webhooks: ${EVENTS * WEBHOOKS} deliveries, each exactly once, all signed`, async (t) => {
  // A generous attempt timeout: this test is about counts, and a loaded CI box can be slow.
  const app = await build(t, { deliveryTimeoutMs: 60_000 })
  const receiver = await startReceiver(t)
  const webhookSids: string[] = []
  for (let i = 0; i < WEBHOOKS; i++) webhookSids.push(await createWebhook(app, { url: receiver.url(`/hook-${i}`) }))

  const started = performance.now()
  const uuids = new Set<string>()
  const types = ['factor.created', 'factor.verified', 'factor.deleted', 'challenge.approved', 'challenge.denied']
  const responses = await Promise.all(Array.from({ length: EVENTS }, async (_, i) => await trigger(app, { Type: types[i % types.length] as string })))
  for (const res of responses) {
    t.equal(res.statusCode, 201)
    t.equal(res.body.deliveries.length, WEBHOOKS)
    uuids.add(res.body.uuid)
  }
  t.equal(uuids.size, EVENTS, 'distinct event uuids')

  const log = await deliveries(app, { WaitFor: String(EVENTS * WEBHOOKS), Timeout: '60000' })
  const elapsed = performance.now() - started
  t.equal(log.statusCode, 200)
  const list = log.body.deliveries as Array<{ sid: string, status: string, webhook_sid: string, event: { uuid: string }, attempts: Array<{ error: { message: string } | null }> }>
  t.equal(list.length, EVENTS * WEBHOOKS)
  t.equal(log.body.dropped, 0)
  t.same(list.filter((d) => d.status !== 'succeeded').map((d) => d.attempts.map((a) => a.error?.message)), [], 'all succeeded')
  t.equal(new Set(list.map((d) => `${d.event.uuid} ${d.webhook_sid}`)).size, EVENTS * WEBHOOKS, 'distinct (event, webhook) pairs in the log')
  t.equal(new Set(list.map((d) => d.sid)).size, EVENTS * WEBHOOKS, 'distinct delivery SIDs')

  // The receiver saw each (event, webhook) pair exactly once, every one validly signed.
  t.equal(receiver.requests.length, EVENTS * WEBHOOKS)
  const received = new Set(receiver.requests.map((r) => `${r.params.uuid ?? ''} ${r.path}`))
  t.equal(received.size, EVENTS * WEBHOOKS, 'no duplicates received')
  for (const uuid of uuids) for (let i = 0; i < WEBHOOKS; i++) if (!received.has(`${uuid} /hook-${i}`)) t.fail(`missing ${uuid} /hook-${i}`)
  const invalid = receiver.requests.filter((r) => !twilio.validateRequest(AUTH_TOKEN, r.headers['x-twilio-signature'] as string, receiver.url(r.path), r.params))
  t.equal(invalid.length, 0, 'every signature valid')
  t.equal(app.emulator.deliveries.pending, 0)
  t.comment(`${EVENTS * WEBHOOKS} deliveries triggered and completed in ${Math.round(elapsed)} ms`)
})
