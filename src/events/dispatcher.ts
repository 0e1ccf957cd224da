// Sends events to webhooks: one independent delivery per (event, webhook), attempts run from a FIFO
// queue with at most `concurrency` in flight, failed attempts are retried after a doubling backoff when
// retries are configured, and shutdown cancels what has not started and cuts the rest at a deadline.
import { randomUUID } from 'node:crypto'
import type { Clock } from '../clock.js'
import type { Config } from '../config.js'
import type { SidGenerator } from '../sid.js'
import type { WebhookRecord } from '../store/records.js'
import { isWebhookUrl } from '../webhooks/url.js'
import { normalizeFault, type AttemptFault, type BeforeAttemptHook } from './attempt-hook.js'
import { DeliveryLog } from './delivery-log.js'
import { WEBHOOK_FAILED_CODE, type DeliveryAttempt, type DeliveryRecord } from './delivery-record.js'
import { subscribesTo, type VerifyEvent } from './event.js'
import { postForm, type PostResult } from './http-post.js'
import { buildDeliveryRequest, formBody } from './request.js'

export interface DispatcherSettings {
  /** Per attempt, for the whole exchange. */
  timeoutMs: number
  /** How long close() lets in-flight attempts run before cutting them; default timeoutMs. */
  shutdownGraceMs?: number
  /** Attempts after the first one, for failed deliveries. */
  retries: number
  /** Delay before retry n is backoffMs · 2^(n-1): 1000, 2000, 4000… */
  backoffMs: number
  concurrency: number
  /** Most deliveries pending (queued, in flight or waiting for a retry); beyond it they are cancelled. */
  queueLimit?: number
}

interface Job {
  record: DeliveryRecord
  /** Form-encoded once: every attempt sends the same bytes. */
  body: string
  /** Decided by the hook for the pending attempt. */
  fault: AttemptFault | null
  hookError: string | null
  /** A pending retry backoff or injected delay. */
  timer: NodeJS.Timeout | null
  /** Cuts the attempt in flight. */
  abort: AbortController | null
}

const FAILED = 'Failed to invoke the webhook'
const MAX_TIMER_MS = 2 ** 31 - 1

export class DeliveryDispatcher {
  readonly log: DeliveryLog
  /** Fault-injection point, consulted before every attempt; set or clear it at any time. */
  beforeAttempt: BeforeAttemptHook | undefined = undefined

  private readonly settings: DispatcherSettings
  private readonly clock: Clock
  private readonly newSid: SidGenerator
  private readonly queue: Array<Job | undefined> = []
  private queueHead = 0
  private readonly inFlight = new Set<Job>()
  /** Jobs waiting on a timer (retry backoff or injected delay). */
  private readonly waiting = new Set<Job>()
  private pumpScheduled = false
  private closing = false
  private graceTimer: NodeJS.Timeout | null = null
  /** Resolvers of close() calls waiting for the last in-flight attempt. */
  private readonly drainWaiters: Array<() => void> = []

  constructor (settings: DispatcherSettings, log: DeliveryLog, clock: Clock, newSid: SidGenerator) {
    this.settings = { ...settings, concurrency: Math.max(1, settings.concurrency), retries: Math.max(0, settings.retries) }
    this.log = log
    this.clock = clock
    this.newSid = newSid
  }

  /** Deliveries waiting for a free slot, in flight, or waiting for a retry; for diagnostics and tests. */
  get pending (): number {
    return this.queue.length - this.queueHead + this.inFlight.size + this.waiting.size
  }

  /**
   * Creates one queued delivery per enabled webhook subscribed to the event, in webhook order, and
   * returns them; sending starts after the current tick, so the caller sees them all `queued`.
   */
  dispatch (event: VerifyEvent, webhooks: readonly WebhookRecord[], authToken: string): DeliveryRecord[] {
    const records: DeliveryRecord[] = []
    for (const webhook of webhooks) {
      if (webhook.status !== 'enabled' || !subscribesTo(webhook.eventTypes, event.type)) continue
      const request = buildDeliveryRequest(event, webhook, authToken, randomUUID())
      const record: DeliveryRecord = {
        sid: this.newSid('DL'),
        accountSid: event.accountSid,
        serviceSid: event.serviceSid,
        webhookSid: webhook.sid,
        webhookVersion: webhook.version,
        event: { uuid: event.uuid, type: event.type },
        request,
        status: 'queued',
        attempts: [],
        createdAt: this.clock(),
        nextAttemptAt: null,
        finishedAt: null,
        cancelReason: null
      }
      this.log.add(record)
      records.push(record)
      const job: Job = { record, body: formBody(request.params), fault: null, hookError: null, timer: null, abort: null }
      if (this.closing) this.cancel(job, 'the emulator is shutting down')
      else if (this.pending >= (this.settings.queueLimit ?? Infinity)) this.cancel(job, 'the delivery queue is full (DELIVERY_QUEUE_LIMIT)')
      else this.prepareAttempt(job)
    }
    this.schedulePump()
    return records
  }

