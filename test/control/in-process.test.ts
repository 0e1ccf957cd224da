// The in-process API: startEmulator's handle, its httpClient with the real twilio package, and every
// control method, typed.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import twilio from 'twilio'
import { EmulatorControlError, EmulatorHttpClient, startEmulator, type RunningEmulator } from '../../src/index.js'
import { SERVICE_SID } from '../helper.js'
import { startReceiver } from '../events/receiver.js'
import { A, ACCOUNT_B, B, NOWHERE_URL } from './harness.js'

async function emulator (t: { teardown: (fn: () => unknown) => void }, options: Parameters<typeof startEmulator>[0] = {}): Promise<RunningEmulator> {
  const running = await startEmulator(options)
  t.teardown(() => running.close())
  return running
}

t.test('the handle: URL on a free loopback port, credentials, and close', async (t) => {
  const running = await startEmulator()
  t.match(running.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.not(running.port, 4010, 'port 0 by default: a free port')
  t.equal(running.accountSid, A.sid)
  t.equal(running.authToken, A.token)
  const health = await fetch(`${running.url}/__emulator/health`)
  t.equal(health.status, 200)
  await running.close()
  await t.rejects(fetch(`${running.url}/__emulator/health`), 'closed')
})

t.test('twilio-node with the httpClient: every Webhook operation, whatever host it addresses', async (t) => {
  const running = await emulator(t)
  // The client addresses verify.twilio.com; the httpClient sends it to the emulator.
  const client = twilio(A.sid, A.token, { httpClient: running.httpClient as never })
  const webhooks = client.verify.v2.services(SERVICE_SID).webhooks
  const created = await webhooks.create({ friendlyName: 'sdk', eventTypes: ['factor.created', 'challenge.approved'], webhookUrl: NOWHERE_URL })
  t.match(created, { friendlyName: 'sdk', eventTypes: ['factor.created', 'challenge.approved'], status: 'enabled', version: 'v2' })
  for (let i = 0; i < 4; i++) await webhooks.create({ friendlyName: `more ${i}`, eventTypes: ['*'], webhookUrl: NOWHERE_URL })
  const listed = await webhooks.list({ pageSize: 2 })
  t.equal(listed.length, 5, 'paging followed through the httpClient (query PageSize, next page URLs)')
  t.equal((await webhooks(created.sid).fetch()).sid, created.sid)
  t.equal((await webhooks(created.sid).update({ friendlyName: 'renamed', eventTypes: ['factor.deleted'] })).friendlyName, 'renamed')
  t.equal(await webhooks(created.sid).remove(), true)
  await t.rejects(webhooks(created.sid).fetch(), { status: 404, code: 20404 }, 'errors are RestExceptions')

  const requests = await running.requests({ operation: 'UpdateWebhook' })
  t.same(requests.requests[0]?.params, { FriendlyName: 'renamed', EventTypes: ['factor.deleted'] }, 'repeated keys for arrays')
})

t.test('twilioClient(twilio) builds a typed client for the default or another account', async (t) => {
  const running = await emulator(t, { accounts: [{ sid: ACCOUNT_B, authToken: B.token }] })
  const client = running.twilioClient(twilio)
  const service = await client.verify.v2.services.create({ friendlyName: 'Mine' })
  t.equal(service.accountSid, A.sid)
  const other = running.twilioClient(twilio, ACCOUNT_B)
  t.same(await other.verify.v2.services.list(), [], 'B sees none of A\'s services')
  t.throws(() => running.twilioClient(twilio, 'AC' + 'd'.repeat(32)), /no account ACd+ is configured/)
})

t.test('injected faults reach twilio-node as Twilio errors', async (t) => {
  const running = await emulator(t)
  const client = running.twilioClient(twilio)
  await running.addFault({ operation: 'CreateWebhook', status: 429, retryAfter: 2 })
  await t.rejects(
    client.verify.v2.services(SERVICE_SID).webhooks.create({ friendlyName: 'x', eventTypes: ['*'], webhookUrl: NOWHERE_URL }),
    { status: 429, code: 20429, moreInfo: 'https://www.twilio.com/docs/errors/20429' }
  )
  await running.addFault({ operation: 'ListWebhook', drop: true })
  await t.rejects(client.verify.v2.services(SERVICE_SID).webhooks.list(), 'a dropped connection is a network error')
})

t.test('EmulatorHttpClient on its own: query and form arrays as repeated keys, JSON bodies, auth, redirects, timeouts', async (t) => {
  const seen: Array<{ method: string, url: string, headers: Record<string, string | string[] | undefined>, body: string }> = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => { body += chunk.toString() })
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body })
      if (req.url?.startsWith('/slow') === true) return // never answers
      if (req.url?.startsWith('/moved') === true) {
        res.writeHead(301, { location: '/elsewhere' }).end()
        return
      }
      res.writeHead(201, { 'content-type': 'application/json', 'x-extra': 'yes' }).end('{"ok":true}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.closeAllConnections(); server.close() })
  const client = new EmulatorHttpClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)

  const response = await client.request({
    method: 'post',
    uri: 'https://verify.twilio.com/v2/Services/VA1/Webhooks?Keep=1',
    username: 'ACx',
    password: 'secret',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Connection: 'keep-alive', 'User-Agent': 'twilio-node/test' },
    params: { PageSize: 2, Tag: ['a', 'b'], Skip: undefined },
    data: { FriendlyName: 'x y', EventTypes: ['factor.created', 'challenge.denied'], Enabled: true, Missing: undefined }
  })
  t.same(response, { statusCode: 201, body: '{"ok":true}', headers: response.headers })
  t.equal(response.headers['x-extra'], 'yes')
  const first = seen[0]
  t.equal(first?.method, 'POST')
  t.equal(first?.url, '/v2/Services/VA1/Webhooks?Keep=1&PageSize=2&Tag=a&Tag=b', 'path and query kept, host replaced')
  t.equal(first?.body, 'FriendlyName=x+y&EventTypes=factor.created&EventTypes=challenge.denied&Enabled=true')
  t.equal(first?.headers.authorization, 'Basic ' + Buffer.from('ACx:secret').toString('base64'))
  t.equal(first?.headers['user-agent'], 'twilio-node/test')

  await client.request({ method: 'POST', uri: 'https://x.test/json', headers: { 'Content-Type': 'application/json' }, data: { a: [1] }, authStrategy: { getAuthString: async () => 'Bearer jwt' } })
  t.equal(seen[1]?.body, '{"a":[1]}')
  t.equal(seen[1]?.headers.authorization, 'Bearer jwt')

  const moved = await client.request({ method: 'GET', uri: 'https://x.test/moved' })
  t.equal(moved.statusCode, 301, 'redirects are not followed unless allowRedirects')
  await t.rejects(client.request({ method: 'GET', uri: 'https://x.test/slow', timeout: 200 }), { name: 'TimeoutError' })
  await t.rejects(client.request({ method: '', uri: 'https://x.test/' }), /http method is required/)
})

