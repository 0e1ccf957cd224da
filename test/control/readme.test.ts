// The README's test-harness section: every curl example runs (against the built CLI on a free port, in
// order, each bounded in time), every control route has one, and the in-process examples shown are the
// test files in test/examples, verbatim.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { CLI_ENTRY, startServer } from '../process-helper.js'

const ROOT = new URL('../..', import.meta.url).pathname
const README = readFileSync(`${ROOT}README.md`, 'utf8')
const ADMIN_TOKEN = 'change-me'

function section (heading: string): string {
  const start = README.indexOf(`\n## ${heading}\n`)
  if (start === -1) throw new Error(`README has no section "${heading}"`)
  const end = README.indexOf('\n## ', start + 4)
  return README.slice(start, end === -1 ? undefined : end)
}

function blocks (text: string, language: string): string[] {
  return [...text.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1] as string)
}

const HARNESS = section('Test-harness controls')
const SHELL = blocks(HARNESS, 'sh')

t.test('every control route has a curl example', async (t) => {
  const all = SHELL.join('\n')
  const routes: Array<[string, RegExp]> = [
    ['POST /reset', /-X POST \S+\/__emulator\/reset/],
    ['GET /state', /curl -s \S+\/__emulator\/state /],
    ['PUT /state', /-X PUT \S+\/__emulator\/state/],
    ['GET /requests', /curl -s "\S+\/__emulator\/requests\?/],
    ['POST /faults', /-X POST \S+\/__emulator\/faults/],
    ['GET /faults', /curl -s \S+\/__emulator\/faults /],
    ['DELETE /faults/{Id}', /-X DELETE "\S+\/__emulator\/faults\/\$ID"/],
    ['DELETE /faults', /-X DELETE \S+\/__emulator\/faults /]
  ]
  for (const [route, pattern] of routes) t.match(all, pattern, route)
})

t.test('the curl examples run against the emulator', async (t) => {
  const server = await startServer(CLI_ENTRY, { FIXTURES: `${ROOT}fixtures/example.json`, EMULATOR_ADMIN_TOKEN: ADMIN_TOKEN })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const cwd = mkdtempSync(join(tmpdir(), 'emulator-readme-'))
  t.teardown(() => { rmSync(cwd, { recursive: true, force: true }) })
  const port = new URL(server.url).port

  const outputs: string[] = []
  for (const block of SHELL) {
    // curl fails on any HTTP error, so a broken example fails the test.
    const script = `set -euo pipefail\ncurl () { command curl --fail-with-body --max-time 10 "$@"; }\n${block.replaceAll('127.0.0.1:4010', `127.0.0.1:${port}`)}`
    try {
      outputs.push(execFileSync('bash', ['-c', script], { cwd, encoding: 'utf8', timeout: 30_000 }))
    } catch (err) {
      t.fail(`example failed:\n${block}\n${String((err as { stdout?: string }).stdout ?? '')}${String((err as { stderr?: string }).stderr ?? '')}`)
      return
    }
  }
  t.equal(outputs.length, SHELL.length)

  const [reset, resetAll, state, journal, fault] = outputs.map((output) => output.trim())
  t.same(JSON.parse(reset ?? ''), { scope: 'account', accounts: ['ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'] })
  t.same(JSON.parse(resetAll ?? '').scope, 'all')
  t.match(JSON.parse(state ?? ''), { accounts: [{ sid: 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', services: [{ sid: 'VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', webhooks: [{ sid: 'YWaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }] }] }] })
  t.match(JSON.parse(journal ?? ''), { requests: [], dropped: 0, limit: 1000 })
  t.match(JSON.parse(fault ?? ''), { target: 'api', operation: 'CreateWebhook', status: 429, code: 20429, retry_after: 2, times: 2, remaining: 2 })
})

t.test('the in-process examples are the example test files, verbatim', async (t) => {
  const shown = blocks(HARNESS, 'ts')
  t.equal(shown.length, 2)
  t.equal(shown[0], readFileSync(`${ROOT}test/examples/in-process-tap.test.ts`, 'utf8'))
  t.equal(shown[1], readFileSync(`${ROOT}test/examples/in-process-node-test.test.ts`, 'utf8'))
})
