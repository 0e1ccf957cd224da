// OrderedCollection finds records by SID through its own hash table (SidIndex): whatever the sequence of
// adds (repeated SIDs included), removals and clears, it must answer as the Map-and-array model it
// replaced: get by SID, size, and the live records in creation order. Compaction (past 1024 removals) is
// checked separately, with unique SIDs, as every way in guarantees (generated, or checked when loaded).
import fc from 'fast-check'
import t from 'tap'
import { OrderedCollection, type Sequenced } from '../../src/store/ordered-collection.js'

interface Item extends Sequenced { n: number }

type Command = { op: 'add', sid: string } | { op: 'remove', sid: string } | { op: 'get', sid: string } | { op: 'clear' }

/** The behaviour before SidIndex: a Map from SID to the last record added with it, and every record in order. */
class Model {
  bySid = new Map<string, Item>()
  all: Item[] = []
  add (item: Item): void { this.all.push(item); this.bySid.set(item.sid, item) }
  remove (sid: string): Item | undefined {
    const item = this.bySid.get(sid)
    if (item === undefined) return undefined
    this.bySid.delete(sid)
    item.deleted = true
    return item
  }

  clear (): void { this.bySid.clear(); this.all = [] }
  live (): number[] { return this.all.filter((item) => item.deleted !== true).map((item) => item.n) }
}

// Few distinct SIDs, so that adds repeat SIDs and removals hit; some share a prefix, as real SIDs do.
const sidArb = fc.oneof(
  fc.integer({ min: 0, max: 40 }).map((i) => 'YW' + String(i).padStart(32, '0')),
  fc.string({ maxLength: 6 })
)
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: sidArb.map((sid) => ({ op: 'add' as const, sid })) },
  { weight: 4, arbitrary: sidArb.map((sid) => ({ op: 'remove' as const, sid })) },
  { weight: 3, arbitrary: sidArb.map((sid) => ({ op: 'get' as const, sid })) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) }
)

function run (commands: Command[]): void {
  const collection = new OrderedCollection<Item>()
  const model = new Model()
  let n = 0
  for (const command of commands) {
    if (command.op === 'add') {
      const item: Item = { seq: -1, sid: command.sid, n: n++ }
      model.add(item)
      collection.add({ ...item })
    } else if (command.op === 'remove') {
      const expected = model.remove(command.sid)
      const removed = collection.remove(command.sid)
      if (removed?.n !== expected?.n) throw new Error(`remove ${command.sid}: ${removed?.n} instead of ${expected?.n}`)
    } else if (command.op === 'get') {
      const found = collection.get(command.sid)?.n
      const expected = model.bySid.get(command.sid)?.n
      if (found !== expected) throw new Error(`get ${command.sid}: ${found} instead of ${expected}`)
    } else {
      model.clear()
      collection.clear()
    }
    if (collection.size !== model.bySid.size) throw new Error(`size ${collection.size} instead of ${model.bySid.size}`)
  }
  for (const [sid, item] of model.bySid) {
    if (collection.get(sid)?.n !== item.n) throw new Error(`final get ${sid}`)
  }
  const live = [...collection.values()].map((item) => item.n)
  if (JSON.stringify(live) !== JSON.stringify(model.live())) throw new Error(`values ${JSON.stringify(live)} instead of ${JSON.stringify(model.live())}`)
}

t.test('any sequence of adds, removals, lookups and clears answers as the Map-backed model', async (t) => {
  t.doesNotThrow(() => { fc.assert(fc.property(fc.array(commandArb, { maxLength: 200 }), run), { numRuns: 500 }) })
})

t.test('past the first table size, through growth, compaction and re-adds', async (t) => {
  const collection = new OrderedCollection<Item>()
  const sid = (i: number): string => 'YW' + i.toString(16).padStart(32, '0')
  const count = 5000
  for (let i = 0; i < count; i++) collection.add({ sid: sid(i), n: i })
  t.equal(collection.size, count)
  t.equal(collection.get(sid(4999))?.n, 4999)
  // Removing more than half (and more than 1024) compacts the slots: positions change and the index is rebuilt.
  let removed = 0
  for (let i = 0; i < 3000; i++) if (collection.remove(sid(i))?.n === i) removed++
  t.equal(removed, 3000)
  t.equal(collection.size, 2000)
  t.equal(collection.get(sid(2999)), undefined)
  let found = 0
  for (let i = 3000; i < count; i++) if (collection.get(sid(i))?.n === i) found++
  t.equal(found, 2000, 'every remaining record is found at its new position')
  // A removed SID can be added again; it is then found, as the newest record.
  collection.add({ sid: sid(0), n: 10_000 })
  t.equal(collection.get(sid(0))?.n, 10_000)
  t.equal(collection.size, 2001)
  const live = [...collection.values()].map((item) => item.n)
  t.same([live[0], live[live.length - 1], live.length], [3000, 10_000, 2001])
})
