import t from 'tap'
import { ACCOUNT_SID, AUTH_TOKEN, basicAuth, build, form, FORM, SERVICE_SID } from './helper.js'

const OTHER = { sid: 'AC' + 'b'.repeat(32), authToken: 'other-token', apiKeys: [{ sid: 'SK' + 'b'.repeat(32), secret: 'other-key-secret' }] }
const KEY = { sid: 'SK' + 'a'.repeat(32), secret: 'key-secret' }
const LIST = `/v2/Services/${SERVICE_SID}/Webhooks`
const AUTH_ERROR = { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 }

t.test('missing, malformed or wrong credentials are 401/20003 with WWW-Authenticate', async (t) => {
  const app = await build(t, { accounts: [OTHER] })
  const bad: Array<Record<string, string>> = [
    {},
    { authorization: 'Bearer abc' },
    { authorization: 'Basic !!!' },
    { authorization: 'Basic ' + Buffer.from('no-colon').toString('base64') },
    { authorization: basicAuth(ACCOUNT_SID, 'wrong') },
    { authorization: basicAuth(ACCOUNT_SID, AUTH_TOKEN + 'x') },
    { authorization: basicAuth('AC' + 'c'.repeat(32), AUTH_TOKEN) },
    { authorization: basicAuth(OTHER.sid, AUTH_TOKEN) },
    { authorization: basicAuth(OTHER.apiKeys[0]!.sid, OTHER.authToken) }
  ]
  for (const headers of bad) {
    for (const method of ['GET', 'POST'] as const) {
      const res = await app.inject({ method, url: LIST, headers: { ...FORM, ...headers }, payload: method === 'POST' ? 'garbage' : undefined })
      t.equal(res.statusCode, 401, `${method} ${JSON.stringify(headers)}`)
      t.equal(res.headers['www-authenticate'], 'Basic realm="Twilio API"')
      t.same(res.json(), AUTH_ERROR)
    }
  }
  t.end()
})

t.test('auth comes before validation and routing of known paths', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: '/v2/Services/VAbad/Webhooks', headers: FORM, payload: '' })
  t.equal(res.statusCode, 401)
})

t.test('API keys authenticate as their account', async (t) => {
  const app = await build(t, { accounts: [{ sid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiKeys: [KEY] }] })
  const res = await app.inject({ method: 'POST', url: LIST, headers: { ...FORM, authorization: basicAuth(KEY.sid, KEY.secret) }, payload: form({ FriendlyName: 'k', EventTypes: '*', WebhookUrl: 'https://e.com' }) })
  t.equal(res.statusCode, 201)
  t.equal(res.json().account_sid, ACCOUNT_SID)
  const viaToken = await app.inject({ method: 'GET', url: `${LIST}/${res.json().sid as string}`, headers: { authorization: basicAuth() } })
  t.equal(viaToken.statusCode, 200)
})

t.test("an account never sees or changes another account's services and webhooks: 404, not 403", async (t) => {
  const app = await build(t, { accounts: [OTHER] })
  const own = { ...FORM, authorization: basicAuth() }
  const other = { ...FORM, authorization: basicAuth(OTHER.sid, OTHER.authToken) }
  const otherKey = { ...FORM, authorization: basicAuth(OTHER.apiKeys[0]!.sid, OTHER.apiKeys[0]!.secret) }
  const service = (await app.inject({ method: 'POST', url: '/v2/Services', headers: own, payload: 'FriendlyName=mine' })).json()
  const list = `/v2/Services/${service.sid as string}/Webhooks`
  const hook = (await app.inject({ method: 'POST', url: list, headers: own, payload: form({ FriendlyName: 'h', EventTypes: '*', WebhookUrl: 'https://e.com' }) })).json()
  // The auto-created service of the default SID belongs to the first account too.
  await app.inject({ method: 'POST', url: LIST, headers: own, payload: form({ FriendlyName: 'h', EventTypes: '*', WebhookUrl: 'https://e.com' }) })

  const attempts: Array<[string, string, string?]> = [
    ['GET', `/v2/Services/${service.sid as string}`],
    ['POST', `/v2/Services/${service.sid as string}`, 'FriendlyName=stolen'],
    ['DELETE', `/v2/Services/${service.sid as string}`],
    ['GET', list],
    ['POST', list, form({ FriendlyName: 'h', EventTypes: '*', WebhookUrl: 'https://e.com' })],
    ['GET', `${list}/${hook.sid as string}`],
    ['POST', `${list}/${hook.sid as string}`, 'FriendlyName=stolen'],
    ['DELETE', `${list}/${hook.sid as string}`],
    ['GET', LIST],
    ['POST', LIST, form({ FriendlyName: 'h', EventTypes: '*', WebhookUrl: 'https://e.com' })]
  ]
  for (const headers of [other, otherKey]) {
    for (const [method, url, payload] of attempts) {
      const res = await app.inject({ method: method as 'GET', url, headers, payload })
      t.equal(res.statusCode, 404, `${method} ${url}`)
      t.same(res.json(), { code: 20404, message: `The requested resource ${url} was not found`, more_info: 'https://www.twilio.com/docs/errors/20404', status: 404 })
    }
    const services = await app.inject({ method: 'GET', url: '/v2/Services', headers })
    t.same(services.json().services, [])
  }
  // Nothing of the first account changed.
  const still = await app.inject({ method: 'GET', url: `${list}/${hook.sid as string}`, headers: own })
  t.same(still.json(), hook)
  const svc = await app.inject({ method: 'GET', url: `/v2/Services/${service.sid as string}`, headers: own })
  t.equal(svc.json().friendly_name, 'mine')
})
