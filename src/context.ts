// Everything a route plugin needs, created once per buildApp: no module-level state, so every app
// (and every test) is isolated.
import type { AccountRegistry } from './accounts.js'
import type { Clock } from './clock.js'
import type { Config } from './config.js'
import type { DeliveryDispatcher } from './events/dispatcher.js'
import type { SidGenerator } from './sid.js'
import type { FaultRegistry } from './control/faults.js'
import type { RequestJournal } from './control/journal.js'
import type { AccountFixture } from './fixtures.js'
import type { Repository } from './store/repository.js'

export interface EmulatorContext {
  config: Config
  accounts: AccountRegistry
  repository: Repository
  clock: Clock
  newSid: SidGenerator
  /** Signed event delivery: the dispatcher, its delivery log (`deliveries.log`) and `clearAccount`. */
  deliveries: DeliveryDispatcher
  /** Seed data per account, kept so an account can be reset to it. */
  fixtures: Map<string, AccountFixture>
  /** The last API requests of each account (GET /__emulator/requests). */
  journal: RequestJournal
  /** Faults injected into each account's API requests and event deliveries. */
  faults: FaultRegistry
  /** Accounts whose data came from STATE_FILE but that no configured credential authenticates as. */
  dataOnlyAccounts: Set<string>
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The account the request authenticated as ('' before authentication). */
    accountSid: string
  }
  interface FastifyReply {
    /** Twilio error code of the error response sent (0 when none), for the request journal. */
    twilioErrorCode: number
  }
  interface FastifyInstance {
    emulator: EmulatorContext
  }
}
