// The CLI mirrors every environment variable with a flag: --help lists them all with their defaults,
// and a bad value stops the start with exit code 1 and one line naming the flag or variable.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { SETTINGS } from '../../src/config.js'
import { CLI_ENTRY } from '../process-helper.js'

function run (args: string[], env: Record<string, string> = {}): { status: number | null, stdout: string, stderr: string } {
  const result = spawnSync(process.execPath, [CLI_ENTRY, ...args], { env: { PATH: process.env.PATH ?? '', PORT: '0', ...env }, encoding: 'utf8', timeout: 15_000 })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** A value the setting's parser refuses. */
function badValueOf (setting: (typeof SETTINGS)[number]): string {
  for (const candidate of ['', 'not a valid value', '-1']) {
    try {
      setting.parse(candidate)
    } catch {
      return candidate
    }
  }
  throw new Error(`no bad value found for ${setting.flag}`)
}

t.test('the CLI bundle exists (npm test builds it first)', async (t) => {
  t.ok(existsSync(CLI_ENTRY))
})

t.test('--help lists every setting: flag, variable and default', async (t) => {
  const help = run(['--help'])
  t.equal(help.status, 0)
  const lines = help.stdout.split('\n')
  for (const s of SETTINGS) {
    const def = s.default === undefined ? '(unset)' : String(s.default)
    const line = lines.find((l) => l.trim().startsWith(`${s.flag} `))
    t.ok(line !== undefined && line.includes(` ${s.env} `) && line.trimEnd().endsWith(`default ${def}`), `${s.flag} ${s.env} default ${def}`)
  }
  for (const flag of ['--state-file', '--journal-limit', '--admin-token']) t.match(help.stdout, flag)
})

/** run(), asynchronously, so several processes start at once. */
async function runAsync (args: string[]): Promise<{ status: number | null, stderr: string }> {
  const child = spawn(process.execPath, [CLI_ENTRY, ...args], { env: { PATH: process.env.PATH ?? '', PORT: '0' }, stdio: ['ignore', 'ignore', 'pipe'], timeout: 15_000 })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const status = await new Promise<number | null>((resolve) => child.once('close', resolve))
  return { status, stderr }
}

t.test('a bad flag value exits 1 with one line naming the flag', async (t) => {
  const results = await Promise.all(SETTINGS.map(async (s) => await runAsync([`${s.flag}=${badValueOf(s)}`])))
  for (const [i, s] of SETTINGS.entries()) {
    const value = badValueOf(s)
    const result = results[i] ?? { status: null, stderr: '' }
    t.equal(result.status, 1, s.flag)
    const lines = result.stderr.trimEnd().split('\n')
    t.equal(lines.length, 1, `${s.flag}: one line`)
    t.ok(lines[0]?.startsWith(`verify-webhooks-emulator: Invalid ${s.flag}=${JSON.stringify(value)}: `), lines[0] ?? s.flag)
  }
})

t.test('bad harness settings by variable, and a STATE_FILE in a missing folder, exit 1 with one line', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-cli-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ JOURNAL_LIMIT: '1000001' }, /^verify-webhooks-emulator: Invalid JOURNAL_LIMIT="1000001": expected an integer from 0 to 1000000$/],
    [{ JOURNAL_LIMIT: 'lots' }, /^verify-webhooks-emulator: Invalid JOURNAL_LIMIT="lots"/],
    [{ EMULATOR_ADMIN_TOKEN: ' ' }, /^verify-webhooks-emulator: Invalid EMULATOR_ADMIN_TOKEN=" ": must not be empty$/],
    [{ STATE_FILE: join(dir, 'missing', 'state.json') }, /^verify-webhooks-emulator: STATE_FILE .*missing\/state\.json: folder .*missing does not exist$/]
  ]
  for (const [env, message] of cases) {
    const result = run([], env)
    t.equal(result.status, 1, JSON.stringify(env))
    t.match(result.stderr.trimEnd(), message)
    t.equal(result.stderr.trimEnd().split('\n').length, 1)
  }
})
