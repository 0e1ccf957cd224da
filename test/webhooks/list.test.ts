import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { basicAuth, build, form, FORM, SERVICE_SID } from '../helper.js'
import { errorsOf, validateWebhookList } from '../spec-validator.js'

const LIST = `/v2/Services/${SERVICE_SID}/Webhooks`
const auth = { authorization: basicAuth(), host: 'localhost:4010' }
const ORIGIN = 'http://localhost:4010'

async function createMany (app: FastifyInstance, n: number): Promise<string[]> {
  const sids: string[] = []
  for (let i = 0; i < n; i++) {
    const res = await app.inject({ method: 'POST', url: LIST, headers: { ...FORM, ...auth }, payload: form({ FriendlyName: `w${i}`, EventTypes: '*', WebhookUrl: 'https://e.com' }) })
    sids.push(res.json().sid)
  }
  return sids
}

async function get (app: FastifyInstance, url: string) {
  const res = await app.inject({ method: 'GET', url: url.startsWith(ORIGIN) ? url.slice(ORIGIN.length) : url, headers: auth })
  return { status: res.statusCode, body: res.json() }
}

t.test('an empty list has the spec envelope with defaults', async (t) => {
  const app = await build(t)
  const { status, body } = await get(app, LIST)
  t.equal(status, 200)
  t.same(body, {
    webhooks: [],
    meta: {
      page: 0,
      page_size: 50,
      first_page_url: `${ORIGIN}${LIST}?PageSize=50&Page=0`,
      previous_page_url: null,
      url: `${ORIGIN}${LIST}?PageSize=50&Page=0`,
      next_page_url: null,
      key: 'webhooks'
    }
  })
  t.same(Object.keys(body.meta), ['page', 'page_size', 'first_page_url', 'previous_page_url', 'url', 'next_page_url', 'key'])
  t.ok(validateWebhookList(body), errorsOf(validateWebhookList))
})

t.test('next_page_url and previous_page_url walk every webhook in creation order', async (t) => {
  const app = await build(t)
  const sids = await createMany(app, 12)
  const seen: string[] = []
  let url: string | null = `${LIST}?PageSize=5`
  const pages: Array<Record<string, unknown>> = []
  while (url !== null) {
    const { status, body } = await get(app, url)
    t.equal(status, 200)
    t.ok(validateWebhookList(body), errorsOf(validateWebhookList))
    pages.push(body.meta)
    seen.push(...body.webhooks.map((w: { sid: string }) => w.sid))
    url = body.meta.next_page_url
  }
  t.same(seen, sids)
  t.same(pages.map((m) => m.page), [0, 1, 2])
  t.equal(pages[0]?.previous_page_url, null)
  t.match(pages[1]?.next_page_url, new RegExp(`^${ORIGIN}${LIST}\\?PageSize=5&Page=2&PageToken=PA[0-9a-z]+$`))
  t.equal(pages[2]?.next_page_url, null)
  // Walk back from the last page.
  const back: string[] = []
  let prev = pages[2]?.url as string | null
  while (prev !== null) {
    const { body } = await get(app, prev)
    back.unshift(...body.webhooks.map((w: { sid: string }) => w.sid))
    prev = body.meta.previous_page_url
  }
  t.same(back, sids)
})

t.test('a cursor stays valid when records before or at it are deleted', async (t) => {
  const app = await build(t)
  const sids = await createMany(app, 6)
  const first = await get(app, `${LIST}?PageSize=2`)
  t.same(first.body.webhooks.map((w: { sid: string }) => w.sid), sids.slice(0, 2))
  // Delete the last record of page 1 and the first of page 2.
  for (const sid of [sids[1], sids[2]]) await app.inject({ method: 'DELETE', url: `${LIST}/${sid as string}`, headers: auth })
  const second = await get(app, first.body.meta.next_page_url)
  t.same(second.body.webhooks.map((w: { sid: string }) => w.sid), [sids[3], sids[4]])
  const third = await get(app, second.body.meta.next_page_url)
  t.same(third.body.webhooks.map((w: { sid: string }) => w.sid), [sids[5]])
  t.equal(third.body.meta.next_page_url, null)
})

t.test('Page without PageToken is an offset; Page is echoed', async (t) => {
  const app = await build(t)
  const sids = await createMany(app, 7)
  const { body } = await get(app, `${LIST}?PageSize=3&Page=2`)
  t.equal(body.meta.page, 2)
  t.same(body.webhooks.map((w: { sid: string }) => w.sid), [sids[6]])
  t.equal(body.meta.next_page_url, null)
  t.match(body.meta.previous_page_url, /Page=1&PageToken=PB/)
  const beyond = await get(app, `${LIST}?PageSize=3&Page=9`)
  t.same(beyond.body.webhooks, [])
})

t.test('bad paging parameters are 400/60306', async (t) => {
  const app = await build(t)
  for (const [query, name] of <Array<[string, string]>>[['PageSize=0', 'PageSize'], ['PageSize=1001', 'PageSize'], ['PageSize=abc', 'PageSize'], ['Page=-1', 'Page'], ['PageToken=garbage', 'PageToken'], ['PageToken=PA', 'PageToken']]) {
    const { status, body } = await get(app, `${LIST}?${query}`)
    t.equal(status, 400, query)
    t.same(body, { code: 60306, message: `Invalid parameter: ${name}`, more_info: 'https://www.twilio.com/docs/errors/60306', status: 400 })
  }
  const max = await get(app, `${LIST}?PageSize=1000`)
  t.equal(max.status, 200)
  t.equal(max.body.meta.page_size, 1000)
})
