// startEmulator: buildApp + listen, for CLIs and in-process use from Node test suites. The handle it
// resolves to carries the URL and credentials, an httpClient for twilio-node, and typed test-harness
// controls (reset, state, events, deliveries, request journal, faults) that run in-process.
import type { FastifyInstance } from 'fastify'
import { buildApp, type BuildOptions } from './app.js'
import { InProcessControls, type AccountControls } from './control/client.js'
import { resetAllAccounts } from './control/reset.js'
import { EmulatorHttpClient } from './http-client.js'

/**
 * A twilio-node client factory, i.e. the `twilio` default export. twilio's RequestClient type has private
 * members, so no other class matches it structurally; `never` lets the real factory fit this type.
 */
export type TwilioFactory<C> = (accountSid: string, authToken: string, options: { httpClient: never }) => C

export interface RunningEmulator extends AccountControls {
  /** Base URL to point clients at, e.g. http://127.0.0.1:4010. */
  url: string
  port: number
  accountSid: string
  authToken: string
  app: FastifyInstance
  /**
   * For twilio-node's `httpClient` option: sends every request to this emulator (same path and query),
   * whatever Twilio host, edge or region the client addresses.
   */
  httpClient: EmulatorHttpClient
  /** A twilio-node client for the default account (or `accountSid`), wired to this emulator. */
  twilioClient: <C>(twilio: TwilioFactory<C>, accountSid?: string) => C
  /** The same controls for another configured account. */
  account: (accountSid: string) => AccountControls
  /** Resets every account (no admin token needed in-process); answers their SIDs. */
  resetAll: () => Promise<string[]>
  /** Stops accepting connections, lets in-flight requests finish, writes STATE_FILE, then resolves. */
  close: () => Promise<void>
}

/**
 * Builds and starts an emulator. `port` defaults to 0 (a free port, see `url`); logs are off unless
 * `logger` is given. Every other option is a setting (see Config) or a BuildOptions field.
 */
export async function startEmulator (options: BuildOptions = {}): Promise<RunningEmulator> {
  const app = await buildApp({ logger: false, port: 0, ...options })
  const { host, accountSid, authToken } = app.emulator.config
  await app.listen({ port: app.emulator.config.port, host })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : app.emulator.config.port
  const urlHost = host.includes(':') ? `[${host}]` : (host === '0.0.0.0' ? '127.0.0.1' : host)
  const url = `http://${urlHost}:${port}`
  const httpClient = new EmulatorHttpClient(url)

  function tokenOf (sid: string): string {
    const account = app.emulator.accounts.get(sid)
    if (account === undefined) throw new Error(`no account ${sid} is configured (pass it in accounts or seed)`)
    return account.authToken
  }
  const account = (sid: string): AccountControls => new InProcessControls(app, sid, tokenOf(sid))
  const controls = new InProcessControls(app, accountSid, authToken)

  return {
    url,
    port,
    accountSid,
    authToken,
    app,
    httpClient,
    twilioClient: (twilio, sid = accountSid) => twilio(sid, tokenOf(sid), { httpClient: httpClient as never }),
    account,
    resetAll: async () => resetAllAccounts(app.emulator),
    reset: async () => { await controls.reset() },
    getState: async () => await controls.getState(),
    putState: async (state) => await controls.putState(state),
    triggerEvent: async (event) => await controls.triggerEvent(event),
    deliveries: async (filter) => await controls.deliveries(filter),
    waitForDeliveries: async (count, filter) => await controls.waitForDeliveries(count, filter),
    requests: async (filter) => await controls.requests(filter),
    clearRequests: async () => { await controls.clearRequests() },
    addFault: async (fault) => await controls.addFault(fault),
    faults: async () => await controls.faults(),
    removeFault: async (id) => { await controls.removeFault(id) },
    clearFaults: async () => { await controls.clearFaults() },
    close: async () => { await app.close() }
  }
}
