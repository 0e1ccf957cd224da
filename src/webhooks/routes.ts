// /v2/Services/{ServiceSid}/Webhooks[/{Sid}]: the five operations of Twilio's Webhook resource.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { rejectOtherMethods } from '../api-scope.js'
import { baseUrlOf } from '../base-url.js'
import { toEpochSeconds } from '../clock.js'
import type { EmulatorContext } from '../context.js'
import { invalidParameter, notFound, requestPath } from '../errors.js'
import { listMeta, parsePageQuery, type PageQuery } from '../paging.js'
import { serviceScope } from '../services/resolve.js'
import type { EventType, ServiceScope, WebhookFields, WebhookStatus, WebhookVersion } from '../store/records.js'
import { sendJson } from '../json.js'
import { webhookJson, webhookPageJson, webhooksUrl } from './resource.js'
import { isWebhookUrl } from './url.js'
import { createBody, instanceParams, listParams, pageQuerySchema, updateBody } from './schemas.js'

interface ListParams { ServiceSid: string }
interface InstanceParams extends ListParams { Sid: string }

interface WebhookForm {
  FriendlyName?: string
  EventTypes?: EventType[]
  WebhookUrl?: string
  Status?: WebhookStatus
  Version?: WebhookVersion
}

const LIST_URL = '/Services/:ServiceSid/Webhooks'
const INSTANCE_URL = '/Services/:ServiceSid/Webhooks/:Sid'

function changesFrom (form: WebhookForm): Partial<WebhookFields> {
  if (form.WebhookUrl !== undefined && !isWebhookUrl(form.WebhookUrl)) throw invalidParameter('WebhookUrl')
  const changes: Partial<WebhookFields> = {}
  if (form.FriendlyName !== undefined) changes.friendlyName = form.FriendlyName
  if (form.EventTypes !== undefined) changes.eventTypes = form.EventTypes
  if (form.WebhookUrl !== undefined) changes.webhookUrl = form.WebhookUrl
  if (form.Status !== undefined) changes.status = form.Status
  if (form.Version !== undefined) changes.version = form.Version
  return changes
}

export async function webhookRoutes (app: FastifyInstance, { context }: { context: EmulatorContext }): Promise<void> {
  const { repository, config } = context
  const now = (): number => toEpochSeconds(context.clock())

  function scopeOf (request: FastifyRequest<{ Params: ListParams }>, create = false): ServiceScope {
    return serviceScope(context, request.accountSid, request.params.ServiceSid, requestPath(request), create)
  }

  // The hot handlers are synchronous (no promise per request; a throw still reaches the error handler)
  // and answer with JSON text written by webhookJson (no response schemas to serialize through).
  app.post<{ Params: ListParams, Body: WebhookForm }>(LIST_URL, {
    schema: { params: listParams, body: createBody }
  }, (request, reply) => {
    // The schema requires FriendlyName, EventTypes and WebhookUrl and fills in Status and Version, so the
    // new webhook is built field by field (one object shape) rather than spread from changesFrom's.
    const form = request.body as Required<WebhookForm>
    if (!isWebhookUrl(form.WebhookUrl)) throw invalidParameter('WebhookUrl')
    const scope = scopeOf(request, true)
    const record = repository.createWebhook(scope, {
      sid: context.newSid('YW'),
      now: now(),
      friendlyName: form.FriendlyName,
      eventTypes: form.EventTypes,
      webhookUrl: form.WebhookUrl,
      status: form.Status,
      version: form.Version
    })
    if (record === undefined) throw notFound(requestPath(request))
    sendJson(reply.code(201), webhookJson(record, baseUrlOf(request, config)))
  })

  app.get<{ Params: ListParams, Querystring: PageQuery }>(LIST_URL, {
    schema: { params: listParams, querystring: pageQuerySchema }
  }, (request, reply) => {
    const pageRequest = parsePageQuery(request.query)
    const scope = scopeOf(request)
    const page = repository.pageWebhooks(scope, pageRequest.cursor, pageRequest.pageSize)
    const baseUrl = baseUrlOf(request, config)
    sendJson(reply, webhookPageJson(page.records, baseUrl, listMeta(webhooksUrl(baseUrl, scope.serviceSid), 'webhooks', pageRequest, page)))
  })

  app.get<{ Params: InstanceParams }>(INSTANCE_URL, {
    schema: { params: instanceParams }
  }, (request, reply) => {
    const record = repository.getWebhook(scopeOf(request), request.params.Sid)
    if (record === undefined) throw notFound(requestPath(request))
    sendJson(reply, webhookJson(record, baseUrlOf(request, config)))
  })

  app.post<{ Params: InstanceParams, Body: WebhookForm }>(INSTANCE_URL, {
    schema: { params: instanceParams, body: updateBody }
  }, async (request, reply) => {
    const scope = scopeOf(request)
    const changes = changesFrom(request.body)
    const record = repository.updateWebhook(scope, request.params.Sid, changes, now())
    if (record === undefined) throw notFound(requestPath(request))
    return sendJson(reply, webhookJson(record, baseUrlOf(request, config)))
  })

  app.delete<{ Params: InstanceParams }>(INSTANCE_URL, {
    schema: { params: instanceParams }
  }, async (request, reply) => {
    if (!repository.removeWebhook(scopeOf(request), request.params.Sid)) throw notFound(requestPath(request))
    return reply.code(204).send()
  })

  rejectOtherMethods(app, LIST_URL, ['GET', 'POST'])
  rejectOtherMethods(app, INSTANCE_URL, ['GET', 'POST', 'DELETE'])
}
