import type { AddressInfo } from 'node:net'
import t from 'tap'
import type { Fixtures } from '../../src/fixtures.js'
import { createMemoryRepository } from '../../src/store/memory-repository.js'
import type { Repository } from '../../src/store/repository.js'
import { build, FORM, SERVICE_SID } from '../helper.js'
import { createWebhook as createEventWebhook, deliveries, startReceiver, trigger } from '../events/receiver.js'
import { A, ACCOUNT_B, authOf, B, control, createWebhook, NOWHERE_URL, twilioError, webhooksPath } from './harness.js'

const B_SERVICE = 'VA' + 'b'.repeat(32)
const FIXTURE_HOOK = 'YW' + 'a'.repeat(32)

function seed (): Fixtures {
  return {
    accounts: [
      {
        sid: A.sid,
        services: [{
          sid: SERVICE_SID,
          friendly_name: 'Seeded',
          date_created: '2026-01-01T00:00:00Z',
          webhooks: [{ sid: FIXTURE_HOOK, friendly_name: 'fixture', event_types: ['factor.deleted'], webhook_url: NOWHERE_URL, date_created: '2026-01-01T00:00:00Z' }]
        }]
      },
      { sid: ACCOUNT_B, auth_token: B.token, services: [{ sid: B_SERVICE, friendly_name: 'B seeded' }] }
    ]
  }
}

async function webhookNames (app: Awaited<ReturnType<typeof build>>, caller = A, serviceSid = SERVICE_SID): Promise<string[]> {
  const res = await app.inject({ method: 'GET', url: `${webhooksPath(serviceSid)}?PageSize=1000`, headers: authOf(caller) })
  return res.json().webhooks.map((w: { friendly_name: string }) => w.friendly_name)
}

t.test('reset restores the caller\'s fixtures and empties its journal, faults and deliveries; other accounts keep theirs', async (t) => {
  const app = await build(t, { seed: seed() })
  const receiver = await startReceiver(t)
  await createEventWebhook(app, { url: receiver.url(), eventTypes: ['factor.created'] })
  await createWebhook(app, 'extra')
  await app.inject({ method: 'DELETE', url: `${webhooksPath()}/${FIXTURE_HOOK}`, headers: authOf() })
  await app.inject({ method: 'POST', url: '/v2/Services', headers: { ...authOf(), ...FORM }, payload: 'FriendlyName=Other' })
  await trigger(app, { Type: 'factor.created' })
  await deliveries(app, { WaitFor: '1', Timeout: '5000' })
  await control(app, 'POST', '/faults', { Operation: 'DeleteService', Status: 500, Times: 5 })
  await createWebhook(app, 'b-own', B, B_SERVICE)
  await control(app, 'POST', '/faults', { Operation: 'ListWebhook', DelayMs: 1, Times: 5 }, B)

  const res = await control(app, 'POST', '/reset')
  t.equal(res.statusCode, 200)
  t.same(res.json(), { scope: 'account', accounts: [A.sid] })

  t.same(await webhookNames(app), ['fixture'])
  const state = (await control(app, 'GET', '/state')).json()
  t.same(state.accounts[0].services.map((s: { sid: string }) => s.sid), [SERVICE_SID], 'the created service is gone')
  t.match(state.accounts[0].services[0], { friendly_name: 'Seeded', date_created: '2026-01-01T00:00:00Z', webhooks: [{ sid: FIXTURE_HOOK, date_created: '2026-01-01T00:00:00Z' }] })
  t.same((await control(app, 'GET', '/requests')).json().requests.length, 1, 'only the list above')
  t.same((await control(app, 'GET', '/faults')).json(), { faults: [] })
  t.same((await deliveries(app)).body.deliveries, [])

  t.same(await webhookNames(app, B, B_SERVICE), ['b-own'], 'B keeps its state')
  t.equal((await control(app, 'GET', '/faults', undefined, B)).json().faults.length, 1, 'B keeps its faults')
  t.equal((await control(app, 'GET', '/requests', undefined, B)).json().requests.length, 2, 'B keeps its journal')
})

t.test('an account without fixtures resets to empty; Scope may come in the query or a form body', async (t) => {
  const app = await build(t)
  await createWebhook(app, 'x')
  const res = await app.inject({ method: 'POST', url: '/__emulator/reset?Scope=account', headers: authOf() })
  t.equal(res.statusCode, 200)
  t.same((await control(app, 'GET', '/state')).json(), { accounts: [{ sid: A.sid, services: [] }] })
  const form = await app.inject({ method: 'POST', url: '/__emulator/reset', headers: { ...authOf(), ...FORM }, payload: 'Scope=account' })
  t.equal(form.statusCode, 200)
})

