// The CLI entry as users run it: start line, config errors, graceful shutdown.
import { spawnSync } from 'node:child_process'
import { request } from 'node:http'
import t from 'tap'
import { DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN } from '../src/config.js'
import { CLI_ENTRY, basic, startServer } from './process-helper.js'

const AUTH = basic(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)

t.test('a bare start logs one line with where it listens and which credentials to use', async (t) => {
  const server = await startServer(CLI_ENTRY)
  t.teardown(() => { server.child.kill('SIGKILL') })
  const line = server.lines.find((l) => l.includes('listening on'))
  const entry = JSON.parse(line as string) as { level: number, msg: string }
  t.equal(entry.level, 30)
  t.equal(entry.msg, `verify-webhooks-emulator listening on ${server.url}; authenticate as ${DEFAULT_ACCOUNT_SID} with token ${DEFAULT_AUTH_TOKEN}`)
  const health = await fetch(`${server.url}/__emulator/health`)
  t.equal(health.status, 200)
  t.same(await health.json(), { status: 'ok', name: 'verify-webhooks-emulator', version: '0.1.0' })
  server.child.kill('SIGTERM')
  t.same(await server.exited, { code: 0, signal: null })
})

t.test('a custom token is not written to the log; requests log one line without credentials', async (t) => {
  const server = await startServer(CLI_ENTRY, { TWILIO_AUTH_TOKEN: 'my-secret-token-123' })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const res = await fetch(`${server.url}/v2/Services`, { headers: { authorization: basic(DEFAULT_ACCOUNT_SID, 'my-secret-token-123') } })
  t.equal(res.status, 200)
  server.child.kill('SIGTERM')
  await server.exited
  const log = server.lines.join('\n')
  t.notMatch(log, 'my-secret-token-123')
  t.notMatch(log, /authorization/i)
  const requestLines = server.lines.filter((l) => l.includes('"msg":"request"'))
  t.equal(requestLines.length, 1)
  t.match(JSON.parse(requestLines[0] as string), { method: 'GET', url: '/v2/Services', statusCode: 200, reqId: /^RQ[0-9a-f]{32}$/ })
})

t.test('a bad variable stops the start with one line naming it and exit code 1', async (t) => {
  const run = spawnSync(process.execPath, [CLI_ENTRY], { env: { PATH: process.env.PATH ?? '', PORT: 'eighty' }, encoding: 'utf8', timeout: 10_000 })
  t.equal(run.status, 1)
  t.equal(run.stderr, 'verify-webhooks-emulator: Invalid PORT="eighty": expected an integer from 0 to 65535\n')
  const help = spawnSync(process.execPath, [CLI_ENTRY, '--help'], { encoding: 'utf8', timeout: 10_000 })
  t.equal(help.status, 0)
  t.match(help.stdout, /--port\s+PORT\s+default 4010/)
})

t.test('SIGTERM lets in-flight requests finish, then exits 0', async (t) => {
  const server = await startServer(CLI_ENTRY)
  t.teardown(() => { server.child.kill('SIGKILL') })
  const { port } = new URL(server.url)
  // Start a create whose body arrives slowly, send SIGTERM while it is in flight, then finish it.
  const [head, tail] = ['FriendlyName=inflight&EventTypes=*&', 'WebhookUrl=https://e.com/x']
  const response = new Promise<{ status: number, body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v2/Services/VA' + 'a'.repeat(32) + '/Webhooks', headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(head.length + tail.length) } }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => { body += c.toString() })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.write(head)
    setTimeout(() => {
      server.child.kill('SIGTERM')
      setTimeout(() => req.end(tail), 200)
    }, 200)
  })
  const { status, body } = await response
  t.equal(status, 201)
  t.equal(JSON.parse(body).friendly_name, 'inflight')
  t.same(await server.exited, { code: 0, signal: null })
})

t.test('the request line follows the default logger level as it is changed at run time', async (t) => {
  // buildApp in a child process (its stdout is the log), through the built module.
  const script = `
    import { buildApp } from ${JSON.stringify(new URL('../dist/app.js', import.meta.url).href)}
    const app = await buildApp({ port: 0 })
    const get = (path) => app.inject({ method: 'GET', url: path })
    await get('/__emulator/health?n=1')
    app.log.level = 'warn'
    await get('/__emulator/health?n=2')
    app.log.level = 'debug'
    await get('/__emulator/health?n=3')
    await app.close()
  `
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15_000 })
  t.equal(run.status, 0, run.stderr)
  const urls = run.stdout.split('\n').filter((l) => l.includes('"msg":"request"')).map((l) => JSON.parse(l).url)
  t.same(urls, ['/__emulator/health?n=1', '/__emulator/health?n=3'])
})

