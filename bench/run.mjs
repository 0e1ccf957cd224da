// `npm run bench`: the emulator (built, default configuration) against a bare-Fastify baseline in one run.
// Cases: create/fetch/list throughput and latency (autocannon, alternating rounds), cold start, memory per
// stored webhook, deep paging, delivery throughput. Prints a markdown table and a pass/fail line per
// target, and writes bench/results/latest.json. Every child process is killed at the end, even on error.
// Knobs (environment): BENCH_PROCESSES (3 of each server), BENCH_ROUNDS (BENCH_PROCESSES²), BENCH_DURATION seconds per round (3), BENCH_CONNECTIONS (10),
// BENCH_COLD_RUNS (7), BENCH_WEBHOOKS (1000000), BENCH_ONLY (comma-separated: http,cold,memory,paging,delivery),
// BENCH_LOG_LEVEL (the emulator's LOG_LEVEL; unset = its default, info), BENCH_EMULATOR_ENV (K=V,K=V: more
// emulator settings). The default configuration is the point of the comparison; the knobs are for finding costs.
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { bundleBaseline, runColdStart } from './cold-start.mjs'
import { runDelivery } from './delivery.mjs'
import {
  AUTHORIZATION, CREATE_BODY, FORM_HEADERS, WEBHOOKS_PATH, createWebhook, freePort, killAll, load, median,
  request, round, spawnNode, stopChild, waitFor201
} from './lib.mjs'
import { runMemory } from './memory.mjs'
import { markdown, targetsOf } from './report.mjs'
import { runPaging } from './paging.mjs'

const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 3)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? PROCESSES * PROCESSES)
const DURATION = Number(process.env.BENCH_DURATION ?? 3)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10)
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 7)
const WEBHOOKS = Number(process.env.BENCH_WEBHOOKS ?? 1_000_000)
const ONLY = new Set((process.env.BENCH_ONLY ?? 'http,cold,memory,paging,delivery').split(','))

const RESULTS_DIR = new URL('./results/', import.meta.url)
const BODIES_FILE = new URL('./results/bodies.json', import.meta.url)
// The emulator as shipped: the CLI bundle that package.json's bin, `npm start` and the Docker image run.
const EMULATOR_ARGS = ['dist/server.bundle.js']
const BASELINE_ARGS = ['bench/baseline-server.mjs']
// The emulator runs with its default configuration (LOG_LEVEL info: one log line per request); its
// stdout goes to /dev/null, so the logging cost measured is pino's, not a terminal's.
// BENCH_LOG_LEVEL overrides it, to measure what the log line costs (e.g. BENCH_LOG_LEVEL=warn), and
// BENCH_EMULATOR_ENV adds settings (e.g. BENCH_EMULATOR_ENV=JOURNAL_LIMIT=0,DELIVERY_CONCURRENCY=8).
const EMULATOR_ENV = {
  HOST: '127.0.0.1',
  ...(process.env.BENCH_LOG_LEVEL === undefined ? {} : { LOG_LEVEL: process.env.BENCH_LOG_LEVEL }),
  ...Object.fromEntries((process.env.BENCH_EMULATOR_ENV ?? '').split(',').filter((kv) => kv.includes('=')).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]))
}
const BASELINE_ENV = { HOST: '127.0.0.1', BENCH_BODIES: BODIES_FILE.pathname }

function log (line) {
  process.stderr.write(line + '\n')
}

async function startServer (args, env) {
  const port = await freePort()
  const child = spawnNode(args, { env: { ...env, PORT: String(port) } })
  await waitFor201(port, { child })
  return { port, child }
}

/** Stores 60 webhooks (a full list page and more) and returns the SID of the last one and its create response. */
async function seed (server) {
  let created
  for (let i = 0; i < 60; i++) created = await createWebhook(server.port)
  return { sid: JSON.parse(created.body).sid, created }
}

