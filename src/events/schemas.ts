// JSON schemas of the control routes. Fastify's default Ajv coerces form strings (WaitFor=3 → 3) and turns
// a repeated key into an error naming it; formatSchemaErrors makes every failure a Twilio 400.
import { SID_PATTERNS } from '../sid.js'
import { DELIVERY_STATUSES } from './delivery-record.js'
import { FACTOR_TYPES, VERIFY_EVENT_TYPES } from './event.js'

/** Longest a GET /__emulator/deliveries?WaitFor=… request may wait. */
export const MAX_WAIT_MS = 60_000
/** Wait used when WaitFor comes without Timeout. */
export const DEFAULT_WAIT_MS = 10_000

// JSON text in a form; JSON bodies may also give the object itself.
const jsonField = { anyOf: [{ type: 'string' }, { type: 'object' }] } as const

export const triggerBody = {
  type: 'object',
  required: ['ServiceSid', 'Type', 'EntityIdentity'],
  properties: {
    ServiceSid: { type: 'string', pattern: SID_PATTERNS.service },
    Type: { type: 'string', enum: VERIFY_EVENT_TYPES },
    EntityIdentity: { type: 'string', minLength: 1 },
    FactorSid: { type: 'string', pattern: SID_PATTERNS.factor },
    FactorType: { type: 'string', enum: FACTOR_TYPES },
    FactorFriendlyName: { type: 'string' },
    FactorMetadata: jsonField,
    ChallengeSid: { type: 'string', pattern: SID_PATTERNS.challenge },
    ChallengeDetails: jsonField,
    ChallengeHiddenDetails: jsonField,
    ChallengeMetadata: jsonField
  }
} as const

export const deliveryQuery = {
  type: 'object',
  properties: {
    ServiceSid: { type: 'string', pattern: SID_PATTERNS.service },
    WebhookSid: { type: 'string', pattern: SID_PATTERNS.webhook },
    Type: { type: 'string', enum: VERIFY_EVENT_TYPES },
    Status: { type: 'string', enum: DELIVERY_STATUSES },
    WaitFor: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    Timeout: { type: 'integer', minimum: 0, maximum: MAX_WAIT_MS }
  }
} as const
