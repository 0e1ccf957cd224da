// JSON schemas for the Webhooks operations, transcribed from the spec (verify.v2.service.webhook,
// CreateWebhookRequest, UpdateWebhookRequest). Fastify's default Ajv coerces a single EventTypes value
// into an array of one and fills Status/Version defaults.
import { listMetaSchema, pageQuerySchema } from '../paging.js'
import { SID_PATTERNS } from '../sid.js'
import { EVENT_TYPES, WEBHOOK_STATUSES, WEBHOOK_VERSIONS } from '../store/records.js'

const fields = {
  FriendlyName: { type: 'string' },
  EventTypes: { type: 'array', minItems: 1, maxItems: 64, items: { type: 'string', enum: EVENT_TYPES } },
  WebhookUrl: { type: 'string' },
  Status: { type: 'string', enum: WEBHOOK_STATUSES },
  Version: { type: 'string', enum: WEBHOOK_VERSIONS }
} as const

export const listParams = {
  type: 'object',
  required: ['ServiceSid'],
  properties: { ServiceSid: { type: 'string', pattern: SID_PATTERNS.service } }
} as const

export const instanceParams = {
  type: 'object',
  required: ['ServiceSid', 'Sid'],
  properties: {
    ServiceSid: { type: 'string', pattern: SID_PATTERNS.service },
    Sid: { type: 'string', pattern: SID_PATTERNS.webhook }
  }
} as const

export const createBody = {
  type: 'object',
  required: ['FriendlyName', 'EventTypes', 'WebhookUrl'],
  properties: {
    ...fields,
    Status: { ...fields.Status, default: 'enabled' },
    Version: { ...fields.Version, default: 'v2' }
  }
} as const

export const updateBody = { type: 'object', properties: fields } as const

// Serialization skips the escaping scan (format 'unsafe') for values that cannot need escaping: ones the
// emulator writes itself (dates, webhook_method), enum values checked on every way in (form, fixtures,
// state files), and webhook/service SIDs, which match their hex patterns on every way in (generated, URL
// parameters, fixtures). The scan was a third of the time spent serializing a page. Values a user
// chooses freely (url's origin, friendly_name, webhook_url, and account_sid, which programmatic accounts
// may set unchecked) are escaped as before.
const noEscaping = { type: 'string', format: 'unsafe' } as const

export const webhookResource = {
  type: 'object',
  // Field order of Twilio's own responses (the spec's examples).
  properties: {
    url: { type: 'string' },
    sid: noEscaping,
    account_sid: { type: 'string' },
    service_sid: noEscaping,
    friendly_name: { type: 'string' },
    event_types: { type: 'array', items: noEscaping },
    webhook_method: noEscaping,
    webhook_url: { type: 'string' },
    status: noEscaping,
    version: noEscaping,
    date_created: noEscaping,
    date_updated: noEscaping
  }
} as const

export const webhookList = {
  type: 'object',
  properties: {
    webhooks: { type: 'array', items: webhookResource },
    meta: listMetaSchema
  }
} as const

export { pageQuerySchema }