  /** Asks the hook about the next attempt, then queues it (after the injected delay, if any). */
  private prepareAttempt (job: Job): void {
    job.fault = null
    job.hookError = null
    const hook = this.beforeAttempt
    if (hook !== undefined) {
      try {
        job.fault = normalizeFault(hook(job.record, job.record.attempts.length + 1))
      } catch (err) {
        job.hookError = err instanceof Error ? err.message : String(err)
      }
    }
    const delay = job.fault?.delayMs ?? 0
    if (delay > 0) this.after(job, delay, () => { this.enqueue(job) })
    else this.enqueue(job)
  }

  private enqueue (job: Job): void {
    job.record.status = 'queued'
    job.record.nextAttemptAt = null
    this.queue.push(job)
  }

  /** Runs `then` after `ms` without holding a slot or keeping the process alive. */
  private after (job: Job, ms: number, then: () => void): void {
    job.record.nextAttemptAt = this.clock() + ms
    this.waiting.add(job)
    job.timer = setTimeout(() => {
      this.waiting.delete(job)
      job.timer = null
      then()
      this.pump()
    }, Math.min(ms, MAX_TIMER_MS))
    job.timer.unref()
  }

  private schedulePump (): void {
    if (this.pumpScheduled) return
    this.pumpScheduled = true
    queueMicrotask(() => {
      this.pumpScheduled = false
      this.pump()
    })
  }

  /** Starts queued attempts while slots are free. */
  private pump (): void {
    while (this.inFlight.size < this.settings.concurrency && this.queueHead < this.queue.length) {
      const job = this.queue[this.queueHead] as Job
      this.queue[this.queueHead] = undefined
      this.queueHead++
      void this.runAttempt(job)
    }
    if (this.queueHead === this.queue.length) {
      this.queue.length = 0
      this.queueHead = 0
    } else if (this.queueHead >= 1024 && this.queueHead * 2 >= this.queue.length) {
      this.queue.splice(0, this.queueHead)
      this.queueHead = 0
    }
  }

  private async runAttempt (job: Job): Promise<void> {
    const record = job.record
    record.status = 'in-progress'
    job.abort = new AbortController()
    this.inFlight.add(job)
    const { attempt, cancelled } = await this.attempt(job, record.attempts.length + 1, job.abort.signal)
    record.attempts.push(attempt)
    job.abort = null
    this.inFlight.delete(job)

    if (attempt.error === null) {
      this.finish(job, 'succeeded')
    } else if (this.closing) {
      if (cancelled) this.finish(job, 'cancelled', 'cut off at the shutdown grace deadline')
      else this.finish(job, 'failed')
    } else if (record.attempts.length <= this.settings.retries) {
      record.status = 'queued'
      const delay = this.settings.backoffMs * 2 ** (record.attempts.length - 1)
      this.after(job, delay, () => { this.prepareAttempt(job) })
    } else {
      this.finish(job, 'failed')
    }
    this.pump()
    if (this.closing && this.inFlight.size === 0) for (const resolve of this.drainWaiters.splice(0)) resolve()
  }

  /** One attempt, applying the injected fault. Never throws. */
  private async attempt (job: Job, number: number, cancel: AbortSignal): Promise<{ attempt: DeliveryAttempt, cancelled: boolean }> {
    const { request } = job.record
    const fault = job.fault
    const startedAt = this.clock()
    const t0 = performance.now()
    const result = (outcome: PostResult): { attempt: DeliveryAttempt, cancelled: boolean } => ({
      attempt: {
        number,
        startedAt,
        durationMs: Math.round((performance.now() - t0) * 100) / 100,
        responseStatus: outcome.status,
        responseBody: outcome.body,
        responseBodyTruncated: outcome.truncated,
        error: errorOf(outcome),
        fault
      },
      cancelled: outcome.cancelled === true
    })

    if (job.hookError !== null) return result({ status: null, body: null, truncated: false, failure: `the beforeAttempt hook threw: ${job.hookError}` })
    if (fault?.drop === true) return result({ status: null, body: null, truncated: false, failure: 'connection dropped (injected fault)' })
    if (fault?.status === 200) return result({ status: 200, body: '', truncated: false })
    if (fault?.status !== undefined) return result({ status: fault.status, body: '', truncated: false, failure: `injected answer HTTP ${fault.status}` })
    // Webhook URLs are validated when stored; this guards records from other sources (state files, fixtures).
    if (!isWebhookUrl(request.url)) return result({ status: null, body: null, truncated: false, failure: 'only http and https URLs are supported' })

    const options = { timeoutMs: this.settings.timeoutMs, cancel }
    const outcome = await postForm(request.url, request.headers, job.body, options)
    if (fault?.duplicate === true && !cancel.aborted) await postForm(request.url, request.headers, job.body, options)
    return result(outcome)
  }

