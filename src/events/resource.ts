// Records → the JSON of the control routes (snake_case, like Twilio's resources; times in ISO 8601 UTC).
import type { DeliveryAttempt, DeliveryRecord } from './delivery-record.js'
import { eventParams, type VerifyEvent } from './event.js'

function iso (epochMs: number | null): string | null {
  return epochMs === null ? null : new Date(epochMs).toISOString()
}

function toAttemptResource (attempt: DeliveryAttempt): Record<string, unknown> {
  return {
    attempt: attempt.number,
    started_at: iso(attempt.startedAt),
    duration_ms: attempt.durationMs,
    response_status: attempt.responseStatus,
    response_body: attempt.responseBody,
    response_body_truncated: attempt.responseBodyTruncated,
    error: attempt.error,
    fault: attempt.fault
  }
}

export function toDeliveryResource (record: DeliveryRecord): Record<string, unknown> {
  return {
    sid: record.sid,
    account_sid: record.accountSid,
    service_sid: record.serviceSid,
    webhook_sid: record.webhookSid,
    event: record.event,
    url: record.request.url,
    version: record.webhookVersion,
    status: record.status,
    request: record.request,
    attempts: record.attempts.map(toAttemptResource),
    cancel_reason: record.cancelReason,
    date_created: iso(record.createdAt),
    next_attempt_at: iso(record.nextAttemptAt),
    date_finished: iso(record.finishedAt)
  }
}

/** The answer to POST /__emulator/events: the event as a v2 webhook receives it, and its deliveries. */
export function toEventResource (event: VerifyEvent, deliveries: readonly DeliveryRecord[]): Record<string, unknown> {
  return {
    uuid: event.uuid,
    type: event.type,
    account_sid: event.accountSid,
    service_sid: event.serviceSid,
    params: eventParams(event, 'v2'),
    deliveries: deliveries.map((record) => ({
      sid: record.sid,
      webhook_sid: record.webhookSid,
      url: record.request.url,
      version: record.webhookVersion,
      status: record.status
    }))
  }
}
