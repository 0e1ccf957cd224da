// The limits that keep one client (or one receiver) from holding the emulator: body and header size,
// request and headers timeouts against slow clients, idle connections, malformed HTTP, bounded journal
// and delivery log, bounded concurrent deliveries, capped receiver bodies, no redirects, http(s) only.
// Socket-level limits are tested over real loopback connections.
import { connect, type Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { buildApp, type BuildOptions } from '../../src/app.js'
import { DEFAULT_CONFIG } from '../../src/config.js'
import { MAX_DELAY_MS } from '../../src/control/fault-params.js'
import { RESPONSE_BODY_LIMIT } from '../../src/events/http-post.js'
import { MAX_WAIT_MS } from '../../src/events/schemas.js'
import { BODY_LIMIT_BYTES, IDLE_TIMEOUT_MS, MAX_HEADER_BYTES } from '../../src/limits.js'
import { basicAuth, errorBody, form, FORM, SERVICE_SID } from '../helper.js'
import { startCountingReceiver } from './harness.js'

const AUTH = basicAuth()
const LIST = `/v2/Services/${SERVICE_SID}/Webhooks`

async function listening (t: { teardown: (fn: () => unknown) => void }, options: BuildOptions = {}): Promise<{ app: FastifyInstance, port: number }> {
  const app = await buildApp({ logger: false, ...options })
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return { app, port: address.port }
}

interface Exchange {
  /** Everything the server wrote before closing. */
  text: string
  /** Milliseconds from connecting to the server closing the connection. */
  closedAfterMs: number
}

/**
 * Connects, writes `head` at once, then `drip` one byte every `intervalMs` until the server closes the
 * connection (or `drip` runs out, after which the socket just waits). Resolves when the server closes.
 */
async function exchange (port: number, head: string | Buffer, drip = '', intervalMs = 50): Promise<Exchange> {
  const started = performance.now()
  const socket: Socket = connect(port, '127.0.0.1')
  const chunks: Buffer[] = []
  let timer: NodeJS.Timeout | undefined
  socket.on('data', (chunk: Buffer) => chunks.push(chunk))
  socket.on('error', () => { /* a reset is one way to be cut off */ })
  await new Promise<void>((resolve) => socket.once('connect', resolve))
  socket.write(head)
  let i = 0
  if (drip !== '') {
    timer = setInterval(() => {
      if (i < drip.length && !socket.destroyed) socket.write(drip[i++] as string)
    }, intervalMs)
  }
  await new Promise<void>((resolve) => socket.once('close', () => resolve()))
  clearInterval(timer)
  return { text: Buffer.concat(chunks).toString('utf8'), closedAfterMs: performance.now() - started }
}

function statusOf (text: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)
}

function twilioBodyOf (text: string): unknown {
  const split = text.indexOf('\r\n\r\n')
  return JSON.parse(text.slice(split + 4))
}

t.test('the defaults: documented values, long enough for the longest legitimate silence', async (t) => {
  t.equal(BODY_LIMIT_BYTES, 1024 * 1024)
  t.equal(MAX_HEADER_BYTES, 16 * 1024)
  t.equal(DEFAULT_CONFIG.requestTimeoutMs, 30_000)
  t.equal(DEFAULT_CONFIG.headersTimeoutMs, 10_000)
  t.equal(IDLE_TIMEOUT_MS, 180_000)
  // A connection is idle while an injected API delay or a delivery wait runs; neither may be cut.
  t.ok(IDLE_TIMEOUT_MS > MAX_DELAY_MS && IDLE_TIMEOUT_MS > MAX_WAIT_MS, 'idle timeout above the longest delay and wait')
  const { app } = await listening(t)
  t.equal(app.server.requestTimeout, 30_000)
  t.equal(app.server.headersTimeout, 10_000)
  t.equal((app.server as unknown as { maxHeaderSize: number }).maxHeaderSize, 16 * 1024)
  t.equal(app.server.timeout, 180_000)
})

