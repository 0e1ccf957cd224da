import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { exportAccount, FixtureError, loadFixturesFile, parseFixtures } from '../src/fixtures.js'
import { basicAuth, build } from './helper.js'

const EXAMPLE = new URL('../fixtures/example.json', import.meta.url).pathname
const A = 'AC' + 'a'.repeat(32)
const B = 'AC' + 'b'.repeat(32)

t.test('the example fixture seeds accounts, API keys, services and webhooks', async (t) => {
  const app = await build(t, { fixtures: EXAMPLE })
  const viaKey = await app.inject({ method: 'GET', url: '/v2/Services/VA' + 'a'.repeat(32) + '/Webhooks', headers: { authorization: basicAuth('SK' + 'a'.repeat(32), 'emulator-api-key-secret'), host: 'h' } })
  t.equal(viaKey.statusCode, 200)
  t.same(viaKey.json().webhooks, [{
    url: `http://h/v2/Services/VA${'a'.repeat(32)}/Webhooks/YW${'a'.repeat(32)}`,
    sid: 'YW' + 'a'.repeat(32),
    account_sid: A,
    service_sid: 'VA' + 'a'.repeat(32),
    friendly_name: 'Factor events',
    event_types: ['factor.created', 'factor.verified', 'factor.deleted'],
    webhook_method: 'POST',
    webhook_url: 'http://127.0.0.1:3000/verify-events',
    status: 'enabled',
    version: 'v2',
    date_created: '2026-01-01T00:00:00Z',
    date_updated: '2026-01-01T00:00:00Z'
  }])
  const second = await app.inject({ method: 'GET', url: '/v2/Services', headers: { authorization: basicAuth(B, 'second-account-token') } })
  t.same(second.json().services.map((s: { sid: string, friendly_name: string }) => [s.sid, s.friendly_name]), [['VA' + 'b'.repeat(32), 'Second tenant']])
  const cross = await app.inject({ method: 'GET', url: '/v2/Services/VA' + 'a'.repeat(32), headers: { authorization: basicAuth(B, 'second-account-token') } })
  t.equal(cross.statusCode, 404)
})

t.test('export is lossless: seeding an export reproduces the same state', async (t) => {
  const fixtures = loadFixturesFile(EXAMPLE)
  const app = await build(t, { seed: fixtures })
  const exported = exportAccount(app.emulator.repository, A)
  const copy = await build(t, { seed: parseFixtures({ accounts: [{ ...exported, auth_token: 'emulator-auth-token' }] }) })
  t.same(exportAccount(copy.emulator.repository, A), exported)
  t.equal(exported.services?.[0]?.date_created, '2026-01-01T00:00:00Z')
  t.equal(exported.services?.[0]?.webhooks?.[0]?.sid, 'YW' + 'a'.repeat(32))
})

t.test('an invalid fixture names the bad entry', async (t) => {
  const service = { sid: 'VA' + 'c'.repeat(32), friendly_name: 's' }
  const hook = { sid: 'YW' + 'c'.repeat(32), friendly_name: 'h', event_types: ['*'], webhook_url: 'https://e.com' }
  const cases: Array<[unknown, string]> = [
    [[], 'fixtures: must be an object'],
    [{ accounts: {} }, 'fixtures: "accounts" must be an array'],
    [{ accounts: [{ sid: 'AC1', auth_token: 't' }] }, 'fixtures: accounts[0]: "sid" must match ^AC[0-9a-fA-F]{32}$'],
    [{ accounts: [{ sid: A, auth_token: 't', extra: 1 }] }, 'fixtures: accounts[0]: unknown field "extra"'],
    [{ accounts: [{ sid: A, auth_token: 't', api_keys: [{ sid: 'SK1', secret: 's' }] }] }, 'fixtures: accounts[0].api_keys[0]: "sid" must match ^SK[0-9a-fA-F]{32}$'],
    [{ accounts: [{ sid: A, auth_token: 't', services: [{ ...service, code_length: 'six' }] }] }, 'fixtures: accounts[0].services[0]: "code_length" must be a number'],
    [{ accounts: [{ sid: A, auth_token: 't', services: [{ ...service, webhooks: [{ ...hook, event_types: ['factor.exploded'] }] }] }] }, 'fixtures: accounts[0].services[0].webhooks[0]: "event_types" must be one of *, factor.created, factor.verified, factor.deleted, challenge.approved, challenge.denied'],
    [{ accounts: [{ sid: A, auth_token: 't', services: [{ ...service, webhooks: [{ ...hook, webhook_url: 'nope' }] }] }] }, 'fixtures: accounts[0].services[0].webhooks[0]: "webhook_url" must be an absolute http(s) URL'],
    [{ accounts: [{ sid: A, auth_token: 't', services: [{ ...service, webhooks: [hook, hook] }] }] }, `fixtures: accounts[0].services[0].webhooks[1]: duplicate SID ${hook.sid}`],
    [{ accounts: [{ sid: A, auth_token: 't', services: [{ ...service, date_created: 'yesterday' }] }] }, 'fixtures: accounts[0].services[0]: "date_created" must be an ISO 8601 UTC date such as 2026-11-28T10:00:00Z']
  ]
  for (const [data, message] of cases) t.throws(() => parseFixtures(data), new FixtureError(message), message)
})

t.test('an unreadable or non-JSON file is one clear error; a new account needs a token', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vwe-fixtures-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'bad.json')
  writeFileSync(file, '{ nope')
  t.throws(() => loadFixturesFile(file), { name: 'FixtureError', message: new RegExp(`^${file}: not valid JSON`) })
  t.throws(() => loadFixturesFile(join(dir, 'missing.json')), { name: 'FixtureError', message: /^cannot read fixtures file/ })
  await t.rejects(build(t, { seed: parseFixtures({ accounts: [{ sid: B }] }) }), new FixtureError(`account ${B}: "auth_token" is required for a new account`))
})
