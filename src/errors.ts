// The one place that builds Twilio's error envelope { code, message, more_info, status }.
// Never add both `type` and `title` keys: twilio-node would then throw TwilioServiceException
// instead of RestException.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { sendJson } from './json.js'

export interface TwilioErrorBody {
  code: number
  message: string
  more_info: string
  status: number
}

export class TwilioApiError extends Error {
  readonly statusCode: number
  readonly twilioCode: number
  readonly headers: Record<string, string>

  constructor (statusCode: number, twilioCode: number, message: string, headers: Record<string, string> = {}) {
    super(message)
    this.name = 'TwilioApiError'
    this.statusCode = statusCode
    this.twilioCode = twilioCode
    this.headers = headers
  }
}

/** Twilio's generic error code for an HTTP status: 20000 + status (20404, 20429, 20503, …). */
export function statusErrorCode (status: number): number {
  return 20000 + status
}

export function twilioErrorBody (status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }
}

/** A URL's path: everything before its query string. */
export function pathOf (url: string): string {
  const q = url.indexOf('?')
  return q === -1 ? url : url.slice(0, q)
}

/** Path of the request without its query string, as Twilio quotes it in 20404 messages. */
export function requestPath (request: FastifyRequest): string {
  return pathOf(request.url)
}

export function notFound (path: string): TwilioApiError {
  return new TwilioApiError(404, 20404, `The requested resource ${path} was not found`)
}

export function missingParameter (name: string): TwilioApiError {
  return new TwilioApiError(400, 20001, `Missing required parameter ${name} in the post body`)
}

export function invalidParameter (name: string, code = 60200): TwilioApiError {
  return new TwilioApiError(400, code, `Invalid parameter: ${name}`)
}

export function authenticationFailed (): TwilioApiError {
  return new TwilioApiError(401, 20003, 'Authenticate', { 'WWW-Authenticate': 'Basic realm="Twilio API"' })
}

/** A request that arrives while the emulator is closing (on a connection that was already open). */
export function shuttingDown (): TwilioApiError {
  return new TwilioApiError(503, 20503, 'Service Unavailable: the emulator is shutting down', { Connection: 'close' })
}

export function methodNotAllowed (allowed: readonly string[]): TwilioApiError {
  return new TwilioApiError(405, 20004, 'Method not allowed', { Allow: allowed.join(', ') })
}

/** A path parameter that fails its SID pattern means "no such resource", as on Twilio. */
class ParamsNotFound extends Error {
  readonly statusCode = 404
}

interface AjvErrorLike {
  keyword: string
  instancePath: string
  params: Record<string, unknown>
}

// Parameters whose invalid values Twilio reports with the Verify Push family code 60306
// (docs: "Invalid Webhooks parameters: Invalid EventTypes", "Invalid list parameters").
const CODE_60306 = new Set(['EventTypes', 'PageSize', 'Page', 'PageToken'])

/**
 * Fastify's schemaErrorFormatter: turns the first Ajv error into a Twilio error.
 * Ajv runs with allErrors: false, so there is one error, as Twilio reports one.
 */
export function formatSchemaErrors (errors: readonly AjvErrorLike[], dataVar: string): Error {
  if (dataVar === 'params') return new ParamsNotFound('params')
  const first = errors[0]
  if (first === undefined) return new TwilioApiError(400, 20001, 'Invalid request')
  if (first.keyword === 'required') return missingParameter(String(first.params.missingProperty))
  // instancePath is like "/EventTypes/0" or "/WebhookUrl"; the body itself ("") means no form at all.
  const name = first.instancePath.split('/')[1]
  if (name === undefined || name === '') return new TwilioApiError(400, 20001, 'Invalid request body')
  const decoded = name.replace(/~1/g, '/').replace(/~0/g, '~')
  return invalidParameter(decoded, CODE_60306.has(decoded) ? 60306 : 60200)
}

function fromFastifyError (err: FastifyError, request: FastifyRequest): TwilioApiError {
  if (err instanceof TwilioApiError) return err
  if (err instanceof ParamsNotFound) return notFound(requestPath(request))
  const status = err.statusCode ?? 500
  switch (err.code) {
    case 'FST_BASIC_AUTH_MISSING_OR_BAD_AUTHORIZATION_HEADER':
      return authenticationFailed()
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new TwilioApiError(415, 20415, 'Unsupported Media Type: send the parameters as application/x-www-form-urlencoded')
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new TwilioApiError(413, 20413, 'Request Entity Too Large')
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new TwilioApiError(400, 20001, 'Invalid request body')
  }
  if (err.validation !== undefined) return new TwilioApiError(400, 20001, 'Invalid request')
  if (status === 401) return authenticationFailed()
  if (status >= 400 && status < 500) return new TwilioApiError(status, statusErrorCode(status), err.message)
  return new TwilioApiError(500, 20500, 'Internal Server Error')
}

/** Sends `error` as Twilio's envelope, with its headers. */
export function sendTwilioError (reply: FastifyReply, error: TwilioApiError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value)
  // Read by the request journal; sending is the one place every error passes through.
  reply.twilioErrorCode = error.twilioCode
  return sendJson(reply.code(error.statusCode), twilioErrorBody(error.statusCode, error.twilioCode, error.message))
}

export function errorHandler (err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const twilioError = fromFastifyError(err, request)
  // Errors the emulator answers on purpose (an injected fault's 500 or 503, the 503 while shutting down)
  // are not logged as failures; anything else that ends in a 5xx is.
  if (twilioError.statusCode >= 500 && !(err instanceof TwilioApiError)) request.log.error({ err }, 'unhandled error')
  return sendTwilioError(reply, twilioError)
}

export function notFoundHandler (request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendTwilioError(reply, notFound(requestPath(request)))
}

/**
 * Fastify's frameworkErrors: a URL the router cannot decode (bad percent-escape) or with an over-long
 * segment names no resource, so it is 404/20404 like any unknown path. Route hooks do not run here, so
 * the Twilio-Request-Id header is set too.
 */
export function frameworkErrorHandler (_err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  sendTwilioError(reply.header('Twilio-Request-Id', request.id), notFound(requestPath(request)))
}
