import t from 'tap'
import { ACCOUNT_SID, basicAuth, build, errorBody, fixedClock, form, FORM, SERVICE_SID } from '../helper.js'
import { errorsOf, validateWebhook } from '../spec-validator.js'

const URL_PATH = `/v2/Services/${SERVICE_SID}/Webhooks`
const headers = { ...FORM, authorization: basicAuth() }

t.test('creates a webhook with all 12 fields, in Twilio order, valid against the spec', async (t) => {
  const { clock } = fixedClock()
  const app = await build(t, { clock })
  const res = await app.inject({
    method: 'POST',
    url: URL_PATH,
    headers: { ...headers, host: 'localhost:4010' },
    payload: form([['FriendlyName', 'My Webhook'], ['EventTypes', 'factor.created'], ['EventTypes', 'challenge.approved'], ['WebhookUrl', 'https://example.com/hooks']])
  })
  t.equal(res.statusCode, 201)
  t.equal(res.headers['content-type'], 'application/json')
  t.match(res.headers['twilio-request-id'], /^RQ[0-9a-f]{32}$/)
  const body = res.json()
  t.same(Object.keys(body), ['url', 'sid', 'account_sid', 'service_sid', 'friendly_name', 'event_types', 'webhook_method', 'webhook_url', 'status', 'version', 'date_created', 'date_updated'])
  t.match(body.sid, /^YW[0-9a-f]{32}$/)
  t.same(body, {
    url: `http://localhost:4010${URL_PATH}/${body.sid as string}`,
    sid: body.sid,
    account_sid: ACCOUNT_SID,
    service_sid: SERVICE_SID,
    friendly_name: 'My Webhook',
    event_types: ['factor.created', 'challenge.approved'],
    webhook_method: 'POST',
    webhook_url: 'https://example.com/hooks',
    status: 'enabled',
    version: 'v2',
    date_created: '2026-11-28T10:00:00Z',
    date_updated: '2026-11-28T10:00:00Z'
  })
  t.ok(validateWebhook(body), errorsOf(validateWebhook))
})

t.test('a single EventTypes value becomes an array of one; Status and Version are kept', async (t) => {
  const app = await build(t)
  const res = await app.inject({
    method: 'POST',
    url: URL_PATH,
    headers,
    payload: form({ FriendlyName: 'a', EventTypes: '*', WebhookUrl: 'http://127.0.0.1:9/x', Status: 'disabled', Version: 'v1' })
  })
  t.equal(res.statusCode, 201)
  const body = res.json()
  t.same(body.event_types, ['*'])
  t.equal(body.status, 'disabled')
  t.equal(body.version, 'v1')
  t.ok(validateWebhook(body), errorsOf(validateWebhook))
})

t.test('PUBLIC_BASE_URL sets the origin of url', async (t) => {
  const app = await build(t, { publicBaseUrl: 'https://verify.twilio.com' })
  const res = await app.inject({ method: 'POST', url: URL_PATH, headers, payload: form({ FriendlyName: 'a', EventTypes: '*', WebhookUrl: 'https://e.com' }) })
  t.equal(res.json().url, `https://verify.twilio.com${URL_PATH}/${res.json().sid as string}`)
})

t.test('SIDs are distinct', async (t) => {
  const app = await build(t)
  const sids = new Set<string>()
  for (let i = 0; i < 50; i++) {
    const res = await app.inject({ method: 'POST', url: URL_PATH, headers, payload: form({ FriendlyName: `w${i}`, EventTypes: '*', WebhookUrl: 'https://e.com' }) })
    sids.add(res.json().sid)
  }
  t.equal(sids.size, 50)
})

