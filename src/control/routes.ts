// The test-harness controls: routes under /__emulator (reset, state, request journal, faults) and the
// hooks they need in Twilio's API scope (fault injection, journal recording).
import type { FastifyInstance } from 'fastify'
import type { EmulatorContext } from '../context.js'
import { applyApiFaults } from './fault-hooks.js'
import { faultRoutes } from './fault-routes.js'
import { recordApiRequests } from './journal-recorder.js'
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

/** Adds fault injection and journal recording to the /v2 scope; call after its auth hook is added. */
export function instrumentApi (api: FastifyInstance, context: EmulatorContext): void {
  applyApiFaults(api, context)
  recordApiRequests(api, context)
}
