// What the emulator stores. Records are compact: shared strings for repeated values (event type lists,
// account and service SIDs) and epoch seconds instead of Date objects.
import type { Sequenced } from './ordered-collection.js'

export const EVENT_TYPES = ['*', 'factor.created', 'factor.verified', 'factor.deleted', 'challenge.approved', 'challenge.denied'] as const
export type EventType = (typeof EVENT_TYPES)[number]

export const WEBHOOK_STATUSES = ['enabled', 'disabled'] as const
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number]

export const WEBHOOK_VERSIONS = ['v1', 'v2'] as const
export type WebhookVersion = (typeof WEBHOOK_VERSIONS)[number]

export interface WebhookFields {
  friendlyName: string
  eventTypes: readonly EventType[]
  webhookUrl: string
  status: WebhookStatus
  version: WebhookVersion
}

export interface WebhookRecord extends Sequenced, WebhookFields {
  accountSid: string
  serviceSid: string
  /** Epoch seconds. */
  dateCreated: number
  dateUpdated: number
}

/** Service settings, kept in the shape of the spec's verify.v2.service fields (snake_case). */
export interface ServiceSettings {
  friendly_name: string
  code_length: number
  lookup_enabled: boolean
  psd2_enabled: boolean
  skip_sms_to_landlines: boolean
  dtmf_input_required: boolean
  tts_name: string | null
  do_not_share_warning_enabled: boolean
  custom_code_enabled: boolean
  push: { include_date: boolean, apn_credential_sid: string | null, fcm_credential_sid: string | null }
  totp: { issuer: string | null, time_step: number, code_length: number, skew: number }
  default_template_sid: string | null
  whatsapp: { msg_service_sid: string | null, from: string | null }
  passkeys: {
    relying_party: { id: string | null, name: string | null, origins: string[] }
    authenticator_attachment: string | null
    discoverable_credentials: string | null
    user_verification: string | null
  }
  verify_event_subscription_enabled: boolean
}

export interface ServiceRecord extends Sequenced {
  accountSid: string
  settings: ServiceSettings
  dateCreated: number
  dateUpdated: number
}

/** Where a webhook lives: Twilio scopes every resource by account, then service. */
export interface ServiceScope {
  accountSid: string
  serviceSid: string
}
