// /v2/Services[/{Sid}]: Twilio's Verify Service resource (the parent of Webhooks).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { rejectOtherMethods } from '../api-scope.js'
import { baseUrlOf } from '../base-url.js'
import { toEpochSeconds } from '../clock.js'
import type { EmulatorContext } from '../context.js'
import { notFound, requestPath } from '../errors.js'
import { listMeta, pageQuerySchema, parsePageQuery, type PageQuery } from '../paging.js'
import { SID_PATTERNS } from '../sid.js'
import type { ServiceRecord } from '../store/records.js'
import { applyServiceParameters, createServiceBody, updateServiceBody } from './parameters.js'
import { servicesUrl, toServiceResource } from './resource.js'
import { defaultServiceSettings } from './settings.js'
import { sendJson } from '../json.js'

interface InstanceParams { Sid: string }
type ServiceForm = Record<string, unknown> & { FriendlyName?: string }

const instanceParams = {
  type: 'object',
  required: ['Sid'],
  properties: { Sid: { type: 'string', pattern: SID_PATTERNS.service } }
} as const

export async function serviceRoutes (app: FastifyInstance, { context }: { context: EmulatorContext }): Promise<void> {
  const { repository, config } = context
  const now = (): number => toEpochSeconds(context.clock())

  function find (request: FastifyRequest<{ Params: InstanceParams }>): ServiceRecord {
    const service = repository.getService(request.accountSid, request.params.Sid)
    if (service === undefined) throw notFound(requestPath(request))
    return service
  }

  app.post<{ Body: ServiceForm }>('/Services', { schema: { body: createServiceBody } }, async (request, reply) => {
    const settings = applyServiceParameters(defaultServiceSettings(request.body.FriendlyName as string), request.body)
    // Totp.Issuer defaults to the friendly name when not given.
    if (request.body['Totp.Issuer'] === undefined) settings.totp.issuer = settings.friendly_name
    const service = repository.createService({ sid: context.newSid('VA'), accountSid: request.accountSid, settings, now: now() })
    if (service === undefined) throw new Error('generated a Service SID that already exists')
    return sendJson(reply.code(201), toServiceResource(service, baseUrlOf(request, config)))
  })

  app.get<{ Querystring: PageQuery }>('/Services', {
    schema: { querystring: pageQuerySchema }
  }, async (request, reply) => {
    const pageRequest = parsePageQuery(request.query)
    const page = repository.pageServices(request.accountSid, pageRequest.cursor, pageRequest.pageSize)
    const baseUrl = baseUrlOf(request, config)
    return sendJson(reply, {
      services: page.records.map((record) => toServiceResource(record, baseUrl)),
      meta: listMeta(servicesUrl(baseUrl), 'services', pageRequest, page)
    })
  })

  app.get<{ Params: InstanceParams }>('/Services/:Sid', { schema: { params: instanceParams } }, async (request, reply) => {
    return sendJson(reply, toServiceResource(find(request), baseUrlOf(request, config)))
  })

  app.post<{ Params: InstanceParams, Body: ServiceForm }>('/Services/:Sid', {
    schema: { params: instanceParams, body: updateServiceBody }
  }, async (request, reply) => {
    const service = find(request)
    const settings = applyServiceParameters(service.settings, request.body)
    const updated = repository.updateService(request.accountSid, service.sid, settings, now())
    if (updated === undefined) throw notFound(requestPath(request))
    return sendJson(reply, toServiceResource(updated, baseUrlOf(request, config)))
  })

  app.delete<{ Params: InstanceParams }>('/Services/:Sid', { schema: { params: instanceParams } }, async (request, reply) => {
    if (!repository.removeService(request.accountSid, request.params.Sid)) throw notFound(requestPath(request))
    return reply.code(204).send()
  })

  rejectOtherMethods(app, '/Services', ['GET', 'POST'])
  rejectOtherMethods(app, '/Services/:Sid', ['GET', 'POST', 'DELETE'])
}
