// Helpers for the test-harness control tests: a second account, control calls, webhook creation.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { ACCOUNT_SID, AUTH_TOKEN, basicAuth, form, FORM, SERVICE_SID } from '../helper.js'

export const ACCOUNT_B = 'AC' + 'b'.repeat(32)
export const TOKEN_B = 'token-of-account-b'
export const SECOND_ACCOUNT = { sid: ACCOUNT_B, authToken: TOKEN_B }

export interface Caller { sid: string, token: string }
export const A: Caller = { sid: ACCOUNT_SID, token: AUTH_TOKEN }
export const B: Caller = { sid: ACCOUNT_B, token: TOKEN_B }

export function authOf (caller: Caller = A): { authorization: string } {
  return { authorization: basicAuth(caller.sid, caller.token) }
}

/** A control call with a JSON body (or none). */
export async function control (app: FastifyInstance, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, caller: Caller = A, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return await app.inject({
    method,
    url: `/__emulator${path}`,
    headers: { ...authOf(caller), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) })
  })
}

export function webhooksPath (serviceSid = SERVICE_SID): string {
  return `/v2/Services/${serviceSid}/Webhooks`
}

/** Where test webhooks point: loopback, a port nothing listens on, so no delivery ever leaves the machine. */
export const NOWHERE_URL = 'http://127.0.0.1:9/hook'

/** Creates a webhook subscribed to factor.deleted, an event these tests never trigger. */
export async function createWebhook (app: FastifyInstance, name: string, caller: Caller = A, serviceSid = SERVICE_SID): Promise<LightMyRequestResponse> {
  return await app.inject({
    method: 'POST',
    url: webhooksPath(serviceSid),
    headers: { ...authOf(caller), ...FORM },
    payload: form({ FriendlyName: name, EventTypes: 'factor.deleted', WebhookUrl: NOWHERE_URL })
  })
}

/** Twilio's error envelope. */
export { errorBody as twilioError } from '../helper.js'
