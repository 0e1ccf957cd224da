import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { parseFixtures, type Fixtures } from '../../src/fixtures.js'
import { build, fixedClock, FORM, SERVICE_SID } from '../helper.js'
import { A, authOf, B, control, createWebhook, SECOND_ACCOUNT, webhooksPath } from './harness.js'

const HOST = { host: 'emulator.test' }

/** Every API view of an account: the service list, each service, each webhook list and webhook. */
async function apiView (app: FastifyInstance, caller = A): Promise<unknown[]> {
  const get = async (url: string): Promise<any> => (await app.inject({ method: 'GET', url, headers: { ...authOf(caller), ...HOST } })).json()
  const views: unknown[] = []
  const services = await get('/v2/Services?PageSize=1000')
  views.push(services)
  for (const service of services.services) {
    views.push(await get(`/v2/Services/${service.sid as string}`))
    const webhooks = await get(`${webhooksPath(service.sid)}?PageSize=1000`)
    views.push(webhooks)
    for (const webhook of webhooks.webhooks) views.push(await get(`${webhooksPath(service.sid)}/${webhook.sid as string}`))
  }
  return views
}

/** Services and webhooks with varied settings, created and updated at different times. */
async function populate (app: FastifyInstance, advance: (seconds: number) => void): Promise<void> {
  const headers = { ...authOf(), ...FORM }
  const created = await app.inject({
    method: 'POST',
    url: '/v2/Services',
    headers,
    payload: 'FriendlyName=Owl%20Bank&CodeLength=8&Psd2Enabled=true&Push.IncludeDate=true&Totp.Issuer=Owl&TtsName=owl&Passkeys.RelyingParty.Origins=https://a.example,https://b.example'
  })
  if (created.statusCode !== 201) throw new Error(created.body)
  const serviceSid = created.json().sid as string
  advance(61)
  for (let i = 0; i < 5; i++) {
    const res = await app.inject({
      method: 'POST',
      url: webhooksPath(serviceSid),
      headers,
      payload: `FriendlyName=hook%20${i}&EventTypes=factor.created&EventTypes=challenge.denied&WebhookUrl=https://example.com/${i}?q=1&Version=v${1 + (i % 2)}&Status=${i === 3 ? 'disabled' : 'enabled'}`
    })
    if (res.statusCode !== 201) throw new Error(res.body)
    advance(7)
  }
  const firstHook = (await createWebhook(app, 'auto-created service', A, SERVICE_SID)).json().sid as string
  advance(3600)
  const updates = [
    await app.inject({ method: 'POST', url: `${webhooksPath(SERVICE_SID)}/${firstHook}`, headers, payload: 'FriendlyName=renamed&Status=disabled' }),
    await app.inject({ method: 'POST', url: `/v2/Services/${serviceSid}`, headers, payload: 'FriendlyName=Owl%20Bank%202' })
  ]
  for (const res of updates) if (res.statusCode !== 200) throw new Error(res.body)
}

t.test('GET /state exports the caller\'s services and webhooks as a valid fixtures document', async (t) => {
  const { clock } = fixedClock()
  const seed = { accounts: [{ sid: A.sid, services: [{ sid: SERVICE_SID, friendly_name: 'Seeded', code_length: 7, date_created: '2026-01-01T00:00:00Z', webhooks: [{ sid: 'YW' + '1'.repeat(32), friendly_name: 'w', event_types: ['*' as const], webhook_url: 'https://e.com/x', date_created: '2026-01-02T00:00:00Z' }] }] }] }
  const app = await build(t, { clock, seed, accounts: [SECOND_ACCOUNT] })
  await createWebhook(app, 'of b', B, 'VA' + 'b'.repeat(32))
  const res = await control(app, 'GET', '/state')
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/json')
  const state = res.json()
  t.same(Object.keys(state), ['accounts'])
  t.equal(state.accounts.length, 1, 'only the caller\'s account')
  t.same(Object.keys(state.accounts[0]), ['sid', 'services'], 'no credentials')
  t.match(state.accounts[0].services[0], {
    sid: SERVICE_SID,
    friendly_name: 'Seeded',
    code_length: 7,
    date_created: '2026-01-01T00:00:00Z',
    date_updated: '2026-01-01T00:00:00Z',
    webhooks: [{ sid: 'YW' + '1'.repeat(32), friendly_name: 'w', event_types: ['*'], webhook_url: 'https://e.com/x', status: 'enabled', version: 'v2', date_created: '2026-01-02T00:00:00Z', date_updated: '2026-01-02T00:00:00Z' }]
  })
  t.doesNotThrow(() => parseFixtures(state), 'the export is itself a fixtures file')
  t.equal((await control(app, 'GET', '/state?Full=1')).statusCode, 400)
})

