// JSON schemas for the Webhooks operations, transcribed from the spec (verify.v2.service.webhook,
// CreateWebhookRequest, UpdateWebhookRequest). Fastify's default Ajv coerces a single EventTypes value
// into an array of one and fills Status/Version defaults.
import { pageQuerySchema } from '../paging.js'
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

export { pageQuerySchema }
