// One delivery = one event sent to one webhook, with every attempt made. The dispatcher mutates these
// records as it works; the delivery log keeps them and routes serialize them (resource.ts).
import type { WebhookVersion } from '../store/records.js'
import type { AttemptFault } from './attempt-hook.js'
import type { VerifyEventType } from './event.js'
import type { DeliveryRequest } from './request.js'

export const DELIVERY_STATUSES = ['queued', 'in-progress', 'succeeded', 'failed', 'cancelled'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

export function isFinal (status: DeliveryStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled'
}

/** Twilio's error for a webhook that could not be invoked or did not answer 200. */
export const WEBHOOK_FAILED_CODE = 60330

export interface DeliveryError {
  code: number
  message: string
}

export interface DeliveryAttempt {
  /** 1 for the first attempt. */
  number: number
  /** Epoch milliseconds. */
  startedAt: number
  durationMs: number
  /** The receiver's HTTP status; null when no answer came (network error, timeout, dropped). */
  responseStatus: number | null
  /** The start of the receiver's body (at most RESPONSE_BODY_LIMIT bytes, decoded as UTF-8). */
  responseBody: string | null
  responseBodyTruncated: boolean
  /** null when the attempt succeeded. */
  error: DeliveryError | null
  /** What the fault-injection hook imposed on this attempt, if anything. */
  fault: AttemptFault | null
}

export interface DeliveryRecord {
  sid: string
  accountSid: string
  serviceSid: string
  webhookSid: string
  webhookVersion: WebhookVersion
  event: { uuid: string, type: VerifyEventType }
  request: DeliveryRequest
  status: DeliveryStatus
  attempts: DeliveryAttempt[]
  /** Epoch milliseconds. */
  createdAt: number
  /** Epoch milliseconds of the next attempt while waiting for a retry or an injected delay. */
  nextAttemptAt: number | null
  /** Epoch milliseconds of reaching a final status. */
  finishedAt: number | null
  /** Why a delivery was cancelled (shutdown, account reset). */
  cancelReason: string | null
}
