// Where injected faults take effect: in the /v2 scope's auth hook, after Basic auth (so only the caller's
// own faults apply), and in the delivery dispatcher's beforeAttempt hook.
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction, onRequestHookHandler } from 'fastify'
import type { EmulatorContext } from '../context.js'
import { requestPath, statusErrorCode, TwilioApiError } from '../errors.js'
import type { AttemptFault } from '../events/attempt-hook.js'
import type { Fault } from './faults.js'
import { recordRequest } from './journal-recorder.js'

function errorOf (fault: Fault): TwilioApiError | undefined {
  const { status, code, message, retryAfter } = fault.spec
  if (status === undefined) return undefined
  const headers: Record<string, string> = retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) }
  return new TwilioApiError(status, code ?? statusErrorCode(status), message ?? '', headers)
}

/** Ends the exchange without an answer: the client sees the connection close (socket hang up / ECONNRESET). */
function dropConnection (request: FastifyRequest, reply: FastifyReply, context: EmulatorContext): void {
  reply.hijack()
  // Status 0: no response was sent.
  if (context.journal.enabled) recordRequest(context, request, request.routeOptions.url, undefined, 0, 0)
  // Destroys the socket (over HTTP); an in-process app.inject() call rejects instead.
  reply.raw.destroy()
}

/**
 * The caller's API faults, run by the /v2 scope's auth hook once the caller is known (see
 * authenticatedScope's afterAuth); costs one property read per request while no API fault exists.
 */
export function apiFaultHook (context: EmulatorContext): onRequestHookHandler {
  const { faults } = context
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (!faults.hasApiFaults) {
      done()
      return
    }
    const fault = faults.takeForRequest(request.accountSid, request.method, requestPath(request), request.routeOptions.url)
    if (fault === undefined) {
      done()
      return
    }
    const act = (): void => {
      if (fault.spec.drop === true) {
        dropConnection(request, reply, context)
        return
      }
      const error = errorOf(fault)
      if (error === undefined) done()
      else done(error)
    }
    const delay = fault.spec.delayMs ?? 0
    if (delay > 0) setTimeout(act, delay)
    else act()
  }
}

/** Routes every delivery attempt through the account's delivery faults. */
export function applyDeliveryFaults (context: EmulatorContext): void {
  const { faults } = context
  context.deliveries.beforeAttempt = (delivery) => {
    const fault = faults.takeForDelivery(delivery)
    if (fault === undefined) return undefined
    const effect: AttemptFault = {}
    if (fault.spec.delayMs !== undefined) effect.delayMs = fault.spec.delayMs
    if (fault.spec.drop === true) effect.drop = true
    if (fault.spec.duplicate === true) effect.duplicate = true
    if (fault.spec.status !== undefined) effect.status = fault.spec.status
    return effect
  }
}
