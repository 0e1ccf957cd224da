// The admin token (EMULATOR_ADMIN_TOKEN) lets a control request act on every account. It travels in its
// own header, next to the caller's Basic auth, and is compared in constant time.
import { timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { digest } from '../accounts.js'
import type { Config } from '../config.js'
import { TwilioApiError } from '../errors.js'

export const ADMIN_TOKEN_HEADER = 'x-emulator-admin-token'

/** Throws 403/20403 unless the request carries the configured admin token. */
export function requireAdminToken (request: FastifyRequest, config: Config, action: string): void {
  if (config.adminToken === undefined) {
    throw new TwilioApiError(403, 20403, `Forbidden: ${action} needs the emulator started with EMULATOR_ADMIN_TOKEN`)
  }
  const sent = request.headers[ADMIN_TOKEN_HEADER]
  const valid = typeof sent === 'string' && timingSafeEqual(digest(sent), digest(config.adminToken))
  if (!valid) throw new TwilioApiError(403, 20403, `Forbidden: ${action} needs the admin token in the X-Emulator-Admin-Token header`)
}
