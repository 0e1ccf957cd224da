// The request journal: per account, the last N API requests in a ring buffer, so memory stays bounded.
// The parsed query and form body are recorded as packed text (packParams) and read back as JSON text.

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

/** An API request as the recorder hands it over: its query and form body still the parsed objects. */
export interface RecordedRequest extends Omit<JournalEntry, 'query' | 'params'> {
  accountSid: string
  query: unknown
  body: unknown
}

// How entries are kept: nothing of a kept entry is a JavaScript object. An entry lives for the next
// `limit` requests of its account (a fraction of a second under load), long enough to be copied and
// promoted by the young-generation collector and then die in the old generation; kept as objects and
// strings, they were most of the emulator's p99 latency in npm run bench (measured: create p99 1.89x the
// baseline's with them kept, 1.39x without). So numbers go into typed arrays, method and route into
// indexes of shared tables, and the texts (URL, packed query and params) into a fixed region of bytes per
// slot; the rare entry whose texts do not fit keeps them as strings.

/** Bytes per slot for the URL and the packed query and params together. */
const SLOT_BYTES = 512
/** Slots per block of text bytes: blocks are added as the journal fills, up to its limit. */
const BLOCK_SLOTS = 256
/** Text length marking an absent query or params. */
const ABSENT = 0xffff
/** Text length marking texts kept as strings (did not fit the slot). */
const OVERSIZED = 0xfffe

/** The few strings entries repeat (HTTP methods, route patterns), each stored once and referred to by number. */
class StringTable {
  private readonly ids = new Map<string | undefined, number>([[undefined, 0]])
  private readonly values: Array<string | undefined> = [undefined]

  id (value: string | undefined): number {
    let id = this.ids.get(value)
    if (id === undefined) {
      id = this.values.length
      this.values.push(value)
      this.ids.set(value, id)
    }
    return id
  }

  value (id: number): string | undefined {
    return this.values[id]
  }
}

// Methods and route patterns are the HTTP methods and the routes registered: a few dozen at most.
const methods = new StringTable()
const routes = new StringTable()

/**
 * One account's last `limit` entries, oldest dropped first. The texts are written as UTF-8, which gives
 * back exactly what was written: the URL comes from Node's parser as Latin-1, and JSON.stringify writes
 * lone surrogates as escapes.
 */
class JournalRing {
  private count = 0
  private start = 0
  /** Entries pushed out by newer ones since the last clear. */
  dropped = 0
  private capacity = 0
  private times = new Float64Array(0)
  private statuses = new Uint16Array(0)
  private errorCodes = new Uint32Array(0)
  private methodIds = new Uint16Array(0)
  private routeIds = new Uint16Array(0)
  /** Per slot: byte lengths of URL, query and params. */
  private textLengths = new Uint16Array(0)
  private readonly blocks: Buffer[] = []
  private readonly oversized = new Map<number, [string, string | undefined, string | undefined]>()

  constructor (private readonly limit: number) {}

  push (request: RecordedRequest, query: string | undefined, params: string | undefined): void {
    let slot: number
    if (this.count < this.limit) {
      slot = this.count++
      if (slot === this.capacity) this.grow()
    } else {
      slot = this.start
      this.start = (this.start + 1) % this.limit
      this.dropped++
    }
    this.times[slot] = request.time
    this.statuses[slot] = request.status
    this.errorCodes[slot] = request.errorCode
    this.methodIds[slot] = methods.id(request.method)
    this.routeIds[slot] = routes.id(request.route)
    if (this.oversized.size > 0) this.oversized.delete(slot)
    if (!this.writeTexts(slot, request.url, query, params)) {
      this.oversized.set(slot, [request.url, query, params])
      this.textLengths[slot * 3] = OVERSIZED
    }
  }

  /** Oldest first. */
  toArray (): JournalEntry[] {
    const entries: JournalEntry[] = []
    for (let i = 0; i < this.count; i++) entries.push(this.read((this.start + i) % this.count))
    return entries
  }

