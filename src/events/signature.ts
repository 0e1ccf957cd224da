// X-Twilio-Signature for form-encoded webhook requests, as twilio-node's validateRequest checks it:
// base64(HMAC-SHA1(authToken, url + key1 + value1 + key2 + value2 …)), params sorted by key.
import { createHmac } from 'node:crypto'

/**
 * `url` is the webhook URL exactly as stored (query string included). Keys are sorted with JS's default
 * sort (UTF-16 code units), which is what twilio-node uses, not a locale-aware comparison.
 */
export function twilioSignature (authToken: string, url: string, params: Readonly<Record<string, string>>): string {
  let data = url
  for (const key of Object.keys(params).sort()) data += key + params[key]
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64')
}
