// Contract tests: the official twilio package against the emulator on a real port.
import t, { type Test } from 'tap'
import twilio from 'twilio'
import { buildApp, type BuildOptions } from '../src/app.js'
import { ACCOUNT_SID, AUTH_TOKEN } from './helper.js'
import { errorsOf, validateService, validateServiceList, validateWebhook, validateWebhookList } from './spec-validator.js'

type RequestOptions<TData> = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0] & { data?: TData }

/** Records every response body; optionally sends every request to `target` (host rewrite). */
class RecordingClient extends twilio.RequestClient {
  readonly bodies: Array<{ method: string, url: string, status: number, body: unknown }> = []
  constructor (private readonly target?: string) { super() }

  override async request<TData> (opts: RequestOptions<TData>) {
    let uri = opts.uri
    if (this.target !== undefined) {
      const url = new URL(uri)
      const target = new URL(this.target)
      url.protocol = target.protocol
      url.host = target.host
      uri = url.toString()
    }
    const response = await super.request<TData>({ ...opts, uri })
    this.bodies.push({ method: opts.method, url: uri, status: response.statusCode, body: response.body })
    return response
  }
}

async function listening (t: Test, options: BuildOptions = {}): Promise<string> {
  const app = await buildApp({ logger: false, port: 0, ...options })
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no address')
  return `http://127.0.0.1:${address.port}`
}

function parse (body: unknown): unknown {
  return typeof body === 'string' && body !== '' ? JSON.parse(body) : body
}

/** Every JSON body the emulator returned validates against the spec's schema for it. */
function validateBodies (t: Test, recorder: RecordingClient): void {
  let checked = 0
  for (const { method, url, status, body } of recorder.bodies) {
    if (status >= 400 || status === 204) continue
    const data = parse(body) as Record<string, unknown>
    const path = new URL(url).pathname
    let validate
    if (/\/Webhooks$/.test(path)) validate = method === 'get' || method === 'GET' ? validateWebhookList : validateWebhook
    else if (/\/Webhooks\/YW/.test(path)) validate = validateWebhook
    else if (/\/Services$/.test(path)) validate = method === 'get' || method === 'GET' ? validateServiceList : validateService
    else validate = validateService
    if (!validate(data)) t.fail(`${method} ${path}: ${errorsOf(validate)}`)
    checked++
  }
  t.ok(checked > 120, `validated ${checked} bodies against the spec`)
}

