import type { FastifyRequest } from 'fastify'
import type { Config } from './config.js'

/**
 * Origin for absolute URLs in responses: PUBLIC_BASE_URL when set, else the origin the client used,
 * so that twilio-node, which follows next_page_url verbatim, comes back to the emulator.
 */
export function baseUrlOf (request: FastifyRequest, config: Config): string {
  return config.publicBaseUrl ?? `${request.protocol}://${request.host}`
}
