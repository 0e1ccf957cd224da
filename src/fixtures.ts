// The seed format (FIXTURES=path, and the state export of the control plane): accounts with their
// credentials, services with fixed SIDs, and webhooks. Field names are Twilio's (snake_case), so a
// resource copied from an API response is a valid entry. Parsing names the first bad entry.
import { readFileSync } from 'node:fs'
import type { Account } from './accounts.js'
import { isoSeconds, toEpochSeconds } from './clock.js'
import { SID_PATTERNS } from './sid.js'
import { defaultServiceSettings } from './services/settings.js'
import {
  EVENT_TYPES, WEBHOOK_STATUSES, WEBHOOK_VERSIONS,
  type EventType, type ServiceSettings, type WebhookStatus, type WebhookVersion
} from './store/records.js'
import type { Repository } from './store/repository.js'
import { isWebhookUrl } from './webhooks/url.js'

export interface WebhookFixture {
  sid: string
  friendly_name: string
  event_types: EventType[]
  webhook_url: string
  status?: WebhookStatus
  version?: WebhookVersion
  date_created?: string
  date_updated?: string
}

export type ServiceFixture = Partial<ServiceSettings> & {
  sid: string
  friendly_name: string
  date_created?: string
  date_updated?: string
  webhooks?: WebhookFixture[]
}

export interface AccountFixture {
  sid: string
  /** Required for an account the emulator does not know yet; absent in state exports. */
  auth_token?: string
  api_keys?: Array<{ sid: string, secret: string }>
  services?: ServiceFixture[]
}

export interface Fixtures {
  accounts: AccountFixture[]
}

export class FixtureError extends Error {
  override name = 'FixtureError'
}

type Json = Record<string, unknown>

const ACCOUNT_KEYS = new Set(['sid', 'auth_token', 'api_keys', 'services'])
const WEBHOOK_KEYS = new Set(['sid', 'friendly_name', 'event_types', 'webhook_url', 'status', 'version', 'date_created', 'date_updated'])
const SETTINGS_KEYS = new Set(Object.keys(defaultServiceSettings('x')))
const SERVICE_KEYS = new Set(['sid', 'date_created', 'date_updated', 'webhooks', ...SETTINGS_KEYS])

function isObject (value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

class Checker {
  constructor (private readonly where: string) {}

  fail (message: string): never {
    throw new FixtureError(`${this.where}: ${message}`)
  }

  object (value: unknown, allowed: Set<string>): Json {
    if (!isObject(value)) this.fail('must be an object')
    for (const key of Object.keys(value)) if (!allowed.has(key)) this.fail(`unknown field "${key}"`)
    return value
  }

  string (value: unknown, field: string, pattern?: string): string {
    if (typeof value !== 'string' || value === '') this.fail(`"${field}" must be a non-empty string`)
    if (pattern !== undefined && !new RegExp(pattern).test(value)) this.fail(`"${field}" must match ${pattern}`)
    return value
  }

  oneOf<T extends string> (value: unknown, field: string, allowed: readonly T[]): T {
    if (!(allowed as readonly unknown[]).includes(value)) this.fail(`"${field}" must be one of ${allowed.join(', ')}`)
    return value as T
  }

  date (value: unknown, field: string): string {
    const text = this.string(value, field)
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(text) || Number.isNaN(Date.parse(text))) {
      this.fail(`"${field}" must be an ISO 8601 UTC date such as 2026-11-28T10:00:00Z`)
    }
    return text
  }

  /** The `sid` field, matching `pattern` and not yet in `seen` (SIDs are unique across the file). */
  sid (value: unknown, pattern: string, seen: Set<string>): string {
    const sid = this.string(value, 'sid', pattern)
    if (seen.has(sid)) this.fail(`duplicate SID ${sid}`)
    seen.add(sid)
    return sid
  }

  array (value: unknown, field: string): unknown[] {
    if (!Array.isArray(value)) this.fail(`"${field}" must be an array`)
    return value
  }
}

