// npm run soak: a bounded soak of the built emulator (the CLI bundle, dist/server.bundle.js), on loopback only.
//
// Mixed traffic at a moderate, fixed rate for SOAK_SECONDS (default 180): creates, lists (paged),
// fetches, updates and deletes of webhooks across 10 services, services listed, events delivered to a
// local receiver (which sometimes answers 500, slowly, or not at all), the delivery log and the request
// journal read, and faults injected (429s and latency on the API; 500s, drops and delays on deliveries).
// Every answer is checked: no 5xx, no transport error, errors in Twilio's envelope, and no acknowledged
// write ever missing (a fetch of a webhook the client created and did not delete must not be 404). At the
// end the stored webhooks must equal the client's model, and SIGTERM must exit 0.
//
// Memory: the server's RSS (from /proc) is sampled every second. RSS saws up and down with garbage
// collection, so growth is measured on its floor (the lowest sample of a window), which only a leak
// raises: from the warm-up window (10-30% of the run) to the last one (80-100%) it must stay under
// SOAK_MAX_RSS_GROWTH_MB (default 96), and from the middle (40-60%) to the end, when the bounded buffers
// (journal: 1000 requests, delivery log: DELIVERY_LOG_LIMIT=2000 here) are full and the store is kept at
// a steady size, under SOAK_MAX_LATE_GROWTH_MB (default 32).
//
// Settings: SOAK_SECONDS, SOAK_RATE (requests/s, default 200), SOAK_CLIENTS (keep-alive connections,
// default 16), SOAK_MAX_RSS_GROWTH_MB, SOAK_MAX_LATE_GROWTH_MB. Exit code 0 = pass, 1 = fail.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { AUTHORIZATION, ROOT, sleep } from './lib.mjs'

const SECONDS = Number(process.env.SOAK_SECONDS ?? 180)
const RATE = Number(process.env.SOAK_RATE ?? 200)
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 16)
const MAX_GROWTH_MB = Number(process.env.SOAK_MAX_RSS_GROWTH_MB ?? 96)
const MAX_LATE_GROWTH_MB = Number(process.env.SOAK_MAX_LATE_GROWTH_MB ?? 32)
const DELIVERY_LOG_LIMIT = 2000
const SERVICES = Array.from({ length: 10 }, (_, i) => 'VA' + i.toString(16).repeat(32))
const EVENTS_SERVICE = SERVICES[9]
const CRUD_SERVICES = SERVICES.slice(0, 9)
/** Webhooks kept per CRUD service: creates give way to deletes above it, so the store stays bounded. */
const TARGET_PER_SERVICE = 150
const EVENT_TYPES = ['factor.created', 'factor.verified', 'factor.deleted', 'challenge.approved', 'challenge.denied']

for (const [name, value] of Object.entries({ SOAK_SECONDS: SECONDS, SOAK_RATE: RATE, SOAK_CLIENTS: CLIENTS })) {
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`soak: ${name} must be a positive number`)
    process.exit(1)
  }
}

// ---- small helpers --------------------------------------------------------------------------------

let seed = 20261128
function random () {
  seed = (seed + 0x6D2B79F5) >>> 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = (items) => items[Math.floor(random() * items.length)]
const mb = (bytes) => Math.round(bytes / 1024 / 1024 * 10) / 10

function rssOf (pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match === null ? NaN : Number(match[1]) * 1024
  } catch {
    return NaN
  }
}

// ---- the local webhook receiver ---------------------------------------------------------------------

const received = { total: 0, ok: 0, error: 0, slow: 0, hang: 0 }
const hanging = new Set()
const receiver = http.createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    received.total++
    const path = req.url ?? ''
    if (path.startsWith('/error')) { received.error++; res.writeHead(500).end('boom'); return }
    if (path.startsWith('/slow')) { received.slow++; setTimeout(() => res.end('ok'), 200).unref(); return }
    if (path.startsWith('/hang')) { received.hang++; hanging.add(res); res.on('close', () => hanging.delete(res)); return }
    received.ok++
    res.end('ok')
  })
})
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve))
const receiverUrl = (path) => `http://127.0.0.1:${receiver.address().port}${path}`

