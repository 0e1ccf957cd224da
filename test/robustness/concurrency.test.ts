// Concurrency: 10,000 creates in flight at once across 10 services give 10,000 distinct SIDs and exact
// list totals (paged too); the same over real keep-alive connections; racing updates, deletes and
// fetches of the same webhooks never answer 5xx and leave a consistent store.
import { Agent, request } from 'node:http'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { basicAuth, form, FORM } from '../helper.js'

const AUTH = basicAuth()
const SERVICES = Array.from({ length: 10 }, (_, i) => 'VA' + i.toString(16).repeat(32))
const HOOK = 'http://127.0.0.1:9/hook'

interface Answer { status: number, body: string }

async function newApp (t: { teardown: (fn: () => unknown) => void }): Promise<FastifyInstance> {
  const app = await buildApp({ logger: false, journalLimit: 100 })
  t.teardown(() => app.close())
  return app
}

/** Every webhook SID of a service, following next_page_url with a small page size; fails on a duplicate. */
async function pagedSids (call: (method: string, url: string, body?: string) => Promise<Answer>, serviceSid: string, pageSize: number): Promise<string[]> {
  const sids: string[] = []
  let url: string | null = `/v2/Services/${serviceSid}/Webhooks?PageSize=${pageSize}`
  while (url !== null) {
    const res = await call('GET', url)
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${res.body}`)
    const page = JSON.parse(res.body) as { webhooks: Array<{ sid: string }>, meta: { next_page_url: string | null } }
    sids.push(...page.webhooks.map((w) => w.sid))
    url = page.meta.next_page_url === null ? null : new URL(page.meta.next_page_url).pathname + new URL(page.meta.next_page_url).search
  }
  if (new Set(sids).size !== sids.length) throw new Error(`duplicate SIDs while paging ${serviceSid}`)
  return sids
}

function injector (app: FastifyInstance) {
  return async (method: string, url: string, body?: string): Promise<Answer> => {
    const res = await app.inject({ method: method as 'GET', url, headers: body === undefined ? { authorization: AUTH } : { ...FORM, authorization: AUTH }, payload: body })
    return { status: res.statusCode, body: res.body }
  }
}

t.test('10,000 concurrent creates across 10 services: 10,000 distinct SIDs, exact totals, reads during writes fine', async (t) => {
  const app = await newApp(t)
  const call = injector(app)
  const started = performance.now()
  const creates = Array.from({ length: 10_000 }, async (_, i) => await call('POST', `/v2/Services/${SERVICES[i % 10]!}/Webhooks`, form({ FriendlyName: `w${i}`, EventTypes: '*', WebhookUrl: `${HOOK}?i=${i}` })))
  // Lists and fetches of unknown webhooks race the creates.
  const reads = Array.from({ length: 200 }, async (_, i) => await call('GET', `/v2/Services/${SERVICES[i % 10]!}/Webhooks?PageSize=${1 + (i % 50)}`))
  const [created, read] = await Promise.all([Promise.all(creates), Promise.all(reads)])
  t.comment(`10,000 creates + 200 lists in ${Math.round(performance.now() - started)} ms`)
  t.same(created.filter((r) => r.status !== 201), [], 'every create answered 201')
  t.same(read.filter((r) => r.status !== 200), [], 'every concurrent list answered 200')
  const sids = created.map((r) => (JSON.parse(r.body) as { sid: string }).sid)
  t.equal(new Set(sids).size, 10_000, '10,000 distinct SIDs')
  // Each create landed in its own service, with its own values.
  const mismatched = created.filter((r, i) => {
    const w = JSON.parse(r.body) as { service_sid: string, friendly_name: string, webhook_url: string }
    return w.service_sid !== SERVICES[i % 10] || w.friendly_name !== `w${i}` || w.webhook_url !== `${HOOK}?i=${i}`
  })
  t.equal(mismatched.length, 0)

  for (const [n, service] of SERVICES.entries()) {
    const expected = sids.filter((_, i) => i % 10 === n)
    const full = JSON.parse((await call('GET', `/v2/Services/${service}/Webhooks?PageSize=1000`)).body) as { webhooks: Array<{ sid: string }>, meta: { next_page_url: string | null } }
    t.equal(full.webhooks.length, 1000, `${service}: one full page of 1000`)
    t.equal(full.meta.next_page_url, null)
    t.same([...full.webhooks.map((w) => w.sid)].sort(), [...expected].sort(), `${service}: exactly the SIDs its creates answered`)
    // Requests in flight together are stored in the order they reach the handler; paging agrees with it.
    t.same(await pagedSids(call, service, 97), full.webhooks.map((w) => w.sid), `${service}: paging by 97 gives the same 1000 SIDs in the same order`)
  }
  const services = JSON.parse((await call('GET', '/v2/Services?PageSize=1000')).body) as { services: Array<{ sid: string }> }
  t.same(services.services.map((s) => s.sid).sort(), [...SERVICES].sort(), 'exactly the 10 services, each created once')
})

t.test('over real keep-alive connections: 1,000 creates and 1,000 reads from 32 sockets, exact totals', async (t) => {
  const app = await newApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const agent = new Agent({ keepAlive: true, maxSockets: 32 })
  t.teardown(() => agent.destroy())
  const call = async (method: string, url: string, body?: string): Promise<Answer> => await new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: AUTH }
    if (body !== undefined) Object.assign(headers, FORM, { 'content-length': String(Buffer.byteLength(body)) })
    const req = request({ host: '127.0.0.1', port, method, path: url, agent, headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { text += chunk })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
  const started = performance.now()
  const ops = Array.from({ length: 2000 }, async (_, i) => i % 2 === 0
    ? await call('POST', `/v2/Services/${SERVICES[i % 10]!}/Webhooks`, form({ FriendlyName: `w${i}`, EventTypes: 'factor.created', WebhookUrl: HOOK }))
    : await call('GET', `/v2/Services/${SERVICES[i % 10]!}/Webhooks?PageSize=20`))
  const answers = await Promise.all(ops)
  t.comment(`2,000 requests over 32 keep-alive sockets in ${Math.round(performance.now() - started)} ms`)
  t.same(answers.map((a, i) => a.status === (i % 2 === 0 ? 201 : 200)).filter((ok) => !ok), [], 'creates 201, reads 200')
  const sids = answers.filter((_, i) => i % 2 === 0).map((a) => (JSON.parse(a.body) as { sid: string }).sid)
  t.equal(new Set(sids).size, 1000)
  let total = 0
  for (const service of SERVICES.filter((_, i) => i % 2 === 0)) total += (await pagedSids(call, service, 1000)).length
  t.equal(total, 1000, 'every acknowledged create is listed, nothing more')
})

t.test('racing updates, deletes and fetches of the same webhooks: no 5xx, exactly one delete wins, consistent afterwards', async (t) => {
  const app = await newApp(t)
  const call = injector(app)
  const service = SERVICES[0]!
  const list = `/v2/Services/${service}/Webhooks`
  const sids: string[] = []
  for (let i = 0; i < 300; i++) sids.push((JSON.parse((await call('POST', list, form({ FriendlyName: `w${i}`, EventTypes: '*', WebhookUrl: HOOK }))).body) as { sid: string }).sid)
  const doomed = sids.filter((_, i) => i % 3 !== 0)
  const kept = sids.filter((_, i) => i % 3 === 0)

  type Op = [kind: 'update' | 'delete' | 'fetch' | 'list', sid: string]
  const ops: Op[] = []
  for (const sid of doomed) ops.push(['update', sid], ['delete', sid], ['update', sid], ['fetch', sid], ['delete', sid], ['delete', sid])
  for (const sid of kept) ops.push(['update', sid], ['update', sid], ['fetch', sid])
  for (let i = 0; i < 50; i++) ops.push(['list', ''])
  // A fixed shuffle: each webhook's operations interleave with everyone else's.
  let seed = 7
  for (let i = ops.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648
    const j = seed % (i + 1)
    ;[ops[i], ops[j]] = [ops[j] as Op, ops[i] as Op]
  }
  const answers = await Promise.all(ops.map(async ([kind, sid], i) => {
    if (kind === 'update') return await call('POST', `${list}/${sid}`, form({ FriendlyName: `u${i}`, Status: i % 2 === 0 ? 'disabled' : 'enabled' }))
    if (kind === 'delete') return await call('DELETE', `${list}/${sid}`)
    if (kind === 'fetch') return await call('GET', `${list}/${sid}`)
    return await call('GET', `${list}?PageSize=1000`)
  }))
  const allowed: Record<Op[0], number[]> = { update: [200, 404], delete: [204, 404], fetch: [200, 404], list: [200] }
  t.same(ops.map(([kind], i) => `${kind} ${answers[i]!.status}`).filter((s) => !allowed[s.split(' ')[0] as Op[0]].includes(Number(s.split(' ')[1]))), [], 'only the allowed answers')
  const deletedOtherThanOnce = doomed
    .map((sid) => [sid, ops.map(([kind, s], i) => (kind === 'delete' && s === sid ? answers[i]!.status : 0)).filter((s) => s !== 0)] as const)
    .filter(([, deletes]) => deletes.filter((s) => s === 204).length !== 1)
    .map(([sid, deletes]) => `${sid}: ${deletes.join(',')}`)
  t.same(deletedOtherThanOnce, [], 'each deleted webhook was deleted exactly once')
  for (const [i, [kind, sid]] of ops.entries()) {
    // Everything answered for a kept webhook is itself (a fetch or update never saw a deleted one).
    if (kept.includes(sid) && answers[i]!.status !== 200) t.fail(`${kind} of kept ${sid} answered ${answers[i]!.status}`)
  }

  const listed = JSON.parse((await call('GET', `${list}?PageSize=1000`)).body) as { webhooks: Array<{ sid: string }> }
  t.same(listed.webhooks.map((w) => w.sid), kept, 'the kept webhooks, in creation order, and nothing else')
  for (const webhook of listed.webhooks) {
    const fetched = await call('GET', `${list}/${webhook.sid}`)
    t.equal(fetched.body, JSON.stringify(webhook))
  }
  for (const sid of doomed.slice(0, 20)) t.equal((await call('GET', `${list}/${sid}`)).status, 404)
})
