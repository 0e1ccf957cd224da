// The bare-Fastify baseline the emulator is measured against: the same form parser (@fastify/formbody) and
// route shapes, answering fixed JSON bodies of the same sizes as the emulator's, with no auth, no
// validation and no storage. Bodies come from BENCH_BODIES (a JSON file of { create, fetch, list }
// captured from the emulator by run.mjs); without it, built-in bodies of the same shape are used.
import { readFileSync } from 'node:fs'
import formbody from '@fastify/formbody'
import Fastify from 'fastify'

function sampleWebhook (origin, sid) {
  const service = 'VA' + '0123456789abcdef'.repeat(2)
  return {
    url: `${origin}/v2/Services/${service}/Webhooks/${sid}`,
    sid,
    account_sid: 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    service_sid: service,
    friendly_name: 'Bench webhook',
    event_types: ['factor.created', 'challenge.approved'],
    webhook_method: 'POST',
    webhook_url: 'https://example.com/verify-events',
    status: 'enabled',
    version: 'v2',
    date_created: '2026-11-28T10:00:00Z',
    date_updated: '2026-11-28T10:00:00Z'
  }
}

function defaultBodies (origin) {
  const one = sampleWebhook(origin, 'YW' + '0'.repeat(32))
  const list = `${origin}/v2/Services/VA${'0123456789abcdef'.repeat(2)}/Webhooks`
  return {
    create: JSON.stringify(one),
    fetch: JSON.stringify(one),
    list: JSON.stringify({
      webhooks: Array.from({ length: 50 }, (_, i) => sampleWebhook(origin, 'YW' + String(i).padStart(32, '0'))),
      meta: { page: 0, page_size: 50, first_page_url: `${list}?PageSize=50&Page=0`, previous_page_url: null, url: `${list}?PageSize=50&Page=0`, next_page_url: `${list}?PageSize=50&Page=1&PageToken=PA1d`, key: 'webhooks' }
    })
  }
}

const port = Number(process.env.PORT ?? 4011)
const host = process.env.HOST ?? '127.0.0.1'
const bodies = process.env.BENCH_BODIES === undefined
  ? defaultBodies(`http://${host}:${port}`)
  : JSON.parse(readFileSync(process.env.BENCH_BODIES, 'utf8'))
// Parsed once: each response is serialized per request, as any Fastify handler returning an object is.
const create = JSON.parse(bodies.create)
const fetch = JSON.parse(bodies.fetch)
const list = JSON.parse(bodies.list)

const app = Fastify()
await app.register(formbody)
app.post('/v2/Services/:ServiceSid/Webhooks', async (_request, reply) => reply.code(201).send(create))
app.get('/v2/Services/:ServiceSid/Webhooks', async () => list)
app.get('/v2/Services/:ServiceSid/Webhooks/:Sid', async () => fetch)

await app.listen({ port, host })
process.stdout.write(`baseline listening on http://${host}:${port}\n`)
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => { app.close().then(() => process.exit(0)) })
