// Webhook record → Twilio's verify.v2.service.webhook JSON.
import { isoSeconds } from '../clock.js'
import type { WebhookRecord } from '../store/records.js'

export interface WebhookResource {
  url: string
  sid: string
  account_sid: string
  service_sid: string
  friendly_name: string
  event_types: readonly string[]
  webhook_method: 'POST'
  webhook_url: string
  status: string
  version: string
  date_created: string
  date_updated: string
}

export function webhooksUrl (baseUrl: string, serviceSid: string): string {
  return `${baseUrl}/v2/Services/${serviceSid}/Webhooks`
}

export function toWebhookResource (record: WebhookRecord, baseUrl: string): WebhookResource {
  return {
    url: `${baseUrl}/v2/Services/${record.serviceSid}/Webhooks/${record.sid}`,
    sid: record.sid,
    account_sid: record.accountSid,
    service_sid: record.serviceSid,
    friendly_name: record.friendlyName,
    event_types: record.eventTypes,
    // Twilio always calls Verify webhooks with POST; the API has no input for it.
    webhook_method: 'POST',
    webhook_url: record.webhookUrl,
    status: record.status,
    version: record.version,
    date_created: isoSeconds(record.dateCreated),
    date_updated: isoSeconds(record.dateUpdated)
  }
}
