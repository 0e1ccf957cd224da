// Time is stored as whole epoch seconds (compact, and Twilio's dates have no sub-second part).
export type Clock = () => number

/** Current time in epoch milliseconds; injectable so tests can pin dates. */
export const systemClock: Clock = () => Date.now()

export function toEpochSeconds (ms: number): number {
  return Math.floor(ms / 1000)
}

/** ISO 8601 UTC to the second, as Twilio writes dates: 2026-11-28T10:00:00Z. */
export function isoSeconds (epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 19) + 'Z'
}
