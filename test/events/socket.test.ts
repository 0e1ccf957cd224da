// The full round trip over real sockets: the emulator listening on a port, the webhook registered with
// twilio-node, the event triggered and the log read with fetch, the receiver validating the signature.
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import twilio from 'twilio'
import { buildApp } from '../../src/app.js'
import { ACCOUNT_SID, AUTH_TOKEN, basicAuth, SERVICE_SID } from '../helper.js'
import { startReceiver } from './receiver.js'

async function listening (t: Test): Promise<{ app: FastifyInstance, base: string, close: () => Promise<void> }> {
  const app = await buildApp({ logger: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  t.teardown(() => app.close())
  return { app, base: `http://127.0.0.1:${port}`, close: async () => { await app.close() } }
}

t.test('register with twilio-node, trigger with fetch, receive a valid signature, read the log', async (t) => {
  const { base } = await listening(t)
  const receiver = await startReceiver(t)
  const client = twilio(ACCOUNT_SID, AUTH_TOKEN)
  client.verify.baseUrl = base
  const webhook = await client.verify.v2.services(SERVICE_SID).webhooks.create({
    friendlyName: 'round trip',
    eventTypes: ['challenge.approved'],
    webhookUrl: receiver.url('/verify-events?env=test')
  })

  const triggered = await fetch(`${base}/__emulator/events`, {
    method: 'POST',
    headers: { authorization: basicAuth(), 'content-type': 'application/json' },
    body: JSON.stringify({ ServiceSid: SERVICE_SID, Type: 'challenge.approved', EntityIdentity: 'user-42', ChallengeDetails: { message: 'Log in?', fields: [] } })
  })
  t.equal(triggered.status, 201)
  t.equal(triggered.headers.get('content-type'), 'application/json')
  const event = await triggered.json() as { uuid: string, deliveries: Array<{ webhook_sid: string, status: string }> }
  t.same(event.deliveries.map((d) => [d.webhook_sid, d.status]), [[webhook.sid, 'queued']])

  const [request] = await receiver.received(1)
  t.equal(request?.params.uuid, event.uuid)
  t.equal(request?.params.challenge_details, '{"message":"Log in?","fields":[]}')
  t.ok(twilio.validateRequest(AUTH_TOKEN, request?.headers['x-twilio-signature'] as string, webhook.webhookUrl, request?.params ?? {}))

  const log = await fetch(`${base}/__emulator/deliveries?WaitFor=1&Timeout=30000&WebhookSid=${webhook.sid}`, { headers: { authorization: basicAuth() } })
  t.equal(log.status, 200)
  const body = await log.json() as { deliveries: Array<{ status: string, attempts: unknown[] }>, dropped: number }
  t.equal(body.dropped, 0)
  t.same(body.deliveries.map((d) => [d.status, d.attempts.length]), [['succeeded', 1]])
})

t.test('a wait still open at close() is answered 503 and close() does not wait for its Timeout', async (t) => {
  const { app, base, close } = await listening(t)
  // Know when the wait has started, without polling: wrap the log's waitFor.
  const log = app.emulator.deliveries.log
  const waitFor = log.waitFor.bind(log)
  let started!: () => void
  const waitStarted = new Promise<void>((resolve) => { started = resolve })
  log.waitFor = async (...args) => {
    const outcome = waitFor(...args)
    started()
    return await outcome
  }
  const waiting = fetch(`${base}/__emulator/deliveries?WaitFor=1&Timeout=60000`, { headers: { authorization: basicAuth() } })
  await waitStarted
  const closing = performance.now()
  await close()
  const elapsed = performance.now() - closing
  const res = await waiting
  t.equal(res.status, 503)
  t.equal((await res.json() as { code: number }).code, 20503)
  t.ok(elapsed < 5000, `closed in ${Math.round(elapsed)} ms`)
})
