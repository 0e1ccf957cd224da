// Webhook URLs repeat (a deployment's webhooks, and every delivery to them, share a few receivers), so
// the URLs found valid recently are remembered (bounded), and a new one is parsed once, not twice.
const recentlyValid = new Set<string>()
const RECENTLY_VALID_LIMIT = 256

/** Webhook URLs must be absolute http(s) URLs: that is where events are POSTed. */
export function isWebhookUrl (value: string): boolean {
  if (recentlyValid.has(value)) return true
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return false
  }
  const { protocol, hostname } = url
  const valid = (protocol === 'http:' || protocol === 'https:') && hostname !== ''
  if (valid) {
    if (recentlyValid.size >= RECENTLY_VALID_LIMIT) recentlyValid.clear()
    recentlyValid.add(value)
  }
  return valid
}