async function httpCases () {
  const emulators = []
  const baselines = []
  try {
    for (let i = 0; i < PROCESSES; i++) emulators.push(await startServer(EMULATOR_ARGS, EMULATOR_ENV))
    // Each emulator process fetches a webhook of its own; the baseline answers any SID.
    const seeded = []
    for (const emulator of emulators) seeded.push(await seed(emulator))
    emulators.forEach((emulator, i) => { emulator.sid = seeded[i].sid })
    const { created } = seeded[0]
    const headers = { authorization: AUTHORIZATION }
    const fetchPathOf = (server) => `${WEBHOOKS_PATH}/${server.sid ?? emulators[0].sid}`
    const listPath = `${WEBHOOKS_PATH}?PageSize=50`
    // The bodies the baseline will answer, captured from the emulator.
    const fetched = await request(emulators[0].port, 'GET', fetchPathOf(emulators[0]), { headers })
    const listed = await request(emulators[0].port, 'GET', listPath, { headers })
    if (fetched.status !== 200 || listed.status !== 200) throw new Error(`fetch ${fetched.status} / list ${listed.status}`)
    if (JSON.parse(listed.body).webhooks.length !== 50) throw new Error('list page is not full')
    const bodies = { create: created.body, fetch: fetched.body, list: listed.body }
    writeFileSync(BODIES_FILE, JSON.stringify(bodies))
    for (let i = 0; i < PROCESSES; i++) baselines.push(await startServer(BASELINE_ARGS, BASELINE_ENV))

    const cases = [
      { name: 'create', method: 'POST', pathOf: () => WEBHOOKS_PATH, headers: FORM_HEADERS, body: CREATE_BODY, expectStatus: 201 },
      { name: 'fetch', method: 'GET', pathOf: fetchPathOf, headers, expectStatus: 200 },
      { name: 'list', method: 'GET', pathOf: () => listPath, headers, expectStatus: 200 }
    ]
    // Same sizes: the baseline answers the emulator's own bodies.
    const sizes = {}
    for (const c of cases) {
      for (const server of [...emulators, ...baselines]) {
        const who = baselines.includes(server) ? 'baseline' : 'emulator'
        const res = await request(server.port, c.method, c.pathOf(server), { headers: c.headers, body: c.body })
        if (res.status !== c.expectStatus) throw new Error(`${c.name}: ${who} answered ${res.status}`)
        sizes[c.name] ??= {}
        if (sizes[c.name][who] !== undefined && sizes[c.name][who] !== Buffer.byteLength(res.body)) throw new Error(`${c.name}: ${who} body sizes differ between processes`)
        sizes[c.name][who] = Buffer.byteLength(res.body)
      }
      if (sizes[c.name].baseline !== sizes[c.name].emulator) throw new Error(`${c.name}: body sizes differ ${JSON.stringify(sizes[c.name])}`)
    }

    const results = {}
    for (const c of cases) {
      const loadOn = (server, duration) => load({ ...c, path: c.pathOf(server), port: server.port, pid: server.child.pid, connections: CONNECTIONS, duration })
      // Warm-up (JIT, connection pools), not measured.
      for (const server of [...baselines, ...emulators]) await loadOn(server, 2)
      const rounds = { baseline: [], emulator: [] }
      for (let r = 0; r < ROUNDS; r++) {
        // Round r pairs emulator process r mod P with baseline process (r + ⌊r / P⌋) mod P, so that over
        // P² rounds every emulator process meets every baseline process once: a process's own luck (its
        // speed differs from another process's of the same build by up to ±6 % on this machine) weighs
        // on both sides alike.
        const servers = { emulator: emulators[r % PROCESSES], baseline: baselines[(r + Math.floor(r / PROCESSES)) % PROCESSES] }
        // The order alternates (baseline first, then emulator first), so that a drift of the machine's
        // speed during a round weighs on both sides alike.
        const order = r % 2 === 0 ? ['baseline', 'emulator'] : ['emulator', 'baseline']
        for (const who of order) {
          // One unmeasured second first: a process that sat idle while the others were measured has had
          // its young generation shrunk and its heap compacted by V8's memory reducer, which cost the
          // emulator (a heap of stored webhooks) far more than the baseline: measured straight after the
          // idle time, its fetch cost 113 µs per request instead of 79.
          await loadOn(servers[who], 1)
          const m = await loadOn(servers[who], DURATION)
          rounds[who].push(m)
          log(`  ${c.name} round ${r + 1}/${ROUNDS} ${who.padEnd(8)} process ${(who === 'emulator' ? emulators : baselines).indexOf(servers[who]) + 1} ${Math.round(m.rps)} req/s  p50 ${m.p50.toFixed(3)} ms  p99 ${m.p99.toFixed(3)} ms  server CPU ${m.serverCpuUs?.toFixed(0)} µs/req`)
        }
      }
      // Medians over rounds: robust to one round disturbed by the (shared) machine.
      const summary = (list) => ({
        rps: round(median(list.map((m) => m.rps)), 0),
        p50: round(median(list.map((m) => m.p50)), 3),
        p99: round(median(list.map((m) => m.p99)), 3),
        serverCpuUsPerRequest: round(median(list.map((m) => m.serverCpuUs ?? NaN)), 1),
        rounds: list.map((m) => ({ rps: round(m.rps, 0), p50: round(m.p50, 3), p99: round(m.p99, 3), requests: m.requests, serverCpuUs: round(m.serverCpuUs ?? NaN, 1) }))
      })
      const b = summary(rounds.baseline)
      const e = summary(rounds.emulator)
      // Each ratio is the median of the rounds' own ratios: the two servers of a round ran back to back,
      // on the machine as it was then (a shared machine's speed changes by more than the differences
      // measured here between rounds, less within one).
      const pairedRatio = (key) => round(median(rounds.emulator.map((m, i) => m[key] / rounds.baseline[i][key])), 3)
      results[c.name] = {
        bodyBytes: sizes[c.name].emulator,
        baseline: b,
        emulator: e,
        rpsRatio: pairedRatio('rps'),
        p50Ratio: pairedRatio('p50'),
        p99Ratio: pairedRatio('p99'),
        cpuRatio: pairedRatio('serverCpuUs')
      }
    }
    return results
  } finally {
    for (const server of [...baselines, ...emulators]) await stopChild(server.child)
  }
}

