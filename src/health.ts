// GET /__emulator/health: unauthenticated readiness probe (Docker HEALTHCHECK, CI wait loops).
import type { FastifyInstance } from 'fastify'
import { PACKAGE_NAME, VERSION } from './version.js'
import { sendJson } from './json.js'

export async function healthRoutes (app: FastifyInstance): Promise<void> {
  app.get('/__emulator/health', async (_request, reply) => {
    return sendJson(reply, { status: 'ok', name: PACKAGE_NAME, version: VERSION })
  })
}
