// In-memory Repository: accounts → services (creation order) → webhooks (creation order).
import { OrderedCollection, type CollectionPage, type Cursor } from './ordered-collection.js'
import { WEBHOOK_STATUSES, WEBHOOK_VERSIONS, type EventType, type ServiceRecord, type ServiceScope, type WebhookFields, type WebhookRecord } from './records.js'
import type { NewService, NewWebhook, Repository } from './repository.js'

interface StoredService extends ServiceRecord {
  webhooks: OrderedCollection<WebhookRecord>
}

const EMPTY_PAGE: CollectionPage<never> = Object.freeze({ records: [], next: null, previous: null }) as CollectionPage<never>

const COPY_BUFFER = Buffer.allocUnsafe(4096)

/**
 * A stored copy of a string as one flat string. Values from a parsed form are slices of the whole request
 * body, or chains of concatenations when they were percent-decoded, and keep several times their own
 * size alive (a decoded URL: ~530 bytes instead of ~65).
 */
function compactString (value: string): string {
  // Through one scratch buffer: latin1 bytes out, a fresh flat string back.
  const copy = value.length <= COPY_BUFFER.length
    ? COPY_BUFFER.toString('latin1', 0, COPY_BUFFER.write(value, 0, 'latin1'))
    : Buffer.from(value, 'latin1').toString('latin1')
  // Characters above U+00FF do not survive latin1: copy those strings as UTF-16, which is lossless.
  return copy === value ? copy : Buffer.from(value, 'utf16le').toString('utf16le')
}

// Enum values are stored as the shared constants rather than as the copies each request parsed.
const CANONICAL = new Map<string, string>([...WEBHOOK_STATUSES, ...WEBHOOK_VERSIONS].map((value) => [value, value]))
function canonical<T extends string> (value: T): T {
  return (CANONICAL.get(value) ?? value) as T
}

function sameItems (a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

export function createMemoryRepository (): Repository {
  const accounts = new Map<string, OrderedCollection<StoredService>>()
  const serviceOwners = new Map<string, string>()
  // One shared array per distinct list of event types: most webhooks use a handful of combinations.
  const eventTypeLists = new Map<string, readonly EventType[]>()

  // Creates in a row mostly repeat their event types: the last list is compared before any lookup.
  let lastShared: readonly EventType[] = Object.freeze([])

  function internEventTypes (types: readonly EventType[]): readonly EventType[] {
    if (!sameItems(types, lastShared)) lastShared = lookUpEventTypes(types)
    return lastShared
  }

  function lookUpEventTypes (types: readonly EventType[]): readonly EventType[] {
    const key = types.join(' ')
    let shared = eventTypeLists.get(key)
    if (shared === undefined) {
      shared = Object.freeze([...types])
      if (eventTypeLists.size < 4096) eventTypeLists.set(key, shared)
    }
    return shared
  }

  // One shared string per distinct webhook URL, as for event types: the webhooks of a deployment (or of a
  // test suite) point at a handful of receivers. The first 4096 distinct URLs are shared.
  const webhookUrls = new Map<string, string>()

  function internWebhookUrl (url: string): string {
    let shared = webhookUrls.get(url)
    if (shared === undefined) {
      shared = compactString(url)
      if (webhookUrls.size < 4096) webhookUrls.set(shared, shared)
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

  // Requests in a row mostly address one Service, and a create looks it up twice (serviceScope, then
  // createWebhook): the last Service found is remembered, and forgotten when any Service is removed or
  // an account cleared.
  let lastFound: StoredService | undefined

  function findService (accountSid: string, serviceSid: string): StoredService | undefined {
    const last = lastFound
    if (last !== undefined && last.sid === serviceSid && last.accountSid === accountSid) return last
    const found = accounts.get(accountSid)?.get(serviceSid)
    if (found !== undefined) lastFound = found
    return found
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
      lastFound = undefined
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
        // seq is assigned by add(); declaring it here keeps every field inside the object (no separate
        // property store, ~40 bytes less per record).
        seq: -1,
        sid: webhook.sid,
        accountSid: service.accountSid,
        serviceSid: service.sid,
        friendlyName: compactString(webhook.friendlyName),
        eventTypes: internEventTypes(webhook.eventTypes),
        webhookUrl: internWebhookUrl(webhook.webhookUrl),
        status: canonical(webhook.status),
        version: canonical(webhook.version),
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
      if (changes.friendlyName !== undefined) webhook.friendlyName = compactString(changes.friendlyName)
      if (changes.eventTypes !== undefined) webhook.eventTypes = internEventTypes(changes.eventTypes)
      if (changes.webhookUrl !== undefined) webhook.webhookUrl = internWebhookUrl(changes.webhookUrl)
      if (changes.status !== undefined) webhook.status = canonical(changes.status)
      if (changes.version !== undefined) webhook.version = canonical(changes.version)
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
      lastFound = undefined
      const services = accounts.get(accountSid)
      if (services !== undefined) for (const service of services.values()) serviceOwners.delete(service.sid)
      accounts.delete(accountSid)
    }
  }
}
