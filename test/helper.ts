// Shared test helpers: a fresh app per test, credentials, form encoding, spec validation.
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { buildApp, type BuildOptions } from '../src/app.js'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from '../src/config.js'
import { basic } from './process-helper.js'

export const ACCOUNT_SID = DEFAULT_ACCOUNT_SID
export const AUTH_TOKEN = DEFAULT_AUTH_TOKEN
export const SERVICE_SID = 'VA' + '0123456789abcdef'.repeat(2)

interface Teardown { teardown: (fn: () => unknown) => void }

/** A new app (not listening, no logs) closed when the test ends. */
export async function build (t: Teardown, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = await buildApp({ logger: false, ...options })
  t.teardown(() => app.close())
  return app
}

export function basicAuth (user = ACCOUNT_SID, password = AUTH_TOKEN): string {
  return basic(user, password)
}

/** Twilio's error envelope, as the tests expect it (written out here, not taken from src/errors.ts). */
export function errorBody (status: number, code: number, message: string): object {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }
}

/** Form-encodes pairs, keeping repeated keys (as twilio-node sends arrays). */
export function form (pairs: Array<[string, string]> | Record<string, string>): string {
  return new URLSearchParams(Array.isArray(pairs) ? pairs : Object.entries(pairs)).toString()
}

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' }

/** A fixed clock, for exact dates: 2026-11-28T10:00:00Z plus `seconds`. */
export function fixedClock (start = Date.UTC(2026, 10, 28, 10, 0, 0)): { clock: () => number, advance: (seconds: number) => void } {
  let now = start
  return { clock: () => now, advance: (seconds) => { now += seconds * 1000 } }
}

/** Deterministic SIDs: prefix + a counter in 32 hex digits. */
export function sequentialSids (): (prefix: string) => string {
  let n = 0
  return (prefix) => prefix + (++n).toString(16).padStart(32, '0')
}

/**
 * Listens on 127.0.0.1, a free port; closed (open connections included) when the test ends or when
 * `close` is called, whichever comes first.
 */
export async function listenOnLoopback (t: Teardown, server: Server): Promise<{ url: (path?: string) => string, close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  let closed: Promise<void> | undefined
  const close = async (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
    await closed
  }
  t.teardown(close)
  return { url: (path = '/hook') => `http://127.0.0.1:${port}${path}`, close }
}
