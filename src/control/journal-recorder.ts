// Records every authenticated API request in the journal once its response is sent. The hook only
// pushes references to what Fastify already parsed; no header is read, so credentials never get in.
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, onResponseHookHandler } from 'fastify'
import type { EmulatorContext } from '../context.js'
import { withHook } from '../api-scope.js'

/** Files one API request, with its route pattern, form body and outcome, in the caller's journal. */
export function recordRequest (context: EmulatorContext, request: FastifyRequest, route: string | undefined, body: unknown, status: number, errorCode: number): void {
  context.journal.record({
    accountSid: request.accountSid,
    time: context.clock(),
    method: request.method,
    url: request.url,
    route,
    query: request.query,
    body,
    status,
    errorCode
  })
}

/** Adds the recorder to every route registered in `api` from now on. */
export function recordApiRequests (api: FastifyInstance, context: EmulatorContext): void {
  if (!context.journal.enabled) return
  // One hook per route, closing over its pattern: request.routeOptions builds a new object on every
  // read, which the request path should not pay for.
  api.addHook('onRoute', (routeOptions) => {
    const route = routeOptions.url
    const record = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
      // Failed authentication: no account to file it under.
      if (request.accountSid !== '') recordRequest(context, request, route, request.body, reply.statusCode, reply.twilioErrorCode)
      done()
    }
    routeOptions.onResponse = withHook(routeOptions.onResponse as onResponseHookHandler | onResponseHookHandler[] | undefined, record)
  })
}
