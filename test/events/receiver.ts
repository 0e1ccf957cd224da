// Test helpers for event delivery: a real HTTP receiver on 127.0.0.1 that records every request, and
// shortcuts for registering webhooks, triggering events and reading the delivery log through the app.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { basicAuth, form, FORM, listenOnLoopback, SERVICE_SID } from '../helper.js'

export interface ReceivedRequest {
  method: string
  /** Path and query, as requested. */
  path: string
  headers: IncomingHttpHeaders
  body: string
  params: Record<string, string>
}

/** Longest wait for requests to arrive (under tap's own 30 s limit per test, so the failure names the count). */
const RECEIVE_TIMEOUT_MS = 20_000

/** How the receiver answers one request: a status and body, or `hang` (never answer). */
export type Answer = { status?: number, body?: string, headers?: Record<string, string> } | 'hang'

export interface Receiver {
  /** Absolute URL of `path` on this receiver. */
  url: (path?: string) => string
  requests: ReceivedRequest[]
  /** Resolves once `count` requests have arrived in total; rejects, naming how many did, after `timeoutMs`. */
  received: (count: number, timeoutMs?: number) => Promise<ReceivedRequest[]>
  /** Answers every request held by `hang` so far with `status`. */
  release: (status?: number) => void
  /** Most requests held unanswered at the same time. */
  maxHanging: () => number
  close: () => Promise<void>
}

interface Teardown { teardown: (fn: () => unknown) => void }

export async function startReceiver (t: Teardown, answer: (request: ReceivedRequest) => Answer = () => ({})): Promise<Receiver> {
  const requests: ReceivedRequest[] = []
  const waits: Array<{ count: number, resolve: () => void }> = []
  const hanging = new Set<ServerResponse>()
  let maxHanging = 0

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        params: Object.fromEntries(new URLSearchParams(body))
      }
      requests.push(request)
      for (const wait of waits.filter((w) => requests.length >= w.count)) {
        waits.splice(waits.indexOf(wait), 1)
        wait.resolve()
      }
      const reply = answer(request)
      if (reply === 'hang') {
        hanging.add(res)
        maxHanging = Math.max(maxHanging, hanging.size)
        return
      }
      res.writeHead(reply.status ?? 200, { 'content-type': 'text/plain', ...reply.headers })
      res.end(reply.body ?? 'ok')
    })
  })
  const { url, close } = await listenOnLoopback(t, server)

  return {
    url,
    requests,
    received: async (count, timeoutMs = RECEIVE_TIMEOUT_MS) => {
      if (requests.length < count) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`received ${requests.length} of ${count} requests within ${timeoutMs} ms`)), timeoutMs)
          waits.push({ count, resolve: () => { clearTimeout(timer); resolve() } })
        })
      }
      return requests
    },
    release: (status = 200) => {
      for (const res of hanging) res.writeHead(status).end('released')
      hanging.clear()
    },
    maxHanging: () => maxHanging,
    close
  }
}

/** A URL on 127.0.0.1 where nothing listens (a port just released): connections are refused. */
export async function refusedUrl (): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}/hook`
}

export interface WebhookSpec {
  url: string
  eventTypes?: string[]
  version?: 'v1' | 'v2'
  status?: 'enabled' | 'disabled'
  serviceSid?: string
  auth?: string
}

/** Registers a webhook through the API and returns its SID. */
export async function createWebhook (app: FastifyInstance, spec: WebhookSpec): Promise<string> {
  const pairs: Array<[string, string]> = [['FriendlyName', 'test'], ['WebhookUrl', spec.url]]
  for (const type of spec.eventTypes ?? ['*']) pairs.push(['EventTypes', type])
  if (spec.version !== undefined) pairs.push(['Version', spec.version])
  if (spec.status !== undefined) pairs.push(['Status', spec.status])
  const res = await app.inject({
    method: 'POST',
    url: `/v2/Services/${spec.serviceSid ?? SERVICE_SID}/Webhooks`,
    headers: { ...FORM, authorization: spec.auth ?? basicAuth() },
    payload: form(pairs)
  })
  if (res.statusCode !== 201) throw new Error(`webhook create failed: ${res.statusCode} ${res.body}`)
  return res.json().sid as string
}

export interface TriggerResponse {
  statusCode: number
  body: any
}

/** POST /__emulator/events with a form body (ServiceSid defaults to the test service). */
export async function trigger (app: FastifyInstance, params: Record<string, string>, auth = basicAuth()): Promise<TriggerResponse> {
  const res = await app.inject({
    method: 'POST',
    url: '/__emulator/events',
    headers: { ...FORM, authorization: auth },
    payload: form({ ServiceSid: SERVICE_SID, EntityIdentity: 'user-1234', ...params })
  })
  return { statusCode: res.statusCode, body: res.json() }
}

/** GET /__emulator/deliveries with a query (e.g. { WaitFor: '3', Timeout: '5000' }). */
export async function deliveries (app: FastifyInstance, query: Record<string, string> = {}, auth = basicAuth()): Promise<TriggerResponse> {
  const qs = new URLSearchParams(query).toString()
  const res = await app.inject({ method: 'GET', url: `/__emulator/deliveries${qs === '' ? '' : '?' + qs}`, headers: { authorization: auth } })
  return { statusCode: res.statusCode, body: res.json() }
}

export { errorBody } from '../helper.js'
