// Injected faults, per account: what a fault matches (API requests by method, path or operation; event
// deliveries by event type, service or webhook), what it does (a Twilio error, latency, a dropped
// connection, a duplicated delivery), how many times, and with which probability (seeded, repeatable).
import type { VerifyEventType } from '../events/event.js'
import { globToRegExp } from './glob.js'
import { operationOf, type Operation } from './operations.js'
import { mulberry32 } from './prng.js'

export const FAULT_TARGETS = ['api', 'delivery'] as const
export type FaultTarget = (typeof FAULT_TARGETS)[number]

export interface FaultSpec {
  target: FaultTarget
  /** API matchers (all given ones must match). */
  method?: string
  path?: string
  operation?: Operation
  /** Delivery matchers (all given ones must match). */
  eventType?: VerifyEventType
  serviceSid?: string
  webhookSid?: string
  /** Effects: an error answer (or, for deliveries, the receiver's answer), latency, a dropped connection. */
  status?: number
  code?: number
  message?: string
  /** Seconds, sent as Retry-After with the error. */
  retryAfter?: number
  delayMs?: number
  drop?: boolean
  /** Deliveries only: the request is sent twice. */
  duplicate?: boolean
  times: number
  probability: number
  seed: number
}

/** What a delivery attempt exposes to matchers (a subset of the dispatcher's DeliveryRecord). */
export interface DeliveryProbe {
  accountSid: string
  serviceSid: string
  webhookSid: string
  event: { type: string }
}

export class Fault {
  remaining: number
  /** Times the fault fired. */
  applied = 0
  private readonly pathPattern: RegExp | undefined
  private readonly random: () => number

  constructor (readonly id: string, readonly spec: Readonly<FaultSpec>, readonly createdAt: number) {
    this.remaining = spec.times
    this.pathPattern = spec.path === undefined ? undefined : globToRegExp(spec.path)
    this.random = mulberry32(spec.seed)
  }

  matchesRequest (method: string, path: string, route: string | undefined): boolean {
    const spec = this.spec
    if (spec.method !== undefined && spec.method !== method) return false
    if (this.pathPattern !== undefined && !this.pathPattern.test(path)) return false
    return spec.operation === undefined || spec.operation === operationOf(method, route)
  }

  matchesDelivery (delivery: DeliveryProbe): boolean {
    const spec = this.spec
    return (spec.eventType === undefined || spec.eventType === delivery.event.type) &&
      (spec.serviceSid === undefined || spec.serviceSid === delivery.serviceSid) &&
      (spec.webhookSid === undefined || spec.webhookSid === delivery.webhookSid)
  }

  /** Draws against the probability; when the fault fires, one of its times is used up. */
  fires (): boolean {
    if (this.spec.probability < 1 && this.random() >= this.spec.probability) return false
    this.remaining--
    this.applied++
    return true
  }
}

export class FaultRegistry {
  private readonly byAccount = new Map<string, Fault[]>()
  /** Active API faults over all accounts: while 0, the request hook returns at once. */
  private apiFaults = 0

  get hasApiFaults (): boolean {
    return this.apiFaults > 0
  }

  add (accountSid: string, fault: Fault): void {
    let faults = this.byAccount.get(accountSid)
    if (faults === undefined) {
      faults = []
      this.byAccount.set(accountSid, faults)
    }
    faults.push(fault)
    if (fault.spec.target === 'api') this.apiFaults++
  }

  /** Active faults of an account, oldest first. */
  list (accountSid: string): readonly Fault[] {
    return this.byAccount.get(accountSid) ?? []
  }

  remove (accountSid: string, id: string): boolean {
    const faults = this.byAccount.get(accountSid)
    const index = faults?.findIndex((fault) => fault.id === id) ?? -1
    if (faults === undefined || index === -1) return false
    this.drop(accountSid, faults, index)
    return true
  }

  clear (accountSid: string): void {
    for (const fault of this.byAccount.get(accountSid) ?? []) if (fault.spec.target === 'api') this.apiFaults--
    this.byAccount.delete(accountSid)
  }

  /** The first fault of the account that matches the API request and fires, if any. */
  takeForRequest (accountSid: string, method: string, path: string, route: string | undefined): Fault | undefined {
    return this.take(accountSid, (fault) => fault.spec.target === 'api' && fault.matchesRequest(method, path, route))
  }

  /** The first fault of the delivery's account that matches the delivery attempt and fires, if any. */
  takeForDelivery (delivery: DeliveryProbe): Fault | undefined {
    return this.take(delivery.accountSid, (fault) => fault.spec.target === 'delivery' && fault.matchesDelivery(delivery))
  }

  private take (accountSid: string, matches: (fault: Fault) => boolean): Fault | undefined {
    const faults = this.byAccount.get(accountSid)
    if (faults === undefined) return undefined
    for (let i = 0; i < faults.length; i++) {
      const fault = faults[i] as Fault
      if (!matches(fault) || !fault.fires()) continue
      if (fault.remaining <= 0) this.drop(accountSid, faults, i)
      return fault
    }
    return undefined
  }

  private drop (accountSid: string, faults: Fault[], index: number): void {
    const [removed] = faults.splice(index, 1)
    if (removed?.spec.target === 'api') this.apiFaults--
    if (faults.length === 0) this.byAccount.delete(accountSid)
  }
}
