// The form parameters of CreateService / UpdateService (from the spec), each with its JSON schema and
// where it lands in the stored settings. One table drives validation and updates.
import type { ServiceSettings } from '../store/records.js'

interface ServiceParameter {
  schema: Record<string, unknown>
  apply: (settings: ServiceSettings, value: never) => void
}

const sidOf = (prefix: string) => ({ type: 'string', pattern: `^${prefix}[0-9a-fA-F]{32}$` })

function param<V> (schema: Record<string, unknown>, apply: (settings: ServiceSettings, value: V) => void): ServiceParameter {
  return { schema, apply: apply as ServiceParameter['apply'] }
}

/** Twilio limits a Service's friendly name to 30 characters (error 60200, "FriendlyName is too long"). */
export const FRIENDLY_NAME_MAX = 30

export const SERVICE_PARAMETERS: Record<string, ServiceParameter> = {
  FriendlyName: param<string>({ type: 'string', maxLength: FRIENDLY_NAME_MAX }, (s, v) => { s.friendly_name = v }),
  CodeLength: param<number>({ type: 'integer', minimum: 4, maximum: 10 }, (s, v) => { s.code_length = v }),
  LookupEnabled: param<boolean>({ type: 'boolean' }, (s, v) => { s.lookup_enabled = v }),
  SkipSmsToLandlines: param<boolean>({ type: 'boolean' }, (s, v) => { s.skip_sms_to_landlines = v }),
  DtmfInputRequired: param<boolean>({ type: 'boolean' }, (s, v) => { s.dtmf_input_required = v }),
  TtsName: param<string>({ type: 'string' }, (s, v) => { s.tts_name = v }),
  Psd2Enabled: param<boolean>({ type: 'boolean' }, (s, v) => { s.psd2_enabled = v }),
  DoNotShareWarningEnabled: param<boolean>({ type: 'boolean' }, (s, v) => { s.do_not_share_warning_enabled = v }),
  CustomCodeEnabled: param<boolean>({ type: 'boolean' }, (s, v) => { s.custom_code_enabled = v }),
  'Push.IncludeDate': param<boolean>({ type: 'boolean' }, (s, v) => { s.push.include_date = v }),
  'Push.ApnCredentialSid': param<string>(sidOf('CR'), (s, v) => { s.push.apn_credential_sid = v }),
  'Push.FcmCredentialSid': param<string>(sidOf('CR'), (s, v) => { s.push.fcm_credential_sid = v }),
  'Totp.Issuer': param<string>({ type: 'string' }, (s, v) => { s.totp.issuer = v }),
  'Totp.TimeStep': param<number>({ type: 'integer', minimum: 20, maximum: 60 }, (s, v) => { s.totp.time_step = v }),
  'Totp.CodeLength': param<number>({ type: 'integer', minimum: 3, maximum: 8 }, (s, v) => { s.totp.code_length = v }),
  'Totp.Skew': param<number>({ type: 'integer', minimum: 0, maximum: 2 }, (s, v) => { s.totp.skew = v }),
  DefaultTemplateSid: param<string>(sidOf('HJ'), (s, v) => { s.default_template_sid = v }),
  'Whatsapp.MsgServiceSid': param<string>(sidOf('MG'), (s, v) => { s.whatsapp.msg_service_sid = v }),
  'Whatsapp.From': param<string>({ type: 'string' }, (s, v) => { s.whatsapp.from = v }),
  'Passkeys.RelyingParty.Id': param<string>({ type: 'string' }, (s, v) => { s.passkeys.relying_party.id = v }),
  'Passkeys.RelyingParty.Name': param<string>({ type: 'string' }, (s, v) => { s.passkeys.relying_party.name = v }),
  // "It can have multiple origins split by `,`"; the resource shows them as an array.
  'Passkeys.RelyingParty.Origins': param<string>({ type: 'string' }, (s, v) => {
    s.passkeys.relying_party.origins = v.split(',').map((o) => o.trim()).filter((o) => o !== '')
  }),
  'Passkeys.AuthenticatorAttachment': param<string>({ type: 'string', enum: ['platform', 'cross-platform', 'any'] }, (s, v) => { s.passkeys.authenticator_attachment = v }),
  'Passkeys.DiscoverableCredentials': param<string>({ type: 'string', enum: ['required', 'preferred', 'discouraged'] }, (s, v) => { s.passkeys.discoverable_credentials = v }),
  'Passkeys.UserVerification': param<string>({ type: 'string', enum: ['required', 'preferred', 'discouraged'] }, (s, v) => { s.passkeys.user_verification = v }),
  VerifyEventSubscriptionEnabled: param<boolean>({ type: 'boolean' }, (s, v) => { s.verify_event_subscription_enabled = v })
}

const properties = Object.fromEntries(Object.entries(SERVICE_PARAMETERS).map(([name, p]) => [name, p.schema]))

export const createServiceBody = { type: 'object', required: ['FriendlyName'], properties } as const
export const updateServiceBody = { type: 'object', properties } as const

/** Applies the parameters present in `form` to a copy of `settings`. */
export function applyServiceParameters (settings: ServiceSettings, form: Record<string, unknown>): ServiceSettings {
  const next = structuredClone(settings)
  for (const [name, parameter] of Object.entries(SERVICE_PARAMETERS)) {
    const value = form[name]
    if (value !== undefined) parameter.apply(next, value as never)
  }
  return next
}