t.test('Scope=all needs EMULATOR_ADMIN_TOKEN, sent as X-Emulator-Admin-Token', async (t) => {
  const disabled = await build(t, { seed: seed() })
  const off = await control(disabled, 'POST', '/reset', { Scope: 'all' }, A, { 'x-emulator-admin-token': 'anything' })
  t.same(off.json(), twilioError(403, 20403, 'Forbidden: Scope=all needs the emulator started with EMULATOR_ADMIN_TOKEN'))

  const app = await build(t, { seed: seed(), adminToken: 's3cret-admin' })
  await createWebhook(app, 'a-extra')
  await createWebhook(app, 'b-extra', B, B_SERVICE)
  for (const headers of [{}, { 'x-emulator-admin-token': 'wrong' }, { 'x-emulator-admin-token': 's3cret-admin-and-more' }] as Array<Record<string, string>>) {
    const denied = await control(app, 'POST', '/reset', { Scope: 'all' }, B, headers)
    t.same(denied.json(), twilioError(403, 20403, 'Forbidden: Scope=all needs the admin token in the X-Emulator-Admin-Token header'))
  }
  t.same(await webhookNames(app), ['fixture', 'a-extra'], 'a denied reset changes nothing')

  const allowed = await app.inject({ method: 'POST', url: '/__emulator/reset?Scope=all', headers: { ...authOf(B), 'x-emulator-admin-token': 's3cret-admin' } })
  t.equal(allowed.statusCode, 200)
  t.same(allowed.json(), { scope: 'all', accounts: [A.sid, ACCOUNT_B] })
  t.same(await webhookNames(app), ['fixture'])
  t.same(await webhookNames(app, B, B_SERVICE), [])
  t.same((await control(app, 'GET', '/state', undefined, B)).json().accounts[0].services.map((s: { sid: string }) => s.sid), [B_SERVICE], 'B\'s fixtures are back')
  t.equal((await app.inject({ method: 'GET', url: webhooksPath(), headers: { authorization: 'Basic eDp5' } })).statusCode, 401, 'the admin token is no credential for the API')
})

t.test('bad parameters are Twilio 400s', async (t) => {
  const app = await build(t)
  const bad = await control(app, 'POST', '/reset', { Scope: 'everything' })
  t.same(bad.json(), twilioError(400, 60200, 'Invalid parameter: Scope (one of account, all)'))
  const unknown = await app.inject({ method: 'POST', url: '/__emulator/reset?scope=all', headers: authOf() })
  t.equal(unknown.statusCode, 400)
  t.match(unknown.json().message, /^Invalid parameter: scope \(unknown parameter; expected Scope\)$/)
  t.equal((await control(app, 'GET', '/reset')).statusCode, 405)
  t.equal((await app.inject({ method: 'POST', url: '/__emulator/reset' })).statusCode, 401)
})

t.test('a fixture service taken by another account since is a 409, and nothing is reset', async (t) => {
  const app = await build(t, { seed: seed() })
  await createWebhook(app, 'a-extra')
  await app.inject({ method: 'DELETE', url: `/v2/Services/${SERVICE_SID}`, headers: authOf() })
  t.equal((await createWebhook(app, 'taken by b', B, SERVICE_SID)).statusCode, 201, 'B creates the freed SID on first use')
  await control(app, 'POST', '/faults', { Operation: 'ListService', Status: 500 })
  const res = await control(app, 'POST', '/reset')
  t.equal(res.statusCode, 409)
  t.equal(res.json().code, 20409)
  t.equal((await control(app, 'GET', '/faults')).json().faults.length, 1, 'unchanged')
})

/** A repository that logs, in server order, the creates and clears of one account. */
function recordingRepository (accountSid: string): { repository: Repository, log: Array<{ kind: 'create', sid: string } | { kind: 'clear' }> } {
  const inner = createMemoryRepository()
  const log: Array<{ kind: 'create', sid: string } | { kind: 'clear' }> = []
  return {
    log,
    repository: {
      ...inner,
      createWebhook: (scope, webhook) => {
        const record = inner.createWebhook(scope, webhook)
        if (record !== undefined && scope.accountSid === accountSid) log.push({ kind: 'create', sid: record.sid })
        return record
      },
      clearAccount: (sid) => {
        inner.clearAccount(sid)
        if (sid === accountSid) log.push({ kind: 'clear' })
      }
    }
  }
}

