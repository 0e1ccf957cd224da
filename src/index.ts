export { buildApp, type BuildOptions } from './app.js'
export { startEmulator, type RunningEmulator, type TwilioFactory } from './emulator.js'
export { EmulatorHttpClient, type TwilioRequestOptions, type TwilioResponse } from './http-client.js'
export {
  EmulatorControlError,
  type AccountControls, type Delivery, type DeliveryFilter, type DeliveryPage, type EventOptions, type FaultOptions,
  type RequestFilter, type RequestJournalPage, type TriggeredEvent
} from './control/client.js'
export type { FaultView } from './control/fault-routes.js'
export type { JournaledRequest } from './control/journal-routes.js'
export type { Operation } from './control/operations.js'
export type { Fixtures, AccountFixture, ServiceFixture, WebhookFixture } from './fixtures.js'
export { loadConfig, type Config, DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from './config.js'
export type { Account, ApiKey } from './accounts.js'
export type { Repository } from './store/repository.js'
