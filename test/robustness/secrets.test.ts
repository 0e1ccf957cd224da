// Secrets: Auth Tokens, API Key secrets, the admin token and Authorization headers never appear in the
// logs (a real process at LOG_LEVEL=trace, with successful and failed auth, malformed HTTP and oversized
// headers), in the request journal, the delivery log, the state export or any error message; secrets are
// compared in constant time (the same path whether the user is unknown or the secret is wrong).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import * as crypto from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import type { Config } from '../../src/config.js'
import { CLI_ENTRY, basic, startServer } from '../process-helper.js'
import { startCountingReceiver } from './harness.js'

const ACCOUNT = 'AC' + 'a'.repeat(32)
const SECOND = 'AC' + 'e'.repeat(32)
const KEY_SID = 'SK' + 'e'.repeat(32)
const SERVICE = 'VA' + 'e'.repeat(32)

/** Fresh secrets per run, so a match cannot come from anywhere else. */
function secret (label: string): string {
  return `${label}-${randomBytes(12).toString('hex')}`
}

/** Every form a secret could leak in: as is, inside a Basic header, base64 on its own, hex and URL-encoded. */
function leakForms (secrets: string[], users: string[]): string[] {
  const forms: string[] = []
  for (const s of secrets) {
    forms.push(s, Buffer.from(s).toString('base64'), Buffer.from(s).toString('hex'), encodeURIComponent(s))
    for (const user of users) forms.push(Buffer.from(`${user}:${s}`).toString('base64'))
  }
  return forms
}

async function rawExchange (port: number, text: string): Promise<string> {
  const socket = connect(port, '127.0.0.1')
  let raw = ''
  socket.on('data', (chunk: Buffer) => { raw += chunk.toString() })
  socket.on('error', () => {})
  socket.write(text)
  await new Promise<void>((resolve) => socket.once('close', () => resolve()))
  return raw
}