t.test('reset under 200 concurrent creates leaves a consistent state', async (t) => {
  for (const resetAfter of [20, 100, 180]) {
    const { repository, log } = recordingRepository(A.sid)
    const app = await build(t, { seed: seed(), repository })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    const headers = { ...authOf(), ...FORM }
    const send = (i: number): Promise<{ status: number, sid: string, sentAt: number, ackAt: number }> => {
      const sentAt = performance.now()
      return fetch(`${base}${webhooksPath()}`, { method: 'POST', headers, body: `FriendlyName=c${i}&EventTypes=factor.deleted&WebhookUrl=${NOWHERE_URL}`, signal: AbortSignal.timeout(20_000) })
        .then(async (res) => ({ status: res.status, sid: (await res.json() as { sid: string }).sid, sentAt, ackAt: performance.now() }))
    }

    // 20 connections, 10 creates each; the reset goes out when `resetAfter` creates are acknowledged,
    // so creates are in flight on both sides of it.
    const results: Array<Awaited<ReturnType<typeof send>>> = []
    let reset: Promise<{ status: number, sentAt: number, ackAt: number }> | undefined
    const worker = async (w: number): Promise<void> => {
      for (let i = 0; i < 10; i++) {
        results.push(await send(w * 10 + i))
        if (results.length === resetAfter) {
          const sentAt = performance.now()
          reset = fetch(`${base}/__emulator/reset`, { method: 'POST', headers: authOf(), signal: AbortSignal.timeout(20_000) })
            .then((res) => ({ status: res.status, sentAt, ackAt: performance.now() }))
        }
      }
    }
    await Promise.all(Array.from({ length: 20 }, async (_, w) => { await worker(w) }))
    const resetResult = await reset
    t.equal(resetResult?.status, 200)
    t.ok(results.every((r) => r.status === 201), 'every create succeeded')

    // Server order: the webhooks created after the (only) clear, plus the re-seeded fixture.
    const clearAt = log.findIndex((entry) => entry.kind === 'clear')
    t.not(clearAt, -1)
    t.equal(log.filter((entry) => entry.kind === 'clear').length, 1)
    const [reseeded, ...createdAfter] = log.slice(clearAt + 1).flatMap((entry) => entry.kind === 'create' ? [entry.sid] : [])
    t.equal(reseeded, FIXTURE_HOOK, 'the reset re-seeds the fixture before any other create')
    const listed = (await (await fetch(`${base}${webhooksPath()}?PageSize=1000`, { headers: authOf() })).json() as { webhooks: Array<{ sid: string }> }).webhooks.map((w) => w.sid)
    t.same(listed, [FIXTURE_HOOK, ...createdAfter], `reset after ${resetAfter}: the list is exactly the fixture plus the creates handled after the reset`)
    t.ok(createdAfter.length > 0 && createdAfter.length < 200, `the reset fell among the creates (${createdAfter.length} after it)`)

    // The client's view agrees: creates acknowledged before the reset was sent are gone; creates sent
    // after its answer came back are all listed; every listed SID was acknowledged.
    const acknowledged = new Set(results.map((r) => r.sid))
    const listedSet = new Set(listed)
    const resetSent = resetResult?.sentAt ?? 0
    const resetAnswered = resetResult?.ackAt ?? 0
    t.ok(results.filter((r) => r.ackAt < resetSent).every((r) => !listedSet.has(r.sid)), 'nothing acknowledged before the reset survives it')
    t.ok(results.filter((r) => r.sentAt > resetAnswered).every((r) => listedSet.has(r.sid)), 'everything sent after the reset answered is kept')
    t.ok(listed.slice(1).every((sid) => acknowledged.has(sid)), 'every listed webhook was acknowledged')

    // Every listed webhook can be fetched, and the counts agree everywhere.
    const statuses = await Promise.all(listed.map(async (sid) => (await fetch(`${base}${webhooksPath()}/${sid}`, { headers: authOf() })).status))
    t.same(statuses.filter((status) => status !== 200), [], 'every listed webhook can be fetched')
    const state = (await control(app, 'GET', '/state')).json()
    t.equal(state.accounts[0].services[0].webhooks.length, listed.length)
    const journal = (await control(app, 'GET', '/requests?Operation=CreateWebhook')).json()
    t.ok(journal.requests.length >= createdAfter.length, 'the journal holds at least the creates after the reset')
    await app.close()
  }
})
