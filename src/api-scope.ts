// What every authenticated route shares, on Twilio's API and on the emulator's control plane alike:
// HTTP Basic auth (Account SID + Auth Token, or API Key SID + secret), form bodies, and 405 for
// known paths with the wrong method.
import basicAuth from '@fastify/basic-auth'
import formbody from '@fastify/formbody'
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify'
import type { EmulatorContext } from './context.js'
import { authenticationFailed, methodNotAllowed } from './errors.js'

export interface ScopeOptions {
  /** Accept JSON bodies too (control routes); Twilio's API takes only form bodies. */
  json?: boolean
}

/** Sets up auth and body parsing in the calling (encapsulated) plugin. */
export async function authenticatedScope (app: FastifyInstance, context: EmulatorContext, options: ScopeOptions = {}): Promise<void> {
  app.removeAllContentTypeParsers()
  await app.register(formbody)
  if (options.json === true) {
    app.addContentTypeParser('application/json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'))
  }
  await app.register(basicAuth, {
    validate: async (username: string, password: string, request: FastifyRequest) => {
      const accountSid = context.accounts.authenticate(username, password)
      if (accountSid === undefined) return authenticationFailed()
      request.accountSid = accountSid
      return undefined
    }
  })
  app.addHook('onRequest', app.basicAuth)
  app.addHook('preValidation', normalizeBody)
}

/**
 * Twilio treats a parameter sent empty (`FriendlyName=`) as not sent, and a POST without a body as an
 * empty form; both then meet the same required-parameter checks.
 */
async function normalizeBody (request: FastifyRequest): Promise<void> {
  if (request.method !== 'POST' && request.method !== 'PUT') return
  const body = request.body
  if (body === undefined || body === null) {
    request.body = Object.create(null)
    return
  }
  if (typeof body !== 'object') return
  const form = body as Record<string, unknown>
  for (const key of Object.keys(form)) if (form[key] === '') delete form[key]
}

const ALL_METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

/** Answers 405/20004 for every method a known path does not support (after auth, as on Twilio). */
export function rejectOtherMethods (app: FastifyInstance, url: string, allowed: readonly HTTPMethods[]): void {
  const supported = new Set<string>(allowed)
  if (supported.has('GET')) supported.add('HEAD')
  const others = ALL_METHODS.filter((m) => !supported.has(m))
  const error = methodNotAllowed([...supported])
  app.route({
    method: others,
    url,
    handler: async (_request: FastifyRequest, _reply: FastifyReply) => { throw error }
  })
}
