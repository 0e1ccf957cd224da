// In-memory Repository: accounts → services (creation order) → webhooks (creation order).
import { OrderedCollection, type CollectionPage, type Cursor } from './ordered-collection.js'
import type { EventType, ServiceRecord, ServiceScope, WebhookFields, WebhookRecord } from './records.js'
import type { NewService, NewWebhook, Repository } from './repository.js'

interface StoredService extends ServiceRecord {
  webhooks: OrderedCollection<WebhookRecord>
}

const EMPTY_PAGE: CollectionPage<never> = Object.freeze({ records: [], next: null, previous: null }) as CollectionPage<never>

export function createMemoryRepository (): Repository {
  const accounts = new Map<string, OrderedCollection<StoredService>>()
  const serviceOwners = new Map<string, string>()
  // One shared array per distinct list of event types: most webhooks use a handful of combinations.
  const eventTypeLists = new Map<string, readonly EventType[]>()

  function internEventTypes (types: readonly EventType[]): readonly EventType[] {
    const key = types.join(' ')
    let shared = eventTypeLists.get(key)
    if (shared === undefined) {
      shared = Object.freeze([...types])
      if (eventTypeLists.size < 4096) eventTypeLists.set(key, shared)
    }
    return shared
  }

  function servicesOf (accountSid: string): OrderedCollection<StoredService> {
    let services = accounts.get(accountSid)
    if (services === undefined) {
      services = new OrderedCollection<StoredService>()
      accounts.set(accountSid, services)
    }
    return services
  }

  function findService (accountSid: string, serviceSid: string): StoredService | undefined {
    return accounts.get(accountSid)?.get(serviceSid)
  }

  return {
    createService (service: NewService) {
      const services = servicesOf(service.accountSid)
      if (serviceOwners.has(service.sid)) return undefined
      serviceOwners.set(service.sid, service.accountSid)
      return services.add({
        sid: service.sid,
        accountSid: service.accountSid,
        settings: service.settings,
        dateCreated: service.now,
        dateUpdated: service.now,
        webhooks: new OrderedCollection<WebhookRecord>()
      })
    },

    getService: findService,

    serviceOwner (serviceSid) {
      return serviceOwners.get(serviceSid)
    },

    updateService (accountSid, serviceSid, settings, now) {
      const service = findService(accountSid, serviceSid)
      if (service === undefined) return undefined
      service.settings = settings
      service.dateUpdated = now
      return service
    },

    removeService (accountSid, serviceSid) {
      const removed = accounts.get(accountSid)?.remove(serviceSid)
      if (removed === undefined) return false
      serviceOwners.delete(serviceSid)
      removed.webhooks.clear()
      return true
    },

    pageServices (accountSid: string, cursor: Cursor, pageSize: number) {
      const services = accounts.get(accountSid)
      return services === undefined ? EMPTY_PAGE : services.page(cursor, pageSize)
    },

    createWebhook (scope: ServiceScope, webhook: NewWebhook) {
      const service = findService(scope.accountSid, scope.serviceSid)
      if (service === undefined) return undefined
      return service.webhooks.add({
        sid: webhook.sid,
        accountSid: service.accountSid,
        serviceSid: service.sid,
        friendlyName: webhook.friendlyName,
        eventTypes: internEventTypes(webhook.eventTypes),
        webhookUrl: webhook.webhookUrl,
        status: webhook.status,
        version: webhook.version,
        dateCreated: webhook.now,
        dateUpdated: webhook.now
      })
    },

    getWebhook (scope, sid) {
      return findService(scope.accountSid, scope.serviceSid)?.webhooks.get(sid)
    },

    updateWebhook (scope, sid, changes: Partial<WebhookFields>, now) {
      const webhook = findService(scope.accountSid, scope.serviceSid)?.webhooks.get(sid)
      if (webhook === undefined) return undefined
      if (changes.friendlyName !== undefined) webhook.friendlyName = changes.friendlyName
      if (changes.eventTypes !== undefined) webhook.eventTypes = internEventTypes(changes.eventTypes)
      if (changes.webhookUrl !== undefined) webhook.webhookUrl = changes.webhookUrl
      if (changes.status !== undefined) webhook.status = changes.status
      if (changes.version !== undefined) webhook.version = changes.version
      webhook.dateUpdated = now
      return webhook
    },

    removeWebhook (scope, sid) {
      return findService(scope.accountSid, scope.serviceSid)?.webhooks.remove(sid) !== undefined
    },

    pageWebhooks (scope, cursor, pageSize) {
      const service = findService(scope.accountSid, scope.serviceSid)
      return service === undefined ? EMPTY_PAGE : service.webhooks.page(cursor, pageSize)
    },

    listWebhooks (scope) {
      const service = findService(scope.accountSid, scope.serviceSid)
      return service === undefined ? [] : [...service.webhooks.values()]
    },

    clearAccount (accountSid) {
      const services = accounts.get(accountSid)
      if (services !== undefined) for (const service of services.values()) serviceOwners.delete(service.sid)
      accounts.delete(accountSid)
    }
  }
}