async function fullFlow (t: Test, client: twilio.Twilio, recorder: RecordingClient, expectedOrigin: string): Promise<void> {
  const service = await client.verify.v2.services.create({ friendlyName: 'Contract' })
  t.match(service.sid, /^VA[0-9a-f]{32}$/)
  t.equal(service.url, `${expectedOrigin}/v2/Services/${service.sid}`)
  t.equal(service.links.webhooks, `${expectedOrigin}/v2/Services/${service.sid}/Webhooks`)
  const webhooks = client.verify.v2.services(service.sid).webhooks

  const created: string[] = []
  for (let i = 0; i < 120; i++) {
    const w = await webhooks.create({
      friendlyName: `hook ${i}`,
      eventTypes: i % 2 === 0 ? ['factor.verified'] : ['factor.created', 'challenge.approved'],
      webhookUrl: `https://example.com/hooks/${i}`,
      versionParam: i % 3 === 0 ? 'v1' : 'v2'
    })
    created.push(w.sid)
  }
  const single = await webhooks(created[0] as string).fetch()
  t.same(single.eventTypes, ['factor.verified'])
  t.equal(single.version, 'v1')
  t.equal(single.webhookMethod, 'POST')
  t.equal(single.accountSid, ACCOUNT_SID)
  t.ok(single.dateCreated instanceof Date && !Number.isNaN(single.dateCreated.getTime()))
  const multi = await webhooks(created[1] as string).fetch()
  t.same(multi.eventTypes, ['factor.created', 'challenge.approved'])

  const before = recorder.bodies.length
  const listed = await webhooks.list({ pageSize: 50 })
  t.same(listed.map((w) => w.sid), created, 'list() returns all 120 in creation order')
  const listRequests = recorder.bodies.slice(before).filter((b) => new URL(b.url).pathname.endsWith('/Webhooks'))
  t.equal(listRequests.length, 3, 'across three pages')
  t.same(listRequests.map((r) => (parse(r.body) as { webhooks: unknown[] }).webhooks.length), [50, 50, 20])

  const page = await webhooks.page({ pageSize: 50 })
  const next = await page.nextPage()
  t.equal(next?.instances[0]?.sid, created[50])
  const prev = await next?.previousPage()
  t.same(prev?.instances.map((w) => w.sid), created.slice(0, 50))

  const eached: string[] = []
  await new Promise<void>((resolve, reject) => {
    webhooks.each({
      pageSize: 50,
      callback: (w) => { eached.push(w.sid) },
      done: (err?: Error) => { if (err !== undefined && err !== null) reject(err); else resolve() }
    })
  })
  t.same(eached, created, 'each() visits all 120 in order')

  const sid = created[7] as string
  const fetched = await webhooks(sid).fetch()
  t.equal(fetched.friendlyName, 'hook 7')
  const updated = await webhooks(sid).update({ webhookUrl: 'https://example.com/updated', status: 'disabled' })
  t.equal(updated.webhookUrl, 'https://example.com/updated')
  t.equal(updated.status, 'disabled')
  t.equal(updated.friendlyName, 'hook 7')
  t.equal(await webhooks(sid).remove(), true)
  const err = await webhooks(sid).fetch().then(() => null, (e: unknown) => e)
  t.ok(err instanceof twilio.RestException, 'fetch after remove rejects with RestException')
  t.equal((err as { status: number }).status, 404)
  t.equal((err as { code: number }).code, 20404)
  t.equal((err as { message: string }).message, `The requested resource /v2/Services/${service.sid}/Webhooks/${sid} was not found`)

  const invalid = await webhooks.create({ friendlyName: '', eventTypes: ['*'], webhookUrl: 'https://example.com' }).then(() => null, (e: unknown) => e)
  t.ok(invalid instanceof twilio.RestException, 'validation error surfaces as RestException')
  t.equal((invalid as { status: number }).status, 400)
  t.equal((invalid as { code: number }).code, 20001)
  t.equal((invalid as { moreInfo: string }).moreInfo, 'https://www.twilio.com/docs/errors/20001')

  const badType = await webhooks.create({ friendlyName: 'x', eventTypes: ['factor.created', 'nope'], webhookUrl: 'https://example.com' }).then(() => null, (e: unknown) => e)
  t.equal((badType as { code: number }).code, 60306)

  const services = await client.verify.v2.services.list()
  t.same(services.map((s) => s.sid), [service.sid])
  await client.verify.v2.services(service.sid).remove()
  t.same(await webhooks.list(), [], 'webhooks of a deleted service are gone')
  const goneHook = await webhooks(created[0] as string).fetch().then(() => null, (e: unknown) => e)
  t.equal((goneHook as { status: number }).status, 404)

  validateBodies(t, recorder)
}

t.test('twilio-node with client.verify.baseUrl pointed at the emulator', async (t) => {
  const url = await listening(t)
  const recorder = new RecordingClient()
  const client = twilio(ACCOUNT_SID, AUTH_TOKEN, { httpClient: recorder })
  client.verify.baseUrl = url
  await fullFlow(t, client, recorder, url)
})

t.test('twilio-node with a host-rewriting httpClient and PUBLIC_BASE_URL=https://verify.twilio.com', async (t) => {
  const url = await listening(t, { publicBaseUrl: 'https://verify.twilio.com' })
  const recorder = new RecordingClient(url)
  const client = twilio(ACCOUNT_SID, AUTH_TOKEN, { httpClient: recorder })
  await fullFlow(t, client, recorder, 'https://verify.twilio.com')
})

t.test('twilio-node authenticated with an API key (SK…) as the account', async (t) => {
  const key = { sid: 'SK' + '1'.repeat(32), secret: 'api-key-secret' }
  const url = await listening(t, { accounts: [{ sid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiKeys: [key] }] })
  const client = twilio(key.sid, key.secret, { accountSid: ACCOUNT_SID })
  client.verify.baseUrl = url
  const w = await client.verify.v2.services('VA' + 'c'.repeat(32)).webhooks.create({ friendlyName: 'k', eventTypes: ['*'], webhookUrl: 'https://e.com' })
  t.equal(w.accountSid, ACCOUNT_SID)
  const wrong = twilio(key.sid, 'wrong', { accountSid: ACCOUNT_SID })
  wrong.verify.baseUrl = url
  const err = await wrong.verify.v2.services('VA' + 'c'.repeat(32)).webhooks.list().then(() => null, (e: unknown) => e)
  t.equal((err as { status: number }).status, 401)
  t.equal((err as { code: number }).code, 20003)
})
