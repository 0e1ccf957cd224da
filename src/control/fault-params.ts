// The parameters of POST /__emulator/faults → a FaultSpec. Every parameter is checked, including the
// ones that make no sense together, so a typo in a test setup fails loudly instead of injecting nothing.
import { randomInt } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import { VERIFY_EVENT_TYPES } from '../events/event.js'
import { HTTP_METHODS } from '../api-scope.js'
import { statusErrorCode } from '../errors.js'
import { SERVICE_SID, WEBHOOK_SID } from '../sid.js'
import { FAULT_TARGETS, type FaultSpec } from './faults.js'
import { OPERATIONS } from './operations.js'
import { badParameter, ControlParams, missingControlParameter } from './params.js'

export const FAULT_PARAMETERS = [
  'Target', 'Method', 'Path', 'Operation', 'EventType', 'ServiceSid', 'WebhookSid',
  'Status', 'Code', 'Message', 'RetryAfter', 'DelayMs', 'Drop', 'Duplicate', 'Times', 'Probability', 'Seed'
] as const

const API_ONLY = ['Method', 'Path', 'Operation', 'Code', 'Message', 'RetryAfter'] as const
const DELIVERY_ONLY = ['EventType', 'ServiceSid', 'WebhookSid', 'Duplicate'] as const

/** Longest injected latency: long enough to trip any client timeout, short enough to end a test. */
export const MAX_DELAY_MS = 120_000
export const MAX_TIMES = 1_000_000

/** The message of an injected error when none is given. */
function defaultFaultMessage (status: number): string {
  return `${STATUS_CODES[status] ?? `HTTP ${status}`} (injected fault)`
}

export function parseFaultSpec (query: unknown, body: unknown): FaultSpec {
  const p = new ControlParams(FAULT_PARAMETERS, query, body)
  const target = p.oneOf('Target', FAULT_TARGETS, (raw) => raw.toLowerCase()) ?? 'api'
  for (const name of target === 'api' ? DELIVERY_ONLY : API_ONLY) {
    if (p.has(name)) throw badParameter(name, `not used with Target=${target}`)
  }

  const spec: FaultSpec = {
    target,
    times: p.integer('Times', 1, MAX_TIMES) ?? 1,
    probability: p.fraction('Probability') ?? 1,
    seed: p.integer('Seed', 0, 2 ** 32 - 1) ?? randomInt(2 ** 32 - 1)
  }

  const method = p.oneOf('Method', HTTP_METHODS, (raw) => raw.toUpperCase())
  if (method !== undefined) spec.method = method
  const path = p.string('Path', 'a path starting with /, with * for one segment and ** for any')
  if (path !== undefined) {
    if (!path.startsWith('/') || path.includes('?')) throw badParameter('Path', 'a path starting with /, without a query string')
    spec.path = path
  }
  const operation = p.oneOf('Operation', OPERATIONS)
  if (operation !== undefined) spec.operation = operation
  const eventType = p.oneOf('EventType', VERIFY_EVENT_TYPES)
  if (eventType !== undefined) spec.eventType = eventType
  const serviceSid = p.string('ServiceSid', 'a Service SID (VA…)')
  if (serviceSid !== undefined) {
    if (!SERVICE_SID.test(serviceSid)) throw badParameter('ServiceSid', 'a Service SID (VA…)')
    spec.serviceSid = serviceSid
  }
  const webhookSid = p.string('WebhookSid', 'a Webhook SID (YW…)')
  if (webhookSid !== undefined) {
    if (!WEBHOOK_SID.test(webhookSid)) throw badParameter('WebhookSid', 'a Webhook SID (YW…)')
    spec.webhookSid = webhookSid
  }
  if (target === 'api' && method === undefined && path === undefined && operation === undefined) {
    throw badParameter('Path', 'an API fault needs a matcher: Operation, Method or Path (Path=/** matches every request)')
  }

  const status = p.integer('Status', 400, 599)
  if (status !== undefined) spec.status = status
  const code = p.integer('Code', 10000, 99999)
  const message = p.string('Message')
  const retryAfter = p.integer('RetryAfter', 0, 86_400)
  if (status === undefined) {
    const orphan = code !== undefined ? 'Code' : message !== undefined ? 'Message' : retryAfter !== undefined ? 'RetryAfter' : undefined
    if (orphan !== undefined) throw badParameter(orphan, 'only used with Status')
  } else if (target === 'api') {
    spec.code = code ?? statusErrorCode(status)
    spec.message = message ?? defaultFaultMessage(status)
    const wait = retryAfter ?? (status === 429 ? 1 : undefined)
    if (wait !== undefined) spec.retryAfter = wait
  }
  const delayMs = p.integer('DelayMs', 0, MAX_DELAY_MS)
  if (delayMs !== undefined && delayMs > 0) spec.delayMs = delayMs
  if (p.boolean('Drop') === true) {
    if (status !== undefined) throw badParameter('Drop', 'a dropped connection has no Status; send one or the other')
    spec.drop = true
  }
  if (p.boolean('Duplicate') === true) {
    if (spec.drop === true) throw badParameter('Duplicate', 'a dropped delivery cannot be duplicated')
    spec.duplicate = true
  }
  if (spec.status === undefined && spec.delayMs === undefined && spec.drop !== true && spec.duplicate !== true) {
    const effects = target === 'api' ? 'Status, DelayMs or Drop=true' : 'Status, DelayMs, Drop=true or Duplicate=true'
    throw missingControlParameter(`${effects} (the fault's effect)`)
  }
  return spec
}
