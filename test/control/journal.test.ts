import t from 'tap'
import { basicAuth, build, fixedClock, FORM, SERVICE_SID } from '../helper.js'
import { A, authOf, B, control, createWebhook, NOWHERE_URL, SECOND_ACCOUNT, twilioError, webhooksPath } from './harness.js'

t.test('each API request is journaled with method, path, operation, query, params, status, error code and date', async (t) => {
  const { clock, advance } = fixedClock()
  const app = await build(t, { clock })
  const created = await createWebhook(app, 'first')
  t.equal(created.statusCode, 201)
  advance(1)
  await app.inject({ method: 'GET', url: `${webhooksPath()}?PageSize=2`, headers: authOf() })
  advance(1)
  const missing = `${webhooksPath()}/YW${'0'.repeat(32)}`
  await app.inject({ method: 'GET', url: missing, headers: authOf() })

  const res = await control(app, 'GET', '/requests')
  t.equal(res.statusCode, 200)
  t.same(res.json(), {
    requests: [
      {
        date: '2026-11-28T10:00:00.000Z',
        method: 'POST',
        path: webhooksPath(),
        operation: 'CreateWebhook',
        query: {},
        params: { FriendlyName: 'first', EventTypes: ['factor.deleted'], WebhookUrl: NOWHERE_URL, Status: 'enabled', Version: 'v2' },
        status: 201,
        error_code: null,
        dropped: false
      },
      { date: '2026-11-28T10:00:01.000Z', method: 'GET', path: webhooksPath(), operation: 'ListWebhook', query: { PageSize: 2 }, params: {}, status: 200, error_code: null, dropped: false },
      { date: '2026-11-28T10:00:02.000Z', method: 'GET', path: missing, operation: 'FetchWebhook', query: {}, params: {}, status: 404, error_code: 20404, dropped: false }
    ],
    dropped: 0,
    limit: 1000
  })
})

t.test('every operation gets its spec operationId; 405s have none', async (t) => {
  const app = await build(t)
  const headers = authOf()
  const service = await app.inject({ method: 'POST', url: '/v2/Services', headers: { ...headers, ...FORM }, payload: 'FriendlyName=S' })
  const serviceSid = service.json().sid as string
  await app.inject({ method: 'GET', url: '/v2/Services', headers })
  await app.inject({ method: 'GET', url: `/v2/Services/${serviceSid}`, headers })
  await app.inject({ method: 'POST', url: `/v2/Services/${serviceSid}`, headers: { ...headers, ...FORM }, payload: 'FriendlyName=T' })
  const webhookSid = (await createWebhook(app, 'w', A, serviceSid)).json().sid as string
  await app.inject({ method: 'GET', url: webhooksPath(serviceSid), headers })
  await app.inject({ method: 'GET', url: `${webhooksPath(serviceSid)}/${webhookSid}`, headers })
  await app.inject({ method: 'POST', url: `${webhooksPath(serviceSid)}/${webhookSid}`, headers: { ...headers, ...FORM }, payload: 'FriendlyName=x' })
  await app.inject({ method: 'DELETE', url: `${webhooksPath(serviceSid)}/${webhookSid}`, headers })
  await app.inject({ method: 'DELETE', url: `/v2/Services/${serviceSid}`, headers })
  await app.inject({ method: 'PUT', url: '/v2/Services', headers })

  const { requests } = (await control(app, 'GET', '/requests')).json()
  t.same(requests.map((r: { operation: string | null }) => r.operation), [
    'CreateService', 'ListService', 'FetchService', 'UpdateService', 'CreateWebhook', 'ListWebhook', 'FetchWebhook',
    'UpdateWebhook', 'DeleteWebhook', 'DeleteService', null
  ])
  t.same(requests.map((r: { status: number }) => r.status), [201, 200, 200, 200, 201, 200, 200, 200, 204, 204, 405])
  t.equal(requests[10].error_code, 20004)
})

