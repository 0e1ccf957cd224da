// The journal keeps entries as bytes and numbers, not objects: what comes back must be exactly what went
// in, in order, for any texts (long, multi-byte, absent) and across growth and wrap-around.
import fc from 'fast-check'
import t from 'tap'
import { RequestJournal, type JournalEntry } from '../../src/control/journal.js'

function entry (i: number, over: Partial<JournalEntry> = {}): JournalEntry {
  return {
    time: 1_795_860_000_000 + i,
    method: i % 2 === 0 ? 'POST' : 'GET',
    url: `/v2/Services/VA${'0'.repeat(32)}/Webhooks?Page=${i}`,
    route: i % 3 === 0 ? undefined : '/v2/Services/:ServiceSid/Webhooks',
    query: i % 2 === 0 ? undefined : JSON.stringify({ Page: i }),
    params: i % 2 === 0 ? JSON.stringify({ FriendlyName: `w${i}`, EventTypes: ['*'] }) : undefined,
    status: i % 5 === 0 ? 0 : 201,
    errorCode: i % 7 === 0 ? 99999 : 0,
    ...over
  }
}

t.test('entries come back as recorded, oldest first, through growth and wrap-around', async (t) => {
  const journal = new RequestJournal(1000)
  const all = Array.from({ length: 2500 }, (_, i) => entry(i))
  for (const e of all.slice(0, 700)) journal.record('AC1', e)
  t.same(journal.snapshot('AC1'), { entries: all.slice(0, 700), dropped: 0 })
  for (const e of all.slice(700)) journal.record('AC1', e)
  t.same(journal.snapshot('AC1'), { entries: all.slice(1500), dropped: 1500 })
  t.same(journal.snapshot('AC2'), { entries: [], dropped: 0 })
  journal.clear('AC1')
  t.same(journal.snapshot('AC1'), { entries: [], dropped: 0 })
})

t.test('texts too long for a slot are kept whole, and a slot reused by a short entry reads the short one', async (t) => {
  const journal = new RequestJournal(2)
  const long = entry(1, { params: JSON.stringify({ FriendlyName: 'é€😀'.repeat(200) }), url: '/v2/' + 'x'.repeat(300) })
  journal.record('AC1', long)
  journal.record('AC1', entry(2))
  t.same(journal.snapshot('AC1').entries, [long, entry(2)])
  journal.record('AC1', entry(3))
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
      const e = entry(runs, { url, query: query === undefined ? undefined : JSON.stringify(query), params: params === undefined ? undefined : JSON.stringify(params) })
      journal.record('AC1', e)
      const entries = journal.snapshot('AC1').entries
      return JSON.stringify(entries.at(-1)) === JSON.stringify(e) && entries.at(-1)?.query === e.query
    }), { numRuns: 1000, seed: 20261128 })
  t.equal(runs, 1000)
})

t.test('a journal of one keeps the last entry', async (t) => {
  const journal = new RequestJournal(1)
  for (let i = 0; i < 5; i++) journal.record('AC1', entry(i))
  t.same(journal.snapshot('AC1'), { entries: [entry(4)], dropped: 4 })
})
