// GET /__emulator/state exports the caller's services and webhooks as a fixtures document;
// PUT replaces them with one (validated completely first: a bad document changes nothing).
import type { FastifyInstance } from 'fastify'
import { rejectOtherMethods } from '../api-scope.js'
import type { EmulatorContext } from '../context.js'
import { TwilioApiError } from '../errors.js'
import { FixtureError } from '../fixtures.js'
import { expectNoParameters } from './params.js'
import { exportState, parseState, replaceState } from './state.js'
import { sendJson } from '../json.js'

function invalidState (err: unknown): unknown {
  return err instanceof FixtureError ? new TwilioApiError(400, 20001, `Invalid state: ${err.message}`) : err
}

export async function stateRoutes (app: FastifyInstance, { context }: { context: EmulatorContext }): Promise<void> {
  app.get('/state', async (request, reply) => {
    expectNoParameters(request.query)
    return sendJson(reply, exportState(context, [request.accountSid]))
  })

  app.put('/state', async (request, reply) => {
    expectNoParameters(request.query)
    if (request.headers['content-type']?.startsWith('application/json') !== true) {
      throw new TwilioApiError(415, 20415, 'Unsupported Media Type: send the state as application/json')
    }
    try {
      const accounts = parseState(request.body, 'state', new Set([request.accountSid]))
      replaceState(context, accounts, 'state', [request.accountSid])
    } catch (err) {
      throw invalidState(err)
    }
    return sendJson(reply, exportState(context, [request.accountSid]))
  })

  rejectOtherMethods(app, '/state', ['GET', 'PUT'])
}
