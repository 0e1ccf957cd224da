// Shared helpers for the benchmark: child-process bookkeeping (every child is killed at exit, even on
// error), free ports, a tiny HTTP client for 127.0.0.1, autocannon runs with exact latencies, statistics.
import { spawn, fork } from 'node:child_process'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const HOST = '127.0.0.1'
export const ACCOUNT_SID = 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
export const AUTH_TOKEN = 'emulator-auth-token'
export const SERVICE_SID = 'VA' + '0123456789abcdef'.repeat(2)
export const AUTHORIZATION = 'Basic ' + Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')
export const WEBHOOKS_PATH = `/v2/Services/${SERVICE_SID}/Webhooks`
// The create request as twilio-node sends it: form-encoded, EventTypes as repeated keys.
export const CREATE_BODY = new URLSearchParams([
  ['FriendlyName', 'Bench webhook'],
  ['EventTypes', 'factor.created'],
  ['EventTypes', 'challenge.approved'],
  ['WebhookUrl', 'https://example.com/verify-events']
]).toString()
export const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded', authorization: AUTHORIZATION }

// ---------------------------------------------------------------------------------------------------
// Children: tracked so that every one is killed when the bench ends, whatever the reason.

const children = new Set()

function track (child) {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

export function killAll () {
  for (const child of children) {
    try { child.kill('SIGKILL') } catch {}
  }
  children.clear()
}

process.on('exit', killAll)
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killAll()
    process.exit(130)
  })
}

/** Spawns a node process; stdout goes to /dev/null (the emulator logs a line per request), stderr is kept. */
export function spawnNode (args, { env = {}, stdout = 'ignore' } = {}) {
  const child = track(spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', stdout, 'pipe']
  }))
  child.stderrText = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk) => {
    if (child.stderrText.length < 10_000) child.stderrText += chunk
  })
  return child
}

/** Forks a bench child module with IPC; resolves with its first message ({ error } rejects). */
export function runChild (modulePath, { execArgv = [], timeoutMs = 180_000, args = [] } = {}) {
  return new Promise((resolve, reject) => {
    const child = track(fork(modulePath, args, { cwd: ROOT, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${modulePath} timed out after ${timeoutMs} ms`))
    }, timeoutMs)
    child.once('message', (message) => {
      clearTimeout(timer)
      if (message?.error !== undefined) reject(new Error(message.error))
      else resolve({ child, message })
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${modulePath} exited with code ${code} before reporting`))
    })
  })
}

export async function stopChild (child) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
  await exited
  clearTimeout(timer)
}

export function freePort () {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, HOST, () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

// ---------------------------------------------------------------------------------------------------
// HTTP to 127.0.0.1 only.

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
/** A request with no answer for this long fails instead of holding the bench. */
const REQUEST_TIMEOUT_MS = 30_000

/** One request; resolves { status, body, ms } (ms: time to the complete response). */
export function request (port, method, path, { headers = {}, body, keepAlive = true, agent: ownAgent } = {}) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const req = http.request({ host: HOST, port, method, path, headers, agent: ownAgent ?? (keepAlive ? agent : false) }, (res) => {
      const chunks = []
      res.on('data', (chunk) => chunks.push(chunk))
      res.on('end', () => {
        const ms = Number(process.hrtime.bigint() - start) / 1e6
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms })
      })
      res.on('error', reject)
    })
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`${method} ${path}: no answer within ${REQUEST_TIMEOUT_MS} ms`)))
    req.on('error', reject)
    req.end(body)
  })
}

export function createWebhook (port, keepAlive = true) {
  return request(port, 'POST', WEBHOOKS_PATH, { headers: FORM_HEADERS, body: CREATE_BODY, keepAlive })
}

/** Polls with create requests until one answers 201 (the server is up and serving); resolves that time. */
export async function waitFor201 (port, { deadlineMs = 20_000, child } = {}) {
  const deadline = Date.now() + deadlineMs
  for (;;) {
    if (child !== undefined && child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${child.stderrText}`)
    try {
      const res = await createWebhook(port, false)
      if (res.status === 201) return process.hrtime.bigint()
      throw new Error(`unexpected ${res.status}: ${res.body}`)
    } catch (err) {
      if (err.code !== 'ECONNREFUSED' && err.code !== 'ECONNRESET') throw err
    }
    if (Date.now() > deadline) throw new Error(`no 201 from port ${port} within ${deadlineMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

// ---------------------------------------------------------------------------------------------------
// Load: autocannon, with every 2xx latency recorded exactly (autocannon's own histogram is in whole ms,
// too coarse to compare p99s of ~1 ms).

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux); undefined elsewhere. */
export function cpuMsOf (pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
  } catch {
    return undefined
  }
}
const CLOCK_TICKS = 100

export async function load ({ port, method = 'GET', path, headers = {}, body, connections = 10, duration = 5, expectStatus, pid }) {
  const latencies = []
  const cpuBefore = pid === undefined ? undefined : cpuMsOf(pid)
  let unexpected = 0
  const instance = autocannon({
    url: `http://${HOST}:${port}${path}`,
    method,
    headers,
    body,
    connections,
    pipelining: 1,
    duration
  })
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode === expectStatus) latencies.push(responseTime)
    else unexpected++
  })
  const result = await instance
  if (unexpected > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${method} ${path} on port ${port}: ${unexpected} responses other than ${expectStatus}, ${result.errors} errors, ${result.timeouts} timeouts`)
  }
  latencies.sort((a, b) => a - b)
  const cpuAfter = pid === undefined ? undefined : cpuMsOf(pid)
  return {
    // Server CPU per request: less sensitive than req/s to what else runs on the machine.
    serverCpuUs: cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) * 1000) / latencies.length,
    requests: latencies.length,
    seconds: result.duration,
    rps: latencies.length / result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99)
  }
}

// ---------------------------------------------------------------------------------------------------
// Statistics.

/** Percentile of an ascending array (nearest rank). */
export function percentile (sorted, p) {
  if (sorted.length === 0) return NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]
}

export function median (values) {
  const sorted = [...values].sort((a, b) => a - b)
  const n = sorted.length
  if (n === 0) return NaN
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
}

export function round (value, digits = 2) {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

/** A pause that does not keep the process alive by itself. */
export function sleep (ms) {
  return new Promise((resolve) => { setTimeout(resolve, ms).unref() })
}
