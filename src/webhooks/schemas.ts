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

export const webhookResource = {
  type: 'object',
  // Field order of Twilio's own responses (the spec's examples).
  properties: {
    url: { type: 'string' },
    sid: { type: 'string' },
    account_sid: { type: 'string' },
    service_sid: { type: 'string' },
    friendly_name: { type: 'string' },
    event_types: { type: 'array', items: { type: 'string' } },
    webhook_method: { type: 'string' },
    webhook_url: { type: 'string' },
    status: { type: 'string' },
    version: { type: 'string' },
    date_created: { type: 'string' },
    date_updated: { type: 'string' }
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
