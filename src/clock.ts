// Time is stored as whole epoch seconds (compact, and Twilio's dates have no sub-second part).
export type Clock = () => number

/** Current time in epoch milliseconds; injectable so tests can pin dates. */
export const systemClock: Clock = () => Date.now()

export function toEpochSeconds (ms: number): number {
  return Math.floor(ms / 1000)
}

// Formatting a date (Date + toISOString) costs ~0.7 µs, and a page of 50 webhooks formats 100 of them;
// records made in the same second share their dates, so a small cache indexed by the low bits of the
// epoch second answers most calls.
const ISO_CACHE_SIZE = 256
const isoCacheKeys = new Float64Array(ISO_CACHE_SIZE).fill(NaN)
const isoCacheValues: string[] = new Array<string>(ISO_CACHE_SIZE).fill('')

/** ISO 8601 UTC to the second, as Twilio writes dates: 2026-11-28T10:00:00Z. */
export function isoSeconds (epochSeconds: number): string {
  const slot = epochSeconds & (ISO_CACHE_SIZE - 1)
  if (isoCacheKeys[slot] === epochSeconds) return isoCacheValues[slot] as string
  const iso = new Date(epochSeconds * 1000).toISOString().slice(0, 19) + 'Z'
  isoCacheKeys[slot] = epochSeconds
  isoCacheValues[slot] = iso
  return iso
}