// ---- the emulator -----------------------------------------------------------------------------------

const child = spawn(process.execPath, ['dist/server.bundle.js'], {
  cwd: ROOT,
  env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DELIVERY_LOG_LIMIT: String(DELIVERY_LOG_LIMIT), DELIVERY_TIMEOUT_MS: '2000' },
  stdio: ['ignore', 'pipe', 'pipe']
})
const killChild = () => { try { child.kill('SIGKILL') } catch {} }
process.on('exit', killChild)
let stderr = ''
child.stderr.setEncoding('utf8').on('data', (chunk) => { stderr += chunk })
const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
const logCounts = { lines: 0, errors: 0 }
const port = await new Promise((resolve, reject) => {
  let buffer = ''
  const timer = setTimeout(() => reject(new Error(`the emulator did not start: ${stderr}`)), 15_000)
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    buffer += chunk
    const lines = buffer.split('\n')
    buffer = lines.pop()
    for (const line of lines) {
      logCounts.lines++
      // pino levels: 50 error, 60 fatal.
      if (/"level":(5|6)0/.test(line)) { logCounts.errors++; if (logCounts.errors <= 5) console.error(`server error log: ${line.slice(0, 400)}`) }
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line)
      if (match !== null) { clearTimeout(timer); resolve(Number(match[1])) }
    }
  })
  exited.then(({ code }) => reject(new Error(`the emulator exited with ${code}: ${stderr}`)))
})

// ---- the client ---------------------------------------------------------------------------------------

const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS })
const stats = { requests: 0, byOp: {}, byStatus: {}, failures: [], latencies: [] }

function fail (message) {
  if (stats.failures.length < 50) stats.failures.push(message)
}

function call (op, method, path, body) {
  return new Promise((resolve) => {
    const headers = { authorization: AUTHORIZATION }
    if (body !== undefined) Object.assign(headers, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) })
    const started = performance.now()
    const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => { text += chunk })
      res.on('end', () => {
        stats.requests++
        stats.latencies.push(performance.now() - started)
        stats.byOp[op] = (stats.byOp[op] ?? 0) + 1
        let code = ''
        if (res.statusCode >= 400) {
          let error
          try { error = JSON.parse(text) } catch {}
          const shaped = error !== undefined && Number.isInteger(error.code) && typeof error.message === 'string' &&
            error.more_info === `https://www.twilio.com/docs/errors/${error.code}` && error.status === res.statusCode && res.headers['content-type'] === 'application/json'
          if (!shaped) fail(`${op} ${method} ${path}: not a Twilio error: ${res.statusCode} ${text.slice(0, 200)}`)
          code = error?.code === undefined ? '' : `/${error.code}`
        }
        const key = `${res.statusCode}${code}`
        stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1
        if (res.statusCode >= 500) fail(`${op} ${method} ${path}: ${res.statusCode} ${text.slice(0, 200)}`)
        resolve({ status: res.statusCode, text })
      })
    })
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')))
    req.on('error', (err) => {
      stats.requests++
      stats.byStatus[err.code ?? 'error'] = (stats.byStatus[err.code ?? 'error'] ?? 0) + 1
      fail(`${op} ${method} ${path}: ${err.message}`)
      resolve({ status: 0, text: '' })
    })
    req.end(body)
  })
}

const form = (pairs) => new URLSearchParams(pairs).toString()
/** The client's model: webhook SIDs per service that were acknowledged created and not deleted. */
const model = new Map(SERVICES.map((s) => [s, new Set()]))
/** Deletes in flight per SID: a 404 for such a SID is expected (another delete may have won). */
const deleting = new Map()
const startDelete = (sid) => deleting.set(sid, (deleting.get(sid) ?? 0) + 1)
const endDelete = (sid) => { const n = deleting.get(sid) - 1; if (n === 0) deleting.delete(sid); else deleting.set(sid, n) }
const faults = { api: 0, delivery: 0 }

