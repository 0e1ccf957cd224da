// Webhook record → Twilio's verify.v2.service.webhook JSON, as text written directly: the bytes
// JSON.stringify would write for the resource object, in the field order of Twilio's own responses (a test
// checks both on generated records), at a fraction of the cost of building and serializing an object.
// Only values a caller chooses freely are checked for characters to escape: SIDs, enum values and dates
// match fixed patterns on every way in (requests, fixtures, state files).
import { isoSeconds } from '../clock.js'
import { jsonString, rememberingLast } from '../json.js'
import type { ListMeta } from '../paging.js'
import type { WebhookRecord } from '../store/records.js'

// Stored webhooks share one frozen event-type array per distinct list (memory-repository), so its JSON is
// kept per array.
const eventTypesJson = new WeakMap<readonly string[], string>()

function eventTypesText (types: readonly string[]): string {
  let text = eventTypesJson.get(types)
  if (text === undefined) {
    text = JSON.stringify(types)
    if (Object.isFrozen(types)) eventTypesJson.set(types, text)
  }
  return text
}

// Responses in a row share their origin and, mostly, their account.
const accountSidJson = rememberingLast(jsonString)
/** The opening of the `url` value: the origin's JSON without its closing quote. */
const urlOpening = rememberingLast((baseUrl) => jsonString(baseUrl).slice(0, -1))

export function webhooksUrl (baseUrl: string, serviceSid: string): string {
  return `${baseUrl}/v2/Services/${serviceSid}/Webhooks`
}

export function webhookJson (record: WebhookRecord, baseUrl: string): string {
  // The path holds SIDs only: nothing to escape after the origin.
  return '{"url":' + urlOpening(baseUrl) + '/v2/Services/' + record.serviceSid + '/Webhooks/' + record.sid +
    '","sid":"' + record.sid +
    '","account_sid":' + accountSidJson(record.accountSid) +
    ',"service_sid":"' + record.serviceSid +
    '","friendly_name":' + jsonString(record.friendlyName) +
    ',"event_types":' + eventTypesText(record.eventTypes) +
    // Twilio always calls Verify webhooks with POST; the API has no input for it.
    ',"webhook_method":"POST","webhook_url":' + jsonString(record.webhookUrl) +
    ',"status":"' + record.status +
    '","version":"' + record.version +
    '","date_created":"' + isoSeconds(record.dateCreated) +
    '","date_updated":"' + isoSeconds(record.dateUpdated) + '"}'
}

export function webhookPageJson (records: readonly WebhookRecord[], baseUrl: string, meta: ListMeta): string {
  let items = ''
  for (let i = 0; i < records.length; i++) items += (i === 0 ? '' : ',') + webhookJson(records[i] as WebhookRecord, baseUrl)
  return '{"webhooks":[' + items + '],"meta":' + JSON.stringify(meta) + '}'
}
