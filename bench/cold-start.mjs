// Cold start: from process spawn to the first 201 of a create request, median of several runs of each
// server, taking turns. Four servers: the emulator as shipped (the CLI bundle) and the baseline as written,
// which the target compares, and each in the other form (the emulator's unbundled dist/server.js, the
// baseline bundled with the same esbuild options), so the table shows how much of the gap is bundling.
import { execSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { ROOT, freePort, median, round, spawnNode, stopChild, waitFor201 } from './lib.mjs'

const BUNDLED_BASELINE = 'bench/results/baseline-server.bundle.mjs'

/** The baseline bundled by package.json's own `bundle` script, with only its input and output swapped. */
export function bundleBaseline () {
  const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  const command = scripts.bundle
    .replace('dist/server.js', 'bench/baseline-server.mjs')
    .replace('--outfile=dist/server.bundle.js', `--outfile=${BUNDLED_BASELINE}`)
  if (!command.includes(BUNDLED_BASELINE)) throw new Error(`unexpected bundle script: ${scripts.bundle}`)
  execSync(`npx ${command}`, { cwd: ROOT, stdio: 'inherit', timeout: 60_000 })
  return [BUNDLED_BASELINE]
}

async function once ({ args, env }) {
  const port = await freePort()
  const started = process.hrtime.bigint()
  const child = spawnNode(args, { env: { ...env, PORT: String(port) } })
  try {
    const ready = await waitFor201(port, { child })
    return Number(ready - started) / 1e6
  } finally {
    await stopChild(child)
  }
}

/** servers: { baseline, emulator, baselineBundled, emulatorUnbundled }, each { args, env }. */
export async function runColdStart ({ runs = 7, servers }) {
  const names = Object.keys(servers)
  const times = Object.fromEntries(names.map((name) => [name, []]))
  // One unmeasured start of each, so all read their files from a warm page cache.
  for (const name of names) await once(servers[name])
  for (let i = 0; i < runs; i++) {
    for (const name of names) times[name].push(await once(servers[name]))
  }
  const ms = Object.fromEntries(names.map((name) => [name, round(median(times[name]), 1)]))
  return {
    runs,
    baselineMs: ms.baseline,
    emulatorMs: ms.emulator,
    baselineBundledMs: ms.baselineBundled,
    emulatorUnbundledMs: ms.emulatorUnbundled,
    ratio: round(ms.emulator / ms.baseline, 3),
    // Like for like: both as written (unbundled), both bundled.
    unbundledRatio: round(ms.emulatorUnbundled / ms.baseline, 3),
    bundledRatio: round(ms.emulator / ms.baselineBundled, 3),
    runsMs: Object.fromEntries(names.map((name) => [name, times[name].map((v) => round(v, 1))]))
  }
}
