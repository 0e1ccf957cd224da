/** Webhook URLs must be absolute http(s) URLs: that is where events are POSTed. */
export function isWebhookUrl (value: string): boolean {
  if (!URL.canParse(value)) return false
  const { protocol, hostname } = new URL(value)
  return (protocol === 'http:' || protocol === 'https:') && hostname !== ''
}
