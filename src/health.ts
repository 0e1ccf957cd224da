// GET /__emulator/health: unauthenticated readiness probe (Docker HEALTHCHECK, CI wait loops).
import type { FastifyInstance } from 'fastify'
import { PACKAGE_NAME, VERSION } from './version.js'

const healthResponse = {
  type: 'object',
  properties: { status: { type: 'string' }, name: { type: 'string' }, version: { type: 'string' } }
} as const

export async function healthRoutes (app: FastifyInstance): Promise<void> {
  app.get('/__emulator/health', { schema: { response: { 200: healthResponse } } }, async (_request, reply) => {
    return reply.type('application/json').send({ status: 'ok', name: PACKAGE_NAME, version: VERSION })
  })
}