t.test('round trip is lossless: PUT of a GET gives the same state and the same API answers, byte for byte', async (t) => {
  const { clock, advance } = fixedClock()
  const source = await build(t, { clock })
  await populate(source, advance)
  const exported = await control(source, 'GET', '/state')
  const state = exported.json() as Fixtures

  advance(86_400) // the target's clock is a day later: dates must come from the document
  const target = await build(t, { clock })
  const put = await control(target, 'PUT', '/state', state)
  t.equal(put.statusCode, 200, put.body)
  t.equal(put.body, exported.body, 'PUT answers the new state')
  t.equal((await control(target, 'GET', '/state')).body, exported.body)
  t.same(await apiView(target), await apiView(source))
  t.equal(JSON.stringify(await apiView(target)), JSON.stringify(await apiView(source)))

  // And in place: after a reset, the same document restores the same account.
  await control(source, 'POST', '/reset')
  t.same((await control(source, 'GET', '/state')).json(), { accounts: [{ sid: A.sid, services: [] }] })
  await control(source, 'PUT', '/state', state)
  t.equal((await control(source, 'GET', '/state')).body, exported.body)
})

t.test('PUT replaces: services absent from the document are gone; an empty document empties the account', async (t) => {
  const app = await build(t)
  await createWebhook(app, 'a', A, SERVICE_SID)
  await createWebhook(app, 'b', A, 'VA' + 'c'.repeat(32))
  const state = (await control(app, 'GET', '/state')).json()
  state.accounts[0].services = state.accounts[0].services.slice(1)
  await control(app, 'PUT', '/state', state)
  t.same((await control(app, 'GET', '/state')).json().accounts[0].services.map((s: { sid: string }) => s.sid), ['VA' + 'c'.repeat(32)])
  t.equal((await app.inject({ method: 'GET', url: webhooksPath(), headers: authOf() })).json().webhooks.length, 0)
  const emptied = await control(app, 'PUT', '/state', { accounts: [] })
  t.equal(emptied.statusCode, 200)
  t.same(emptied.json(), { accounts: [{ sid: A.sid, services: [] }] })
})

t.test('a bad document is a Twilio 400 naming the entry, and changes nothing', async (t) => {
  const app = await build(t, { accounts: [SECOND_ACCOUNT] })
  await createWebhook(app, 'keep me')
  const bTaken = 'VA' + 'b'.repeat(32)
  await createWebhook(app, 'of b', B, bTaken)
  const before = (await control(app, 'GET', '/state')).body
  const good = JSON.parse(before)
  const webhook = good.accounts[0].services[0].webhooks[0]
  const withServices = (services: unknown[]): object => ({ accounts: [{ sid: A.sid, services }] })
  const service = (extra: object): object => ({ sid: 'VA' + 'd'.repeat(32), friendly_name: 'S', ...extra })

  const cases: Array<[unknown, string]> = [
    [{ accounts: [{ sid: B.sid, services: [] }] }, 'state: accounts[0]: "sid" must be the calling account (ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa), not ACbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'],
    [{ accounts: [{ sid: A.sid }, { sid: B.sid }] }, 'state: accounts[1]: "sid" must be the calling account'],
    [{ accounts: [{ sid: A.sid, auth_token: 'x' }] }, 'state: accounts[0]: credentials ("auth_token", "api_keys") are not part of state'],
    [{ accounts: [{ sid: A.sid, api_keys: [{ sid: 'SK' + 'a'.repeat(32), secret: 's' }] }] }, 'state: accounts[0]: credentials'],
    [withServices([service({}), service({ sid: 'VA' + 'e'.repeat(32), webhooks: [webhook, { ...webhook, sid: 'YW' + 'e'.repeat(32), webhook_url: 'ftp://x' }] })]), 'state: accounts[0].services[1].webhooks[1]: "webhook_url" must be an absolute http(s) URL'],
    [withServices([service({ code_length: 'six' })]), 'state: accounts[0].services[0]: "code_length" must be a number'],
    [withServices([service({ date_created: 'yesterday' })]), 'state: accounts[0].services[0]: "date_created" must be an ISO 8601 UTC date'],
    [withServices([service({ colour: 'red' })]), 'state: accounts[0].services[0]: unknown field "colour"'],
    [withServices([service({ sid: bTaken })]), `state: accounts[0].services[0]: service ${bTaken} already belongs to another account`],
    [{ accounts: 'all' }, 'state: "accounts" must be an array'],
    [{}, 'state: "accounts" must be an array'],
    [[], 'state: must be an object']
  ]
  for (const [body, message] of cases) {
    const res = await control(app, 'PUT', '/state', body)
    t.equal(res.statusCode, 400, message)
    t.equal(res.json().code, 20001, message)
    t.ok((res.json().message as string).startsWith(`Invalid state: ${message}`), res.json().message)
    t.equal((await control(app, 'GET', '/state')).body, before, 'unchanged')
  }
  const notJson = await app.inject({ method: 'PUT', url: '/__emulator/state', headers: { ...authOf(), 'content-type': 'application/json' }, payload: '{"accounts":[' })
  t.equal(notJson.statusCode, 400)
  const form = await app.inject({ method: 'PUT', url: '/__emulator/state', headers: { ...authOf(), ...FORM }, payload: 'accounts=1' })
  t.equal(form.statusCode, 415)
  t.equal(form.json().code, 20415)
  const empty = await app.inject({ method: 'PUT', url: '/__emulator/state', headers: authOf() })
  t.equal(empty.statusCode, 415)
  t.equal((await control(app, 'GET', '/state')).body, before)
  t.equal((await control(app, 'POST', '/state', good)).statusCode, 405)
})
