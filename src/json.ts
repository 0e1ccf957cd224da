// JSON out: string quoting for hand-built JSON text, and the one way replies send JSON.
import type { FastifyReply } from 'fastify'

// What JSON.stringify would escape in a string (quotes, backslash, control characters, surrogates).
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/

/** `value` as a JSON string literal, exactly as JSON.stringify writes it, without its cost when nothing needs escaping. */
export function jsonString (value: string): string {
  return NEEDS_ESCAPING.test(value) ? JSON.stringify(value) : '"' + value + '"'
}

/**
 * `compute` for a value that repeats from call to call (a response's origin, an account SID): the last
 * value and its result are remembered, so a repeat costs one comparison instead of a scan.
 */
export function rememberingLast (compute: (value: string) => string): (value: string) => string {
  let last: string | undefined
  let result = ''
  return (value) => {
    if (value !== last) {
      result = compute(value)
      last = value
    }
    return result
  }
}

const asIs = (text: string): string => text

/**
 * Sends JSON text (a string) or a value to serialize, as `Content-Type: application/json`, the way Twilio
 * labels it. Fastify appends `; charset=utf-8` to JSON it serializes itself; a reply serializer of its own
 * leaves the content type to the caller (an onSend hook that took the charset off again cost every request
 * a hook run, and sending bytes instead cost an extra copy of the body).
 */
export function sendJson (reply: FastifyReply, body: string | object): FastifyReply {
  return reply.type('application/json').serializer(asIs).send(typeof body === 'string' ? body : JSON.stringify(body))
}