  private grow (): void {
    const capacity = Math.min(this.limit, Math.max(BLOCK_SLOTS, this.capacity * 2))
    const larger = <A extends Float64Array | Uint16Array | Uint32Array>(old: A, size: number): A => {
      const array = new (old.constructor as new (n: number) => A)(size)
      array.set(old)
      return array
    }
    this.times = larger(this.times, capacity)
    this.statuses = larger(this.statuses, capacity)
    this.errorCodes = larger(this.errorCodes, capacity)
    this.methodIds = larger(this.methodIds, capacity)
    this.routeIds = larger(this.routeIds, capacity)
    this.textLengths = larger(this.textLengths, capacity * 3)
    while (this.blocks.length * BLOCK_SLOTS < capacity) this.blocks.push(Buffer.allocUnsafeSlow(BLOCK_SLOTS * SLOT_BYTES))
    this.capacity = capacity
  }

  /** Writes the three texts into the slot's bytes; false when they do not fit. */
  private writeTexts (slot: number, url: string, query: string | undefined, params: string | undefined): boolean {
    const block = this.blocks[Math.floor(slot / BLOCK_SLOTS)] as Buffer
    const start = (slot % BLOCK_SLOTS) * SLOT_BYTES
    const end = start + SLOT_BYTES
    let offset = this.writeText(block, slot * 3, url, start, end)
    if (offset >= 0) offset = this.writeText(block, slot * 3 + 1, query, offset, end)
    if (offset >= 0) offset = this.writeText(block, slot * 3 + 2, params, offset, end)
    return offset >= 0
  }

  /** Writes one text at `offset` and records its length; returns where the next one goes, or -1 when it does not fit. */
  private writeText (block: Buffer, lengthIndex: number, text: string | undefined, offset: number, end: number): number {
    if (text === undefined) {
      this.textLengths[lengthIndex] = ABSENT
      return offset
    }
    const free = end - offset
    // At most 3 bytes per UTF-16 unit; the exact count is taken only when that bound does not fit.
    if (text.length * 3 > free && Buffer.byteLength(text) > free) return -1
    const written = block.write(text, offset, free, 'utf8')
    this.textLengths[lengthIndex] = written
    return offset + written
  }

  private read (slot: number): JournalEntry {
    let url: string
    let query: string | undefined
    let params: string | undefined
    const kept = this.textLengths[slot * 3] === OVERSIZED ? this.oversized.get(slot) : undefined
    if (kept !== undefined) {
      [url, query, params] = kept
    } else {
      const block = this.blocks[Math.floor(slot / BLOCK_SLOTS)] as Buffer
      let offset = (slot % BLOCK_SLOTS) * SLOT_BYTES
      const texts: Array<string | undefined> = []
      for (let i = 0; i < 3; i++) {
        const length = this.textLengths[slot * 3 + i] as number
        if (length === ABSENT) {
          texts.push(undefined)
        } else {
          texts.push(block.toString('utf8', offset, offset + length))
          offset += length
        }
      }
      url = texts[0] as string
      query = texts[1]
      params = texts[2]
    }
    return {
      time: this.times[slot] as number,
      method: methods.value(this.methodIds[slot] as number) as string,
      url,
      route: routes.value(this.routeIds[slot] as number),
      query: query === undefined ? undefined : unpackParams(query),
      params: params === undefined ? undefined : unpackParams(params),
      status: this.statuses[slot] as number,
      errorCode: this.errorCodes[slot] as number
    }
  }
}

export interface JournalSnapshot {
  entries: JournalEntry[]
  /** Older entries dropped to keep the journal within its limit. */
  dropped: number
}

// A parsed query or form body is kept in a packed text that needs no escaping, and is turned into JSON only
// when the journal is read: JSON.stringify of a create's form cost ~1.6 µs per request on the bench machine
// (most of the journal's cost), the packed text about a third of that. A form is a flat object of strings
// and lists of strings: 'F', then per key its length, ':', the key, and either 's', the value's length, ':'
// and the value, or 'a', the list's length, ':' and each item as length, ':' and text. Anything else (a
// number a query schema coerced, a lone surrogate, which UTF-8 would not give back) is kept as 'J' and its
// JSON text.

