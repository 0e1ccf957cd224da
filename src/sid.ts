// Twilio SIDs: a two-letter prefix and 32 lowercase hex digits.
import { customAlphabet } from 'nanoid'

const hex32 = customAlphabet('0123456789abcdef', 32)

export type SidPrefix = 'AC' | 'VA' | 'YW' | 'RQ' | 'SK' | 'YF' | 'YC' | 'EV'

export type SidGenerator = (prefix: SidPrefix) => string

export const newSid: SidGenerator = (prefix) => prefix + hex32()

/** Pattern sources, shared by JSON schemas (strings) and code (RegExp). */
export const SID_PATTERNS = {
  account: '^AC[0-9a-fA-F]{32}$',
  service: '^VA[0-9a-fA-F]{32}$',
  webhook: '^YW[0-9a-fA-F]{32}$',
  apiKey: '^SK[0-9a-fA-F]{32}$',
  factor: '^YF[0-9a-fA-F]{32}$',
  challenge: '^YC[0-9a-fA-F]{32}$'
} as const

export const SERVICE_SID = new RegExp(SID_PATTERNS.service)
export const WEBHOOK_SID = new RegExp(SID_PATTERNS.webhook)