t.test('a real process at LOG_LEVEL=trace never logs a secret or an Authorization header', async (t) => {
  const token = secret('auth-token')
  const secondToken = secret('second-token')
  const keySecret = secret('key-secret')
  const adminToken = secret('admin-token')
  const wrong = secret('wrong-password')
  const dir = mkdtempSync(join(tmpdir(), 'vwe-secrets-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const fixtures = join(dir, 'fixtures.json')
  writeFileSync(fixtures, JSON.stringify({ accounts: [{ sid: SECOND, auth_token: secondToken, api_keys: [{ sid: KEY_SID, secret: keySecret }] }] }))
  const receiver = await startCountingReceiver(t)

  const server = await startServer(CLI_ENTRY, { LOG_LEVEL: 'trace', TWILIO_AUTH_TOKEN: token, FIXTURES: fixtures, EMULATOR_ADMIN_TOKEN: adminToken, STATE_FILE: join(dir, 'state.json') })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const stderr: string[] = []
  server.child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()))
  const port = Number(new URL(server.url).port)
  const call = async (method: string, path: string, authorization: string | undefined, body?: string, extra: Record<string, string> = {}): Promise<Response> => {
    const headers: Record<string, string> = { ...extra }
    if (authorization !== undefined) headers.authorization = authorization
    if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded'
    return await fetch(`${server.url}${path}`, { method, headers, body })
  }

  const good = basic(ACCOUNT, token)
  const create = await call('POST', `/v2/Services/${SERVICE}/Webhooks`, good, new URLSearchParams({ FriendlyName: 'h', EventTypes: '*', WebhookUrl: receiver.url() }).toString())
  t.equal(create.status, 201)
  t.equal((await call('GET', '/v2/Services', basic(KEY_SID, keySecret))).status, 200)
  t.equal((await call('GET', '/v2/Services', basic(SECOND, secondToken))).status, 200)
  // Failed authentication, every way: wrong secret, unknown user with a real secret, another account's
  // secret, an API key with the token, no colon, a Bearer header.
  for (const authorization of [basic(ACCOUNT, wrong), basic('AC' + 'f'.repeat(32), token), basic(ACCOUNT, secondToken), basic(KEY_SID, token),
    'Basic ' + Buffer.from(token).toString('base64'), `Bearer ${token}`, `Basic ${Buffer.from(`${ACCOUNT}:${token}`).toString('base64')}x`]) {
    const res = await call('GET', `/v2/Services/${SERVICE}/Webhooks?PageSize=${encodeURIComponent(token.slice(0, 3))}`, authorization)
    t.equal(res.status, 401)
    const text = await res.text()
    for (const s of [token, wrong, secondToken]) t.notOk(text.includes(s), 'the 401 body names no secret')
  }
  t.equal((await call('POST', '/__emulator/reset?Scope=all', good, undefined, { 'x-emulator-admin-token': wrong })).status, 403)
  t.equal((await call('POST', '/__emulator/reset?Scope=all', good, undefined, { 'x-emulator-admin-token': adminToken })).status, 200)
  t.equal((await call('POST', `/v2/Services/${SERVICE}/Webhooks`, good, new URLSearchParams({ FriendlyName: 'h', EventTypes: '*', WebhookUrl: receiver.url() }).toString())).status, 201)
  const event = await call('POST', '/__emulator/events', good, new URLSearchParams({ ServiceSid: SERVICE, Type: 'factor.created', EntityIdentity: 'u' }).toString())
  t.equal(event.status, 201)
  t.equal((await call('GET', '/__emulator/deliveries?WaitFor=1&Timeout=10000', good)).status, 200)
  // Requests Node cannot parse, or whose head is too large: their raw bytes (Authorization included)
  // reach the client-error handler.
  t.match(await rawExchange(port, `GET /v2/Services HTTP/1.1\r\nAuthorization: ${good}\r\nBroken Header\r\n\r\n`), /^HTTP\/1\.1 400 /)
  t.match(await rawExchange(port, `GET /v2/Services HTTP/1.1\r\nAuthorization: ${good}\r\nX-Filler: ${'a'.repeat(17_000)}\r\n\r\n`), /^HTTP\/1\.1 431 /)
  t.match(await rawExchange(port, `POST /v2/Services HTTP/1.1\r\nAuthorization: ${good}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello`), /^HTTP\/1\.1 400 /)
  server.child.kill('SIGTERM')
  t.same(await server.exited, { code: 0, signal: null })

  const text = server.lines.join('\n') + stderr.join('')
  // Buffers (a raw packet, say) are logged as byte arrays: decode them so they are searched too.
  const buffers = [...text.matchAll(/"data":\[([\d,]+)\]/g)].map((m) => Buffer.from(m[1]!.split(',').map(Number)).toString('latin1'))
  const log = [text, ...buffers].join('\n')
  t.ok(server.lines.length > 20, `${server.lines.length} log lines at trace level`)
  t.ok(server.lines.some((l) => l.includes('"statusCode":401')), 'failed requests are logged')
  const leaks = leakForms([token, secondToken, keySecret, adminToken, wrong], [ACCOUNT, SECOND, KEY_SID, 'AC' + 'f'.repeat(32)]).filter((form) => log.includes(form))
  t.same(leaks, [], 'no secret in any form')
  t.notMatch(log, /authorization/i, 'no Authorization header')
  t.notMatch(log, /x-emulator-admin-token/i, 'no admin token header')
})

t.test('no secret in the journal, the delivery log, the state export, faults or error messages', async (t) => {
  const token = secret('auth-token')
  const keySecret = secret('key-secret')
  const adminToken = secret('admin-token')
  const receiver = await startCountingReceiver(t)
  const app = await buildApp({ logger: false, authToken: token, adminToken, accounts: [], seed: { accounts: [{ sid: ACCOUNT, api_keys: [{ sid: KEY_SID, secret: keySecret }], services: [] }] } })
  t.teardown(() => app.close())
  const good = basic(ACCOUNT, token)
  const form = { authorization: good, 'content-type': 'application/x-www-form-urlencoded' }
  const bodies: string[] = []
  const inject = async (method: 'GET' | 'POST' | 'DELETE' | 'PUT', url: string, headers: Record<string, string>, payload?: string): Promise<number> => {
    const res = await app.inject({ method, url, headers, payload })
    bodies.push(res.body, JSON.stringify(res.headers))
    return res.statusCode
  }
  t.equal(await inject('POST', `/v2/Services/${SERVICE}/Webhooks`, form, new URLSearchParams({ FriendlyName: 'h', EventTypes: '*', WebhookUrl: receiver.url() }).toString()), 201)
  t.equal(await inject('GET', '/v2/Services', { authorization: basic(KEY_SID, keySecret) }), 200)
  t.equal(await inject('GET', '/v2/Services', { authorization: basic(ACCOUNT, `${token}x`) }), 401)
  t.equal(await inject('POST', '/__emulator/faults', form, 'Path=/v2/Services&Status=500&Message=boom'), 201)
  t.equal(await inject('GET', '/v2/Services', { authorization: good }), 500)
  t.equal(await inject('POST', '/__emulator/events', form, new URLSearchParams({ ServiceSid: SERVICE, Type: 'factor.created', EntityIdentity: 'u' }).toString()), 201)
  t.equal(await inject('GET', '/__emulator/deliveries?WaitFor=1&Timeout=10000', { authorization: good }), 200)
  t.equal(await inject('GET', '/__emulator/requests', { authorization: good }), 200)
  t.equal(await inject('GET', '/__emulator/faults', { authorization: good }), 200)
  t.equal(await inject('GET', '/__emulator/state', { authorization: good }), 200)
  t.equal(await inject('POST', '/__emulator/reset?Scope=all', { authorization: good, 'x-emulator-admin-token': `${adminToken}x` }), 403)
  t.equal(await inject('PUT', '/__emulator/state', { authorization: good, 'content-type': 'application/json' }, JSON.stringify({ accounts: [{ sid: ACCOUNT, auth_token: token }] })), 400)
  const text = bodies.join('\n')
  t.ok(text.includes('X-Twilio-Signature'), 'the delivery log shows the signed request')
  const leaks = leakForms([token, keySecret, adminToken], [ACCOUNT, KEY_SID]).filter((form) => text.includes(form))
  t.same(leaks, [], 'no secret in any answer')
  t.notMatch(text, /"authorization"/i, 'no Authorization header echoed')
})

