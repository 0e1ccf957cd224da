// In-process emulator in a node:test suite (tap runs this file too and reads its TAP output): seed a
// state, drop a connection, and check the request journal.
import assert from 'node:assert/strict'
import { after, before, beforeEach, test } from 'node:test'
import twilio from 'twilio'
import { startEmulator, type RunningEmulator } from 'verify-webhooks-emulator'

const SERVICE_SID = 'VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
let emulator: RunningEmulator

before(async () => {
  emulator = await startEmulator({
    port: 0,
    seed: {
      accounts: [{
        sid: 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        services: [{ sid: SERVICE_SID, friendly_name: 'Owl Bank' }]
      }]
    }
  })
})
after(async () => { await emulator.close() })
beforeEach(async () => { await emulator.reset() })

test('lists the webhooks a state document holds', async () => {
  await emulator.putState({
    accounts: [{
      sid: emulator.accountSid,
      services: [{
        sid: SERVICE_SID,
        friendly_name: 'Owl Bank',
        webhooks: [{ sid: 'YWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', friendly_name: 'seeded', event_types: ['*'], webhook_url: 'http://127.0.0.1:3000/hook' }]
      }]
    }]
  })
  const client = twilio(emulator.accountSid, emulator.authToken, { httpClient: emulator.httpClient as never })
  const webhooks = await client.verify.v2.services(SERVICE_SID).webhooks.list()
  assert.deepEqual(webhooks.map((webhook) => webhook.friendlyName), ['seeded'])
})

test('a dropped connection surfaces as a network error', async () => {
  await emulator.addFault({ operation: 'ListWebhook', drop: true })
  const client = emulator.twilioClient(twilio)
  await assert.rejects(client.verify.v2.services(SERVICE_SID).webhooks.list())

  const { requests } = await emulator.requests({ operation: 'ListWebhook' })
  assert.equal(requests[0]?.dropped, true)
})
