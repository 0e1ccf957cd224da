// Delivery throughput: events/s delivered and signed to a local receiver. The emulator (default
// configuration, spawned) has WEBHOOKS webhooks subscribed to every event type, all pointing at a receiver
// on 127.0.0.1 in this process; EVENTS events are triggered through POST /__emulator/events (a few at a
// time), and the clock stops when the receiver holds every delivery. The receiver checks each signature
// with twilio-node's validateRequest, as a real handler would. Skipped until dist/events exists.
import { existsSync } from 'node:fs'
import http, { createServer } from 'node:http'
import { AUTH_TOKEN, FORM_HEADERS, HOST, SERVICE_SID, WEBHOOKS_PATH, cpuMsOf, freePort, request, round, spawnNode, stopChild, waitFor201 } from './lib.mjs'

const TYPES = ['factor.created', 'factor.verified', 'factor.deleted', 'challenge.approved', 'challenge.denied']

function startReceiver (validate) {
  const state = { received: 0, valid: 0, onCount: null }
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))
      const url = `http://${HOST}:${server.address().port}${req.url}`
      if (validate(AUTH_TOKEN, req.headers['x-twilio-signature'], url, params)) state.valid++
      state.received++
      res.writeHead(200).end()
      state.onCount?.()
    })
  })
  return new Promise((resolve) => server.listen(0, HOST, () => resolve({ server, state })))
}

export async function runDelivery ({ events = 1000, webhooks = 5, concurrency = 10, deadlineMs = 60_000 } = {}) {
  if (!existsSync(new URL('../dist/events', import.meta.url))) return { skipped: 'delivery not built' }
  const { default: twilio } = await import('twilio')
  const { server, state } = await startReceiver(twilio.validateRequest)
  const port = await freePort()
  const emulator = spawnNode(['dist/server.bundle.js'], { env: { HOST, PORT: String(port) } })
  try {
    await waitFor201(port, { child: emulator })
    // A service of its own: its only webhooks are the receiver's (waitFor201 stored one, to example.com,
    // in the bench's usual service, which gets no events).
    const serviceSid = 'VA' + 'fedcba9876543210'.repeat(2)
    const path = WEBHOOKS_PATH.replace(SERVICE_SID, serviceSid)
    for (let i = 0; i < webhooks; i++) {
      const body = new URLSearchParams([['FriendlyName', `Receiver ${i}`], ['EventTypes', '*'], ['WebhookUrl', `http://${HOST}:${server.address().port}/hook-${i}`]]).toString()
      const res = await request(port, 'POST', path, { headers: FORM_HEADERS, body })
      if (res.status !== 201) throw new Error(`creating a webhook: ${res.status} ${res.body}`)
    }
    const expected = events * webhooks
    let timer
    const allReceived = new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`delivery: ${state.received} of ${expected} deliveries within ${deadlineMs} ms`)), deadlineMs)
      state.onCount = () => {
        if (state.received >= expected) {
          clearTimeout(timer)
          resolve(process.hrtime.bigint())
        }
      }
    })
    allReceived.catch(() => {})
    const started = process.hrtime.bigint()
    const cpuBefore = { emulator: cpuMsOf(emulator.pid), bench: process.cpuUsage() }
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency })
    let next = 0
    let triggeredAt
    const trigger = async () => {
      while (next < events) {
        const i = next++
        const body = new URLSearchParams({ ServiceSid: serviceSid, Type: TYPES[i % TYPES.length], EntityIdentity: `user-${i}` }).toString()
        const res = await request(port, 'POST', '/__emulator/events', { headers: FORM_HEADERS, body, agent })
        if (res.status !== 201) throw new Error(`triggering an event: ${res.status} ${res.body}`)
      }
      triggeredAt = process.hrtime.bigint()
    }
    // A failed trigger ends the run at once: the deadline's timer must not hold the process for its length.
    await Promise.all(Array.from({ length: concurrency }, trigger)).catch((error) => { clearTimeout(timer); throw error })
    const finished = await allReceived
    agent.destroy()
    const seconds = Number(finished - started) / 1e9
    const benchCpu = process.cpuUsage(cpuBefore.bench)
    const emulatorCpuMs = cpuMsOf(emulator.pid) - cpuBefore.emulator
    return {
      events,
      webhooks,
      deliveries: state.received,
      validSignatures: state.valid,
      seconds: round(seconds, 3),
      triggerSeconds: round(Number(triggeredAt - started) / 1e9, 3),
      eventsPerSecond: round(events / seconds, 0),
      deliveriesPerSecond: round(state.received / seconds, 0),
      // Where the time went: the emulator's CPU, and this process's (trigger client and receiver).
      emulatorCpuSeconds: round(emulatorCpuMs / 1000, 2),
      benchCpuSeconds: round((benchCpu.user + benchCpu.system) / 1e6, 2)
    }
  } finally {
    await stopChild(emulator)
    server.closeAllConnections()
    server.close()
  }
}
