// Everything a route plugin needs, created once per buildApp: no module-level state, so every app
// (and every test) is isolated.
import type { AccountRegistry } from './accounts.js'
import type { Clock } from './clock.js'
import type { Config } from './config.js'
import type { SidGenerator } from './sid.js'
import type { AccountFixture } from './fixtures.js'
import type { Repository } from './store/repository.js'

export interface EmulatorContext {
  config: Config
  accounts: AccountRegistry
  repository: Repository
  clock: Clock
  newSid: SidGenerator
  /** Seed data per account, kept so an account can be reset to it. */
  fixtures: Map<string, AccountFixture>
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The account the request authenticated as ('' before authentication). */
    accountSid: string
  }
  interface FastifyInstance {
    emulator: EmulatorContext
  }
}
