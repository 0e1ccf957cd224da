import t from 'tap'
import { basicAuth, build, errorBody, fixedClock, form, FORM, SERVICE_SID } from '../helper.js'
import { errorsOf, validateWebhook } from '../spec-validator.js'

const LIST = `/v2/Services/${SERVICE_SID}/Webhooks`
const auth = { authorization: basicAuth() }
const headers = { ...FORM, ...auth }

async function setup (t: Parameters<typeof build>[0]) {
  const time = fixedClock()
  const app = await build(t, { clock: time.clock })
  const created = await app.inject({ method: 'POST', url: LIST, headers, payload: form([['FriendlyName', 'orig'], ['EventTypes', 'factor.created'], ['WebhookUrl', 'https://a.example/x']]) })
  return { app, time, created: created.json() as Record<string, unknown> & { sid: string } }
}

t.test('fetch returns exactly what create returned', async (t) => {
  const { app, created } = await setup(t)
  const res = await app.inject({ method: 'GET', url: `${LIST}/${created.sid}`, headers: auth })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/json')
  t.same(res.json(), created)
  t.ok(validateWebhook(res.json()), errorsOf(validateWebhook))
})

t.test('update is partial, validated like create, moves date_updated only', async (t) => {
  const { app, time, created } = await setup(t)
  time.advance(90)
  const res = await app.inject({ method: 'POST', url: `${LIST}/${created.sid}`, headers, payload: form([['Status', 'disabled'], ['EventTypes', '*']]) })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { ...created, status: 'disabled', event_types: ['*'], date_updated: '2026-11-28T10:01:30Z' })
  t.equal(res.json().date_created, '2026-11-28T10:00:00Z')

  const all = await app.inject({ method: 'POST', url: `${LIST}/${created.sid}`, headers, payload: form({ FriendlyName: 'new', WebhookUrl: 'http://b.example/y', Version: 'v1', Status: 'enabled', EventTypes: 'challenge.denied' }) })
  t.same(all.json(), { ...created, friendly_name: 'new', webhook_url: 'http://b.example/y', version: 'v1', status: 'enabled', event_types: ['challenge.denied'], date_updated: '2026-11-28T10:01:30Z' })

  const empty = await app.inject({ method: 'POST', url: `${LIST}/${created.sid}`, headers, payload: '' })
  t.equal(empty.statusCode, 200, 'an update without parameters changes nothing but date_updated')
  t.equal(empty.json().friendly_name, 'new')

  for (const [pairs, code, name] of [
    [[['Status', 'paused']], 60200, 'Status'],
    [[['Version', 'v9']], 60200, 'Version'],
    [[['EventTypes', 'nope']], 60306, 'EventTypes'],
    [[['WebhookUrl', 'mailto:x@y.z']], 60200, 'WebhookUrl']
  ] as Array<[Array<[string, string]>, number, string]>) {
    const bad = await app.inject({ method: 'POST', url: `${LIST}/${created.sid}`, headers, payload: form(pairs) })
    t.equal(bad.statusCode, 400)
    t.same(bad.json(), errorBody(400, code, `Invalid parameter: ${name}`))
  }
  const after = await app.inject({ method: 'GET', url: `${LIST}/${created.sid}`, headers: auth })
  t.equal(after.json().friendly_name, 'new', 'rejected updates change nothing')
})

t.test('delete answers 204 with an empty body; afterwards fetch, update and delete are 404/20404', async (t) => {
  const { app, created } = await setup(t)
  const path = `${LIST}/${created.sid}`
  const del = await app.inject({ method: 'DELETE', url: path, headers: auth })
  t.equal(del.statusCode, 204)
  t.equal(del.body, '')
  for (const method of ['GET', 'POST', 'DELETE'] as const) {
    const res = await app.inject({ method, url: path, headers, ...(method === 'POST' ? { payload: 'FriendlyName=x' } : {}) })
    t.equal(res.statusCode, 404, method)
    t.same(res.json(), errorBody(404, 20404, `The requested resource ${path} was not found`))
  }
})

t.test('malformed or unknown webhook SIDs are 404/20404', async (t) => {
  const { app } = await setup(t)
  for (const sid of ['YWshort', 'YW' + 'z'.repeat(32), 'YW' + '1'.repeat(32)]) {
    const res = await app.inject({ method: 'GET', url: `${LIST}/${sid}`, headers: auth })
    t.equal(res.statusCode, 404)
    t.same(res.json(), errorBody(404, 20404, `The requested resource ${LIST}/${sid} was not found`))
  }
  const unsupported = await app.inject({ method: 'PUT', url: `${LIST}/YW${'1'.repeat(32)}`, headers: auth })
  t.equal(unsupported.statusCode, 405)
  t.equal(unsupported.headers.allow, 'GET, POST, DELETE, HEAD')
})