function someWebhook (service) {
  const sids = [...model.get(service)]
  return sids.length === 0 ? undefined : pick(sids)
}

/** A 404 for a webhook the model holds (and nobody is deleting) is a lost write. */
function expectKnown (op, service, sid, res) {
  if (res.status === 404 && model.get(service).has(sid) && !deleting.has(sid)) fail(`${op}: acknowledged webhook ${sid} answered 404`)
}

async function createWebhook (service) {
  const url = receiverUrl('/ok')
  const types = random() < 0.5 ? [['EventTypes', '*']] : [['EventTypes', pick(EVENT_TYPES)], ['EventTypes', pick(EVENT_TYPES)]]
  const res = await call('create', 'POST', `/v2/Services/${service}/Webhooks`, form([['FriendlyName', `soak ${stats.requests}`], ...types, ['WebhookUrl', url]]))
  if (res.status === 201) model.get(service).add(JSON.parse(res.text).sid)
  else if (res.status !== 400 && res.status !== 429) fail(`create answered ${res.status}`)
}

/** Deletes a webhook and keeps the model in step with the answer. */
async function deleteWebhook (service, sid) {
  startDelete(sid)
  const res = await call('delete', 'DELETE', `/v2/Services/${service}/Webhooks/${sid}`)
  if (res.status === 204) model.get(service).delete(sid)
  else expectKnown('delete', service, sid, res)
  endDelete(sid)
}

const operations = [
  [24, async () => {
    const service = pick(CRUD_SERVICES)
    if (model.get(service).size < TARGET_PER_SERVICE) return await createWebhook(service)
    const sid = someWebhook(service)
    await deleteWebhook(service, sid)
  }],
  [20, async () => {
    const service = pick(CRUD_SERVICES)
    const sid = someWebhook(service)
    if (sid === undefined) return await createWebhook(service)
    expectKnown('fetch', service, sid, await call('fetch', 'GET', `/v2/Services/${service}/Webhooks/${sid}`))
  }],
  [14, async () => {
    const service = pick(CRUD_SERVICES)
    const res = await call('list', 'GET', `/v2/Services/${service}/Webhooks?PageSize=${pick([5, 20, 50, 200])}`)
    if (res.status === 200) {
      const next = JSON.parse(res.text).meta.next_page_url
      if (next !== null && random() < 0.5) await call('list', 'GET', new URL(next).pathname + new URL(next).search)
    }
  }],
  [14, async () => {
    const service = pick(CRUD_SERVICES)
    const sid = someWebhook(service)
    if (sid === undefined) return
    const res = await call('update', 'POST', `/v2/Services/${service}/Webhooks/${sid}`, form([['FriendlyName', `updated ${stats.requests}`], ['Status', pick(['enabled', 'disabled'])]]))
    expectKnown('update', service, sid, res)
  }],
  [12, async () => {
    const service = pick(CRUD_SERVICES)
    const sid = someWebhook(service)
    if (sid === undefined) return
    await deleteWebhook(service, sid)
  }],
  [6, async () => {
    await call('event', 'POST', '/__emulator/events', form([['ServiceSid', EVENTS_SERVICE], ['Type', pick(EVENT_TYPES)], ['EntityIdentity', `user-${Math.floor(random() * 1000)}`]]))
  }],
  [3, async () => { await call('deliveries', 'GET', `/__emulator/deliveries?Status=${pick(['succeeded', 'failed', 'cancelled', 'queued'])}`) }],
  [2, async () => { await call('journal', 'GET', `/__emulator/requests?Operation=${pick(['CreateWebhook', 'FetchWebhook', 'ListWebhook'])}`) }],
  [2, async () => { await call('services', 'GET', '/v2/Services?PageSize=20') }],
  [1, async () => { await call('health', 'GET', '/__emulator/health') }],
  [2, async () => {
    // Faults: a few 429s and some latency on the API; 500s, drops and delays on deliveries.
    const spec = pick([
      [['Operation', 'FetchWebhook'], ['Status', '429'], ['Times', '5'], ['Probability', '0.5'], ['Seed', '7']],
      [['Method', 'GET'], ['Path', '/v2/Services/*/Webhooks'], ['DelayMs', '50'], ['Times', '5']],
      [['Target', 'delivery'], ['Status', '500'], ['Times', '3']],
      [['Target', 'delivery'], ['Drop', 'true'], ['Times', '2']],
      [['Target', 'delivery'], ['DelayMs', '300'], ['Times', '3']]
    ])
    const res = await call('fault', 'POST', '/__emulator/faults', form(spec))
    if (res.status === 201) faults[spec[0][0] === 'Target' ? 'delivery' : 'api']++
  }]
]
const totalWeight = operations.reduce((sum, [w]) => sum + w, 0)
function nextOperation () {
  let r = random() * totalWeight
  for (const [weight, run] of operations) {
    r -= weight
    if (r < 0) return run
  }
  return operations[0][1]
}

