// Graceful shutdown of the real CLI (the bundle) under load: SIGTERM while 16 keep-alive clients
// create webhooks, a slow upload is in flight and deliveries are in flight. Requests in flight finish
// (2xx); later ones are refused cleanly (connection refused or reset, or a Twilio-shaped 503), none hangs;
// a delivery in flight finishes, a hanging one is cut at the grace period; the process exits 0; and every
// acknowledged write is in STATE_FILE.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from '../../src/config.js'
import { CLI_ENTRY, basic, startServer } from '../process-helper.js'
import { startCountingReceiver } from './harness.js'

const AUTH = basic(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
const SERVICE = 'VA' + 'd'.repeat(32)
const LIST = `/v2/Services/${SERVICE}/Webhooks`
const FORM = 'application/x-www-form-urlencoded'
/** A client gives up after this long: an answer that never comes is a hang, and fails the test. */
const CLIENT_TIMEOUT_MS = 8000

type Outcome = { kind: 'answer', status: number, body: string } | { kind: 'error', code: string }

async function send (port: number, agent: Agent | false, method: string, path: string, body?: string): Promise<Outcome> {
  return await new Promise((resolve) => {
    const headers: Record<string, string> = { authorization: AUTH }
    if (body !== undefined) Object.assign(headers, { 'content-type': FORM, 'content-length': String(Buffer.byteLength(body)) })
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { text += chunk })
      res.on('end', () => resolve({ kind: 'answer', status: res.statusCode ?? 0, body: text }))
      res.on('error', (err: NodeJS.ErrnoException) => resolve({ kind: 'error', code: err.code ?? err.message }))
    })
    req.setTimeout(CLIENT_TIMEOUT_MS, () => req.destroy(Object.assign(new Error('client timeout'), { code: 'HANG' })))
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ kind: 'error', code: err.code ?? err.message }))
    req.end(body)
  })
}

function createBody (i: number, url: string): string {
  return new URLSearchParams({ FriendlyName: `load-${i}`, EventTypes: 'factor.created', WebhookUrl: url }).toString()
}

