// The journal keeps entries as bytes and numbers, not objects: what comes back must be exactly what went
// in, in order, for any texts (long, multi-byte, absent) and across growth and wrap-around.
import fc from 'fast-check'
import t from 'tap'
import { packParams, RequestJournal, unpackParams, type JournalEntry, type RecordedRequest } from '../../src/control/journal.js'

/** The i-th request as the recorder hands it over (parsed query and body, or none). */
function request (i: number, over: Partial<RecordedRequest> = {}): RecordedRequest {
  return {
    accountSid: 'AC1',
    time: 1_795_860_000_000 + i,
    method: i % 2 === 0 ? 'POST' : 'GET',
    url: `/v2/Services/VA${'0'.repeat(32)}/Webhooks?Page=${i}`,
    route: i % 3 === 0 ? undefined : '/v2/Services/:ServiceSid/Webhooks',
    query: i % 2 === 0 ? {} : { Page: String(i) },
    body: i % 2 === 0 ? { FriendlyName: `w${i}`, EventTypes: ['*'] } : undefined,
    status: i % 5 === 0 ? 0 : 201,
    errorCode: i % 7 === 0 ? 99999 : 0,
    ...over
  }
}

/** A query or body as a snapshot gives it back: JSON text, absent when it has no keys or is not an object. */
function paramsJson (value: unknown): string | undefined {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0 ? JSON.stringify(value) : undefined
}

/** What a snapshot gives back for it. */
function entry (i: number, over: Partial<RecordedRequest> = {}): JournalEntry {
  const { time, method, url, route, query, body, status, errorCode } = request(i, over)
  return { time, method, url, route, query: paramsJson(query), params: paramsJson(body), status, errorCode }
}

t.test('queries and bodies are packed without escaping, and read back as the JSON text of the object', async (t) => {
  const form = { FriendlyName: 'My "hook"', EventTypes: ['factor.created', 'challenge.approved'], WebhookUrl: 'https://example.com/a:b' }
  t.equal(packParams(form), 'F12:FriendlyNames9:My "hook"10:EventTypesa2:14:factor.created18:challenge.approved10:WebhookUrls23:https://example.com/a:b')
  t.equal(unpackParams(packParams(form) as string), JSON.stringify(form))
  t.equal(packParams({ PageSize: 50 }), 'J{"PageSize":50}', 'a value other than text or a list of texts: kept as JSON')
  t.equal(packParams({ EventTypes: ['*', 1] }), 'J{"EventTypes":["*",1]}')
  t.equal(packParams({ FriendlyName: 'a\ud800' }), 'J{"FriendlyName":"a\\ud800"}', 'a lone surrogate, which UTF-8 would not give back: kept as JSON')
  t.equal(packParams({ EventTypes: [] }), 'F10:EventTypesa0:')
  t.equal(unpackParams('F10:EventTypesa0:'), '{"EventTypes":[]}')
  t.equal(packParams({}), undefined)
  t.equal(packParams(undefined), undefined)
  t.equal(packParams('Page=2'), undefined)
  t.same(entry(1).query, '{"Page":"1"}')
  t.same(entry(2).params, '{"FriendlyName":"w2","EventTypes":["*"]}')
})

t.test('any object packs and unpacks to exactly its JSON text', async (t) => {
  let runs = 0
  const text = fc.string({ unit: 'binary', maxLength: 40 })
  const value = fc.oneof(text, fc.array(text, { maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }), fc.array(fc.oneof(text, fc.integer()), { maxLength: 3 }))
  fc.assert(fc.property(fc.dictionary(fc.oneof(text, fc.constantFrom('__proto__', '0', '12', 'a:1', '3:')), value, { minKeys: 1 }), (object) => {
    runs++
    const json = JSON.stringify(object)
    return json === '{}' ? packParams(object) === undefined : unpackParams(packParams(object) as string) === json
  }), { numRuns: 2000, seed: 20261128 })
  t.equal(runs, 2000)
})

t.test('a request is filed in the same turn when read, and once only', async (t) => {
  const journal = new RequestJournal(10)
  journal.record(request(1))
  t.same(journal.snapshot('AC1'), { entries: [entry(1)], dropped: 0 })
  await new Promise((resolve) => setImmediate(resolve))
  journal.record(request(2))
  await new Promise((resolve) => setImmediate(resolve))
  t.same(journal.snapshot('AC1'), { entries: [entry(1), entry(2)], dropped: 0 })
  journal.record(request(3))
  journal.clear('AC1')
  await new Promise((resolve) => setImmediate(resolve))
  t.same(journal.snapshot('AC1'), { entries: [], dropped: 0 }, 'a clear drops what was recorded before it')
})

t.test('entries come back as recorded, oldest first, through growth and wrap-around', async (t) => {
  const journal = new RequestJournal(1000)
  const all = Array.from({ length: 2500 }, (_, i) => entry(i))
  for (let i = 0; i < 700; i++) journal.record(request(i))
  t.same(journal.snapshot('AC1'), { entries: all.slice(0, 700), dropped: 0 })
  for (let i = 700; i < 2500; i++) journal.record(request(i))
  t.same(journal.snapshot('AC1'), { entries: all.slice(1500), dropped: 1500 })
  t.same(journal.snapshot('AC2'), { entries: [], dropped: 0 })
  journal.clear('AC1')
  t.same(journal.snapshot('AC1'), { entries: [], dropped: 0 })
})

t.test('texts too long for a slot are kept whole, and a slot reused by a short entry reads the short one', async (t) => {
  const journal = new RequestJournal(2)
  const long = { body: { FriendlyName: 'é€😀'.repeat(200) }, url: '/v2/' + 'x'.repeat(300) }
  journal.record(request(1, long))
  journal.record(request(2))
  t.same(journal.snapshot('AC1').entries, [entry(1, long), entry(2)])
  journal.record(request(3))
  t.same(journal.snapshot('AC1'), { entries: [entry(2), entry(3)], dropped: 1 })
})

t.test('any texts round-trip exactly (JSON text, Latin-1 URLs, up to and past the slot size)', async (t) => {
  const journal = new RequestJournal(3)
  let runs = 0
  fc.assert(fc.property(
    fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 600 }),
    fc.option(fc.dictionary(fc.string(), fc.string({ unit: 'binary', maxLength: 200 })), { nil: undefined }),
    fc.option(fc.dictionary(fc.string(), fc.array(fc.string({ unit: 'grapheme' }))), { nil: undefined }),
    (url, query, params) => {
      runs++
      const e = entry(runs, { url, query, body: params })
      journal.record(request(runs, { url, query, body: params }))
      const entries = journal.snapshot('AC1').entries
      return JSON.stringify(entries.at(-1)) === JSON.stringify(e) && entries.at(-1)?.query === e.query
    }), { numRuns: 1000, seed: 20261128 })
  t.equal(runs, 1000)
})

t.test('a journal of one keeps the last entry', async (t) => {
  const journal = new RequestJournal(1)
  for (let i = 0; i < 5; i++) journal.record(request(i))
  t.same(journal.snapshot('AC1'), { entries: [entry(4)], dropped: 4 })
})

t.test('a limit of 0 turns the journal off; any other limit keeps it on', async (t) => {
  t.equal(new RequestJournal(0).enabled, false)
  t.equal(new RequestJournal(1).enabled, true)
})