t.test('filters: Method, PathPrefix, Operation, Since (inclusive) and Until (exclusive)', async (t) => {
  const { clock, advance } = fixedClock()
  const app = await build(t, { clock })
  const other = 'VA' + 'f'.repeat(32)
  await createWebhook(app, 'a') // 10:00:00
  advance(10)
  await createWebhook(app, 'b', A, other) // 10:00:10
  advance(10)
  await app.inject({ method: 'GET', url: webhooksPath(other), headers: authOf() }) // 10:00:20

  const names = async (query: string): Promise<string[]> => {
    const res = await control(app, 'GET', `/requests${query}`)
    t.equal(res.statusCode, 200, query)
    return res.json().requests.map((r: { method: string, path: string }) => `${r.method} ${r.path}`)
  }
  t.same(await names('?Method=get'), [`GET ${webhooksPath(other)}`])
  t.same(await names(`?PathPrefix=/v2/Services/${other}`), [`POST ${webhooksPath(other)}`, `GET ${webhooksPath(other)}`])
  t.same(await names('?Operation=CreateWebhook'), [`POST ${webhooksPath()}`, `POST ${webhooksPath(other)}`])
  t.same(await names('?Since=2026-11-28T10:00:10Z'), [`POST ${webhooksPath(other)}`, `GET ${webhooksPath(other)}`])
  t.same(await names('?Until=2026-11-28T10:00:10Z'), [`POST ${webhooksPath()}`])
  t.same(await names('?Since=2026-11-28T11:00:05%2B01:00&Until=2026-11-28T10:00:20.001Z&Method=POST'), [`POST ${webhooksPath(other)}`])
})

t.test('bad filters are Twilio 400s naming the parameter', async (t) => {
  const app = await build(t)
  const cases: Array<[string, string]> = [
    ['?Method=FETCH', 'Method'],
    ['?PathPrefix=v2', 'PathPrefix'],
    ['?Operation=CreateThing', 'Operation'],
    ['?Since=yesterday', 'Since'],
    ['?Until=2026-11-28T10:00', 'Until'],
    ['?Method=GET&Method=POST', 'Method'],
    ['?Limit=5', 'Limit']
  ]
  for (const [query, name] of cases) {
    const res = await control(app, 'GET', `/requests${query}`)
    t.equal(res.statusCode, 400, query)
    t.equal(res.json().code, 60200, query)
    t.match(res.json().message, new RegExp(`^Invalid parameter: ${name} \\(`), query)
  }
})

t.test('bounded: the oldest entries are dropped first and counted', async (t) => {
  const app = await build(t, { journalLimit: 5 })
  for (let i = 0; i < 8; i++) await createWebhook(app, `w${i}`)
  const body = (await control(app, 'GET', '/requests')).json()
  t.equal(body.limit, 5)
  t.equal(body.dropped, 3)
  t.same(body.requests.map((r: { params: { FriendlyName: string } }) => r.params.FriendlyName), ['w3', 'w4', 'w5', 'w6', 'w7'])
})

t.test('credentials are never recorded; failed authentication and control routes are not journaled', async (t) => {
  const app = await build(t)
  await createWebhook(app, 'mine')
  await app.inject({ method: 'GET', url: webhooksPath(), headers: { authorization: basicAuth(A.sid, 'wrong') } })
  await app.inject({ method: 'GET', url: webhooksPath() })
  await control(app, 'GET', '/faults')
  const res = await control(app, 'GET', '/requests')
  t.equal(res.json().requests.length, 1)
  for (const secret of [A.token, basicAuth(), 'authorization', 'Authorization']) t.notOk(res.body.includes(secret), secret)
})

t.test('JOURNAL_LIMIT=0 records nothing', async (t) => {
  const app = await build(t, { journalLimit: 0 })
  await createWebhook(app, 'x')
  t.same((await control(app, 'GET', '/requests')).json(), { requests: [], dropped: 0, limit: 0 })
})

t.test('DELETE /requests empties the caller\'s journal only', async (t) => {
  const app = await build(t, { accounts: [SECOND_ACCOUNT] })
  await createWebhook(app, 'a')
  await createWebhook(app, 'b', B, 'VA' + 'b'.repeat(32))
  const cleared = await control(app, 'DELETE', '/requests')
  t.equal(cleared.statusCode, 204)
  t.same((await control(app, 'GET', '/requests')).json().requests, [])
  t.equal((await control(app, 'GET', '/requests', undefined, B)).json().requests.length, 1)
  const wrong = await control(app, 'PUT', '/requests', {})
  t.equal(wrong.statusCode, 405)
  t.same(wrong.json(), twilioError(405, 20004, 'Method not allowed'))
})

t.test('service SID in the journaled path is the one the caller used', async (t) => {
  const app = await build(t)
  await createWebhook(app, 'x', A, SERVICE_SID)
  const [entry] = (await control(app, 'GET', `/requests?PathPrefix=/v2/Services/${SERVICE_SID}/Webhooks`)).json().requests
  t.equal(entry.path, webhooksPath(SERVICE_SID))
})