const invalid: Array<[string, Array<[string, string]>, number, number, string]> = [
  ['no FriendlyName', [['EventTypes', '*'], ['WebhookUrl', 'https://e.com']], 400, 20001, 'Missing required parameter FriendlyName in the post body'],
  ['empty FriendlyName', [['FriendlyName', ''], ['EventTypes', '*'], ['WebhookUrl', 'https://e.com']], 400, 20001, 'Missing required parameter FriendlyName in the post body'],
  ['no EventTypes', [['FriendlyName', 'a'], ['WebhookUrl', 'https://e.com']], 400, 20001, 'Missing required parameter EventTypes in the post body'],
  ['no WebhookUrl', [['FriendlyName', 'a'], ['EventTypes', '*']], 400, 20001, 'Missing required parameter WebhookUrl in the post body'],
  ['unknown EventTypes value', [['FriendlyName', 'a'], ['EventTypes', '*'], ['EventTypes', 'factor.exploded'], ['WebhookUrl', 'https://e.com']], 400, 60306, 'Invalid parameter: EventTypes'],
  ['bad Status', [['FriendlyName', 'a'], ['EventTypes', '*'], ['WebhookUrl', 'https://e.com'], ['Status', 'on']], 400, 60200, 'Invalid parameter: Status'],
  ['bad Version', [['FriendlyName', 'a'], ['EventTypes', '*'], ['WebhookUrl', 'https://e.com'], ['Version', 'v3']], 400, 60200, 'Invalid parameter: Version'],
  ['relative WebhookUrl', [['FriendlyName', 'a'], ['EventTypes', '*'], ['WebhookUrl', '/hooks']], 400, 60200, 'Invalid parameter: WebhookUrl'],
  ['ftp WebhookUrl', [['FriendlyName', 'a'], ['EventTypes', '*'], ['WebhookUrl', 'ftp://e.com/x']], 400, 60200, 'Invalid parameter: WebhookUrl'],
  ['repeated FriendlyName', [['FriendlyName', 'a'], ['FriendlyName', 'b'], ['EventTypes', '*'], ['WebhookUrl', 'https://e.com']], 400, 60200, 'Invalid parameter: FriendlyName']
]

for (const [name, pairs, status, code, message] of invalid) {
  t.test(`rejects ${name} with ${status}/${code} and stores nothing`, async (t) => {
    const app = await build(t)
    const res = await app.inject({ method: 'POST', url: URL_PATH, headers, payload: form(pairs) })
    t.equal(res.statusCode, status)
    t.equal(res.headers['content-type'], 'application/json')
    t.same(res.json(), errorBody(status, code, message))
    const list = await app.inject({ method: 'GET', url: URL_PATH, headers: { authorization: basicAuth() } })
    t.same(list.json().webhooks, [])
  })
}

t.test('a POST without a body reports the first missing parameter', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: URL_PATH, headers: { authorization: basicAuth() } })
  t.equal(res.statusCode, 400)
  t.same(res.json(), errorBody(400, 20001, 'Missing required parameter FriendlyName in the post body'))
})

t.test('a malformed ServiceSid is 404/20404 naming the path', async (t) => {
  const app = await build(t)
  for (const sid of ['VAnothex', 'VA' + '0'.repeat(31), 'XX' + '0'.repeat(32), 'VA' + 'g'.repeat(32)]) {
    const res = await app.inject({ method: 'POST', url: `/v2/Services/${sid}/Webhooks`, headers, payload: form({ FriendlyName: 'a', EventTypes: '*', WebhookUrl: 'https://e.com' }) })
    t.equal(res.statusCode, 404)
    t.same(res.json(), errorBody(404, 20404, `The requested resource /v2/Services/${sid}/Webhooks was not found`))
  }
})

t.test('unknown paths are 404/20404; wrong methods on known paths are 405/20004', async (t) => {
  const app = await build(t)
  const unknown = await app.inject({ method: 'GET', url: '/v2/Nothing?x=1', headers })
  t.equal(unknown.statusCode, 404)
  t.same(unknown.json(), errorBody(404, 20404, 'The requested resource /v2/Nothing was not found'))
  for (const method of ['PUT', 'PATCH', 'DELETE'] as const) {
    const res = await app.inject({ method, url: URL_PATH, headers })
    t.equal(res.statusCode, 405, method)
    t.same(res.json(), errorBody(405, 20004, 'Method not allowed'))
    t.equal(res.headers.allow, 'GET, POST, HEAD')
  }
})

t.test('other content types are 415; oversized bodies are 413', async (t) => {
  const app = await build(t, { bodyLimit: 1024 })
  const json = await app.inject({ method: 'POST', url: URL_PATH, headers: { authorization: basicAuth(), 'content-type': 'application/json' }, payload: '{"FriendlyName":"a"}' })
  t.equal(json.statusCode, 415)
  t.equal(json.json().code, 20415)
  const text = await app.inject({ method: 'POST', url: URL_PATH, headers: { authorization: basicAuth(), 'content-type': 'text/plain' }, payload: 'hello' })
  t.equal(text.statusCode, 415)
  const big = await app.inject({ method: 'POST', url: URL_PATH, headers, payload: form({ FriendlyName: 'x'.repeat(5000), EventTypes: '*', WebhookUrl: 'https://e.com' }) })
  t.equal(big.statusCode, 413)
  t.same(big.json(), errorBody(413, 20413, 'Request Entity Too Large'))
})