function parseWebhook (value: unknown, where: string, seen: Set<string>): WebhookFixture {
  const c = new Checker(where)
  const w = c.object(value, WEBHOOK_KEYS)
  const sid = c.sid(w.sid, SID_PATTERNS.webhook, seen)
  const eventTypes = c.array(w.event_types, 'event_types')
  if (eventTypes.length === 0) c.fail('"event_types" must not be empty')
  const webhookUrl = c.string(w.webhook_url, 'webhook_url')
  if (!isWebhookUrl(webhookUrl)) c.fail('"webhook_url" must be an absolute http(s) URL')
  const fixture: WebhookFixture = {
    sid,
    friendly_name: c.string(w.friendly_name, 'friendly_name'),
    event_types: eventTypes.map((t) => c.oneOf(t, 'event_types', EVENT_TYPES)),
    webhook_url: webhookUrl
  }
  if (w.status !== undefined) fixture.status = c.oneOf(w.status, 'status', WEBHOOK_STATUSES)
  if (w.version !== undefined) fixture.version = c.oneOf(w.version, 'version', WEBHOOK_VERSIONS)
  if (w.date_created !== undefined) fixture.date_created = c.date(w.date_created, 'date_created')
  if (w.date_updated !== undefined) fixture.date_updated = c.date(w.date_updated, 'date_updated')
  return fixture
}

/**
 * A setting must have the type of its default value, at every depth (a null default takes a string or
 * null, an array default an array of strings): a nested value of another type would break later updates.
 */
function checkSetting (c: Checker, field: string, actual: unknown, expected: unknown): void {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.some((v) => typeof v !== 'string')) c.fail(`"${field}" must be an array of strings`)
  } else if (isObject(expected)) {
    if (!isObject(actual)) c.fail(`"${field}" must be an object`)
    for (const inner of Object.keys(actual)) {
      if (!Object.hasOwn(expected, inner)) c.fail(`unknown field "${field}.${inner}"`)
      checkSetting(c, `${field}.${inner}`, actual[inner], expected[inner])
    }
  } else if (expected === null) {
    if (actual !== null && typeof actual !== 'string') c.fail(`"${field}" must be a string or null`)
  } else if (typeof actual !== typeof expected) {
    c.fail(`"${field}" must be a ${typeof expected}`)
  }
}

function checkSettings (c: Checker, s: Json): void {
  const defaults = defaultServiceSettings('x') as unknown as Json
  for (const key of SETTINGS_KEYS) {
    if (s[key] === undefined || key === 'friendly_name') continue
    checkSetting(c, key, s[key], defaults[key])
  }
}

function parseService (value: unknown, where: string, seen: Set<string>): ServiceFixture {
  const c = new Checker(where)
  const s = c.object(value, SERVICE_KEYS)
  c.sid(s.sid, SID_PATTERNS.service, seen)
  c.string(s.friendly_name, 'friendly_name')
  checkSettings(c, s)
  if (s.date_created !== undefined) c.date(s.date_created, 'date_created')
  if (s.date_updated !== undefined) c.date(s.date_updated, 'date_updated')
  const webhooks = s.webhooks === undefined ? [] : c.array(s.webhooks, 'webhooks').map((w, i) => parseWebhook(w, `${where}.webhooks[${i}]`, seen))
  return { ...(s as ServiceFixture), webhooks }
}

function parseAccount (value: unknown, where: string, seen: Set<string>): AccountFixture {
  const c = new Checker(where)
  const a = c.object(value, ACCOUNT_KEYS)
  const sid = c.sid(a.sid, SID_PATTERNS.account, seen)
  const apiKeys = a.api_keys === undefined
    ? []
    : c.array(a.api_keys, 'api_keys').map((k, i) => {
      const kc = new Checker(`${where}.api_keys[${i}]`)
      const key = kc.object(k, new Set(['sid', 'secret']))
      const keySid = kc.sid(key.sid, SID_PATTERNS.apiKey, seen)
      return { sid: keySid, secret: kc.string(key.secret, 'secret') }
    })
  const services = a.services === undefined ? [] : c.array(a.services, 'services').map((s, i) => parseService(s, `${where}.services[${i}]`, seen))
  const account: AccountFixture = { sid, api_keys: apiKeys, services }
  if (a.auth_token !== undefined) account.auth_token = c.string(a.auth_token, 'auth_token')
  return account
}

/** Validates parsed JSON as fixtures; `source` prefixes every error message. */
export function parseFixtures (data: unknown, source = 'fixtures'): Fixtures {
  const c = new Checker(source)
  const root = c.object(data, new Set(['accounts', '$schema', 'description']))
  const seen = new Set<string>()
  return { accounts: c.array(root.accounts, 'accounts').map((a, i) => parseAccount(a, `${source}: accounts[${i}]`, seen)) }
}

