// Many CI workers share one emulator, one account each: nothing of one account is visible to another.
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { build } from '../helper.js'
import { createWebhook as createEventWebhook, deliveries, startReceiver, trigger, type Receiver } from '../events/receiver.js'
import { A, authOf, B, control, createWebhook, SECOND_ACCOUNT, webhooksPath, type Caller } from './harness.js'

interface Workload {
  caller: Caller
  serviceSid: string
  webhookSids: string[]
  faultId: string
}

/** One worker's test run: webhooks, a fault hit, events delivered, a reset in the middle. */
async function workload (app: FastifyInstance, caller: Caller, serviceSid: string, receiver: Receiver): Promise<Workload> {
  const auth = authOf(caller).authorization
  await createEventWebhook(app, { url: receiver.url(`/${caller.sid}`), serviceSid, auth })
  await control(app, 'POST', '/reset', undefined, caller)
  const webhookSids: string[] = []
  await createEventWebhook(app, { url: receiver.url(`/${caller.sid}`), eventTypes: ['factor.verified'], serviceSid, auth })
  for (let i = 0; i < 30; i++) {
    const res = await createWebhook(app, `${caller.sid}-${i}`, caller, serviceSid)
    if (res.statusCode === 201) webhookSids.push(res.json().sid)
  }
  const fault = (await control(app, 'POST', '/faults', { Operation: 'FetchWebhook', Status: 503, Times: 1000 }, caller)).json()
  for (let i = 0; i < 5; i++) await trigger(app, { Type: 'factor.verified', ServiceSid: serviceSid }, auth)
  await deliveries(app, { WaitFor: '5', Timeout: '10000' }, auth)
  return { caller, serviceSid, webhookSids, faultId: fault.id }
}

t.test('two accounts working in parallel never see each other\'s state, journal, faults or deliveries', async (t) => {
  const app = await build(t, { accounts: [SECOND_ACCOUNT] })
  const receiver = await startReceiver(t)
  const [a, b] = await Promise.all([
    workload(app, A, 'VA' + 'a'.repeat(32), receiver),
    workload(app, B, 'VA' + 'b'.repeat(32), receiver)
  ])
  if (a === undefined || b === undefined) throw new Error('workloads did not finish')

  for (const [mine, theirs] of [[a, b], [b, a]] as Array<[Workload, Workload]>) {
    const label = mine.caller.sid
    const state = (await control(app, 'GET', '/state', undefined, mine.caller)).json()
    t.same(state.accounts.map((acc: { sid: string }) => acc.sid), [mine.caller.sid], `${label}: state`)
    t.same(state.accounts[0].services.map((s: { sid: string }) => s.sid), [mine.serviceSid], `${label}: own service only`)
    t.equal(state.accounts[0].services[0].webhooks.length, 31, `${label}: webhooks created after its own reset`)

    const journal = (await control(app, 'GET', '/requests', undefined, mine.caller)).json().requests
    t.ok(journal.length > 0 && journal.every((r: { path: string }) => r.path.includes(mine.serviceSid)), `${label}: journal holds its own requests only`)

    const faults = (await control(app, 'GET', '/faults', undefined, mine.caller)).json().faults
    t.same(faults.map((f: { id: string }) => f.id), [mine.faultId], `${label}: its own fault only`)
    t.equal((await control(app, 'DELETE', `/faults/${theirs.faultId}`, undefined, mine.caller)).statusCode, 404, `${label}: cannot remove the other's fault`)

    const delivered = (await deliveries(app, {}, authOf(mine.caller).authorization)).body.deliveries
    t.equal(delivered.length, 5, `${label}: five deliveries`)
    t.ok(delivered.every((d: { account_sid: string, url: string }) => d.account_sid === mine.caller.sid && d.url.endsWith(`/${mine.caller.sid}`)), `${label}: its own deliveries only`)

    // The other account's resources are 404, as on Twilio; its fault does not apply here.
    const theirWebhook = `${webhooksPath(theirs.serviceSid)}/${theirs.webhookSids[0] ?? ''}`
    t.equal((await app.inject({ method: 'GET', url: theirWebhook, headers: authOf(mine.caller) })).statusCode, 503, `${label}: its own FetchWebhook fault fires first`)
    await control(app, 'DELETE', '/faults', undefined, mine.caller)
    t.equal((await app.inject({ method: 'GET', url: theirWebhook, headers: authOf(mine.caller) })).statusCode, 404, `${label}: the other's webhook is not found`)
    t.equal((await createWebhook(app, 'intruder', mine.caller, theirs.serviceSid)).statusCode, 404, `${label}: the other's service is not found`)
  }

  // Deliveries went to the right receiver paths, five per account.
  t.equal(receiver.requests.filter((r) => r.path === `/${A.sid}`).length, 5)
  t.equal(receiver.requests.filter((r) => r.path === `/${B.sid}`).length, 5)
})