interface CryptoCalls { hashes: number, compares: Array<[number, number]> }

/** accounts.ts and admin-token.ts with node:crypto wrapped to count hashing and comparisons. */
async function instrumented (t: { mockImport: typeof import("tap").default.mockImport }): Promise<{ calls: CryptoCalls, accounts: typeof import('../../src/accounts.js'), admin: typeof import('../../src/control/admin-token.js') }> {
  const calls: CryptoCalls = { hashes: 0, compares: [] }
  const wrapped = {
    ...crypto,
    createHash: (algorithm: string) => { calls.hashes++; return createHash(algorithm) },
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => { calls.compares.push([a.byteLength, b.byteLength]); return timingSafeEqual(a, b) }
  }
  const accounts = await t.mockImport<typeof import('../../src/accounts.js')>('../../src/accounts.js', { 'node:crypto': wrapped })
  // admin-token.js hashes through accounts.js's digest(): that copy, instrumented too, is the one it gets.
  const admin = await t.mockImport<typeof import('../../src/control/admin-token.js')>('../../src/control/admin-token.js', { 'node:crypto': wrapped, '../../src/accounts.js': accounts })
  return { calls, accounts, admin }
}

t.test('secrets are compared in constant time: unknown users, wrong and right secrets take the same path', async (t) => {
  const { calls, accounts, admin } = await instrumented(t)
  const registry = new accounts.AccountRegistry([{ sid: ACCOUNT, authToken: 'right-token', apiKeys: [{ sid: KEY_SID, secret: 'key-secret' }] }])
  const cases: Array<[string, string, string | undefined]> = [
    [ACCOUNT, 'right-token', ACCOUNT],
    [ACCOUNT, 'wrong-token', undefined],
    [ACCOUNT, 'right-tokeN', undefined],
    [ACCOUNT, '', undefined],
    [ACCOUNT, 'x'.repeat(10_000), undefined],
    [KEY_SID, 'key-secret', ACCOUNT],
    [KEY_SID, 'right-token', undefined],
    ['AC' + 'f'.repeat(32), 'right-token', undefined],
    ['', '', undefined],
    ['__proto__', 'x', undefined],
    ['constructor', 'x', undefined]
  ]
  for (const [user, password, expected] of cases) {
    calls.hashes = 0
    calls.compares = []
    t.equal(registry.authenticate(user, password), expected, `${user}:${password.slice(0, 20)}`)
    // One digest of the sent secret, one comparison of two 32-byte digests: nothing depends on the user
    // existing or on where the secret first differs.
    t.same(calls, { hashes: 1, compares: [[32, 32]] }, `same work for ${user.slice(0, 12)}:${password.slice(0, 12)}`)
  }

  const config = { adminToken: 'the-admin-token' } as Config
  for (const sent of ['the-admin-token', 'the-admin-tokeN', '', 'x'.repeat(5000)]) {
    calls.hashes = 0
    calls.compares = []
    const request = { headers: { 'x-emulator-admin-token': sent } } as never
    if (sent === 'the-admin-token') t.doesNotThrow(() => admin.requireAdminToken(request, config, 'test'))
    else t.throws(() => admin.requireAdminToken(request, config, 'test'), 'refused')
    t.same(calls, { hashes: 2, compares: [[32, 32]] }, `admin token "${sent.slice(0, 12)}": two digests, one 32-byte comparison`)
  }
})
