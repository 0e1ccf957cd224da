// Twilio SIDs: a two-letter prefix and 32 lowercase hex digits.
import { randomFillSync } from 'node:crypto'

// Random bytes are drawn from a pool refilled 4096 SIDs at a time (a refill costs a few µs, with a tail
// of milliseconds on a busy VM), and each SID is written into a scratch buffer and read back as one flat
// 34-byte string: cheap enough for a request id per request, and compact when stored (nanoid's
// `id += char` left a chain of ~20 cons strings, ~700 bytes, behind every SID).
const POOL_BYTES = 16 * 4096
const pool = Buffer.allocUnsafe(POOL_BYTES)
let poolOffset = POOL_BYTES
const scratch = Buffer.allocUnsafe(34)
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1')

export type SidPrefix = 'AC' | 'VA' | 'YW' | 'RQ' | 'SK' | 'YF' | 'YC' | 'EV' | 'DL' | 'FI'

export type SidGenerator = (prefix: SidPrefix) => string

export const newSid: SidGenerator = (prefix) => {
  if (poolOffset === POOL_BYTES) {
    randomFillSync(pool)
    poolOffset = 0
  }
  scratch[0] = prefix.charCodeAt(0)
  scratch[1] = prefix.charCodeAt(1)
  for (let i = 0; i < 16; i++) {
    const byte = pool[poolOffset + i] as number
    scratch[2 + 2 * i] = HEX_DIGITS[byte >> 4] as number
    scratch[3 + 2 * i] = HEX_DIGITS[byte & 15] as number
  }
  poolOffset += 16
  return scratch.toString('latin1', 0, 34)
}

/** Pattern sources, shared by JSON schemas (strings) and code (RegExp). */
export const SID_PATTERNS = {
  account: '^AC[0-9a-fA-F]{32}$',
  service: '^VA[0-9a-fA-F]{32}$',
  webhook: '^YW[0-9a-fA-F]{32}$',
  apiKey: '^SK[0-9a-fA-F]{32}$',
  factor: '^YF[0-9a-fA-F]{32}$',
  challenge: '^YC[0-9a-fA-F]{32}$',
  fault: '^FI[0-9a-fA-F]{32}$'
} as const

export const SERVICE_SID = new RegExp(SID_PATTERNS.service)
export const WEBHOOK_SID = new RegExp(SID_PATTERNS.webhook)
