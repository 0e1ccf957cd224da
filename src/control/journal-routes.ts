// GET /__emulator/requests: the caller's journaled API requests, filtered; DELETE empties the journal.
import type { FastifyInstance } from 'fastify'
import { HTTP_METHODS, rejectOtherMethods } from '../api-scope.js'
import type { EmulatorContext } from '../context.js'
import { pathOf } from '../errors.js'
import type { JournalEntry } from './journal.js'
import { OPERATIONS, operationOf, type Operation } from './operations.js'
import { badParameter, ControlParams, expectNoParameters } from './params.js'
import { sendJson } from '../json.js'

export interface JournalFilter {
  method?: string
  pathPrefix?: string
  operation?: Operation
  /** Epoch milliseconds, inclusive. */
  since?: number
  /** Epoch milliseconds, exclusive. */
  until?: number
}

/** A journal entry as the control API shows it. */
export interface JournaledRequest {
  date: string
  method: string
  path: string
  operation: Operation | null
  query: Record<string, unknown>
  params: Record<string, unknown>
  status: number | null
  error_code: number | null
  /** The connection was dropped by an injected fault: no response was sent. */
  dropped: boolean
}

function parseFilter (query: unknown): JournalFilter {
  const p = new ControlParams(['Method', 'PathPrefix', 'Operation', 'Since', 'Until'], query)
  const filter: JournalFilter = {}
  const method = p.oneOf('Method', HTTP_METHODS, (raw) => raw.toUpperCase())
  if (method !== undefined) filter.method = method
  const pathPrefix = p.string('PathPrefix', 'a path starting with /')
  if (pathPrefix !== undefined) {
    if (!pathPrefix.startsWith('/')) throw badParameter('PathPrefix', 'a path starting with /')
    filter.pathPrefix = pathPrefix
  }
  const operation = p.oneOf('Operation', OPERATIONS)
  if (operation !== undefined) filter.operation = operation
  const since = p.date('Since')
  if (since !== undefined) filter.since = since
  const until = p.date('Until')
  if (until !== undefined) filter.until = until
  return filter
}

function matches (filter: JournalFilter, entry: JournalEntry): boolean {
  return (filter.method === undefined || entry.method === filter.method) &&
    (filter.pathPrefix === undefined || pathOf(entry.url).startsWith(filter.pathPrefix)) &&
    (filter.operation === undefined || operationOf(entry.method, entry.route) === filter.operation) &&
    (filter.since === undefined || entry.time >= filter.since) &&
    (filter.until === undefined || entry.time < filter.until)
}

function objectOrEmpty (json: string | undefined): Record<string, unknown> {
  if (json === undefined) return {}
  const value: unknown = JSON.parse(json)
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : {}
}

export function toJournaledRequest (entry: JournalEntry): JournaledRequest {
  return {
    date: new Date(entry.time).toISOString(),
    method: entry.method,
    path: pathOf(entry.url),
    operation: operationOf(entry.method, entry.route) ?? null,
    query: objectOrEmpty(entry.query),
    params: objectOrEmpty(entry.params),
    status: entry.status === 0 ? null : entry.status,
    error_code: entry.errorCode === 0 ? null : entry.errorCode,
    dropped: entry.status === 0
  }
}

export async function journalRoutes (app: FastifyInstance, { context }: { context: EmulatorContext }): Promise<void> {
  const { journal } = context

  app.get('/requests', async (request, reply) => {
    const filter = parseFilter(request.query)
    const { entries, dropped } = journal.snapshot(request.accountSid)
    const requests = entries.filter((entry) => matches(filter, entry)).map(toJournaledRequest)
    return sendJson(reply, { requests, dropped, limit: journal.limit })
  })

  app.delete('/requests', async (request, reply) => {
    expectNoParameters(request.query)
    journal.clear(request.accountSid)
    return reply.code(204).send()
  })

  rejectOtherMethods(app, '/requests', ['GET', 'DELETE'])
}
