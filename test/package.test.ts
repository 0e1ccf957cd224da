// What the Docker image runs, proved without a Docker engine: `npm pack`, install the tarball with
// production dependencies only in a temp folder, start the same entry point (dist/server.js, the
// image's CMD, with the image's HOST/PORT env), create a webhook, stop with SIGTERM.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from '../src/config.js'
import { basic, startServer } from './process-helper.js'

const ROOT = new URL('..', import.meta.url).pathname

t.test('the packed package runs with production dependencies only', { timeout: 170_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vwe-pack-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  // dist/ is built by `npm test` before tap runs; --ignore-scripts keeps pack from rebuilding it.
  const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 })) as Array<{ filename: string, files: Array<{ path: string }> }>
  const files = packed[0]?.files.map((f) => f.path) ?? []
  t.ok(files.includes('dist/server.js'), 'the tarball holds the entry point')
  t.notOk(files.some((f) => f.startsWith('src/') || f.startsWith('test/')), 'and no sources or tests')

  execFileSync('npm', ['init', '-y'], { cwd: dir, stdio: 'ignore', timeout: 30_000 })
  // --offline: dependencies come from the npm cache that the project's own install filled; a test sends
  // nothing beyond loopback.
  execFileSync('npm', ['install', '--offline', '--omit=dev', '--no-audit', '--no-fund', join(dir, packed[0]?.filename as string)], { cwd: dir, stdio: 'ignore', timeout: 120_000 })
  const installed = join(dir, 'node_modules')
  t.notOk(existsSync(join(installed, 'twilio')), 'no devDependencies installed')
  t.notOk(existsSync(join(installed, 'typescript')), 'no TypeScript installed')
  const manifest = JSON.parse(readFileSync(join(installed, 'verify-webhooks-emulator', 'package.json'), 'utf8')) as { bin: Record<string, string> }
  t.same(manifest.bin, { 'verify-webhooks-emulator': 'dist/server.js' })

  const server = await startServer(join(installed, 'verify-webhooks-emulator', 'dist', 'server.js'), { HOST: '0.0.0.0', NODE_ENV: 'production' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const base = server.url.replace('0.0.0.0', '127.0.0.1')
  const health = await fetch(`${base}/__emulator/health`)
  t.equal(health.status, 200)
  const res = await fetch(`${base}/v2/Services/VA${'a'.repeat(32)}/Webhooks`, {
    method: 'POST',
    headers: { authorization: basic(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN), 'content-type': 'application/x-www-form-urlencoded' },
    body: 'EventTypes=factor.verified&FriendlyName=Packed&WebhookUrl=https://example.com/hook'
  })
  t.equal(res.status, 201)
  const body = await res.json() as { sid: string, friendly_name: string }
  t.match(body.sid, /^YW[0-9a-f]{32}$/)
  t.equal(body.friendly_name, 'Packed')
  server.child.kill('SIGTERM')
  t.same(await server.exited, { code: 0, signal: null })
})

t.test('the Dockerfile runs that same entry point, as a non-root user, with a working health check', async (t) => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
  t.match(dockerfile, /^CMD \["node", "dist\/server\.js"\]$/m)
  t.match(dockerfile, /^FROM node:22-alpine AS build$/m)
  t.match(dockerfile, /^FROM node:22-alpine$/m, 'multi-stage runtime image')
  t.match(dockerfile, /^USER node$/m)
  t.match(dockerfile, /HOST=0\.0\.0\.0/)
  t.match(dockerfile, /^EXPOSE 4010$/m)
  t.match(dockerfile, /npm prune --omit=dev/)
  t.match(dockerfile, /HEALTHCHECK[\s\S]*\/__emulator\/health/)
  t.ok(existsSync(join(ROOT, '.dockerignore')))
})
