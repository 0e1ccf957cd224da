// The request journal: per account, the last N API requests in a ring buffer, so recording is a
// constant-time push on the request path and memory stays bounded. The parsed query and form body are
// kept as one JSON string each: a kept entry outlives young-generation collections, and a flat string
// costs the old-generation collector nothing to trace, where the parsed objects did (measured: most of
// the journal's share of the p99 latency in npm run bench).

export interface JournalEntry {
  /** Epoch milliseconds when the response was sent (or the connection dropped). */
  time: number
  method: string
  /** The URL as sent, query string included; split when read. */
  url: string
  /** The matched route pattern (request.routeOptions.url), for the operation name. */
  route: string | undefined
  /** The parsed query as JSON, or undefined when there was none. */
  query: string | undefined
  /** The parsed form body as JSON (undefined for requests without one). */
  params: string | undefined
  /** HTTP status sent; 0 when the connection was dropped by a fault. */
  status: number
  /** Twilio error code of an error response; 0 for successes. */
  errorCode: number
}

class RingBuffer<T> {
  private readonly items: T[] = []
  private start = 0
  /** Entries pushed out by newer ones since the last clear. */
  dropped = 0

  constructor (private readonly capacity: number) {}

  push (item: T): void {
    if (this.items.length < this.capacity) {
      this.items.push(item)
      return
    }
    this.items[this.start] = item
    this.start = (this.start + 1) % this.capacity
    this.dropped++
  }

  /** Oldest first. */
  toArray (): T[] {
    return this.start === 0 ? this.items.slice() : [...this.items.slice(this.start), ...this.items.slice(0, this.start)]
  }
}

export interface JournalSnapshot {
  entries: JournalEntry[]
  /** Older entries dropped to keep the journal within its limit. */
  dropped: number
}

/** A parsed query or form body as JSON, for a journal entry; undefined when empty or not an object. */
export function paramsJson (value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  for (const _key in value) return JSON.stringify(value)
  return undefined
}

export class RequestJournal {
  private readonly byAccount = new Map<string, RingBuffer<JournalEntry>>()

  /** `limit` entries are kept per account; 0 records nothing. */
  constructor (readonly limit: number) {}

  get enabled (): boolean {
    return this.limit > 0
  }

  record (accountSid: string, entry: JournalEntry): void {
    let buffer = this.byAccount.get(accountSid)
    if (buffer === undefined) {
      buffer = new RingBuffer<JournalEntry>(this.limit)
      this.byAccount.set(accountSid, buffer)
    }
    buffer.push(entry)
  }

  snapshot (accountSid: string): JournalSnapshot {
    const buffer = this.byAccount.get(accountSid)
    return buffer === undefined ? { entries: [], dropped: 0 } : { entries: buffer.toArray(), dropped: buffer.dropped }
  }

  clear (accountSid: string): void {
    this.byAccount.delete(accountSid)
  }
}
