// The fault-injection point of the dispatcher: a hook consulted before every attempt of every delivery.
// The dispatcher only applies what the hook answers; deciding which faults to inject is the hook's job.
import type { DeliveryRecord } from './delivery-record.js'

export interface AttemptFault {
  /** Wait this long before the attempt; the delivery stays queued and holds no concurrency slot. */
  delayMs?: number
  /** The connection drops: the attempt fails (60330) and no request is sent. */
  drop?: boolean
  /** Send the same request twice (same signature and idempotency token); the first answer decides. */
  duplicate?: boolean
  /** Send nothing and record the attempt as if the receiver had answered this HTTP status (200 = success). */
  status?: number
}

/**
 * Called when an attempt is scheduled (attemptNumber 1 for the first). Return undefined for a normal
 * attempt. A hook that throws fails that attempt, with the error in the delivery log.
 */
export type BeforeAttemptHook = (delivery: Readonly<DeliveryRecord>, attemptNumber: number) => AttemptFault | undefined

/** setTimeout's largest delay; longer ones would fire at once. */
const MAX_DELAY_MS = 2 ** 31 - 1

/** The fault with out-of-range values dropped, or null when it asks for nothing. */
export function normalizeFault (fault: AttemptFault | undefined): AttemptFault | null {
  if (fault === undefined || fault === null) return null
  const normalized: AttemptFault = {}
  if (typeof fault.delayMs === 'number' && fault.delayMs > 0) normalized.delayMs = Math.min(Math.ceil(fault.delayMs), MAX_DELAY_MS)
  if (fault.drop === true) normalized.drop = true
  if (fault.duplicate === true) normalized.duplicate = true
  if (Number.isInteger(fault.status) && (fault.status as number) >= 100 && (fault.status as number) <= 599) normalized.status = fault.status as number
  return Object.keys(normalized).length === 0 ? null : normalized
}
