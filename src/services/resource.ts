// Service record → Twilio's verify.v2.service JSON (field order of the spec's examples).
import { isoSeconds } from '../clock.js'
import type { ServiceRecord, ServiceSettings } from '../store/records.js'

export type ServiceResource = ServiceSettings & {
  sid: string
  account_sid: string
  date_created: string
  date_updated: string
  url: string
  links: Record<string, string>
}

const LINKS = {
  verification_checks: 'VerificationCheck',
  verifications: 'Verifications',
  rate_limits: 'RateLimits',
  messaging_configurations: 'MessagingConfigurations',
  entities: 'Entities',
  webhooks: 'Webhooks',
  access_tokens: 'AccessTokens'
} as const

export function servicesUrl (baseUrl: string): string {
  return `${baseUrl}/v2/Services`
}

export function toServiceResource (record: ServiceRecord, baseUrl: string): ServiceResource {
  const s = record.settings
  const url = `${servicesUrl(baseUrl)}/${record.sid}`
  return {
    sid: record.sid,
    account_sid: record.accountSid,
    friendly_name: s.friendly_name,
    code_length: s.code_length,
    lookup_enabled: s.lookup_enabled,
    psd2_enabled: s.psd2_enabled,
    skip_sms_to_landlines: s.skip_sms_to_landlines,
    dtmf_input_required: s.dtmf_input_required,
    tts_name: s.tts_name,
    do_not_share_warning_enabled: s.do_not_share_warning_enabled,
    custom_code_enabled: s.custom_code_enabled,
    push: s.push,
    totp: s.totp,
    default_template_sid: s.default_template_sid,
    whatsapp: s.whatsapp,
    passkeys: s.passkeys,
    verify_event_subscription_enabled: s.verify_event_subscription_enabled,
    date_created: isoSeconds(record.dateCreated),
    date_updated: isoSeconds(record.dateUpdated),
    url,
    links: Object.fromEntries(Object.entries(LINKS).map(([key, path]) => [key, `${url}/${path}`]))
  }
}
