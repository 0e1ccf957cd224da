// The test-harness controls: routes under /__emulator (reset, state, request journal, faults). Their
// hooks in Twilio's API scope are added by buildApp: fault injection (apiFaultHook) and journal recording
// (recordApiRequests).
import type { FastifyInstance } from 'fastify'
import type { EmulatorContext } from '../context.js'
import { faultRoutes } from './fault-routes.js'
import { journalRoutes } from './journal-routes.js'
import { resetRoutes } from './reset-routes.js'
import { stateRoutes } from './state-routes.js'

/** Registers the control routes in the (authenticated) /__emulator scope. */
export async function harnessRoutes (app: FastifyInstance, { context }: { context: EmulatorContext }): Promise<void> {
  await app.register(resetRoutes, { context })
  await app.register(stateRoutes, { context })
  await app.register(journalRoutes, { context })
  await app.register(faultRoutes, { context })
}