t.test('a body over 1 MiB is 413/20413, with or without Content-Length', async (t) => {
  const { port } = await listening(t)
  const big = 'FriendlyName=' + 'x'.repeat(BODY_LIMIT_BYTES)
  const withLength = await exchange(port, `POST ${LIST} HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\nContent-Type: ${FORM['content-type']}\r\nContent-Length: ${big.length}\r\nConnection: close\r\n\r\n${big}`)
  t.equal(statusOf(withLength.text), 413)
  t.same(twilioBodyOf(withLength.text), errorBody(413, 20413, 'Request Entity Too Large'))
  // Chunked: the limit applies to the bytes as they arrive.
  const chunk = 'FriendlyName=' + 'x'.repeat(64 * 1024)
  const chunks = Array.from({ length: 20 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('')
  const chunked = await exchange(port, `POST ${LIST} HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\nContent-Type: ${FORM['content-type']}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunks}0\r\n\r\n`)
  t.equal(statusOf(chunked.text), 413)
  t.same(twilioBodyOf(chunked.text), errorBody(413, 20413, 'Request Entity Too Large'))
})

t.test('request headers over 16 KiB are 431 and the connection is closed; just under passes', async (t) => {
  const { port } = await listening(t)
  const over = await exchange(port, `GET /v2/Services HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\nX-Filler: ${'a'.repeat(MAX_HEADER_BYTES)}\r\n\r\n`)
  t.equal(statusOf(over.text), 431)
  t.match(over.text, /\r\nContent-Type: application\/json\r\n/)
  t.same(twilioBodyOf(over.text), errorBody(431, 20431, 'Request Header Fields Too Large'))
  const under = await exchange(port, `GET /v2/Services HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\nX-Filler: ${'a'.repeat(MAX_HEADER_BYTES - 300)}\r\nConnection: close\r\n\r\n`)
  t.equal(statusOf(under.text), 200)
})

t.test('malformed HTTP gets a Twilio-shaped 400 and a closed connection', async (t) => {
  const { port } = await listening(t)
  for (const garbage of ['GARBAGE\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', 'GET /v2/Services HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n', 'GET /v2/Services HTTP/1.1\r\nBad Header\r\n\r\n', '\u0000\u0001\u0002\r\n\r\n']) {
    const res = await exchange(port, garbage)
    t.equal(statusOf(res.text), 400, JSON.stringify(garbage))
    t.same(twilioBodyOf(res.text), errorBody(400, 20400, 'Bad Request: malformed HTTP request'))
  }
})

t.test('a client sending its headers byte by byte slower than HEADERS_TIMEOUT_MS is cut with 408', async (t) => {
  const headersTimeoutMs = 400
  const { port } = await listening(t, { headersTimeoutMs, requestTimeoutMs: 5000 })
  const head = `GET /v2/Services HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\n\r\n`
  // One byte every 40 ms: the whole head would take ~3.5 s.
  const slow = await exchange(port, head.slice(0, 3), head.slice(3), 40)
  t.equal(statusOf(slow.text), 408)
  t.same(twilioBodyOf(slow.text), errorBody(408, 20408, 'Request Timeout: the request did not arrive in time'))
  t.ok(slow.closedAfterMs >= headersTimeoutMs - 50 && slow.closedAfterMs < headersTimeoutMs + 600, `cut after ${Math.round(slow.closedAfterMs)} ms`)
  // A connection that sends nothing at all is cut the same way.
  const silent = await exchange(port, '')
  t.equal(statusOf(silent.text), 408)
  t.ok(silent.closedAfterMs < headersTimeoutMs + 600, `silent cut after ${Math.round(silent.closedAfterMs)} ms`)
})

t.test('a client sending its body slower than REQUEST_TIMEOUT_MS is cut with 408; nothing is stored', async (t) => {
  const requestTimeoutMs = 600
  const { app, port } = await listening(t, { headersTimeoutMs: 300, requestTimeoutMs })
  const body = form({ FriendlyName: 'slow', EventTypes: '*', WebhookUrl: 'https://e.com/x' })
  const head = `POST ${LIST} HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\nContent-Type: ${FORM['content-type']}\r\nContent-Length: ${body.length}\r\n\r\n`
  const slow = await exchange(port, head, body, 40)
  t.equal(statusOf(slow.text), 408)
  t.ok(slow.closedAfterMs >= requestTimeoutMs - 50 && slow.closedAfterMs < requestTimeoutMs + 600, `cut after ${Math.round(slow.closedAfterMs)} ms`)
  const list = await app.inject({ method: 'GET', url: LIST, headers: { authorization: AUTH } })
  t.same(list.json().webhooks, [])
})

t.test('the request timeout bounds receiving only: a response that takes longer (a delivery wait) is not cut', async (t) => {
  const { port } = await listening(t, { headersTimeoutMs: 200, requestTimeoutMs: 300 })
  const res = await exchange(port, `GET /__emulator/deliveries?WaitFor=1&Timeout=900 HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\nConnection: close\r\n\r\n`)
  t.equal(statusOf(res.text), 408)
  t.equal((twilioBodyOf(res.text) as { code: number }).code, 20408, 'the wait timed out (Twilio error), the connection was not cut')
  t.ok(res.closedAfterMs >= 850, `answered after ${Math.round(res.closedAfterMs)} ms`)
})

t.test('a connection on which nothing moves for the idle timeout is closed', async (t) => {
  // With a tiny idle timeout, even a delivery wait is cut: the default (180 s) is above every wait.
  const { port } = await listening(t, { idleTimeoutMs: 300 })
  const res = await exchange(port, `GET /__emulator/deliveries?WaitFor=1&Timeout=5000 HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\n\r\n`)
  t.equal(res.text, '', 'closed without an answer')
  t.ok(res.closedAfterMs >= 250 && res.closedAfterMs < 2000, `closed after ${Math.round(res.closedAfterMs)} ms`)
})

t.test('the request journal keeps JOURNAL_LIMIT requests per account', async (t) => {
  const app = await buildApp({ logger: false, journalLimit: 25 })
  t.teardown(() => app.close())
  for (let i = 0; i < 60; i++) await app.inject({ method: 'GET', url: `${LIST}?Page=${i}`, headers: { authorization: AUTH } })
  const res = await app.inject({ method: 'GET', url: '/__emulator/requests', headers: { authorization: AUTH } })
  const journal = res.json() as { requests: Array<{ query: { Page: string } }>, dropped: number, limit: number }
  t.equal(journal.requests.length, 25)
  t.equal(journal.dropped, 35)
  t.equal(journal.limit, 25)
  t.same(journal.requests.map((r) => r.query.Page), Array.from({ length: 25 }, (_, i) => String(35 + i)), 'the newest are kept, oldest first')
})

interface Delivery { status: string, attempts: Array<{ response_status: number | null, response_body: string | null, response_body_truncated: boolean, error: { message: string } | null }> }

async function createHook (app: FastifyInstance, url: string): Promise<void> {
  const res = await app.inject({ method: 'POST', url: LIST, headers: { ...FORM, authorization: AUTH }, payload: form({ FriendlyName: 'h', EventTypes: '*', WebhookUrl: url }) })
  if (res.statusCode !== 201) throw new Error(res.body)
}

async function triggerEvents (app: FastifyInstance, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const res = await app.inject({ method: 'POST', url: '/__emulator/events', headers: { ...FORM, authorization: AUTH }, payload: form({ ServiceSid: SERVICE_SID, Type: 'factor.created', EntityIdentity: `u${i}` }) })
    if (res.statusCode !== 201) throw new Error(res.body)
  }
}

async function waitForDeliveries (app: FastifyInstance, count: number): Promise<{ deliveries: Delivery[], dropped: number }> {
  const res = await app.inject({ method: 'GET', url: `/__emulator/deliveries?WaitFor=${count}&Timeout=20000`, headers: { authorization: AUTH } })
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.json()
}

t.test('the delivery log keeps DELIVERY_LOG_LIMIT deliveries per account', async (t) => {
  const receiver = await startCountingReceiver(t)
  const app = await buildApp({ logger: false, deliveryLogLimit: 10 })
  t.teardown(() => app.close())
  await createHook(app, receiver.url())
  await triggerEvents(app, 25)
  const log = await waitForDeliveries(app, 10)
  t.equal(log.deliveries.length, 10)
  t.equal(log.dropped, 15)
})

t.test('at most DELIVERY_CONCURRENCY deliveries are in flight at once', async (t) => {
  const app = await buildApp({ logger: false, deliveryConcurrency: 3, deliveryLogLimit: 100 })
  t.teardown(() => app.close())
  // The receiver holds each request 30 ms, so 30 queued deliveries pile up as far as the emulator lets them.
  const receiver = await startCountingReceiver(t, (_req, res) => { setTimeout(() => res.end('ok'), 30) })
  await createHook(app, receiver.url('/a'))
  await createHook(app, receiver.url('/b'))
  await triggerEvents(app, 15)
  const log = await waitForDeliveries(app, 30)
  t.equal(log.deliveries.filter((d) => d.status === 'succeeded').length, 30)
  t.equal(receiver.received, 30)
  t.equal(receiver.maxConcurrent, 3, 'the receiver saw exactly the configured concurrency, never more')
})

t.test("a receiver's endless body is read up to the cap and the delivery still finishes", async (t) => {
  const app = await buildApp({ logger: false, deliveryTimeoutMs: 5000 })
  t.teardown(() => app.close())
  let receiverClosed!: () => void
  const closed = new Promise<void>((resolve) => { receiverClosed = resolve })
  const receiver = await startCountingReceiver(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' })
    const chunk = 'é'.repeat(1000)
    const pump = (): void => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump)
    }
    res.on('close', receiverClosed)
    pump()
  })
  await createHook(app, receiver.url())
  await triggerEvents(app, 1)
  const [delivery] = (await waitForDeliveries(app, 1)).deliveries
  t.equal(delivery?.status, 'succeeded')
  t.equal(delivery?.attempts[0]?.response_body_truncated, true)
  t.ok(Buffer.byteLength(delivery?.attempts[0]?.response_body ?? '') <= RESPONSE_BODY_LIMIT, 'at most the cap is kept')
  const outcome = await Promise.race([closed.then(() => 'closed'), new Promise((resolve) => setTimeout(resolve, 10_000, 'still open').unref())])
  t.equal(outcome, 'closed', 'the emulator hung up on the endless body')
})

