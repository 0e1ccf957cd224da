// What users run, proved without a registry or a Docker engine:
// - the npm package: `npm pack`, install the tarball with production dependencies only in a temp folder,
//   start its bin, create a webhook, stop with SIGTERM;
// - the Docker image: copy exactly what the Dockerfile's runtime stage copies into an empty folder (no
//   node_modules), start its CMD with its ENV, and do the same.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import t, { type Test } from 'tap'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from '../src/config.js'
import { basic, startServer, type ServerProcess } from './process-helper.js'

const ROOT = new URL('..', import.meta.url).pathname

/** Health answers 200, a create answers 201, and SIGTERM ends the process with exit code 0. */
async function servesAndStops (t: Test, server: ServerProcess): Promise<void> {
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
}

t.test('the packed package runs with production dependencies only', { timeout: 170_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vwe-pack-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  // dist/ is built by `npm test` before tap runs; --ignore-scripts keeps pack from rebuilding it.
  const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 })) as Array<{ filename: string, files: Array<{ path: string }> }>
  const files = packed[0]?.files.map((f) => f.path) ?? []
  t.ok(files.includes('dist/server.bundle.js'), 'the tarball holds the CLI bundle')
  t.notOk(files.some((f) => f.startsWith('src/') || f.startsWith('test/')), 'and no sources or tests')

  execFileSync('npm', ['init', '-y'], { cwd: dir, stdio: 'ignore', timeout: 30_000 })
  // --offline: dependencies come from the npm cache that the project's own install filled; a test sends
  // nothing beyond loopback.
  execFileSync('npm', ['install', '--offline', '--omit=dev', '--no-audit', '--no-fund', join(dir, packed[0]?.filename as string)], { cwd: dir, stdio: 'ignore', timeout: 120_000 })
  const installed = join(dir, 'node_modules')
  t.notOk(existsSync(join(installed, 'twilio')), 'no devDependencies installed')
  t.notOk(existsSync(join(installed, 'typescript')), 'no TypeScript installed')
  const manifest = JSON.parse(readFileSync(join(installed, 'verify-webhooks-emulator', 'package.json'), 'utf8')) as { bin: Record<string, string> }
  t.same(manifest.bin, { 'verify-webhooks-emulator': 'dist/server.bundle.js' })

  const server = await startServer(join(installed, 'verify-webhooks-emulator', 'dist', 'server.bundle.js'), { HOST: '0.0.0.0', NODE_ENV: 'production' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  await servesAndStops(t, server)
})

interface RuntimeStage {
  env: Record<string, string>
  /** COPY lines: `from` is a path in the repository (the build stage's /app is the repository built). */
  copies: Array<{ from: string, to: string }>
  cmd: string[]
}

/** The Dockerfile's last stage, read as Docker would: ENV pairs, COPY sources and targets, the CMD. */
function runtimeStage (dockerfile: string): RuntimeStage {
  const instructions = dockerfile.replace(/\\\n/g, ' ').split('\n').filter((line) => /^[A-Z]+ /.test(line))
  const stage = instructions.slice(instructions.findLastIndex((line) => line.startsWith('FROM ')) + 1)
  const result: RuntimeStage = { env: {}, copies: [], cmd: [] }
  for (const line of stage) {
    const [keyword = '', ...words] = line.split(/\s+/).filter((word) => word !== '')
    if (keyword === 'WORKDIR' && words[0] !== '/app') throw new Error(`unexpected WORKDIR ${words.join(' ')}`)
    if (keyword === 'ENV') for (const pair of words) result.env[pair.slice(0, pair.indexOf('='))] = pair.slice(pair.indexOf('=') + 1)
    if (keyword === 'CMD') result.cmd = JSON.parse(line.slice('CMD '.length)) as string[]
    if (keyword === 'COPY') {
      const fromBuild = words.includes('--from=build')
      const paths = words.filter((word) => !word.startsWith('--'))
      const to = paths.pop() as string
      for (const from of paths) result.copies.push({ from: fromBuild ? from.replace(/^\/app\//, '') : from, to })
    }
  }
  return result
}

t.test('the Docker runtime stage, rebuilt in an empty folder from its own COPY lines, serves and stops cleanly', async (t) => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
  t.match(dockerfile, /^FROM node:22-alpine AS build$/m)
  t.match(dockerfile, /^FROM node:22-alpine$/m, 'multi-stage runtime image')
  t.match(dockerfile, /^USER node$/m)
  t.match(dockerfile, /^EXPOSE 4010$/m)
  t.match(dockerfile, /HEALTHCHECK[\s\S]*\/__emulator\/health/)
  t.ok(existsSync(join(ROOT, '.dockerignore')))

  const stage = runtimeStage(dockerfile)
  t.same(stage.cmd, ['node', 'dist/server.bundle.js'], 'the image runs the CLI bundle, as the npm bin does')
  t.same(stage.env, { NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '4010' })
  t.same(stage.copies.map((copy) => copy.from), ['package.json', 'dist/server.bundle.js', 'fixtures'], 'no node_modules in the image')

  const app = mkdtempSync(join(tmpdir(), 'vwe-image-'))
  t.teardown(() => rmSync(app, { recursive: true, force: true }))
  for (const { from, to } of stage.copies) {
    const target = to.endsWith('/') ? join(app, to, from.split('/').pop() as string) : join(app, to)
    mkdirSync(dirname(target), { recursive: true })
    cpSync(join(ROOT, from), target, { recursive: true })
  }
  // PORT 0 instead of the image's 4010, which may be taken on this machine.
  const server = await startServer(join(app, stage.cmd[1] as string), { ...stage.env, PORT: '0' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  await servesAndStops(t, server)
})