  private finish (job: Job, status: 'succeeded' | 'failed' | 'cancelled', cancelReason?: string): void {
    const record = job.record
    record.status = status
    record.nextAttemptAt = null
    record.finishedAt = this.clock()
    if (cancelReason !== undefined) record.cancelReason = cancelReason
    this.log.finished(record)
  }

  /** Cancels a delivery that is not in flight (queued or waiting on a timer). */
  private cancel (job: Job, reason: string): void {
    if (job.timer !== null) {
      clearTimeout(job.timer)
      job.timer = null
    }
    this.waiting.delete(job)
    this.finish(job, 'cancelled', reason)
  }

  /** Removes the queued and waiting jobs that `predicate` selects and cancels them. */
  private cancelWhere (predicate: (job: Job) => boolean, reason: string): void {
    const kept: Job[] = []
    for (let i = this.queueHead; i < this.queue.length; i++) {
      const job = this.queue[i] as Job
      if (predicate(job)) this.cancel(job, reason)
      else kept.push(job)
    }
    this.queue.length = 0
    this.queue.push(...kept)
    this.queueHead = 0
    for (const job of [...this.waiting]) if (predicate(job)) this.cancel(job, reason)
  }

  /**
   * Forgets one account's delivery log (for a reset) and cancels its deliveries that have not started;
   * attempts already in flight finish but are no longer listed.
   */
  clearAccount (accountSid: string): void {
    this.cancelWhere((job) => job.record.accountSid === accountSid, 'the account was reset')
    this.log.clearAccount(accountSid)
  }

  /**
   * First step of shutdown (before the server stops taking requests): ends pending waits, cancels every
   * delivery not in flight, refuses new ones, and cuts the in-flight ones at the grace deadline.
   */
  beginShutdown (): void {
    if (this.closing) return
    this.closing = true
    this.log.endWaits()
    this.cancelWhere(() => true, 'the emulator is shutting down')
    if (this.inFlight.size === 0) return
    this.graceTimer = setTimeout(() => {
      for (const job of this.inFlight) job.abort?.abort()
    }, this.settings.shutdownGraceMs ?? this.settings.timeoutMs)
    this.graceTimer.unref()
  }

  /** Shuts down and resolves once no attempt is in flight (at the latest at the grace deadline). */
  async close (): Promise<void> {
    this.beginShutdown()
    if (this.inFlight.size > 0) await new Promise<void>((resolve) => { this.drainWaiters.push(resolve) })
    if (this.graceTimer !== null) clearTimeout(this.graceTimer)
    this.graceTimer = null
  }
}

function errorOf (outcome: PostResult): DeliveryAttempt['error'] {
  if (outcome.failure !== undefined) return { code: WEBHOOK_FAILED_CODE, message: `${FAILED}: ${outcome.failure}` }
  if (outcome.status === 200) return null
  const redirect = outcome.status !== null && outcome.status >= 300 && outcome.status < 400 ? ' (redirects are not followed)' : ''
  return { code: WEBHOOK_FAILED_CODE, message: `${FAILED}: the receiver answered HTTP ${String(outcome.status)}, not 200${redirect}` }
}

/** The dispatcher and its log, configured from Config. */
export function createDeliveries (config: Config, clock: Clock, newSid: SidGenerator): DeliveryDispatcher {
  const settings: DispatcherSettings = {
    timeoutMs: config.deliveryTimeoutMs,
    retries: config.deliveryRetries,
    backoffMs: config.deliveryBackoffMs,
    concurrency: config.deliveryConcurrency,
    queueLimit: config.deliveryQueueLimit
  }
  return new DeliveryDispatcher(settings, new DeliveryLog(config.deliveryLogLimit), clock, newSid)
}
