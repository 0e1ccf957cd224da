// Child of run.mjs: the emulator (buildApp, no logs) over a repository pre-filled with N webhooks in one
// service, listening on 127.0.0.1 port 0. Reports { port, webhooks, lastSid } and serves until killed.
import { buildApp } from '../dist/app.js'
import { defaultServiceSettings } from '../dist/services/settings.js'
import { newSid } from '../dist/sid.js'
import { createMemoryRepository } from '../dist/store/memory-repository.js'

const N = Number(process.argv[2] ?? 1_000_000)
const ACCOUNT_SID = 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
const SERVICE_SID = 'VA' + '0123456789abcdef'.repeat(2)

try {
  const now = Math.floor(Date.now() / 1000)
  const repository = createMemoryRepository()
  const scope = { accountSid: ACCOUNT_SID, serviceSid: SERVICE_SID }
  const app = await buildApp({ repository, logger: false })
  repository.createService({ sid: SERVICE_SID, accountSid: ACCOUNT_SID, settings: defaultServiceSettings('Paging bench'), now })
  let lastSid = ''
  for (let i = 0; i < N; i++) {
    lastSid = newSid('YW')
    repository.createWebhook(scope, {
      sid: lastSid,
      friendlyName: `Tenant ${i % 5000} verify events #${i}`,
      eventTypes: ['factor.created', 'challenge.approved'],
      webhookUrl: `https://tenant-${i % 5000}.example.com/twilio/verify/events`,
      status: 'enabled',
      version: 'v2',
      now
    })
  }
  await app.listen({ host: '127.0.0.1', port: 0 })
  process.send({ port: app.server.address().port, webhooks: N, lastSid })
  process.on('disconnect', () => { app.close().then(() => process.exit(0)) })
} catch (err) {
  process.send({ error: String(err?.stack ?? err) })
}
