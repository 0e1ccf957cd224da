// The spec's operationId of an API request, from its method and route pattern
// (request.routeOptions.url), so journals and faults can name operations as Twilio's docs do.

export const OPERATIONS = [
  'CreateService', 'ListService', 'FetchService', 'UpdateService', 'DeleteService',
  'CreateWebhook', 'ListWebhook', 'FetchWebhook', 'UpdateWebhook', 'DeleteWebhook'
] as const
export type Operation = (typeof OPERATIONS)[number]

const SERVICES = '/v2/Services'
const SERVICE = '/v2/Services/:Sid'
const WEBHOOKS = '/v2/Services/:ServiceSid/Webhooks'
const WEBHOOK = '/v2/Services/:ServiceSid/Webhooks/:Sid'

const BY_ROUTE = new Map<string, Operation>([
  [`POST ${SERVICES}`, 'CreateService'],
  [`GET ${SERVICES}`, 'ListService'],
  [`GET ${SERVICE}`, 'FetchService'],
  [`POST ${SERVICE}`, 'UpdateService'],
  [`DELETE ${SERVICE}`, 'DeleteService'],
  [`POST ${WEBHOOKS}`, 'CreateWebhook'],
  [`GET ${WEBHOOKS}`, 'ListWebhook'],
  [`GET ${WEBHOOK}`, 'FetchWebhook'],
  [`POST ${WEBHOOK}`, 'UpdateWebhook'],
  [`DELETE ${WEBHOOK}`, 'DeleteWebhook']
])

/** The operation a request ran; undefined for requests no operation answers (405s, unknown paths). */
export function operationOf (method: string, routeUrl: string | undefined): Operation | undefined {
  if (routeUrl === undefined) return undefined
  return BY_ROUTE.get(`${method === 'HEAD' ? 'GET' : method} ${routeUrl}`)
}
