// What every authenticated route shares, on Twilio's API and on the emulator's control plane alike:
// HTTP Basic auth (Account SID + Auth Token, or API Key SID + secret), form bodies, and 405 for
// known paths with the wrong method.
import basicAuth from '@fastify/basic-auth'
import formbody from '@fastify/formbody'
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, HTTPMethods, onRequestHookHandler } from 'fastify'
import type { EmulatorContext } from './context.js'
import { authenticationFailed, methodNotAllowed } from './errors.js'

export interface ScopeOptions {
  /** Accept JSON bodies too (control routes); Twilio's API takes only form bodies. */
  json?: boolean
  /** Runs in the auth hook once the caller is authenticated (one hook run per request instead of two). */
  afterAuth?: onRequestHookHandler
}

/** Sets up auth and body parsing in the calling (encapsulated) plugin. */
export async function authenticatedScope (app: FastifyInstance, context: EmulatorContext, options: ScopeOptions = {}): Promise<void> {
  app.removeAllContentTypeParsers()
  await app.register(formbody)
  if (options.json === true) {
    app.addContentTypeParser('application/json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'))
  }
  const { accounts } = context
  await app.register(basicAuth, {
    validate: async (username: string, password: string, request: FastifyRequest) => {
      const accountSid = accounts.authenticate(username, password)
      if (accountSid === undefined) return authenticationFailed()
      request.accountSid = accountSid
      accounts.rememberHeader(request.headers.authorization as string, accountSid)
      return undefined
    }
  })
  // A header value verified before skips @fastify/basic-auth's parsing and the sha256 of the secret
  // (see AccountRegistry.verifiedHeader); anything else goes through it unchanged.
  const checkBasicAuth = app.basicAuth.bind(app)
  const afterAuth: onRequestHookHandler = options.afterAuth ?? ((_request, _reply, done) => { done() })
  app.addHook('onRequest', function (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) {
    const authorization = request.headers.authorization
    const accountSid = authorization === undefined ? undefined : accounts.verifiedHeader(authorization)
    if (accountSid === undefined) {
      checkBasicAuth(request, reply, (error?: Error) => {
        // @fastify/basic-auth calls back with no argument on success, with the error otherwise.
        if (error === undefined) afterAuth.call(this, request, reply, done)
        else done(error)
      })
      return
    }
    request.accountSid = accountSid
    afterAuth.call(this, request, reply, done)
  })
  // On the routes that take a body only: a hook on every route costs every GET a hook run.
  app.addHook('onRoute', (routeOptions) => {
    const methods = Array.isArray(routeOptions.method) ? routeOptions.method : [routeOptions.method]
    if (!methods.some((method) => method === 'POST' || method === 'PUT')) return
    routeOptions.preValidation = withHook(routeOptions.preValidation, normalizeBody)
  })
}

/** A route's hook option (none, one hook or a list) with `hook` added last, for onRoute hooks. */
export function withHook<H> (hooks: H | readonly H[] | undefined, hook: H): H[] {
  if (hooks === undefined) return [hook]
  return [...(Array.isArray(hooks) ? hooks as readonly H[] : [hooks as H]), hook]
}

/**
 * Twilio treats a parameter sent empty (`FriendlyName=`) as not sent, and a POST without a body as an
 * empty form; both then meet the same required-parameter checks.
 */
// A callback hook, not an async one: it runs on every request and needs no promise.
function normalizeBody (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const body = request.body
  if (request.method === 'POST' || request.method === 'PUT') {
    if (body === undefined || body === null) {
      request.body = Object.create(null)
    } else if (typeof body === 'object') {
      const form = body as Record<string, unknown>
      for (const key of Object.keys(form)) if (form[key] === '') delete form[key]
    }
  }
  done()
}

/** The HTTP methods the emulator knows: routed, rejected with 405, or named in control parameters. */
export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const satisfies readonly HTTPMethods[]

/** Answers 405/20004 for every method a known path does not support (after auth, as on Twilio). */
export function rejectOtherMethods (app: FastifyInstance, url: string, allowed: readonly HTTPMethods[]): void {
  const supported = new Set<string>(allowed)
  if (supported.has('GET')) supported.add('HEAD')
  const others = HTTP_METHODS.filter((m) => !supported.has(m))
  const error = methodNotAllowed([...supported])
  app.route({
    method: others,
    url,
    handler: async (_request: FastifyRequest, _reply: FastifyReply) => { throw error }
  })
}
