// Cold start: from process spawn to the first 201 of a create request, median of several runs of each
// server, alternating baseline and emulator.
import { freePort, median, round, spawnNode, stopChild, waitFor201 } from './lib.mjs'

async function once (args, env) {
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

export async function runColdStart ({ runs = 7, emulatorArgs, baselineArgs, emulatorEnv = {}, baselineEnv = {} }) {
  const baseline = []
  const emulator = []
  // One unmeasured start of each, so both read their files from a warm page cache.
  await once(baselineArgs, baselineEnv)
  await once(emulatorArgs, emulatorEnv)
  for (let i = 0; i < runs; i++) {
    baseline.push(await once(baselineArgs, baselineEnv))
    emulator.push(await once(emulatorArgs, emulatorEnv))
  }
  const result = {
    runs,
    baselineMs: round(median(baseline), 1),
    emulatorMs: round(median(emulator), 1),
    baselineRunsMs: baseline.map((v) => round(v, 1)),
    emulatorRunsMs: emulator.map((v) => round(v, 1))
  }
  result.ratio = round(result.emulatorMs / result.baselineMs, 3)
  return result
}
