// Child of run.mjs (started with --expose-gc): RSS growth per stored webhook after N creates through the
// in-memory repository, with realistic distinct SIDs (the emulator's own generator), names and URLs. The
// values are what the create route hands the repository: each webhook's form body, encoded as twilio-node
// encodes it, parsed by the parser @fastify/formbody uses (fast-querystring).
import { createRequire } from 'node:module'
import { newSid } from '../dist/sid.js'
import { createMemoryRepository } from '../dist/store/memory-repository.js'

const { parse } = createRequire(createRequire(import.meta.url).resolve('@fastify/formbody'))('fast-querystring')

const N = Number(process.argv[2] ?? 1_000_000)
const ACCOUNT_SID = 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
const SERVICE_SID = 'VA' + '0123456789abcdef'.repeat(2)
// The combinations of event types a real tenant base would use.
const COMBOS = [
  ['factor.created', 'challenge.approved'],
  ['*'],
  ['factor.verified'],
  ['challenge.approved', 'challenge.denied'],
  ['factor.created', 'factor.verified', 'factor.deleted']
]

function settle () {
  for (let i = 0; i < 4; i++) globalThis.gc()
}

try {
  if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc')
  const now = Math.floor(Date.now() / 1000)
  const repository = createMemoryRepository()
  const scope = { accountSid: ACCOUNT_SID, serviceSid: SERVICE_SID }
  repository.createService({ sid: SERVICE_SID, accountSid: ACCOUNT_SID, settings: { friendly_name: 'Memory bench' }, now })
  // Warm the code paths (and the SID generator's pools) outside the measurement.
  newSid('YW')
  settle()
  const before = process.memoryUsage()
  const started = process.hrtime.bigint()
  for (let i = 0; i < N; i++) {
    const tenant = i % 5000
    const pairs = [['FriendlyName', `Tenant ${tenant} verify events #${i}`]]
    for (const type of COMBOS[i % COMBOS.length]) pairs.push(['EventTypes', type])
    pairs.push(['WebhookUrl', `https://tenant-${tenant}.example.com/twilio/verify/events`])
    if (i % 10 === 0) pairs.push(['Status', 'disabled'])
    const form = parse(new URLSearchParams(pairs).toString())
    repository.createWebhook(scope, {
      sid: newSid('YW'),
      friendlyName: form.FriendlyName,
      // Ajv coerces a single EventTypes value into an array of one.
      eventTypes: Array.isArray(form.EventTypes) ? form.EventTypes : [form.EventTypes],
      webhookUrl: form.WebhookUrl,
      // Ajv fills the defaults from the schema.
      status: form.Status ?? 'enabled',
      version: form.Version ?? 'v2',
      now: now + (i >> 10)
    })
  }
  const fillMs = Number(process.hrtime.bigint() - started) / 1e6
  settle()
  const after = process.memoryUsage()
  // Keep the repository alive until after the measurement.
  const stored = repository.pageWebhooks(scope, { offset: N - 1 }, 1).records.length === 1
  process.send({
    webhooks: N,
    stored,
    fillMs,
    rssBefore: before.rss,
    rssAfter: after.rss,
    heapUsedBefore: before.heapUsed,
    heapUsedAfter: after.heapUsed,
    rssBytesPerWebhook: (after.rss - before.rss) / N,
    heapBytesPerWebhook: (after.heapUsed - before.heapUsed) / N
  })
} catch (err) {
  process.send({ error: String(err?.stack ?? err) })
}
