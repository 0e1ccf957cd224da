// Profiles the emulator under load: node bench/profile.mjs create|fetch|list [seconds] [extra env as K=V ...]
// (PROFILE_TARGET=baseline: the baseline server instead).
// Starts `node --cpu-prof dist/server.js` (default config), drives one case with autocannon, stops the
// server with SIGTERM (the profile is written at exit) and prints the top self-time functions. It profiles
// the unbundled build, the same code as the CLI bundle, so that each function's file shows in the profile.
import { readdirSync, mkdirSync } from 'node:fs'
import { readFileSync } from 'node:fs'
import { topSelf, byModule } from './cpuprofile-top.mjs'
import { AUTHORIZATION, CREATE_BODY, FORM_HEADERS, WEBHOOKS_PATH, createWebhook, freePort, killAll, load, spawnNode, stopChild, waitFor201 } from './lib.mjs'

const [name = 'create', seconds = '10', ...extra] = process.argv.slice(2)
const dir = new URL(`./results/prof-${name}-${Date.now()}/`, import.meta.url).pathname
mkdirSync(dir, { recursive: true })
const env = Object.fromEntries(extra.map((kv) => kv.split('=')))
const port = await freePort()
// PROFILE_TARGET=baseline profiles bench/baseline-server.mjs instead (default bodies).
const script = process.env.PROFILE_TARGET === 'baseline' ? 'bench/baseline-server.mjs' : 'dist/server.js'
const child = spawnNode(['--cpu-prof', `--cpu-prof-dir=${dir}`, script], { env: { HOST: '127.0.0.1', PORT: String(port), ...env } })
try {
  await waitFor201(port, { child })
  let created
  for (let i = 0; i < 60; i++) created = await createWebhook(port)
  const headers = { authorization: AUTHORIZATION }
  const cases = {
    create: { method: 'POST', path: WEBHOOKS_PATH, headers: FORM_HEADERS, body: CREATE_BODY, expectStatus: 201 },
    fetch: { method: 'GET', path: `${WEBHOOKS_PATH}/${JSON.parse(created.body).sid}`, headers, expectStatus: 200 },
    list: { method: 'GET', path: `${WEBHOOKS_PATH}?PageSize=50`, headers, expectStatus: 200 }
  }
  const m = await load({ ...cases[name], port, duration: Number(seconds) })
  console.log(`${name}: ${Math.round(m.rps)} req/s p50 ${m.p50.toFixed(3)} p99 ${m.p99.toFixed(3)}`)
  await stopChild(child)
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
  const profile = JSON.parse(readFileSync(dir + file, 'utf8'))
  const { totalMs, rows } = topSelf(profile, 40)
  // Self time per request (µs), to compare runs whose throughput differs.
  const perRequest = (pct) => ((pct / 100) * totalMs * 1000) / m.requests
  console.log(`profile ${dir + file}: ${totalMs.toFixed(0)} ms sampled, ${m.requests} requests`)
  for (const r of rows) console.log(`${r.pct.toFixed(1).padStart(5)}% ${perRequest(r.pct).toFixed(1).padStart(6)} µs/req  ${r.key}`)
  console.log('\nby module:')
  for (const g of byModule(profile).slice(0, 25)) console.log(`${g.pct.toFixed(1).padStart(5)}% ${perRequest(g.pct).toFixed(1).padStart(6)} µs/req  ${g.group}`)
} finally {
  killAll()
}
