// startEmulator: buildApp + listen, for CLIs and in-process use from test suites.
import type { FastifyInstance } from 'fastify'
import { buildApp, type BuildOptions } from './app.js'

export interface RunningEmulator {
  /** Base URL to point clients at, e.g. http://127.0.0.1:4010. */
  url: string
  port: number
  accountSid: string
  authToken: string
  app: FastifyInstance
  /** Stops accepting connections, lets in-flight requests finish, then resolves. */
  close: () => Promise<void>
}

export async function startEmulator (options: BuildOptions = {}): Promise<RunningEmulator> {
  const app = await buildApp({ logger: false, ...options })
  const { host, accountSid, authToken } = app.emulator.config
  await app.listen({ port: app.emulator.config.port, host })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : app.emulator.config.port
  const urlHost = host.includes(':') ? `[${host}]` : (host === '0.0.0.0' ? '127.0.0.1' : host)
  return {
    url: `http://${urlHost}:${port}`,
    port,
    accountSid,
    authToken,
    app,
    close: async () => { await app.close() }
  }
}
