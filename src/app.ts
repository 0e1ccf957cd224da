// buildApp: the whole emulator as a Fastify instance that is not listening yet.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { AccountRegistry, type Account } from './accounts.js'
import { authenticatedScope } from './api-scope.js'
import { systemClock, toEpochSeconds, type Clock } from './clock.js'
import { DEFAULT_CONFIG, type Config } from './config.js'
import type { EmulatorContext } from './context.js'
import { apiFaultHook, applyDeliveryFaults } from './control/fault-hooks.js'
import { FaultRegistry } from './control/faults.js'
import { RequestJournal } from './control/journal.js'
import { recordApiRequests } from './control/journal-recorder.js'
import { harnessRoutes } from './control/routes.js'
import { keepStateFile, loadStateFile } from './control/state-file.js'
import { errorHandler, formatSchemaErrors, frameworkErrorHandler, notFoundHandler, shuttingDown } from './errors.js'
import { createDeliveries } from './events/dispatcher.js'
import { eventRoutes } from './events/routes.js'
import { accountOf, loadFixturesFile, seedAccount, type Fixtures } from './fixtures.js'
import { healthRoutes } from './health.js'
import { compileOnFirstUse } from './lazy-validators.js'
import { serverLimits } from './limits.js'
import { batchedStdout, deferChildLoggers, requestLineWriter } from './logging.js'
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
  /** A connection idle this long is closed, in ms (default IDLE_TIMEOUT_MS in limits.ts). */
  idleTimeoutMs?: number
}

export function resolveConfig (options: BuildOptions): Config {
  const picked: Partial<Config> = {}
  for (const key of Object.keys(DEFAULT_CONFIG) as Array<keyof Config>) {
    if (options[key] !== undefined) (picked as Record<string, unknown>)[key] = options[key]
  }
  return { ...DEFAULT_CONFIG, ...picked }
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
  const clock = options.clock ?? systemClock
  const context: EmulatorContext = {
    config,
    accounts: new AccountRegistry([{ sid: config.accountSid, authToken: config.authToken }, ...(options.accounts ?? [])]),
    repository: options.repository ?? createMemoryRepository(),
    clock,
    newSid,
    deliveries: createDeliveries(config, clock, newSid),
    fixtures: new Map(),
    journal: new RequestJournal(config.journalLimit),
    faults: new FaultRegistry(),
    dataOnlyAccounts: new Set()
  }
  applyFixtures(context, options.seed ?? (config.fixtures === undefined ? undefined : loadFixturesFile(config.fixtures)))
  if (config.stateFile !== undefined) loadStateFile(context, config.stateFile)
  applyDeliveryFaults(context)

  const logger = options.logger ?? {
    level: config.logLevel,
    redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' },
    stream: batchedStdout()
  }
  const writeRequestLine = options.logger === undefined ? requestLineWriter(batchedStdout()) : undefined
  const app = Fastify({
    ...(typeof logger === 'object' && 'info' in logger ? { loggerInstance: logger } : { logger }),
    // Body size, request/headers timeouts, header size, idle connections, malformed HTTP (limits.ts).
    ...serverLimits(config, { bodyLimit: options.bodyLimit, idleTimeoutMs: options.idleTimeoutMs }),
    // While closing, requests still arriving on open connections get a Twilio-shaped 503 (onRequest below).
    return503OnClosing: false,
    // URLs the router cannot decode (bad percent-escapes) or that have an over-long segment.
    frameworkErrors: frameworkErrorHandler,
    // Every response carries Twilio-Request-Id; the same id tags the request's log line.
    genReqId: () => newSid('RQ'),
    // Fastify's two lines per request are replaced by the single line logged in onResponse below.
    logController: new LogController({ disableRequestLogging: true }),
    schemaErrorFormatter: formatSchemaErrors,
    // Schema compilation was the largest part of start-up (cold start). Ajv's optimizing passes over the
    // generated code and its check of each route schema against the JSON Schema meta-schema are turned
    // off (the validators run no slower for these small schemas; Ajv's strict mode still rejects an
    // unknown keyword), and each route schema is compiled when the route first validates a request.
    ajv: { customOptions: { code: { optimize: false }, validateSchema: false }, onCreate: compileOnFirstUse },
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 }
  })
  // request.log's pino child is made only when something logs through it (logging.ts).
  if (options.logger === undefined) deferChildLoggers(app.log)
  app.decorate('emulator', context)
  app.decorateRequest('accountSid', '')
  app.decorateReply('twilioErrorCode', 0)
  if (config.stateFile !== undefined) keepStateFile(app, context, config.stateFile)

  let closing = false
  app.addHook('preClose', async () => { closing = true })
  // This hook and onResponse run on every request: callback hooks cost no promise and no microtask.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('Twilio-Request-Id', request.id)
    done(closing ? shuttingDown() : undefined)
  })
  // One log line per request (no headers, so no credentials). Whether the default logger's level lets it
  // through is read when the level changes, not per request.
  let requestLines = false
  if (writeRequestLine !== undefined) {
    const pinoLogger = app.log as unknown as Logger
    requestLines = pinoLogger.isLevelEnabled('info')
    pinoLogger.on('level-change', () => { requestLines = pinoLogger.isLevelEnabled('info') })
  }
  app.addHook('onResponse', (request, reply, done) => {
    const ms = Math.round(reply.elapsedTime * 100) / 100
    if (writeRequestLine === undefined) {
      request.log.info({ method: request.method, url: request.url, statusCode: reply.statusCode, ms }, 'request')
    } else if (requestLines) {
      writeRequestLine(request.id, request.method, request.url, reply.statusCode, ms)
    }
    done()
  })

  app.setErrorHandler(errorHandler)
  app.setNotFoundHandler(notFoundHandler)

  await app.register(healthRoutes)
  // Twilio's API: form bodies only.
  await app.register(async (v2) => {
    // API faults apply in the auth hook, once the caller is known; every request is journaled.
    await authenticatedScope(v2, context, { afterAuth: apiFaultHook(context) })
    recordApiRequests(v2, context)
    await v2.register(serviceRoutes, { context })
    await v2.register(webhookRoutes, { context })
  }, { prefix: '/v2' })

  // The emulator's own control plane (events, deliveries, test-harness controls): same credentials,
  // scoped to the caller's account; form or JSON bodies.
  await app.register(async (control) => {
    await authenticatedScope(control, context, { json: true })
    await control.register(eventRoutes, { context })
    await control.register(harnessRoutes, { context })
  }, { prefix: '/__emulator' })

  // Event deliveries stop in two steps: before the server closes (a pending wait would hold it open),
  // waits end and unstarted deliveries are cancelled; onClose then waits for the in-flight ones, which
  // finish or are cut at the grace deadline.
  app.addHook('preClose', async () => { context.deliveries.beginShutdown() })
  app.addHook('onClose', async () => { await context.deliveries.close() })

  return app
}
