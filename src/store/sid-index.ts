// SID → position in an OrderedCollection's slots, as an open-addressing hash table in two typed arrays.
// Why not a Map<string, record>: at the sizes the emulator is run at (10⁵–10⁶ webhooks in one Service),
// Map.set cost ~3 µs per create on the bench machine against ~1 µs for this table (npm run bench profile,
// create case): a Map walks its bucket chain through the key strings, each a cache miss, while this
// table compares 32-bit hashes held in the table itself and reads a record only when its hash matches.
// The table also holds no pointers, so the garbage collector never scans it.

/** FNV-1a over the UTF-16 code units. */
function hashOf (sid: string): number {
  let hash = 0x811c9dc5 | 0
  for (let i = 0; i < sid.length; i++) hash = Math.imul(hash ^ sid.charCodeAt(i), 0x01000193)
  return hash
}

// Small: every Service (and every account) has a table of its own, most of them holding a few records.
const MIN_CAPACITY = 8
/** Position value of an empty cell. Cells hold position + 1, so positions start at 1. */
const EMPTY = 0
/** Position value of a removed entry: probing goes on past it. */
const REMOVED = -1

/** The records indexed, by position; a record marked deleted is never found. */
export type Slots = ReadonlyArray<{ sid: string, deleted?: true }>

export class SidIndex {
  private hashes = new Int32Array(MIN_CAPACITY)
  private positions = new Int32Array(MIN_CAPACITY)
  private mask = MIN_CAPACITY - 1
  /** Live entries. */
  size = 0
  /** Live and removed cells: the table grows (or is rewritten without the removed ones) at half full. */
  private occupied = 0

  /** Indexes the record at `position` under `sid`, in place of a live record with the same SID (as Map.set would). */
  add (sid: string, position: number, slots: Slots): void {
    if ((this.occupied + 1) * 2 > this.positions.length) this.resize(this.size + 1)
    const hash = hashOf(sid)
    const found = this.probe(sid, hash, slots)
    if (found >= 0) {
      this.positions[found] = position + 1
      return
    }
    const empty = -found - 1
    this.positions[empty] = position + 1
    this.hashes[empty] = hash
    this.size++
    this.occupied++
  }

  /** Position in `slots` of the live record with this SID, or -1. */
  find (sid: string, slots: Slots): number {
    const cell = this.cellOf(sid, slots)
    return cell < 0 ? -1 : (this.positions[cell] as number) - 1
  }

  /** Drops the live record with this SID from the index; returns its position in `slots`, or -1. */
  remove (sid: string, slots: Slots): number {
    const cell = this.cellOf(sid, slots)
    if (cell < 0) return -1
    const position = (this.positions[cell] as number) - 1
    this.positions[cell] = REMOVED
    this.size--
    return position
  }

  /** Indexes every live record of `slots` afresh (after they were compacted or cleared). */
  rebuild (slots: Slots): void {
    this.allocate(slots.length)
    for (let i = 0; i < slots.length; i++) {
      const record = slots[i] as { sid: string, deleted?: true }
      if (record.deleted !== true) this.add(record.sid, i, slots)
    }
  }

  private cellOf (sid: string, slots: Slots): number {
    const found = this.probe(sid, hashOf(sid), slots)
    return found >= 0 ? found : -1
  }

  /** The cell of the live record with this SID, or -(c + 1) for the empty cell c where probing stopped. */
  private probe (sid: string, hash: number, slots: Slots): number {
    for (let cell = hash & this.mask; ; cell = (cell + 1) & this.mask) {
      const stored = this.positions[cell] as number
      if (stored === EMPTY) return -cell - 1
      if (stored !== REMOVED && this.hashes[cell] === hash) {
        const record = slots[stored - 1]
        if (record !== undefined && record.sid === sid && record.deleted !== true) return cell
      }
    }
  }

  private place (hash: number, stored: number): void {
    let cell = hash & this.mask
    while (this.positions[cell] !== EMPTY) cell = (cell + 1) & this.mask
    this.positions[cell] = stored
    this.hashes[cell] = hash
  }

  /** Rewrites the live entries into a table sized for `entries` (removed cells are dropped). */
  private resize (entries: number): void {
    const hashes = this.hashes
    const positions = this.positions
    this.allocate(entries)
    for (let cell = 0; cell < positions.length; cell++) {
      const stored = positions[cell] as number
      if (stored > 0) {
        this.place(hashes[cell] as number, stored)
        this.occupied++
      }
    }
    this.size = this.occupied
  }

  /** An empty table that holds `entries` at most half full. */
  private allocate (entries: number): void {
    let capacity = MIN_CAPACITY
    while (capacity < entries * 2) capacity *= 2
    this.hashes = new Int32Array(capacity)
    this.positions = new Int32Array(capacity)
    this.mask = capacity - 1
    this.size = 0
    this.occupied = 0
  }
}
