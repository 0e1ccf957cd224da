// The trigger form of POST /__emulator/events → a VerifyEvent: what the caller left out gets a valid
// generated value, JSON-valued fields are checked to parse, and challenge fields are refused on factor events.
import { TwilioApiError } from '../errors.js'
import type { SidGenerator } from '../sid.js'
import { isChallengeEvent, type FactorType, type VerifyEvent, type VerifyEventType } from './event.js'

/** JSON-valued fields arrive as JSON text (form or JSON body) or, in a JSON body, as the value itself. */
type JsonField = string | Record<string, unknown>

export interface TriggerForm {
  ServiceSid: string
  Type: VerifyEventType
  EntityIdentity: string
  FactorSid?: string
  FactorType?: FactorType
  FactorFriendlyName?: string
  FactorMetadata?: JsonField
  ChallengeSid?: string
  ChallengeDetails?: JsonField
  ChallengeHiddenDetails?: JsonField
  ChallengeMetadata?: JsonField
}

const CHALLENGE_FIELDS = ['ChallengeSid', 'ChallengeDetails', 'ChallengeHiddenDetails', 'ChallengeMetadata'] as const

export const DEFAULT_FACTOR_FRIENDLY_NAME = 'Emulated factor'
export const DEFAULT_CHALLENGE_DETAILS = JSON.stringify({ message: 'Emulated challenge', fields: [] })
export const DEFAULT_METADATA = '{}'

export interface EventOrigin {
  accountSid: string
  uuid: string
  /** ISO 8601 UTC to the second. */
  sentAt: string
  newSid: SidGenerator
}

/** JSON text for a JSON-valued field, or undefined when it was not sent; 400 naming it when it is not JSON. */
function jsonText (name: string, value: JsonField | undefined): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string') return JSON.stringify(value)
  try {
    JSON.parse(value)
  } catch {
    throw new TwilioApiError(400, 60200, `Invalid parameter: ${name} must be valid JSON`)
  }
  return value
}

export function eventFromForm (form: TriggerForm, origin: EventOrigin): VerifyEvent {
  const challengeEvent = isChallengeEvent(form.Type)
  if (!challengeEvent) {
    const misplaced = CHALLENGE_FIELDS.find((name) => form[name] !== undefined)
    if (misplaced !== undefined) {
      throw new TwilioApiError(400, 60200, `Invalid parameter: ${misplaced} (only challenge.approved and challenge.denied events have challenge fields)`)
    }
  }
  const factorMetadata = jsonText('FactorMetadata', form.FactorMetadata) ?? DEFAULT_METADATA
  const details = jsonText('ChallengeDetails', form.ChallengeDetails) ?? DEFAULT_CHALLENGE_DETAILS
  const hiddenDetails = jsonText('ChallengeHiddenDetails', form.ChallengeHiddenDetails)
  const challengeMetadata = jsonText('ChallengeMetadata', form.ChallengeMetadata) ?? DEFAULT_METADATA
  return {
    uuid: origin.uuid,
    type: form.Type,
    accountSid: origin.accountSid,
    serviceSid: form.ServiceSid,
    entityIdentity: form.EntityIdentity,
    factorSid: form.FactorSid ?? origin.newSid('YF'),
    factorType: form.FactorType ?? 'push',
    factorFriendlyName: form.FactorFriendlyName ?? DEFAULT_FACTOR_FRIENDLY_NAME,
    factorMetadata,
    challenge: challengeEvent
      ? { sid: form.ChallengeSid ?? origin.newSid('YC'), details, hiddenDetails, metadata: challengeMetadata }
      : undefined,
    sentAt: origin.sentAt
  }
}