/** The packed text of a parsed query or form body; undefined when it has no keys or is not an object. */
export function packParams (value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  // Own enumerable keys, in JSON.stringify's order.
  const keys = Object.keys(value)
  if (keys.length === 0) return undefined
  const form = value as Record<string, unknown>
  let packed = 'F'
  for (const key of keys) {
    const field = form[key]
    packed += key.length + ':' + key
    if (typeof field === 'string') {
      packed += 's' + field.length + ':' + field
    } else if (Array.isArray(field)) {
      packed += 'a' + field.length + ':'
      for (const item of field as unknown[]) {
        if (typeof item !== 'string') return 'J' + JSON.stringify(value)
        packed += item.length + ':' + item
      }
    } else {
      return 'J' + JSON.stringify(value)
    }
  }
  // String.prototype.isWellFormed (Node 20) is not in the ES2023 library types.
  return (packed as unknown as { isWellFormed: () => boolean }).isWellFormed() ? packed : 'J' + JSON.stringify(value)
}

/** JSON text of a packed query or form body: what JSON.stringify gave for the object packed. */
export function unpackParams (packed: string): string {
  if (packed.startsWith('J')) return packed.slice(1)
  let at = 1
  /** The number written at `at` and its ':', advancing past them. */
  const nextNumber = (): number => {
    const colon = packed.indexOf(':', at)
    const number = Number(packed.slice(at, colon))
    at = colon + 1
    return number
  }
  /** The text after its length at `at`, advancing past it. */
  const nextText = (): string => {
    const length = nextNumber()
    at += length
    return packed.slice(at - length, at)
  }
  const fields: string[] = []
  while (at < packed.length) {
    const key = JSON.stringify(nextText())
    if (packed[at++] === 's') {
      fields.push(key + ':' + JSON.stringify(nextText()))
    } else {
      const items: string[] = []
      for (let count = nextNumber(); count > 0; count--) items.push(JSON.stringify(nextText()))
      fields.push(key + ':[' + items.join(',') + ']')
    }
  }
  return '{' + fields.join(',') + '}'
}

export class RequestJournal {
  private readonly byAccount = new Map<string, JournalRing>()
  /**
   * Requests recorded in this turn of the event loop, filed once its requests are handled (setImmediate)
   * and before any read: the request path only keeps references, and the JSON and the ring's bytes are
   * written for the whole turn back to back, with their code and data still in the CPU caches (create
   * 0.72-0.74 -> 0.76-0.79 of the baseline's req/s in paired runs of npm run bench's create case).
   */
  private pending: RecordedRequest[] = []

  /** `limit` entries are kept per account; 0 records nothing. */
  constructor (readonly limit: number) {}

  get enabled (): boolean {
    return this.limit > 0
  }

  record (request: RecordedRequest): void {
    if (this.pending.push(request) === 1) setImmediate(this.fileRecorded)
  }

  private readonly fileRecorded = (): void => {
    const requests = this.pending
    if (requests.length === 0) return
    this.pending = []
    for (const request of requests) {
      let buffer = this.byAccount.get(request.accountSid)
      if (buffer === undefined) {
        buffer = new JournalRing(this.limit)
        this.byAccount.set(request.accountSid, buffer)
      }
      buffer.push(request, packParams(request.query), packParams(request.body))
    }
  }

  snapshot (accountSid: string): JournalSnapshot {
    this.fileRecorded()
    const buffer = this.byAccount.get(accountSid)
    return buffer === undefined ? { entries: [], dropped: 0 } : { entries: buffer.toArray(), dropped: buffer.dropped }
  }

  clear (accountSid: string): void {
    this.fileRecorded()
    this.byAccount.delete(accountSid)
  }
}