t.test("request.log under the default logger carries the request's reqId, and the root's children still log", async (t) => {
  // An unexpected error is logged through request.log (errors.ts); its pino child is made on that first
  // use. An injected 500 is answered on purpose and logs only its request line.
  const script = `
    import { buildApp } from ${JSON.stringify(new URL('../dist/app.js', import.meta.url).href)}
    const app = await buildApp({ port: 0 })
    app.get('/boom', async () => { throw new Error('boom') })
    const headers = { authorization: ${JSON.stringify(AUTH)}, 'content-type': 'application/x-www-form-urlencoded' }
    const fault = await app.inject({ method: 'POST', url: '/__emulator/faults', headers, payload: 'Operation=ListService&Status=500' })
    const injected = await app.inject({ method: 'GET', url: '/v2/Services', headers })
    const failed = await app.inject({ method: 'GET', url: '/boom' })
    app.log.child({ component: 'test' }).warn('from a child')
    console.error(JSON.stringify([fault.statusCode, injected.statusCode, failed.statusCode, failed.json(), failed.headers['twilio-request-id']]))
    await app.close()
  `
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15_000 })
  t.equal(run.status, 0, run.stderr)
  const [faultStatus, injectedStatus, status, body, requestId] = JSON.parse(run.stderr) as [number, number, number, unknown, string]
  t.same([faultStatus, injectedStatus, status], [201, 500, 500])
  t.same(body, { code: 20500, message: 'Internal Server Error', more_info: 'https://www.twilio.com/docs/errors/20500', status: 500 })
  t.match(requestId, /^RQ[0-9a-f]{32}$/)
  const entries = run.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>)
  const errors = entries.filter((e) => e.msg === 'unhandled error')
  t.equal(errors.length, 1, 'the injected 500 is not logged as an error')
  t.match(errors[0], { level: 50, reqId: requestId, err: { message: 'boom' } })
  t.match(entries.find((e) => e.msg === 'from a child'), { level: 40, component: 'test' })
  t.same(entries.filter((e) => e.msg === 'request').map((e) => [e.url, e.statusCode]), [['/__emulator/faults', 201], ['/v2/Services', 500], ['/boom', 500]])
})

t.test('log lines leave whole and in order, however long, through the buffered stdout', async (t) => {
  // 600 request lines of up to ~30 KB (several buffers' worth), two pino lines of non-ASCII text in the
  // middle (one that fits the 64 KiB buffer, one longer than all of it), and the rest written at exit.
  const script = `
    import { buildApp } from ${JSON.stringify(new URL('../dist/app.js', import.meta.url).href)}
    const app = await buildApp({ port: 0 })
    for (let i = 0; i < 600; i++) {
      if (i === 300) app.log.warn('fits ' + 'é'.repeat(20000))
      if (i === 301) app.log.warn('long ' + 'é'.repeat(40000))
      await app.inject({ method: 'GET', url: '/__emulator/health?n=' + i + '&pad=' + 'a%C3%A9%22'.repeat((i % 7) * 500) })
    }
    await app.close()
  `
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 * 1024 })
  t.equal(run.status, 0, run.stderr)
  const entries = run.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { msg: string, url?: string })
  const requests = entries.filter((e) => e.msg === 'request')
  t.equal(requests.length, 600)
  const expected = Array.from({ length: 600 }, (_, i) => '/__emulator/health?n=' + i + '&pad=' + 'a%C3%A9%22'.repeat((i % 7) * 500))
  t.equal(requests.filter((e, i) => e.url === expected[i]).length, 600, 'every URL logged exactly, in order')
  const fits = entries.findIndex((e) => e.msg.startsWith('fits '))
  const long = entries.findIndex((e) => e.msg.startsWith('long '))
  t.same([entries[fits]?.msg, entries[long]?.msg], ['fits ' + 'é'.repeat(20000), 'long ' + 'é'.repeat(40000)])
  t.same([fits, long].map((at) => entries.slice(0, at).filter((e) => e.msg === 'request').length), [300, 301], 'each where it was logged')
})
