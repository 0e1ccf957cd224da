// A Verify event (factor.* / challenge.*) and the flat form params Twilio POSTs for it to a webhook.
// Field names follow Twilio's "Verify Push Webhooks" docs; see the README for which ones are confirmed.
import type { EventType, WebhookVersion } from '../store/records.js'

/** The event types that can happen; `*` is only a subscription wildcard. */
export const VERIFY_EVENT_TYPES = ['factor.created', 'factor.verified', 'factor.deleted', 'challenge.approved', 'challenge.denied'] as const
export type VerifyEventType = (typeof VERIFY_EVENT_TYPES)[number]

export const FACTOR_TYPES = ['push', 'totp'] as const
export type FactorType = (typeof FACTOR_TYPES)[number]

export interface ChallengeFields {
  sid: string
  /** JSON text, e.g. {"message":"…","fields":[]}. */
  details: string
  /** JSON text; sent only when the challenge had hidden details. */
  hiddenDetails: string | undefined
  /** JSON text; v2 webhooks only. */
  metadata: string
}

export interface VerifyEvent {
  uuid: string
  type: VerifyEventType
  accountSid: string
  serviceSid: string
  entityIdentity: string
  factorSid: string
  factorType: FactorType
  factorFriendlyName: string
  /** JSON text; v2 webhooks only. */
  factorMetadata: string
  /** Present for challenge.* events only. */
  challenge: ChallengeFields | undefined
  /** ISO 8601 UTC to the second: when the event was triggered (the same for every delivery and retry). */
  sentAt: string
}

export function isChallengeEvent (type: VerifyEventType): boolean {
  return type === 'challenge.approved' || type === 'challenge.denied'
}

/** Whether a webhook subscribed to `eventTypes` wants events of `type`. */
export function subscribesTo (eventTypes: readonly EventType[], type: VerifyEventType): boolean {
  return eventTypes.includes(type) || eventTypes.includes('*')
}

/**
 * The form params a webhook of `version` receives, in a stable order. v1 (legacy) webhooks get the base
 * set; v2 adds the *_metadata fields, which Twilio introduced after v1.
 */
export function eventParams (event: VerifyEvent, version: WebhookVersion): Record<string, string> {
  const v2 = version === 'v2'
  const params: Record<string, string> = {
    uuid: event.uuid,
    type: event.type,
    account_sid: event.accountSid,
    service_sid: event.serviceSid,
    entity_identity: event.entityIdentity,
    factor_sid: event.factorSid,
    factor_type: event.factorType,
    factor_friendly_name: event.factorFriendlyName
  }
  if (v2) params.factor_metadata = event.factorMetadata
  const challenge = event.challenge
  if (challenge !== undefined) {
    params.challenge_sid = challenge.sid
    params.challenge_details = challenge.details
    if (challenge.hiddenDetails !== undefined) params.challenge_hidden_details = challenge.hiddenDetails
    if (v2) params.challenge_metadata = challenge.metadata
  }
  params.sent_at = event.sentAt
  return params
}
