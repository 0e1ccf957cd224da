// The report of a bench run: pass/fail per target and the markdown table. `node bench/report.mjs [file]`
// prints them again for a saved results file (default bench/results/latest.json).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { round } from './lib.mjs'

export const TARGETS = { rpsRatio: 0.75, p99Ratio: 1.5, coldRatio: 1.5, bytesPerWebhook: 400, pagingRatio: 1.5 }

export function targetsOf (results) {
  const lines = []
  for (const name of ['create', 'fetch', 'list']) {
    const r = results.http?.[name]
    if (r === undefined) continue
    lines.push({ target: `${name}: req/s ≥ ${TARGETS.rpsRatio}× baseline`, value: r.rpsRatio, pass: r.rpsRatio >= TARGETS.rpsRatio })
    lines.push({ target: `${name}: p99 ≤ ${TARGETS.p99Ratio}× baseline`, value: r.p99Ratio, pass: r.p99Ratio <= TARGETS.p99Ratio })
  }
  if (results.coldStart !== undefined) {
    lines.push({ target: `cold start ≤ ${TARGETS.coldRatio}× baseline`, value: results.coldStart.ratio, pass: results.coldStart.ratio <= TARGETS.coldRatio })
  }
  if (results.memory !== undefined) {
    const v = round(results.memory.rssBytesPerWebhook, 1)
    lines.push({ target: `memory ≤ ${TARGETS.bytesPerWebhook} B RSS per webhook at ${results.memory.webhooks}`, value: v, pass: v <= TARGETS.bytesPerWebhook })
  }
  if (results.paging !== undefined) {
    const p = results.paging
    lines.push({ target: `deep paging: last page p50 ≤ ${TARGETS.pagingRatio}× first page`, value: p.ratioP50, pass: p.ratioP50 <= TARGETS.pagingRatio })
    lines.push({ target: `deep paging: last page p99 ≤ ${TARGETS.pagingRatio}× first page`, value: p.ratioP99, pass: p.ratioP99 <= TARGETS.pagingRatio })
  }
  return lines
}

export function markdown (results) {
  const rows = [
    '| Case | Metric | Baseline | Emulator | Emulator / baseline | Target |',
    '|---|---|---:|---:|---:|---|'
  ]
  for (const name of ['create', 'fetch', 'list']) {
    const r = results.http?.[name]
    if (r === undefined) continue
    rows.push(`| ${name} | req/s | ${r.baseline.rps} | ${r.emulator.rps} | ${r.rpsRatio.toFixed(2)} | ≥ ${TARGETS.rpsRatio} |`)
    rows.push(`| ${name} | p50 latency (ms) | ${r.baseline.p50.toFixed(3)} | ${r.emulator.p50.toFixed(3)} | ${r.p50Ratio.toFixed(2)} | |`)
    rows.push(`| ${name} | p99 latency (ms) | ${r.baseline.p99.toFixed(3)} | ${r.emulator.p99.toFixed(3)} | ${r.p99Ratio.toFixed(2)} | ≤ ${TARGETS.p99Ratio} |`)
    const cpu = (v) => (typeof v !== 'number' || Number.isNaN(v) ? '–' : v.toFixed(0))
    const cpuRatio = typeof r.cpuRatio !== 'number' || Number.isNaN(r.cpuRatio) ? '–' : r.cpuRatio.toFixed(2)
    rows.push(`| ${name} | server CPU per request (µs) | ${cpu(r.baseline.serverCpuUsPerRequest)} | ${cpu(r.emulator.serverCpuUsPerRequest)} | ${cpuRatio} | |`)
  }
  const c = results.coldStart
  if (c !== undefined) {
    rows.push(`| cold start | spawn → first 201, median of ${c.runs} (ms); emulator as shipped (bundle) | ${c.baselineMs} | ${c.emulatorMs} | ${c.ratio.toFixed(2)} | ≤ ${TARGETS.coldRatio} |`)
    if (c.unbundledRatio !== undefined) {
      rows.push(`| cold start | both unbundled (ms) | ${c.baselineMs} | ${c.emulatorUnbundledMs} | ${c.unbundledRatio.toFixed(2)} | |`)
      rows.push(`| cold start | both bundled (ms) | ${c.baselineBundledMs} | ${c.emulatorMs} | ${c.bundledRatio.toFixed(2)} | |`)
    }
  }
  const m = results.memory
  if (m !== undefined) rows.push(`| memory | RSS bytes per stored webhook at ${m.webhooks.toLocaleString('en-US')} (heap: ${m.heapBytesPerWebhook.toFixed(0)}) | – | ${m.rssBytesPerWebhook.toFixed(0)} | – | ≤ ${TARGETS.bytesPerWebhook} B |`)
  const p = results.paging
  if (p !== undefined) {
    rows.push(`| deep paging (${p.webhooks.toLocaleString('en-US')} webhooks) | p50 (ms): first page → last page | ${p.first.p50.toFixed(3)} | ${p.last.p50.toFixed(3)} | ${p.ratioP50.toFixed(2)} | ≤ ${TARGETS.pagingRatio} |`)
    rows.push(`| deep paging (${p.webhooks.toLocaleString('en-US')} webhooks) | p99 (ms): first page → last page | ${p.first.p99.toFixed(3)} | ${p.last.p99.toFixed(3)} | ${p.ratioP99.toFixed(2)} | ≤ ${TARGETS.pagingRatio} |`)
  }
  const d = results.delivery
  if (d !== undefined) {
    if (d.skipped !== undefined) rows.push(`| delivery | events/s delivered and signed | – | ${d.skipped} | – | |`)
    else rows.push(`| delivery | events/s delivered and signed (${d.events} events × ${d.webhooks} webhooks; deliveries/s, valid signatures) | – | ${d.eventsPerSecond} (${d.deliveriesPerSecond}/s, ${d.validSignatures}/${d.deliveries}) | – | |`)
  }
  return rows.join('\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = JSON.parse(readFileSync(process.argv[2] ?? new URL('./results/latest.json', import.meta.url), 'utf8'))
  console.log(markdown(results))
  console.log('')
  for (const t of targetsOf(results)) console.log(`${t.pass ? 'PASS' : 'FAIL'}  ${t.target}  (${t.value})`)
}