t.test('controls: state, reset, journal, faults, events and deliveries, typed', async (t) => {
  const receiver = await startReceiver(t)
  const running = await emulator(t, {
    adminToken: 'admin',
    accounts: [{ sid: ACCOUNT_B, authToken: B.token }],
    seed: { accounts: [{ sid: A.sid, services: [{ sid: SERVICE_SID, friendly_name: 'Seeded', webhooks: [{ sid: 'YW' + '1'.repeat(32), friendly_name: 'to receiver', event_types: ['factor.verified'], webhook_url: receiver.url() }] }] }] }
  })
  const client = running.twilioClient(twilio)

  const state = await running.getState()
  t.equal(state.accounts[0]?.services?.[0]?.webhooks?.[0]?.friendly_name, 'to receiver')
  await client.verify.v2.services(SERVICE_SID).webhooks.create({ friendlyName: 'extra', eventTypes: ['factor.deleted'], webhookUrl: NOWHERE_URL })
  t.equal((await running.getState()).accounts[0]?.services?.[0]?.webhooks?.length, 2)
  t.same(await running.putState(state), state, 'putState answers the new state')
  t.equal((await running.getState()).accounts[0]?.services?.[0]?.webhooks?.length, 1)

  const event = await running.triggerEvent({ serviceSid: SERVICE_SID, type: 'factor.verified', entityIdentity: 'user-1', factorMetadata: { os: 'ios' } })
  t.equal(event.type, 'factor.verified')
  const done = await running.waitForDeliveries(1, { timeoutMs: 5000 })
  t.match(done.deliveries, [{ status: 'succeeded', webhook_sid: 'YW' + '1'.repeat(32) }])
  t.equal(receiver.requests[0]?.params.factor_metadata, '{"os":"ios"}')
  t.equal((await running.deliveries({ type: 'factor.verified', status: 'succeeded' })).deliveries.length, 1)

  const fault = await running.addFault({ target: 'delivery', status: 500, times: 2 })
  t.match(await running.faults(), [{ id: fault.id, target: 'delivery', remaining: 2 }])
  await running.removeFault(fault.id)
  await running.addFault({ path: '/v2/**', delayMs: 1 })
  await running.clearFaults()
  t.same(await running.faults(), [])

  const journal = await running.requests({ method: 'POST', since: new Date(Date.now() - 60_000) })
  t.equal(journal.requests[0]?.operation, 'CreateWebhook')
  t.equal(journal.limit, 1000)
  await running.clearRequests()
  t.same((await running.requests()).requests, [])

  await running.reset()
  t.equal((await running.deliveries()).deliveries.length, 0, 'reset empties deliveries')
  t.equal((await running.getState()).accounts[0]?.services?.[0]?.webhooks?.length, 1, 'fixtures are back')

  const b = running.account(ACCOUNT_B)
  t.equal(b.accountSid, ACCOUNT_B)
  await b.putState({ accounts: [{ sid: ACCOUNT_B, services: [{ sid: 'VA' + 'b'.repeat(32), friendly_name: 'B' }] }] })
  t.same(await running.resetAll(), [A.sid, ACCOUNT_B])
  t.same((await b.getState()).accounts[0]?.services, [])
  t.throws(() => running.account('AC' + 'e'.repeat(32)), /no account/)

  await t.rejects(running.addFault({ path: '/v2/**', status: 999 }), new EmulatorControlError(400, 60200, 'Invalid parameter: Status (an integer from 400 to 599)'))
  await t.rejects(running.putState({ accounts: [{ sid: ACCOUNT_B }] }), { name: 'EmulatorControlError', status: 400, code: 20001 })
  await t.rejects(running.waitForDeliveries(5, { timeoutMs: 50 }), { name: 'EmulatorControlError', status: 408 })
})