async function main () {
  mkdirSync(RESULTS_DIR, { recursive: true })
  const cpus = os.cpus()
  const results = {
    date: new Date().toISOString(),
    machine: { nproc: os.availableParallelism(), cpu: cpus[0]?.model ?? 'unknown', node: process.version, platform: `${os.platform()} ${os.release()}`, loadavg: os.loadavg().map((v) => round(v, 2)) },
    settings: { processes: PROCESSES, rounds: ROUNDS, durationSeconds: DURATION, connections: CONNECTIONS, coldRuns: COLD_RUNS, webhooks: WEBHOOKS }
  }
  const started = Date.now()
  if (ONLY.has('http')) {
    log(`http: ${PROCESSES} processes of each, ${ROUNDS} rounds × ${DURATION} s, ${CONNECTIONS} connections, alternating baseline/emulator`)
    results.http = await httpCases()
  }
  if (ONLY.has('cold')) {
    log(`cold start: ${COLD_RUNS} runs each`)
    results.coldStart = await runColdStart({
      runs: COLD_RUNS,
      servers: {
        baseline: { args: BASELINE_ARGS, env: BASELINE_ENV },
        emulator: { args: EMULATOR_ARGS, env: EMULATOR_ENV },
        baselineBundled: { args: bundleBaseline(), env: BASELINE_ENV },
        emulatorUnbundled: { args: ['dist/server.js'], env: EMULATOR_ENV }
      }
    })
  }
  if (ONLY.has('memory')) {
    log(`memory: ${WEBHOOKS} creates through the repository`)
    results.memory = await runMemory({ webhooks: WEBHOOKS })
  }
  if (ONLY.has('paging')) {
    log(`deep paging: ${WEBHOOKS} webhooks`)
    results.paging = await runPaging({ webhooks: WEBHOOKS })
  }
  if (ONLY.has('delivery')) {
    log('delivery')
    results.delivery = await runDelivery()
    if (results.delivery.skipped !== undefined) log(`  skipped: ${results.delivery.skipped}`)
  }
  results.seconds = round((Date.now() - started) / 1000, 1)
  results.targets = targetsOf(results)

  writeFileSync(new URL('./latest.json', RESULTS_DIR), JSON.stringify(results, null, 2) + '\n')
  const m = results.machine
  console.log(`\n${m.nproc} CPUs (${m.cpu}), Node ${m.node}, ${m.platform}; ${PROCESSES} processes of each server, ${ROUNDS} rounds × ${DURATION} s, ${CONNECTIONS} connections\n`)
  console.log(markdown(results))
  console.log('')
  for (const t of results.targets) console.log(`${t.pass ? 'PASS' : 'FAIL'}  ${t.target}  (${t.value})`)
  console.log(`\nresults: bench/results/latest.json (${results.seconds} s)`)
}

try {
  await main()
} catch (err) {
  console.error(err)
  process.exitCode = 1
} finally {
  killAll()
}
