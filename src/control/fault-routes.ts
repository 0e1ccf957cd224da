// /__emulator/faults[/{Id}]: add (POST), list (GET) and remove (DELETE) the caller's injected faults.
import type { FastifyInstance } from 'fastify'
import { rejectOtherMethods } from '../api-scope.js'
import type { EmulatorContext } from '../context.js'
import { notFound, requestPath } from '../errors.js'
import { parseFaultSpec } from './fault-params.js'
import { Fault, type FaultTarget } from './faults.js'
import type { Operation } from './operations.js'
import { expectNoParameters } from './params.js'
import { sendJson } from '../json.js'
import { SID_PATTERNS } from '../sid.js'

/** A fault as the control API shows it (null for what it does not set). */
export interface FaultView {
  id: string
  target: FaultTarget
  method: string | null
  path: string | null
  operation: Operation | null
  event_type: string | null
  service_sid: string | null
  webhook_sid: string | null
  status: number | null
  code: number | null
  message: string | null
  retry_after: number | null
  delay_ms: number | null
  drop: boolean
  duplicate: boolean
  times: number
  /** Times left before the fault is removed. */
  remaining: number
  /** Times it fired so far. */
  applied: number
  probability: number
  /** The PRNG seed of the probability draws: send it back as Seed to repeat a run. */
  seed: number
  date_created: string
}

export function toFaultView (fault: Fault): FaultView {
  const s = fault.spec
  return {
    id: fault.id,
    target: s.target,
    method: s.method ?? null,
    path: s.path ?? null,
    operation: s.operation ?? null,
    event_type: s.eventType ?? null,
    service_sid: s.serviceSid ?? null,
    webhook_sid: s.webhookSid ?? null,
    status: s.status ?? null,
    code: s.code ?? null,
    message: s.message ?? null,
    retry_after: s.retryAfter ?? null,
    delay_ms: s.delayMs ?? null,
    drop: s.drop === true,
    duplicate: s.duplicate === true,
    times: s.times,
    remaining: fault.remaining,
    applied: fault.applied,
    probability: s.probability,
    seed: s.seed,
    date_created: new Date(fault.createdAt).toISOString()
  }
}

const instanceParams = {
  type: 'object',
  required: ['Id'],
  properties: { Id: { type: 'string', pattern: SID_PATTERNS.fault } }
} as const

export async function faultRoutes (app: FastifyInstance, { context }: { context: EmulatorContext }): Promise<void> {
  const { faults } = context

  app.post('/faults', async (request, reply) => {
    const fault = new Fault(context.newSid('FI'), parseFaultSpec(request.query, request.body), context.clock())
    faults.add(request.accountSid, fault)
    return sendJson(reply.code(201), toFaultView(fault))
  })

  app.get('/faults', async (request, reply) => {
    expectNoParameters(request.query)
    return sendJson(reply, { faults: faults.list(request.accountSid).map(toFaultView) })
  })

  app.delete('/faults', async (request, reply) => {
    expectNoParameters(request.query)
    faults.clear(request.accountSid)
    return reply.code(204).send()
  })

  app.delete<{ Params: { Id: string } }>('/faults/:Id', { schema: { params: instanceParams } }, async (request, reply) => {
    if (!faults.remove(request.accountSid, request.params.Id)) throw notFound(requestPath(request))
    return reply.code(204).send()
  })

  rejectOtherMethods(app, '/faults', ['GET', 'POST', 'DELETE'])
  rejectOtherMethods(app, '/faults/:Id', ['DELETE'])
}
