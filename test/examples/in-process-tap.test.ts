// In-process emulator in a tap test: register a webhook with twilio-node, receive a signed event,
// and check how the code copes with an injected 429.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import twilio from 'twilio'
import { startEmulator } from 'verify-webhooks-emulator'

const SERVICE_SID = 'VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'

const emulator = await startEmulator({ port: 0 })
t.teardown(() => emulator.close())
const client = emulator.twilioClient(twilio)

// The handler under test: it records every Verify event it is sent.
const received: Array<{ signature: string, params: Record<string, string> }> = []
const handler = createServer((req, res) => {
  let body = ''
  req.on('data', (chunk: Buffer) => { body += chunk.toString() })
  req.on('end', () => {
    received.push({ signature: String(req.headers['x-twilio-signature']), params: Object.fromEntries(new URLSearchParams(body)) })
    res.end('ok')
  })
})
await new Promise<void>((resolve) => handler.listen(0, '127.0.0.1', resolve))
t.teardown(() => { handler.close() })
const handlerUrl = `http://127.0.0.1:${(handler.address() as AddressInfo).port}/verify-events`

// Every test starts from the same state: no webhooks, no faults, empty journal and delivery log.
t.beforeEach(async () => {
  await emulator.reset()
  received.length = 0
})

t.test('a registered webhook receives signed events', async (t) => {
  await client.verify.v2.services(SERVICE_SID).webhooks.create({
    friendlyName: 'my app',
    eventTypes: ['factor.verified'],
    webhookUrl: handlerUrl
  })
  await emulator.triggerEvent({ serviceSid: SERVICE_SID, type: 'factor.verified', entityIdentity: 'user-42' })

  const { deliveries } = await emulator.waitForDeliveries(1)
  t.equal(deliveries[0]?.status, 'succeeded')
  const [event] = received
  t.equal(event?.params.type, 'factor.verified')
  t.equal(event?.params.entity_identity, 'user-42')
  t.ok(twilio.validateRequest(emulator.authToken, event?.signature ?? '', handlerUrl, event?.params ?? {}), 'the signature verifies')
})

t.test('a 429 from Twilio is reported, and the retry goes through', async (t) => {
  await emulator.addFault({ operation: 'CreateWebhook', status: 429 })
  const create = async () => await client.verify.v2.services(SERVICE_SID).webhooks.create({
    friendlyName: 'my app',
    eventTypes: ['*'],
    webhookUrl: handlerUrl
  })
  await t.rejects(create(), { status: 429, code: 20429 })
  await create()

  const { requests } = await emulator.requests({ operation: 'CreateWebhook' })
  t.same(requests.map((request) => request.status), [429, 201])
})