t.test('SIGTERM under load: in-flight requests finish, the rest are refused cleanly, deliveries end, exit 0, nothing acknowledged is lost', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vwe-shutdown-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const stateFile = join(dir, 'state.json')

  // /slow answers after 300 ms (its delivery finishes during shutdown); /hang never answers (cut at the grace period).
  let slowAnswered = false
  let hangCutAt = 0
  const receiver = await startCountingReceiver(t, (req, res) => {
    if (req.url === '/slow') {
      setTimeout(() => { res.end('ok'); slowAnswered = true }, 300)
    } else if (req.url === '/hang') {
      res.on('close', () => { hangCutAt = performance.now() })
    } else {
      res.end('ok')
    }
  })
  const deliveryTimeoutMs = 1500
  const server = await startServer(CLI_ENTRY, { STATE_FILE: stateFile, DELIVERY_TIMEOUT_MS: String(deliveryTimeoutMs), LOG_LEVEL: 'info' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const port = Number(new URL(server.url).port)

  for (const path of ['/slow', '/hang']) {
    const res = await send(port, false, 'POST', LIST, new URLSearchParams({ FriendlyName: path, EventTypes: 'factor.verified', WebhookUrl: receiver.url(path) }).toString())
    t.equal(res.kind === 'answer' && res.status, 201)
  }

  // A create whose body arrives slowly: headers now, body after SIGTERM.
  const slowBody = createBody(-1, receiver.url('/other'))
  let slowUpload!: Promise<Outcome>
  let slowUploadFinish!: () => void
  const slowUploadStarted = new Promise<void>((resolve) => {
    slowUpload = new Promise((done) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: LIST, agent: false, headers: { authorization: AUTH, 'content-type': FORM, 'content-length': String(slowBody.length) } }, (res) => {
        let text = ''
        res.on('data', (chunk: Buffer) => { text += chunk.toString() })
        res.on('end', () => done({ kind: 'answer', status: res.statusCode ?? 0, body: text }))
      })
      req.on('error', (err: NodeJS.ErrnoException) => done({ kind: 'error', code: err.code ?? err.message }))
      req.write(slowBody.slice(0, 10), () => resolve())
      slowUploadFinish = () => req.end(slowBody.slice(10))
    })
  })
  await slowUploadStarted

  // 16 clients, each on its own keep-alive connection, create webhooks until a request is refused.
  const outcomes: Outcome[] = []
  let acknowledged = 0
  let signalled!: () => void
  const enoughLoad = new Promise<void>((resolve) => { signalled = resolve })
  const clients = Array.from({ length: 16 }, async (_, c) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      // Bounded, so that a server that never refuses ends the test with a failure instead of a hang.
      for (let i = 0; i < 5000; i++) {
        const outcome = await send(port, agent, 'POST', LIST, createBody(c * 100_000 + i, receiver.url('/other')))
        outcomes.push(outcome)
        if (outcome.kind === 'answer' && outcome.status === 201 && ++acknowledged === 400) signalled()
        if (outcome.kind === 'error' && outcome.code === 'ECONNREFUSED') return
      }
    } finally {
      agent.destroy()
    }
  })
  await Promise.race([enoughLoad, Promise.all(clients)])
  t.ok(acknowledged >= 400, `${acknowledged} creates acknowledged before SIGTERM`)
  // Two deliveries start just before the signal, so they are in flight during shutdown.
  const event = await send(port, false, 'POST', '/__emulator/events', new URLSearchParams({ ServiceSid: SERVICE, Type: 'factor.verified', EntityIdentity: 'u' }).toString())
  t.equal(event.kind === 'answer' && event.status, 201)
  const sigtermAt = performance.now()
  server.child.kill('SIGTERM')
  // The slow upload finishes after the signal; the server must still take it.
  setTimeout(() => slowUploadFinish(), 200)
  const [exit] = await Promise.all([server.exited, Promise.all(clients)])
  const exitAfterMs = performance.now() - sigtermAt

  t.same(exit, { code: 0, signal: null }, 'exit 0')
  t.ok(exitAfterMs < deliveryTimeoutMs + 3000, `exited ${Math.round(exitAfterMs)} ms after SIGTERM`)
  const upload = await slowUpload
  t.equal(upload.kind === 'answer' && upload.status, 201, 'the request in flight at SIGTERM finished with 201')

  const statuses = new Map<string, number>()
  for (const o of outcomes) {
    const key = o.kind === 'answer' ? String(o.status) : o.code
    statuses.set(key, (statuses.get(key) ?? 0) + 1)
  }
  t.comment(`outcomes: ${[...statuses].map(([k, n]) => `${k}×${n}`).join(', ')}`)
  const unclean = outcomes.filter((o) => !(o.kind === 'answer' ? o.status === 201 || o.status === 503 : ['ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(o.code)))
  t.same(unclean, [], 'only 201, 503, refused or reset; no hang')
  for (const o of outcomes) {
    if (o.kind === 'answer' && o.status === 503) {
      t.same(JSON.parse(o.body), { code: 20503, message: 'Service Unavailable: the emulator is shutting down', more_info: 'https://www.twilio.com/docs/errors/20503', status: 503 })
      break
    }
  }
  t.equal(statuses.get('ECONNREFUSED'), 16, 'every client ends on a refused connection')

  // Deliveries: the slow one finished during shutdown; the hanging one was cut at the grace period.
  t.ok(slowAnswered, 'the receiver answered the slow delivery')
  t.ok(hangCutAt > 0, 'the hanging delivery was cut')
  t.ok(hangCutAt - sigtermAt >= deliveryTimeoutMs - 600 && hangCutAt - sigtermAt < deliveryTimeoutMs + 2000, `cut ${Math.round(hangCutAt - sigtermAt)} ms after SIGTERM`)

  // Every acknowledged create is in the state file (and nothing else was written).
  const acked = [upload, ...outcomes].filter((o): o is Extract<Outcome, { kind: 'answer' }> => o.kind === 'answer' && o.status === 201).map((o) => (JSON.parse(o.body) as { sid: string }).sid)
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { accounts: Array<{ sid: string, services: Array<{ sid: string, webhooks: Array<{ sid: string }> }> }> }
  const saved = new Set(state.accounts.flatMap((a) => a.services.flatMap((s) => s.webhooks.map((w) => w.sid))))
  t.equal(acked.filter((sid) => !saved.has(sid)).length, 0, `all ${acked.length} acknowledged creates are in STATE_FILE`)
  t.equal(saved.size, acked.length + 2, 'and nothing else but the two delivery webhooks')
})

t.test('SIGTERM with idle keep-alive connections and a pending delivery wait exits at once', async (t) => {
  const server = await startServer(CLI_ENTRY)
  t.teardown(() => { server.child.kill('SIGKILL') })
  const port = Number(new URL(server.url).port)
  const agent = new Agent({ keepAlive: true, maxSockets: 4 })
  t.teardown(() => agent.destroy())
  // Four idle keep-alive connections.
  await Promise.all(Array.from({ length: 4 }, async () => await send(port, agent, 'GET', '/v2/Services')))
  // A delivery wait of up to 60 s, written to the socket before the health check below is even connected,
  // so the server has read it by the time the health check is answered.
  const socket = connect(port, '127.0.0.1')
  let raw = ''
  socket.on('data', (chunk: Buffer) => { raw += chunk.toString() })
  const waitClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  await new Promise<void>((resolve) => socket.write(`GET /__emulator/deliveries?WaitFor=1&Timeout=60000 HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\n\r\n`, () => resolve()))
  const health = await send(port, false, 'GET', '/__emulator/health')
  t.equal(health.kind === 'answer' && health.status, 200)
  const sigtermAt = performance.now()
  server.child.kill('SIGTERM')
  const [exit] = await Promise.all([server.exited, waitClosed])
  t.same(exit, { code: 0, signal: null })
  t.ok(performance.now() - sigtermAt < 2000, `exited ${Math.round(performance.now() - sigtermAt)} ms after SIGTERM`)
  t.match(raw, /^HTTP\/1\.1 503 /, 'the wait ended with 503')
  t.match(raw, /"code":20503/)
})

t.test('while closing, a request arriving on an open connection gets a Twilio-shaped 503 and Connection: close', async (t) => {
  const { buildApp } = await import('../../src/app.js')
  const app = await buildApp({ logger: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const body = createBody(0, 'http://127.0.0.1:9/x')
  const socket = connect(port, '127.0.0.1')
  let raw = ''
  socket.on('data', (chunk: Buffer) => { raw += chunk.toString() })
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  // Headers and half the body of a create, so the request is in flight when the app starts closing.
  const received = new Promise<void>((resolve) => app.server.once('request', () => resolve()))
  socket.write(`POST ${LIST} HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\nContent-Type: ${FORM}\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`)
  await received
  const closing = app.close()
  // The rest of the body, and a second request pipelined behind it on the same connection.
  socket.write(`${body.slice(10)}GET /v2/Services HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\n\r\n`)
  await Promise.all([closing, closed])
  const responses = raw.split(/(?=HTTP\/1\.1 )/)
  t.equal(responses.length, 2, 'two answers on the connection')
  t.match(responses[0], /^HTTP\/1\.1 201 /, 'the request in flight finished')
  t.match(responses[1], /^HTTP\/1\.1 503 /)
  t.match(responses[1], /\r\nconnection: close\r\n/i)
  t.match(responses[1], /\r\ncontent-type: application\/json\r\n/i)
  t.same(JSON.parse(responses[1]!.slice(responses[1]!.indexOf('\r\n\r\n') + 4)), { code: 20503, message: 'Service Unavailable: the emulator is shutting down', more_info: 'https://www.twilio.com/docs/errors/20503', status: 503 })
})
