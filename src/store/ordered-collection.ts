// Records kept in creation order, found by SID in O(1) and paged by cursor in O(log n + page size):
// a page token names the sequence number to continue after (or before), so reading page k never
// scans the pages in front of it.
import { SidIndex } from './sid-index.js'

export interface Sequenced {
  /** Position in creation order, unique and increasing within one collection. */
  seq: number
  sid: string
  /** Set when removed; the slot is dropped at the next compaction. */
  deleted?: true
}

export type Cursor = { after: number } | { before: number } | { offset: number }

export interface CollectionPage<T> {
  records: T[]
  /** Cursor for the page after this one, or null at the end. */
  next: Cursor | null
  /** Cursor for the page before this one, or null at the start. */
  previous: Cursor | null
}

export class OrderedCollection<T extends Sequenced> {
  private slots: T[] = []
  /** SID → index in slots, of live records only. */
  private readonly bySid = new SidIndex()
  private removed = 0
  private nextSeq = 0

  get size (): number {
    return this.bySid.size
  }

  /** Assigns the record its sequence number and stores it last. */
  add (record: Omit<T, 'seq'> & { seq?: number }): T {
    const stored = record as T
    if (stored.seq === undefined || stored.seq < this.nextSeq) stored.seq = this.nextSeq
    this.nextSeq = stored.seq + 1
    this.bySid.add(stored.sid, this.slots.push(stored) - 1, this.slots)
    return stored
  }

  get (sid: string): T | undefined {
    const index = this.bySid.find(sid, this.slots)
    return index < 0 ? undefined : this.slots[index]
  }

  remove (sid: string): T | undefined {
    const index = this.bySid.remove(sid, this.slots)
    if (index < 0) return undefined
    const record = this.slots[index] as T
    record.deleted = true
    this.removed++
    // Compact once tombstones outnumber live records, so scans stay proportional to the page size.
    if (this.removed > 1024 && this.removed > this.bySid.size) this.compact()
    return record
  }

  clear (): void {
    this.slots = []
    this.bySid.rebuild(this.slots)
    this.removed = 0
  }

  /** Live records in creation order. */
  * values (): IterableIterator<T> {
    for (const record of this.slots) if (record.deleted !== true) yield record
  }

  page (cursor: Cursor, pageSize: number): CollectionPage<T> {
    if ('offset' in cursor) return this.pageAtOffset(cursor.offset, pageSize)
    if ('after' in cursor) return this.forward(this.firstIndexAfter(cursor.after), pageSize)
    return this.backward(this.firstIndexAfter(cursor.before - 1) - 1, pageSize)
  }

  private pageAtOffset (offset: number, pageSize: number): CollectionPage<T> {
    if (this.removed > 0) this.compact()
    return this.forward(Math.min(offset, this.slots.length), pageSize)
  }

  /** Collects up to pageSize live records from index `start` onwards. */
  private forward (start: number, pageSize: number): CollectionPage<T> {
    const records: T[] = []
    let i = start
    for (; i < this.slots.length && records.length < pageSize; i++) {
      const record = this.slots[i] as T
      if (record.deleted !== true) records.push(record)
    }
    return this.withCursors(records, start, i)
  }

  /** Collects up to pageSize live records from index `end` backwards, returned in creation order. */
  private backward (end: number, pageSize: number): CollectionPage<T> {
    const records: T[] = []
    let i = end
    for (; i >= 0 && records.length < pageSize; i--) {
      const record = this.slots[i] as T
      if (record.deleted !== true) records.push(record)
    }
    records.reverse()
    return this.withCursors(records, i + 1, end + 1)
  }

  /** Cursors around the slots [from, to) that produced `records`. */
  private withCursors (records: T[], from: number, to: number): CollectionPage<T> {
    const first = records[0]
    const last = records[records.length - 1]
    const hasNext = this.liveIn(to, this.slots.length)
    const hasPrevious = this.liveBefore(from)
    return {
      records,
      next: hasNext ? { after: last !== undefined ? last.seq : this.seqAt(to) - 1 } : null,
      previous: hasPrevious ? { before: first !== undefined ? first.seq : this.seqAt(from) } : null
    }
  }

  private seqAt (index: number): number {
    const record = this.slots[index]
    return record === undefined ? this.nextSeq : record.seq
  }

  private liveIn (from: number, to: number): boolean {
    for (let i = from; i < to; i++) if ((this.slots[i] as T).deleted !== true) return true
    return false
  }

  private liveBefore (index: number): boolean {
    for (let i = index - 1; i >= 0; i--) if ((this.slots[i] as T).deleted !== true) return true
    return false
  }

  /** Index of the first slot whose seq is greater than `seq` (binary search: slots are in seq order). */
  private firstIndexAfter (seq: number): number {
    let lo = 0
    let hi = this.slots.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.slots[mid] as T).seq <= seq) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  private compact (): void {
    this.slots = this.slots.filter((record) => record.deleted !== true)
    this.bySid.rebuild(this.slots)
    this.removed = 0
  }
}