// ---- the run ------------------------------------------------------------------------------------------

// The events service has 4 webhooks, so every event fans out to a receiver that answers at once, one that
// answers after 200 ms, one that answers 500 and one that never answers (cut at DELIVERY_TIMEOUT_MS).
for (const path of ['/ok', '/slow', '/error', '/hang']) {
  const res = await call('setup', 'POST', `/v2/Services/${EVENTS_SERVICE}/Webhooks`, form([['FriendlyName', path], ['EventTypes', '*'], ['WebhookUrl', receiverUrl(path)]]))
  model.get(EVENTS_SERVICE).add(JSON.parse(res.text).sid)
}

const startedAt = performance.now()
const endAt = startedAt + SECONDS * 1000
const samples = []
const sampler = setInterval(() => {
  const rss = rssOf(child.pid)
  const elapsed = (performance.now() - startedAt) / 1000
  samples.push({ t: elapsed, rss })
  if (samples.length % 30 === 0) console.log(`soak: ${Math.round(elapsed)} s, ${stats.requests} requests, RSS ${mb(rss)} MB, ${stats.failures.length} failures`)
}, 1000)
const initialRss = rssOf(child.pid)
console.log(`soak: ${SECONDS} s at ${RATE} requests/s over ${CLIENTS} keep-alive connections against pid ${child.pid} (RSS ${mb(initialRss)} MB)`)

const interval = CLIENTS * 1000 / RATE
await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
  await sleep(interval * c / CLIENTS)
  let next = performance.now()
  while (performance.now() < endAt) {
    await nextOperation()()
    next += interval
    const wait = next - performance.now()
    if (wait > 0) await sleep(wait)
    else next = performance.now()
  }
}))
clearInterval(sampler)
const endRss = rssOf(child.pid)

// Nothing lost: every service holds exactly the webhooks the client was told it created and did not delete.
await call('faults', 'DELETE', '/__emulator/faults')
let mismatched = 0
for (const service of SERVICES) {
  const stored = []
  let path = `/v2/Services/${service}/Webhooks?PageSize=1000`
  while (path !== null) {
    const res = await call('verify', 'GET', path)
    const page = JSON.parse(res.text)
    stored.push(...page.webhooks.map((w) => w.sid))
    path = page.meta.next_page_url === null ? null : new URL(page.meta.next_page_url).pathname + new URL(page.meta.next_page_url).search
  }
  const expected = model.get(service)
  if (stored.length !== expected.size || stored.some((sid) => !expected.has(sid))) {
    mismatched++
    fail(`${service}: stored ${stored.length} webhooks, the client expects ${expected.size}`)
  }
}
const deliveryLog = JSON.parse((await call('verify', 'GET', '/__emulator/deliveries')).text)
const journal = JSON.parse((await call('verify', 'GET', '/__emulator/requests')).text)

agent.destroy()
const sigtermAt = performance.now()
child.kill('SIGTERM')
const exit = await Promise.race([exited, sleep(15_000).then(() => ({ code: 'timeout', signal: null }))])
const shutdownMs = Math.round(performance.now() - sigtermAt)
for (const res of hanging) res.destroy()
receiver.close()
receiver.closeAllConnections()

// ---- the report ---------------------------------------------------------------------------------------

