// The typed, in-process face of the control routes, for Node test suites: each method calls the route
// through app.inject (no socket), as the given account, so it behaves exactly as the HTTP API does.
import type { FastifyInstance, InjectOptions } from 'fastify'
import type { FactorType, VerifyEventType } from '../events/event.js'
import type { DeliveryFilter } from '../events/delivery-log.js'
import type { toDeliveryResource, toEventResource } from '../events/resource.js'
import type { Fixtures } from '../fixtures.js'
import type { FaultView } from './fault-routes.js'
import type { FaultSpec } from './faults.js'
import type { JournaledRequest } from './journal-routes.js'
import type { Operation } from './operations.js'

/** A control call answered with Twilio's error envelope. */
export class EmulatorControlError extends Error {
  override name = 'EmulatorControlError'
  constructor (readonly status: number, readonly code: number, message: string) {
    super(message)
  }
}

/** A fault as POST /__emulator/faults takes it (camelCase); `target` defaults to 'api', `times` to 1. */
export type FaultOptions = Partial<FaultSpec>

export interface RequestFilter {
  method?: string
  pathPrefix?: string
  operation?: Operation
  since?: Date | string
  until?: Date | string
}

export interface RequestJournalPage {
  requests: JournaledRequest[]
  /** Older requests dropped to stay within JOURNAL_LIMIT. */
  dropped: number
  limit: number
}

export interface EventOptions {
  serviceSid: string
  type: VerifyEventType
  entityIdentity: string
  factorSid?: string
  factorType?: FactorType
  factorFriendlyName?: string
  factorMetadata?: string | Record<string, unknown>
  challengeSid?: string
  challengeDetails?: string | Record<string, unknown>
  challengeHiddenDetails?: string | Record<string, unknown>
  challengeMetadata?: string | Record<string, unknown>
}

export type TriggeredEvent = ReturnType<typeof toEventResource>
export type Delivery = ReturnType<typeof toDeliveryResource>

export type { DeliveryFilter }

export interface DeliveryPage {
  deliveries: Delivery[]
  dropped: number
}

/** Everything a test can do to one account of the emulator. */
export interface AccountControls {
  readonly accountSid: string
  /** Back to the account's fixtures; journal, faults and deliveries emptied. */
  reset: () => Promise<void>
  /** The account's services and webhooks, as a fixtures document. */
  getState: () => Promise<Fixtures>
  /** Replaces the account's services and webhooks; answers the new state. */
  putState: (state: Fixtures) => Promise<Fixtures>
  triggerEvent: (event: EventOptions) => Promise<TriggeredEvent>
  deliveries: (filter?: DeliveryFilter) => Promise<DeliveryPage>
  /** Resolves once `count` matching deliveries are final (succeeded, failed or cancelled). */
  waitForDeliveries: (count: number, filter?: DeliveryFilter & { timeoutMs?: number }) => Promise<DeliveryPage>
  requests: (filter?: RequestFilter) => Promise<RequestJournalPage>
  clearRequests: () => Promise<void>
  addFault: (fault: FaultOptions) => Promise<FaultView>
  faults: () => Promise<FaultView[]>
  removeFault: (id: string) => Promise<void>
  clearFaults: () => Promise<void>
}

/** `retryAfter` → `RetryAfter`: the control routes take Twilio-style parameter names. */
function pascalCase (values: object): Record<string, string | number | boolean | object> {
  const out: Record<string, string | number | boolean | object> = {}
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue
    out[key.charAt(0).toUpperCase() + key.slice(1)] = value instanceof Date ? value.toISOString() : value
  }
  return out
}

function queryString (values: object): string {
  const query = new URLSearchParams(Object.entries(pascalCase(values)).map(([key, value]): [string, string] => [key, String(value)])).toString()
  return query === '' ? '' : `?${query}`
}

export class InProcessControls implements AccountControls {
  constructor (private readonly app: FastifyInstance, readonly accountSid: string, private readonly authToken: string) {}

  private async call<T> (method: InjectOptions['method'], path: string, body?: object): Promise<T> {
    const response = await this.app.inject({
      method,
      url: `/__emulator${path}`,
      headers: {
        authorization: 'Basic ' + Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64'),
        ...(body === undefined ? {} : { 'content-type': 'application/json' })
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) })
    })
    if (response.statusCode >= 400) {
      const error = response.json<{ code: number, message: string }>()
      throw new EmulatorControlError(response.statusCode, error.code, error.message)
    }
    return (response.statusCode === 204 ? undefined : response.json()) as T
  }

  async reset (): Promise<void> {
    await this.call('POST', '/reset')
  }

  async getState (): Promise<Fixtures> {
    return await this.call('GET', '/state')
  }

  async putState (state: Fixtures): Promise<Fixtures> {
    return await this.call('PUT', '/state', state)
  }

  async triggerEvent (event: EventOptions): Promise<TriggeredEvent> {
    return await this.call('POST', '/events', pascalCase(event))
  }

  async deliveries (filter: DeliveryFilter = {}): Promise<DeliveryPage> {
    return await this.call('GET', `/deliveries${queryString(filter)}`)
  }

  async waitForDeliveries (count: number, filter: DeliveryFilter & { timeoutMs?: number } = {}): Promise<DeliveryPage> {
    const { timeoutMs, ...rest } = filter
    return await this.call('GET', `/deliveries${queryString({ ...rest, waitFor: count, timeout: timeoutMs })}`)
  }

  async requests (filter: RequestFilter = {}): Promise<RequestJournalPage> {
    return await this.call('GET', `/requests${queryString(filter)}`)
  }

  async clearRequests (): Promise<void> {
    await this.call('DELETE', '/requests')
  }

  async addFault (fault: FaultOptions): Promise<FaultView> {
    return await this.call('POST', '/faults', pascalCase(fault))
  }

  async faults (): Promise<FaultView[]> {
    return (await this.call<{ faults: FaultView[] }>('GET', '/faults')).faults
  }

  async removeFault (id: string): Promise<void> {
    await this.call('DELETE', `/faults/${encodeURIComponent(id)}`)
  }

  async clearFaults (): Promise<void> {
    await this.call('DELETE', '/faults')
  }
}
