// What is POSTed to one webhook for one event: the flat params for the webhook's version, signed with
// the account's Auth Token, and the headers Twilio sends.
import type { WebhookRecord } from '../store/records.js'
import { eventParams, type VerifyEvent } from './event.js'
import { twilioSignature } from './signature.js'

export interface DeliveryRequest {
  method: 'POST'
  url: string
  /** The headers the emulator sets (fetch adds Host, Content-Length, Accept and the like). */
  headers: Record<string, string>
  params: Record<string, string>
}

/** Twilio's webhook User-Agent. */
export const USER_AGENT = 'TwilioProxy/1.1'

/**
 * `idempotencyToken` is one per delivery and stays the same across its retries, so a receiver can spot
 * a repeat (the header name is what Twilio sends on other webhooks; inferred for Verify).
 */
export function buildDeliveryRequest (event: VerifyEvent, webhook: WebhookRecord, authToken: string, idempotencyToken: string): DeliveryRequest {
  const params = eventParams(event, webhook.version)
  return {
    method: 'POST',
    url: webhook.webhookUrl,
    headers: {
      'X-Twilio-Signature': twilioSignature(authToken, webhook.webhookUrl, params),
      'Content-Type': 'application/x-www-form-urlencoded',
      'User-Agent': USER_AGENT,
      'I-Twilio-Idempotency-Token': idempotencyToken
    },
    params
  }
}

export function formBody (params: Readonly<Record<string, string>>): string {
  return new URLSearchParams(params).toString()
}