const rssValues = samples.map((s) => s.rss).filter((v) => !Number.isNaN(v))
const peakRss = Math.max(...rssValues, endRss)
/** The lowest RSS sampled between two fractions of the run. */
const floor = (from, to) => Math.min(...samples.filter((s) => s.t >= SECONDS * from && s.t <= SECONDS * to && !Number.isNaN(s.rss)).map((s) => s.rss))
const warmRss = floor(0.1, 0.3)
const halfRss = floor(0.4, 0.6)
const lateRss = floor(0.8, 1)
const growth = mb(lateRss - warmRss)
const lateGrowth = mb(lateRss - halfRss)
const sorted = stats.latencies.sort((a, b) => a - b)
const quantile = (q) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] * 100) / 100
const elapsedS = (performance.now() - startedAt) / 1000
if (exit.code !== 0) fail(`the emulator exited with ${exit.code} (signal ${exit.signal}) after SIGTERM`)
if (logCounts.errors > 0) fail(`${logCounts.errors} error lines in the server log`)
if (!(growth <= MAX_GROWTH_MB)) fail(`the RSS floor grew ${growth} MB after warm-up (limit ${MAX_GROWTH_MB} MB)`)
if (!(lateGrowth <= MAX_LATE_GROWTH_MB)) fail(`the RSS floor grew ${lateGrowth} MB over the second half (limit ${MAX_LATE_GROWTH_MB} MB)`)
if (deliveryLog.deliveries.length > DELIVERY_LOG_LIMIT) fail(`the delivery log holds ${deliveryLog.deliveries.length} > ${DELIVERY_LOG_LIMIT}`)
if (journal.requests.length > journal.limit) fail(`the journal holds ${journal.requests.length} > ${journal.limit}`)

const report = {
  result: stats.failures.length === 0 ? 'PASS' : 'FAIL',
  seconds: Math.round(elapsedS),
  requests: stats.requests,
  rate: Math.round(stats.requests / elapsedS),
  latencyMs: { p50: quantile(0.5), p99: quantile(0.99), max: Math.round(sorted[sorted.length - 1] ?? 0) },
  byOperation: stats.byOp,
  byStatus: Object.fromEntries(Object.entries(stats.byStatus).sort()),
  faultsInjected: faults,
  webhooksStored: [...model.values()].reduce((sum, s) => sum + s.size, 0),
  servicesMismatched: mismatched,
  deliveriesReceived: received,
  deliveryLog: { kept: deliveryLog.deliveries.length, dropped: deliveryLog.dropped, limit: DELIVERY_LOG_LIMIT },
  journal: { kept: journal.requests.length, dropped: journal.dropped, limit: journal.limit },
  rssMB: {
    initial: mb(initialRss),
    end: mb(endRss),
    peak: mb(peakRss),
    floor: { warmUp: mb(warmRss), middle: mb(halfRss), end: mb(lateRss) },
    floorGrowth: { afterWarmUp: growth, secondHalf: lateGrowth },
    limits: { afterWarmUp: MAX_GROWTH_MB, secondHalf: MAX_LATE_GROWTH_MB }
  },
  rssTimelineMB: samples.filter((_, i) => i % Math.max(1, Math.round(samples.length / 12)) === 0).map((s) => [Math.round(s.t), mb(s.rss)]),
  serverLog: logCounts,
  shutdown: { exit, ms: shutdownMs },
  failures: stats.failures
}
console.log(JSON.stringify(report, null, 2).replace(/\[\s+(\d+),\s+([\d.]+)\s+\]/g, '[$1, $2]'))
console.log(`soak: ${report.result}: ${report.requests} requests in ${report.seconds} s, ${Object.keys(stats.byStatus).filter((k) => k.startsWith('5')).length === 0 ? 'no 5xx' : 'SOME 5xx'}, RSS ${report.rssMB.initial} MB at start, ${report.rssMB.end} MB at end, ${report.rssMB.peak} MB peak, floor +${growth} MB after warm-up, exit ${String(exit.code)}`)
process.exit(stats.failures.length === 0 ? 0 : 1)
