// POST /__emulator/reset: the caller's account back to its fixtures; with the admin token and
// Scope=all, every account.
import type { FastifyInstance } from 'fastify'
import { rejectOtherMethods } from '../api-scope.js'
import type { EmulatorContext } from '../context.js'
import { requireAdminToken } from './admin-token.js'
import { ControlParams } from './params.js'
import { resetAccount, resetAllAccounts } from './reset.js'
import { sendJson } from '../json.js'

export const RESET_SCOPES = ['account', 'all'] as const

export async function resetRoutes (app: FastifyInstance, { context }: { context: EmulatorContext }): Promise<void> {
  app.post('/reset', async (request, reply) => {
    const params = new ControlParams(['Scope'], request.query, request.body)
    const scope = params.oneOf('Scope', RESET_SCOPES) ?? 'account'
    if (scope === 'all') {
      requireAdminToken(request, context.config, 'Scope=all')
      const accounts = resetAllAccounts(context)
      return sendJson(reply, { scope, accounts })
    }
    resetAccount(context, request.accountSid)
    return sendJson(reply, { scope, accounts: [request.accountSid] })
  })

  rejectOtherMethods(app, '/reset', ['POST'])
}
