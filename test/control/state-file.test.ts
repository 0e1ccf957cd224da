import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { STATE_FILE_INTERVAL_MS } from '../../src/control/state-file.js'
import { parseFixtures, type Fixtures } from '../../src/fixtures.js'
import { build, SERVICE_SID } from '../helper.js'
import { CLI_ENTRY, basic, startServer } from '../process-helper.js'
import { A, authOf, B, control, createWebhook, SECOND_ACCOUNT, webhooksPath } from './harness.js'

function tempDir (t: { teardown: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-state-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  return dir
}

function readState (path: string): Fixtures {
  return parseFixtures(JSON.parse(readFileSync(path, 'utf8')), path)
}

async function sleep (ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms))
}

t.test('changes are written within the flush interval, atomically, and once more on close', async (t) => {
  const dir = tempDir(t)
  const stateFile = join(dir, 'state.json')
  const app = await build(t, { stateFile, accounts: [SECOND_ACCOUNT] })
  t.notOk(existsSync(stateFile), 'nothing is written before a change')
  for (let i = 0; i < 20; i++) await createWebhook(app, `w${i}`)
  await createWebhook(app, 'of b', B, 'VA' + 'b'.repeat(32))
  await sleep(STATE_FILE_INTERVAL_MS * 3)
  const written = readState(stateFile)
  t.same(written.accounts.map((a) => a.sid), [A.sid, B.sid], 'every account, without credentials')
  t.equal(written.accounts[0]?.services?.[0]?.webhooks?.length, 20)
  t.same(JSON.parse(readFileSync(stateFile, 'utf8')).accounts[0], (await control(app, 'GET', '/state')).json().accounts[0], 'the same document GET /state answers')
  t.same(readdirSync(dir), ['state.json'], 'no temporary file left behind')
  const text = readFileSync(stateFile, 'utf8')
  t.notOk(text.includes('auth_token') || text.includes(B.token), 'no secrets')

  await createWebhook(app, 'last')
  await app.close()
  t.equal(readState(stateFile).accounts[0]?.services?.[0]?.webhooks?.length, 21, 'close writes the last change at once')
})

t.test('a restart with the same file keeps every webhook; the file replaces the fixtures of the accounts it holds', async (t) => {
  const dir = tempDir(t)
  const stateFile = join(dir, 'state.json')
  const seed: Fixtures = { accounts: [{ sid: A.sid, services: [{ sid: SERVICE_SID, friendly_name: 'Seeded', webhooks: [{ sid: 'YW' + '1'.repeat(32), friendly_name: 'fixture', event_types: ['*'], webhook_url: 'https://e.com' }] }] }] }
  const first = await buildApp({ logger: false, stateFile, seed, accounts: [SECOND_ACCOUNT] })
  await first.inject({ method: 'DELETE', url: `${webhooksPath()}/YW${'1'.repeat(32)}`, headers: authOf() })
  await createWebhook(first, 'kept')
  await createWebhook(first, 'of b', B, 'VA' + 'b'.repeat(32))
  const before = [(await control(first, 'GET', '/state')).body, (await control(first, 'GET', '/state', undefined, B)).body]
  await first.close()

  const second = await build(t, { stateFile, seed, accounts: [SECOND_ACCOUNT] })
  t.same([(await control(second, 'GET', '/state')).body, (await control(second, 'GET', '/state', undefined, B)).body], before)
  const names = (await second.inject({ method: 'GET', url: webhooksPath(), headers: authOf() })).json().webhooks.map((w: { friendly_name: string }) => w.friendly_name)
  t.same(names, ['kept'], 'the deleted fixture stays deleted')
  // A reset goes back to the fixtures, and that is written too.
  await control(second, 'POST', '/reset')
  await second.close()
  t.same(readState(stateFile).accounts[0]?.services?.[0]?.webhooks?.map((w) => w.friendly_name), ['fixture'])
})

t.test('an account the emulator does not know keeps its data but cannot authenticate', async (t) => {
  const dir = tempDir(t)
  const stateFile = join(dir, 'state.json')
  const stranger = 'AC' + 'c'.repeat(32)
  writeFileSync(stateFile, JSON.stringify({ accounts: [{ sid: stranger, services: [{ sid: 'VA' + 'c'.repeat(32), friendly_name: 'Theirs' }] }] }))
  const app = await build(t, { stateFile })
  t.equal((await app.inject({ method: 'GET', url: '/v2/Services', headers: { authorization: basic(stranger, 'anything') } })).statusCode, 401)
  await createWebhook(app, 'mine')
  await app.close()
  t.same(readState(stateFile).accounts.map((a) => a.sid), [A.sid, stranger], 'rewritten with the stranger\'s data intact')
})

