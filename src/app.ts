// buildApp: the whole emulator as a Fastify instance that is not listening yet.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { AccountRegistry, type Account } from './accounts.js'
import { authenticatedScope } from './api-scope.js'
import { systemClock, toEpochSeconds, type Clock } from './clock.js'
import { DEFAULT_CONFIG, type Config } from './config.js'
import type { EmulatorContext } from './context.js'
import { errorHandler, formatSchemaErrors, notFoundHandler } from './errors.js'
import { accountOf, loadFixturesFile, seedAccount, type Fixtures } from './fixtures.js'
import { healthRoutes } from './health.js'
import { newSid as defaultNewSid, type SidGenerator } from './sid.js'
import { serviceRoutes } from './services/routes.js'
import { createMemoryRepository } from './store/memory-repository.js'
import type { Repository } from './store/repository.js'
import { webhookRoutes } from './webhooks/routes.js'

export interface BuildOptions extends Partial<Config> {
  /** Accounts besides the default one (config accountSid/authToken). */
  accounts?: readonly Account[]
  repository?: Repository
  clock?: Clock
  newSid?: SidGenerator
  /** false silences logs; a pino-compatible logger replaces the default one. */
  logger?: boolean | FastifyBaseLogger
  /** Seed data; when absent, the file named by the `fixtures` setting (FIXTURES) is loaded. */
  seed?: Fixtures
  /** Largest accepted request body, in bytes (default 1 MiB); larger bodies answer 413. */
  bodyLimit?: number
}

function definedOnly<T extends object> (value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

export function resolveConfig (options: BuildOptions): Config {
  const picked: Partial<Config> = {}
  for (const key of Object.keys(DEFAULT_CONFIG) as Array<keyof Config>) {
    if (options[key] !== undefined) (picked as Record<string, unknown>)[key] = options[key]
  }
  return { ...DEFAULT_CONFIG, ...definedOnly(picked) }
}

/** Registers the fixtures' accounts and stores their services and webhooks. */
function applyFixtures (context: EmulatorContext, fixtures: Fixtures | undefined): void {
  if (fixtures === undefined) return
  const now = toEpochSeconds(context.clock())
  for (const fixture of fixtures.accounts) {
    context.accounts.add(accountOf(fixture, context.accounts.get(fixture.sid)))
    seedAccount(context.repository, fixture, now)
    context.fixtures.set(fixture.sid, fixture)
  }
}

export async function buildApp (options: BuildOptions = {}): Promise<FastifyInstance> {
  const config = resolveConfig(options)
  const newSid = options.newSid ?? defaultNewSid
  const context: EmulatorContext = {
    config,
    accounts: new AccountRegistry([{ sid: config.accountSid, authToken: config.authToken }, ...(options.accounts ?? [])]),
    repository: options.repository ?? createMemoryRepository(),
    clock: options.clock ?? systemClock,
    newSid,
    fixtures: new Map()
  }
  applyFixtures(context, options.seed ?? (config.fixtures === undefined ? undefined : loadFixturesFile(config.fixtures)))

  const logger = options.logger ?? {
    level: config.logLevel,
    redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' }
  }
  const app = Fastify({
    ...(typeof logger === 'object' && 'info' in logger ? { loggerInstance: logger } : { logger }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Every response carries Twilio-Request-Id; the same id tags the request's log line.
    genReqId: () => newSid('RQ'),
    // Fastify's two lines per request are replaced by the single line logged in onResponse below.
    logController: new LogController({ disableRequestLogging: true }),
    schemaErrorFormatter: formatSchemaErrors,
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 }
  })
  app.decorate('emulator', context)
  app.decorateRequest('accountSid', '')

  app.addHook('onRequest', async (request, reply) => {
    reply.header('Twilio-Request-Id', request.id)
  })
  // Twilio answers `Content-Type: application/json`, without the charset Fastify appends.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.getHeader('content-type') === 'application/json; charset=utf-8') reply.header('content-type', 'application/json')
    return payload
  })
  // One log line per request (no headers, so no credentials).
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ method: request.method, url: request.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 100) / 100 }, 'request')
  })

  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler(notFoundHandler)

  await app.register(healthRoutes)
  // Twilio's API: form bodies only.
  await app.register(async (v2) => {
    await authenticatedScope(v2, context)
    await v2.register(serviceRoutes, { context })
    await v2.register(webhookRoutes, { context })
  }, { prefix: '/v2' })

  // The emulator's own control plane (events, deliveries, test-harness controls): same credentials,
  // scoped to the caller's account; form or JSON bodies.
  await app.register(async (control) => {
    await authenticatedScope(control, context, { json: true })
  }, { prefix: '/__emulator' })

  return app
}
