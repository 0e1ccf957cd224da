// Control routes (under /__emulator, authenticated, scoped to the caller's account):
//   POST /events      trigger a Verify event: fan it out to the service's subscribed webhooks (201)
//   GET  /deliveries  the delivery log, filtered; WaitFor=N&Timeout=ms waits for N final deliveries
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { rejectOtherMethods } from '../api-scope.js'
import { isoSeconds, toEpochSeconds } from '../clock.js'
import type { EmulatorContext } from '../context.js'
import { TwilioApiError, authenticationFailed, shuttingDown } from '../errors.js'
import { serviceScope } from '../services/resolve.js'
import type { DeliveryFilter } from './delivery-log.js'
import { isFinal, type DeliveryStatus } from './delivery-record.js'
import type { VerifyEventType } from './event.js'
import { toDeliveryResource, toEventResource } from './resource.js'
import { DEFAULT_WAIT_MS, deliveryQuery, triggerBody } from './schemas.js'
import { eventFromForm, type TriggerForm } from './trigger.js'
import { sendJson } from '../json.js'

interface DeliveryQuery {
  ServiceSid?: string
  WebhookSid?: string
  Type?: VerifyEventType
  Status?: DeliveryStatus
  WaitFor?: number
  Timeout?: number
}

function filterOf (query: DeliveryQuery): DeliveryFilter {
  return { serviceSid: query.ServiceSid, webhookSid: query.WebhookSid, type: query.Type, status: query.Status }
}

export async function eventRoutes (app: FastifyInstance, { context }: { context: EmulatorContext }): Promise<void> {
  const { deliveries } = context

  app.post<{ Body: TriggerForm }>('/events', { schema: { body: triggerBody } }, async (request, reply) => {
    const form = request.body
    const account = context.accounts.get(request.accountSid)
    if (account === undefined) throw authenticationFailed()
    const event = eventFromForm(form, {
      accountSid: account.sid,
      uuid: randomUUID(),
      sentAt: isoSeconds(toEpochSeconds(context.clock())),
      newSid: context.newSid
    })
    // Another account's Service is 404, as on Twilio; an unknown one (outside strict mode) has no webhooks.
    const scope = serviceScope(context, account.sid, form.ServiceSid, `/v2/Services/${form.ServiceSid}`, false)
    const records = deliveries.dispatch(event, context.repository.listWebhooks(scope), account.authToken)
    return sendJson(reply.code(201), toEventResource(event, records))
  })

  app.get<{ Querystring: DeliveryQuery }>('/deliveries', { schema: { querystring: deliveryQuery } }, async (request, reply) => {
    const query = request.query
    const filter = filterOf(query)
    if (query.WaitFor === undefined) {
      if (query.Timeout !== undefined) throw new TwilioApiError(400, 60200, 'Invalid parameter: Timeout (it applies only with WaitFor)')
    } else {
      if (filter.status !== undefined && !isFinal(filter.status)) {
        throw new TwilioApiError(400, 60200, 'Invalid parameter: Status (WaitFor counts final deliveries: succeeded, failed or cancelled)')
      }
      const timeoutMs = query.Timeout ?? DEFAULT_WAIT_MS
      // A client that hangs up ends its wait.
      const clientLeft = new AbortController()
      const onClose = (): void => clientLeft.abort()
      reply.raw.once('close', onClose)
      const outcome = await deliveries.log.waitFor(request.accountSid, filter, query.WaitFor, timeoutMs, clientLeft.signal)
      reply.raw.off('close', onClose)
      if (outcome.kind === 'timeout') {
        throw new TwilioApiError(408, 20408, `Timed out after ${timeoutMs} ms waiting for ${query.WaitFor} matching ${query.WaitFor === 1 ? 'delivery' : 'deliveries'} in a final status (succeeded, failed or cancelled); ${outcome.matched} matched`)
      }
      if (outcome.kind === 'ended' && outcome.reason === 'closing') throw shuttingDown()
    }
    const { deliveries: records, dropped } = deliveries.log.list(request.accountSid, filter)
    return sendJson(reply, { deliveries: records.map(toDeliveryResource), dropped })
  })

  rejectOtherMethods(app, '/events', ['POST'])
  rejectOtherMethods(app, '/deliveries', ['GET'])
}
