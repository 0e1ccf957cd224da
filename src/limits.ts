// What one client can hold of the server: bytes per request, time per request, and what it gets when it
// breaks the HTTP rules (a Twilio-shaped error, then the connection is closed). The values are listed in
// the README's "Reliability" section; the two timeouts are settings (REQUEST_TIMEOUT_MS, HEADERS_TIMEOUT_MS).
import { STATUS_CODES, type Server } from 'node:http'
import type { Socket } from 'node:net'
import type { ConnectionError, FastifyHttpOptions, FastifyInstance } from 'fastify'
import type { Config } from './config.js'
import { statusErrorCode, twilioErrorBody } from './errors.js'

/** Largest request body (413/20413 above it). */
export const BODY_LIMIT_BYTES = 1024 * 1024
/** Largest request head (request line and headers), Node's default made explicit (431 above it). */
export const MAX_HEADER_BYTES = 16 * 1024
/**
 * A connection on which nothing moves for this long is closed (a client that stops reading its response,
 * say). Longer than the longest silence the emulator itself causes: an injected API delay (120 s at
 * most) and a GET /__emulator/deliveries?WaitFor=… wait (60 s at most).
 */
export const IDLE_TIMEOUT_MS = 180_000
/** Longest gap between two checks of the request and headers timeouts (Node's default is 30 s). */
const MAX_CHECK_INTERVAL_MS = 1000

export interface LimitOverrides {
  bodyLimit?: number | undefined
  idleTimeoutMs?: number | undefined
}

/** The Fastify (and Node http.Server) options that enforce the limits. */
export function serverLimits (config: Config, overrides: LimitOverrides = {}): FastifyHttpOptions<Server> {
  const requestTimeout = config.requestTimeoutMs
  // Node refuses a headers timeout longer than the request timeout.
  const headersTimeout = Math.min(config.headersTimeoutMs, requestTimeout)
  return {
    bodyLimit: overrides.bodyLimit ?? BODY_LIMIT_BYTES,
    // Fastify sets server.requestTimeout from its own option, so it is given both ways.
    requestTimeout,
    connectionTimeout: overrides.idleTimeoutMs ?? IDLE_TIMEOUT_MS,
    http: {
      requestTimeout,
      headersTimeout,
      maxHeaderSize: MAX_HEADER_BYTES,
      connectionsCheckingInterval: Math.max(10, Math.min(MAX_CHECK_INTERVAL_MS, Math.floor(headersTimeout / 4)))
    },
    clientErrorHandler
  }
}

const CLIENT_ERRORS: Record<string, { status: number, message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'Request Timeout: the request did not arrive in time' },
  HPE_HEADER_OVERFLOW: { status: 431, message: 'Request Header Fields Too Large' }
}

/**
 * Node's 'clientError' (the request could not be parsed, or did not arrive in time): a Twilio-shaped
 * error when the socket can still be written to, then the connection is closed. Nothing the client sent
 * is echoed or logged above trace.
 */
function clientErrorHandler (this: FastifyInstance, err: ConnectionError, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const { status, message } = CLIENT_ERRORS[err.code] ?? { status: 400, message: 'Bad Request: malformed HTTP request' }
  this.log.trace({ code: err.code }, 'client error')
  // Not when a response already started on this connection: a second status line would corrupt it.
  const started = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage?.headersSent === true
  if (socket.writable && !started) {
    const body = JSON.stringify(twilioErrorBody(status, statusErrorCode(status), message))
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
  }
  socket.destroy()
}
