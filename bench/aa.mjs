// `node bench/aa.mjs [rounds] [blocks|mirrored|both]`: an A/A check of the round design of npm run bench.
// Two processes of the same baseline server answer creates; each round's ratio between them would be 1 on
// a quiet machine, so the spread of those ratios is what the machine adds to every round of run.mjs.
// "blocks": one 3 s window per server, the order alternating from round to round (run.mjs's design);
// "mirrored": four 1 s windows, A B B A then B A A B (tried, not kept: see README "Performance").
// Prints each design's median ratio, the spread of its rounds' ratios (median absolute deviation, which
// one disturbed round does not move, as it does not move run.mjs's medians; and the standard deviation),
// and the ratios.
import { CREATE_BODY, FORM_HEADERS, WEBHOOKS_PATH, freePort, killAll, load, median, spawnNode, stopChild, waitFor201 } from './lib.mjs'

const ROUNDS = Number(process.argv[2] ?? 12)
const DESIGNS = process.argv[3] === undefined || process.argv[3] === 'both' ? ['blocks', 'mirrored'] : [process.argv[3]]
const CREATE = { method: 'POST', path: WEBHOOKS_PATH, headers: FORM_HEADERS, body: CREATE_BODY, expectStatus: 201 }

/** A server's requests per second over its windows of a round. */
function rateOf (windows) {
  return windows.reduce((sum, m) => sum + m.requests, 0) / windows.reduce((sum, m) => sum + m.seconds, 0)
}

function medianAbsoluteDeviation (values) {
  const middle = median(values)
  return median(values.map((v) => Math.abs(v - middle)))
}

function standardDeviation (values) {
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length
  return Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1))
}

try {
  const servers = []
  for (let i = 0; i < 2; i++) {
    const port = await freePort()
    const child = spawnNode(['bench/baseline-server.mjs'], { env: { HOST: '127.0.0.1', PORT: String(port) } })
    await waitFor201(port, { child })
    servers.push({ port, child })
  }
  const run = (server, duration) => load({ ...CREATE, port: server.port, pid: server.child.pid, connections: 10, duration })
  for (const server of servers) await run(server, 2)
  for (const design of DESIGNS) {
    const ratios = []
    for (let r = 0; r < ROUNDS; r++) {
      const [first, second] = r % 2 === 0 ? servers : [servers[1], servers[0]]
      const windows = new Map(servers.map((s) => [s, []]))
      const order = design === 'blocks' ? [first, second] : [first, second, second, first]
      for (const server of order) windows.get(server).push(await run(server, design === 'blocks' ? 3 : 1))
      ratios.push(rateOf(windows.get(servers[0])) / rateOf(windows.get(servers[1])))
    }
    console.log(`${design}: median ${median(ratios).toFixed(3)}, median absolute deviation ${medianAbsoluteDeviation(ratios).toFixed(3)}, standard deviation ${standardDeviation(ratios).toFixed(3)}; ${ratios.map((x) => x.toFixed(2)).join(' ')}`)
  }
  for (const server of servers) await stopChild(server.child)
} finally {
  killAll()
}