t.test('a file that cannot be used stops the start with one line naming it', async (t) => {
  const dir = tempDir(t)
  const cases: Array<[string, string | undefined, RegExp]> = [
    [join(dir, 'no-such-folder', 'state.json'), undefined, /^STATE_FILE .*no-such-folder\/state\.json: folder .* does not exist$/],
    [join(dir, 'torn.json'), '{"accounts":[', /^STATE_FILE .*torn\.json: cannot be read as JSON: /],
    [join(dir, 'creds.json'), JSON.stringify({ accounts: [{ sid: A.sid, auth_token: 'x' }] }), /creds\.json: accounts\[0\]: credentials \("auth_token", "api_keys"\) are not part of state/],
    [join(dir, 'bad.json'), JSON.stringify({ accounts: [{ sid: A.sid, services: [{ sid: 'VA1', friendly_name: 'x' }] }] }), /bad\.json: accounts\[0\]\.services\[0\]: "sid" must match/]
  ]
  for (const [path, content, message] of cases) {
    if (content !== undefined) writeFileSync(path, content)
    await t.rejects(buildApp({ logger: false, stateFile: path }), { name: 'FixtureError', message }, path)
  }
})

t.test('the CLI: a state file survives kill -9 during a write burst, and a restart keeps its webhooks', async (t) => {
  t.ok(existsSync(CLI_ENTRY), 'the CLI bundle exists (npm test builds it first)')
  const dir = tempDir(t)
  const stateFile = join(dir, 'state.json')
  const auth = basic(A.sid, A.token)
  const services = Array.from({ length: 4 }, (_, i) => `VA${String(i + 1).repeat(32)}`)
  let worstLagMs = 0

  for (let round = 0; round < 3; round++) {
    rmSync(stateFile, { force: true })
    const server = await startServer(CLI_ENTRY, { STATE_FILE: stateFile })
    t.teardown(() => { server.child.kill('SIGKILL') })
    // Each service gets its creates one after another, so acknowledgement order is creation order.
    const acknowledged = new Map<string, Array<{ sid: string, at: number }>>(services.map((s) => [s, []]))
    let killed = false
    const worker = async (serviceSid: string): Promise<void> => {
      for (let i = 0; !killed && i < 100_000; i++) {
        try {
          const res = await fetch(`${server.url}/v2/Services/${serviceSid}/Webhooks`, {
            method: 'POST',
            headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
            body: `FriendlyName=w${i}&EventTypes=*&WebhookUrl=https://e.com/${i}`,
            signal: AbortSignal.timeout(5_000)
          })
          const body = await res.json() as { sid: string }
          if (res.status === 201) acknowledged.get(serviceSid)?.push({ sid: body.sid, at: performance.now() })
        } catch {
          return // the server is gone
        }
      }
    }
    const burst = Promise.all(services.map(worker))
    // Kill once a good number of creates went through (bounded in time), at a varying point of a flush interval.
    const ackedSoFar = (): number => [...acknowledged.values()].reduce((sum, list) => sum + list.length, 0)
    const deadline = performance.now() + 20_000
    while (ackedSoFar() < 150 + round * 100 && performance.now() < deadline) await sleep(10)
    await sleep(round * 37)
    const killedAt = performance.now()
    server.child.kill('SIGKILL')
    killed = true
    await server.exited
    await burst

    t.same(readdirSync(dir).filter((f) => f !== 'state.json' && f !== 'state.json.tmp'), [], 'nothing else in the folder')
    if (existsSync(`${stateFile}.tmp`)) t.comment(`round ${round}: the kill came in the middle of a write (a temporary file was left)`)
    const state = readState(stateFile) // parses: never torn
    const inFile = new Map((state.accounts[0]?.services ?? []).map((s) => [s.sid, (s.webhooks ?? []).map((w) => w.sid)]))
    let total = 0
    for (const serviceSid of services) {
      const acked = acknowledged.get(serviceSid) ?? []
      const stored = inFile.get(serviceSid) ?? []
      total += acked.length
      t.same(stored, acked.slice(0, stored.length).map((a) => a.sid), `round ${round}, ${serviceSid}: the file holds a prefix of the acknowledged creates`)
      const firstMissing = acked[stored.length]
      if (firstMissing !== undefined) worstLagMs = Math.max(worstLagMs, killedAt - firstMissing.at)
    }
    t.ok(total > 50, `round ${round}: ${total} creates acknowledged before the kill`)

    // A restart on the same file serves exactly what the file holds.
    const restarted = await startServer(CLI_ENTRY, { STATE_FILE: stateFile })
    t.teardown(() => { restarted.child.kill('SIGKILL') })
    for (const serviceSid of services) {
      const res = await fetch(`${restarted.url}/v2/Services/${serviceSid}/Webhooks?PageSize=1000`, { headers: { authorization: auth } })
      const listed = res.status === 200 ? (await res.json() as { webhooks: Array<{ sid: string }> }).webhooks.map((w) => w.sid) : []
      t.same(listed, inFile.get(serviceSid) ?? [], `round ${round}: restart keeps ${serviceSid}`)
    }
    restarted.child.kill('SIGTERM')
    t.same(await restarted.exited, { code: 0, signal: null })
  }
  // Missing from the file may only be what was acknowledged in the last interval (plus the write time).
  t.ok(worstLagMs < STATE_FILE_INTERVAL_MS + 400, `the newest acknowledged create missing from the file was acknowledged ${Math.round(worstLagMs)} ms before the kill`)
  t.comment(`worst lag between an acknowledged create and the kill, for creates missing from the file: ${Math.round(worstLagMs)} ms`)
})
