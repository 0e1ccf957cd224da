// Service settings: Twilio's defaults for a new Verify Service, and the form parameters that change them.
import type { ServiceSettings } from '../store/records.js'

/** Defaults of a new Service (Twilio's documented defaults; code_length 6 is Verify's default length). */
export function defaultServiceSettings (friendlyName: string): ServiceSettings {
  return {
    friendly_name: friendlyName,
    code_length: 6,
    lookup_enabled: false,
    psd2_enabled: false,
    skip_sms_to_landlines: false,
    dtmf_input_required: false,
    tts_name: null,
    do_not_share_warning_enabled: false,
    custom_code_enabled: false,
    push: { include_date: false, apn_credential_sid: null, fcm_credential_sid: null },
    totp: { issuer: friendlyName, time_step: 30, code_length: 6, skew: 1 },
    default_template_sid: null,
    whatsapp: { msg_service_sid: null, from: null },
    passkeys: {
      relying_party: { id: null, name: null, origins: [] },
      authenticator_attachment: null,
      discoverable_credentials: null,
      user_verification: null
    },
    verify_event_subscription_enabled: false
  }
}
