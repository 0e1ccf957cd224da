// The storage interface the routes use. The in-memory implementation is in memory-repository.ts;
// another backend only has to implement this.
import type { CollectionPage, Cursor } from './ordered-collection.js'
import type { ServiceRecord, ServiceScope, ServiceSettings, WebhookFields, WebhookRecord } from './records.js'

export interface NewService {
  sid: string
  accountSid: string
  settings: ServiceSettings
  /** Epoch seconds; both dates start equal. */
  now: number
}

export interface NewWebhook extends WebhookFields {
  sid: string
  now: number
}

export interface Repository {
  /** Stores a new service. Returns undefined when a service with that SID already exists. */
  createService: (service: NewService) => ServiceRecord | undefined
  getService: (accountSid: string, serviceSid: string) => ServiceRecord | undefined
  /** The account a Service SID belongs to, whichever account asks (SIDs are unique across accounts). */
  serviceOwner: (serviceSid: string) => string | undefined
  updateService: (accountSid: string, serviceSid: string, settings: ServiceSettings, now: number) => ServiceRecord | undefined
  /** Removes the service and every webhook in it. */
  removeService: (accountSid: string, serviceSid: string) => boolean
  pageServices: (accountSid: string, cursor: Cursor, pageSize: number) => CollectionPage<ServiceRecord>

  /** Stores a webhook in an existing service; undefined when the service does not exist. */
  createWebhook: (scope: ServiceScope, webhook: NewWebhook) => WebhookRecord | undefined
  getWebhook: (scope: ServiceScope, sid: string) => WebhookRecord | undefined
  updateWebhook: (scope: ServiceScope, sid: string, changes: Partial<WebhookFields>, now: number) => WebhookRecord | undefined
  removeWebhook: (scope: ServiceScope, sid: string) => boolean
  /** Webhooks of a service in creation order; an empty page when the service does not exist. */
  pageWebhooks: (scope: ServiceScope, cursor: Cursor, pageSize: number) => CollectionPage<WebhookRecord>
  /** Every live webhook of a service, in creation order (for event fan-out). */
  listWebhooks: (scope: ServiceScope) => WebhookRecord[]

  /** Forgets every service and webhook of one account. */
  clearAccount: (accountSid: string) => void
}