t.test('redirects are not followed; only http(s) webhook URLs are accepted', async (t) => {
  const app = await buildApp({ logger: false })
  t.teardown(() => app.close())
  let redirected = 0
  const receiver = await startCountingReceiver(t, (req, res) => {
    if (req.url === '/moved') {
      res.writeHead(307, { location: '/target' })
      res.end()
    } else {
      redirected++
      res.end('ok')
    }
  })
  await createHook(app, receiver.url('/moved'))
  await triggerEvents(app, 1)
  const [delivery] = (await waitForDeliveries(app, 1)).deliveries
  t.equal(delivery?.status, 'failed')
  t.match(delivery?.attempts[0]?.error?.message, /redirects are not followed/)
  t.equal(receiver.received, 1)
  t.equal(redirected, 0, 'the redirect target was never requested')

  for (const url of ['ftp://127.0.0.1/x', 'file:///etc/passwd', 'ws://127.0.0.1/x', 'gopher://127.0.0.1/', 'data:text/plain,x', 'javascript:alert(1)', 'http://', '//127.0.0.1/x']) {
    const res = await app.inject({ method: 'POST', url: LIST, headers: { ...FORM, authorization: AUTH }, payload: form({ FriendlyName: 'h', EventTypes: '*', WebhookUrl: url }) })
    t.equal(res.statusCode, 400, url)
    const state = { accounts: [{ sid: app.emulator.config.accountSid, services: [{ sid: SERVICE_SID, friendly_name: 's', webhooks: [{ sid: 'YW' + '1'.repeat(32), friendly_name: 'w', event_types: ['*'], webhook_url: url }] }] }] }
    const put = await app.inject({ method: 'PUT', url: '/__emulator/state', headers: { authorization: AUTH, 'content-type': 'application/json' }, payload: JSON.stringify(state) })
    t.equal(put.statusCode, 400, `state ${url}`)
  }
})
