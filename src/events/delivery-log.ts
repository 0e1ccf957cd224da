// Every delivery, per account, newest last, bounded (the oldest are dropped first and counted), plus the
// wait primitive: resolve once N matching deliveries have reached a final status. Waits are woken by the
// dispatcher's "finished" notifications, never by polling.
import type { VerifyEventType } from './event.js'
import { isFinal, type DeliveryRecord, type DeliveryStatus } from './delivery-record.js'

export interface DeliveryFilter {
  serviceSid?: string
  webhookSid?: string
  type?: VerifyEventType
  status?: DeliveryStatus
}

export type WaitOutcome =
  | { kind: 'satisfied' }
  | { kind: 'timeout', matched: number }
  /** The emulator is shutting down, or the waiting client went away. */
  | { kind: 'ended', reason: 'closing' | 'cancelled' }

interface Waiter {
  filter: DeliveryFilter
  wanted: number
  matched: number
  settle: (outcome: WaitOutcome) => void
}

interface AccountLog {
  /** Oldest first; entries before `head` were dropped. */
  entries: Array<DeliveryRecord | undefined>
  head: number
  dropped: number
  waiters: Set<Waiter>
}

export function matches (filter: DeliveryFilter, record: DeliveryRecord): boolean {
  return (filter.serviceSid === undefined || record.serviceSid === filter.serviceSid) &&
    (filter.webhookSid === undefined || record.webhookSid === filter.webhookSid) &&
    (filter.type === undefined || record.event.type === filter.type) &&
    (filter.status === undefined || record.status === filter.status)
}

export class DeliveryLog {
  private readonly accounts = new Map<string, AccountLog>()
  /** Cleared deliveries that may still be in flight: their completion must not count towards waits. */
  private readonly forgotten = new WeakSet<DeliveryRecord>()
  private closing = false

  /** `limit`: most deliveries kept per account. */
  constructor (private readonly limit: number) {}

  private accountLog (accountSid: string): AccountLog {
    let log = this.accounts.get(accountSid)
    if (log === undefined) {
      log = { entries: [], head: 0, dropped: 0, waiters: new Set() }
      this.accounts.set(accountSid, log)
    }
    return log
  }

  add (record: DeliveryRecord): void {
    const log = this.accountLog(record.accountSid)
    log.entries.push(record)
    if (log.entries.length - log.head > this.limit) {
      log.entries[log.head] = undefined
      log.head++
      log.dropped++
      // Reclaim the dropped slots in one go once they are half the array (amortized O(1) per add).
      if (log.head >= 1024 && log.head * 2 >= log.entries.length) {
        log.entries = log.entries.slice(log.head)
        log.head = 0
      }
    }
  }

  /** Matching deliveries of one account, oldest first, and how many of its deliveries were dropped. */
  list (accountSid: string, filter: DeliveryFilter): { deliveries: DeliveryRecord[], dropped: number } {
    const log = this.accounts.get(accountSid)
    if (log === undefined) return { deliveries: [], dropped: 0 }
    const deliveries: DeliveryRecord[] = []
    for (let i = log.head; i < log.entries.length; i++) {
      const record = log.entries[i] as DeliveryRecord
      if (matches(filter, record)) deliveries.push(record)
    }
    return { deliveries, dropped: log.dropped }
  }

  /** Called by the dispatcher once per delivery, when it reaches a final status. */
  finished (record: DeliveryRecord): void {
    const log = this.accounts.get(record.accountSid)
    if (log === undefined || this.forgotten.has(record)) return
    for (const waiter of log.waiters) {
      if (!matches(waiter.filter, record)) continue
      waiter.matched++
      if (waiter.matched >= waiter.wanted) waiter.settle({ kind: 'satisfied' })
    }
  }

  /**
   * Resolves once `wanted` deliveries matching `filter` are in a final status (at once if they already
   * are), or with `timeout` after `timeoutMs`. Aborting `cancel` (the client left) ends the wait.
   */
  async waitFor (accountSid: string, filter: DeliveryFilter, wanted: number, timeoutMs: number, cancel?: AbortSignal): Promise<WaitOutcome> {
    if (this.closing) return { kind: 'ended', reason: 'closing' }
    const log = this.accountLog(accountSid)
    let matched = 0
    for (let i = log.head; i < log.entries.length; i++) {
      const record = log.entries[i] as DeliveryRecord
      if (isFinal(record.status) && matches(filter, record)) matched++
    }
    if (matched >= wanted) return { kind: 'satisfied' }
    if (cancel?.aborted === true) return { kind: 'ended', reason: 'cancelled' }

    return await new Promise<WaitOutcome>((resolve) => {
      const onCancel = (): void => waiter.settle({ kind: 'ended', reason: 'cancelled' })
      // Not unref'd: the wait is a request someone is waiting for (with inject() nothing else may keep the
      // process alive). It is bounded by MAX_WAIT_MS and cleared by endWaits() at shutdown.
      const timer = setTimeout(() => waiter.settle({ kind: 'timeout', matched: waiter.matched }), timeoutMs)
      const waiter: Waiter = {
        filter,
        wanted,
        matched,
        settle: (outcome) => {
          log.waiters.delete(waiter)
          clearTimeout(timer)
          cancel?.removeEventListener('abort', onCancel)
          resolve(outcome)
        }
      }
      log.waiters.add(waiter)
      cancel?.addEventListener('abort', onCancel, { once: true })
    })
  }

  /** Forgets one account's deliveries and dropped count; its pending waits start counting from zero. */
  clearAccount (accountSid: string): void {
    const log = this.accounts.get(accountSid)
    if (log === undefined) return
    for (let i = log.head; i < log.entries.length; i++) {
      const record = log.entries[i] as DeliveryRecord
      if (!isFinal(record.status)) this.forgotten.add(record)
    }
    if (log.waiters.size === 0) {
      this.accounts.delete(accountSid)
      return
    }
    log.entries = []
    log.head = 0
    log.dropped = 0
    for (const waiter of log.waiters) waiter.matched = 0
  }

  /** Shutdown: ends every pending wait so no request stays open, and refuses new ones. */
  endWaits (): void {
    this.closing = true
    for (const log of this.accounts.values()) {
      for (const waiter of [...log.waiters]) waiter.settle({ kind: 'ended', reason: 'closing' })
    }
  }
}