export function loadFixturesFile (path: string): Fixtures {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new FixtureError(`cannot read fixtures file ${path}: ${(err as Error).message}`)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    throw new FixtureError(`${path}: not valid JSON: ${(err as Error).message}`)
  }
  return parseFixtures(data, path)
}

/** The credentials an account fixture declares, merged over those of a known account. */
export function accountOf (fixture: AccountFixture, known?: Account): Account {
  const authToken = fixture.auth_token ?? known?.authToken
  if (authToken === undefined) throw new FixtureError(`account ${fixture.sid}: "auth_token" is required for a new account`)
  const apiKeys = new Map((known?.apiKeys ?? []).map((k) => [k.sid, k]))
  for (const k of fixture.api_keys ?? []) apiKeys.set(k.sid, { sid: k.sid, secret: k.secret })
  return { sid: fixture.sid, authToken, apiKeys: [...apiKeys.values()] }
}

function secondsOf (date: string | undefined, fallback: number): number {
  return date === undefined ? fallback : toEpochSeconds(Date.parse(date))
}

/**
 * Stores an account's services and webhooks (the account itself goes to the AccountRegistry).
 * Throws FixtureError when a service SID is already taken by another account.
 */
export function seedAccount (repository: Repository, fixture: AccountFixture, nowSeconds: number): void {
  for (const service of fixture.services ?? []) {
    const { sid, date_created: created, date_updated: updated, webhooks = [], ...settings } = service
    const merged = mergeSettings(defaultServiceSettings(service.friendly_name), settings)
    const dateCreated = secondsOf(created, nowSeconds)
    const record = repository.createService({ sid, accountSid: fixture.sid, settings: merged, now: dateCreated })
    if (record === undefined) throw new FixtureError(`service ${sid} already exists in another account`)
    repository.updateService(fixture.sid, sid, merged, secondsOf(updated, dateCreated))
    for (const w of webhooks) {
      const scope = { accountSid: fixture.sid, serviceSid: sid }
      const whCreated = secondsOf(w.date_created, nowSeconds)
      repository.createWebhook(scope, {
        sid: w.sid,
        friendlyName: w.friendly_name,
        eventTypes: w.event_types,
        webhookUrl: w.webhook_url,
        status: w.status ?? 'enabled',
        version: w.version ?? 'v2',
        now: whCreated
      })
      repository.updateWebhook(scope, w.sid, {}, secondsOf(w.date_updated, whCreated))
    }
  }
}

function mergeSettings (defaults: ServiceSettings, overrides: Partial<ServiceSettings>): ServiceSettings {
  const merged = defaults as unknown as Json
  for (const [key, value] of Object.entries(overrides)) {
    merged[key] = isObject(value) && isObject(merged[key]) ? { ...merged[key], ...value } : value
  }
  return merged as unknown as ServiceSettings
}

/**
 * An account's services and webhooks in the fixture format: lossless (SIDs, settings and dates kept).
 * Credentials are left out: state is data, and secrets stay where they were configured.
 */
export function exportAccount (repository: Repository, accountSid: string): AccountFixture {
  const account = { sid: accountSid }
  const services: ServiceFixture[] = []
  let cursor: { after: number } | { offset: number } = { offset: 0 }
  for (;;) {
    const page = repository.pageServices(account.sid, cursor, 1000)
    for (const service of page.records) {
      const scope = { accountSid: account.sid, serviceSid: service.sid }
      services.push({
        sid: service.sid,
        ...structuredClone(service.settings),
        date_created: isoSeconds(service.dateCreated),
        date_updated: isoSeconds(service.dateUpdated),
        webhooks: repository.listWebhooks(scope).map((w) => ({
          sid: w.sid,
          friendly_name: w.friendlyName,
          event_types: [...w.eventTypes],
          webhook_url: w.webhookUrl,
          status: w.status,
          version: w.version,
          date_created: isoSeconds(w.dateCreated),
          date_updated: isoSeconds(w.dateUpdated)
        }))
      })
    }
    if (page.next === null || !('after' in page.next)) break
    cursor = page.next
  }
  return { sid: account.sid, services }
}
