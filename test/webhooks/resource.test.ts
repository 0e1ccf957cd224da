// webhookJson writes the resource's JSON text by hand: it must be byte for byte what JSON.stringify
// writes for the resource object in Twilio's field order, whatever the values a caller chose.
import fc from 'fast-check'
import t from 'tap'
import { listMeta, type PageRequest } from '../../src/paging.js'
import { EVENT_TYPES, WEBHOOK_STATUSES, WEBHOOK_VERSIONS, type WebhookRecord } from '../../src/store/records.js'
import { webhookJson, webhookPageJson, webhooksUrl } from '../../src/webhooks/resource.js'

// The resource as an object, in the field order of the spec's examples: the oracle.
function resourceObject (record: WebhookRecord, baseUrl: string): object {
  const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')
  return {
    url: `${baseUrl}/v2/Services/${record.serviceSid}/Webhooks/${record.sid}`,
    sid: record.sid,
    account_sid: record.accountSid,
    service_sid: record.serviceSid,
    friendly_name: record.friendlyName,
    event_types: record.eventTypes,
    webhook_method: 'POST',
    webhook_url: record.webhookUrl,
    status: record.status,
    version: record.version,
    date_created: iso(record.dateCreated),
    date_updated: iso(record.dateUpdated)
  }
}

const hex32 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 })
// Free text with what JSON must escape: quotes, backslashes, control characters, lone and paired surrogates.
const freeText = fc.string({ unit: fc.oneof(fc.constantFrom('"', '\\', '\n', '\u0000', '\u001f', '\ud800', '\udfff', '😀', 'é'), fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))), maxLength: 40 })
const seconds = fc.integer({ min: 0, max: 4_102_444_800 })

const record = fc.record({
  seq: fc.nat(),
  sid: hex32.map((h) => 'YW' + h),
  accountSid: fc.oneof(hex32.map((h) => 'AC' + h), freeText),
  serviceSid: hex32.map((h) => 'VA' + h),
  friendlyName: freeText,
  eventTypes: fc.uniqueArray(fc.constantFrom(...EVENT_TYPES), { minLength: 1, maxLength: 5 }).chain((types) => fc.constantFrom(types, Object.freeze([...types]))),
  webhookUrl: freeText.map((s) => 'https://example.com/' + s),
  status: fc.constantFrom(...WEBHOOK_STATUSES),
  version: fc.constantFrom(...WEBHOOK_VERSIONS),
  dateCreated: seconds,
  dateUpdated: seconds
}) as fc.Arbitrary<WebhookRecord>

const baseUrl = fc.oneof(fc.constant('http://127.0.0.1:4010'), freeText.map((s) => 'https://' + s))

t.test('webhookJson is JSON.stringify of the resource object, for any record', async (t) => {
  let runs = 0
  fc.assert(fc.property(record, baseUrl, (r, base) => {
    runs++
    const text = webhookJson(r, base)
    return text === JSON.stringify(resourceObject(r, base)) && text === webhookJson(r, base)
  }), { numRuns: 2000, seed: 20261128 })
  t.equal(runs, 2000)
})

t.test('a known record gives the exact bytes', async (t) => {
  const r: WebhookRecord = {
    seq: 0,
    sid: 'YW' + 'a'.repeat(32),
    accountSid: 'AC' + 'b'.repeat(32),
    serviceSid: 'VA' + 'c'.repeat(32),
    friendlyName: 'say "hi"\n',
    eventTypes: ['factor.created', 'challenge.approved'],
    webhookUrl: 'https://example.com/hook?a=1&b=2',
    status: 'enabled',
    version: 'v2',
    dateCreated: 1795860000,
    dateUpdated: 1795860001
  } as WebhookRecord
  t.equal(webhookJson(r, 'http://localhost:4010'),
    `{"url":"http://localhost:4010/v2/Services/VA${'c'.repeat(32)}/Webhooks/YW${'a'.repeat(32)}","sid":"YW${'a'.repeat(32)}",` +
    `"account_sid":"AC${'b'.repeat(32)}","service_sid":"VA${'c'.repeat(32)}","friendly_name":"say \\"hi\\"\\n",` +
    '"event_types":["factor.created","challenge.approved"],"webhook_method":"POST","webhook_url":"https://example.com/hook?a=1&b=2",' +
    '"status":"enabled","version":"v2","date_created":"2026-11-28T10:00:00Z","date_updated":"2026-11-28T10:00:01Z"}')
})

t.test('webhookPageJson is JSON.stringify of { webhooks, meta }', async (t) => {
  let runs = 0
  fc.assert(fc.property(fc.array(record, { maxLength: 5 }), baseUrl, fc.boolean(), (records, base, more) => {
    runs++
    const request: PageRequest = { page: 1, pageSize: 5, cursor: { after: 3 }, token: 'PA3' }
    const meta = listMeta(webhooksUrl(base, 'VA' + '0'.repeat(32)), 'webhooks', request, { records, next: more ? { after: 9 } : null, previous: { before: 4 } })
    return webhookPageJson(records, base, meta) === JSON.stringify({ webhooks: records.map((r) => resourceObject(r, base)), meta })
  }), { numRuns: 300, seed: 20261128 })
  t.equal(runs, 300)
})
