// The README's curl examples, run verbatim (but for the port) against the built emulator.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import t from 'tap'
import { errorsOf, validateService, validateWebhook, validateWebhookList } from './spec-validator.js'
import { CLI_ENTRY, startServer, type ServerProcess } from './process-helper.js'

const ROOT = new URL('..', import.meta.url).pathname
const README = readFileSync(`${ROOT}README.md`, 'utf8')

/** The ```sh blocks under the `## heading` section (up to the next `## `). */
function shellBlocks (heading: string): string[] {
  const start = README.indexOf(`\n## ${heading}\n`)
  if (start === -1) throw new Error(`README has no section "${heading}"`)
  const end = README.indexOf('\n## ', start + 4)
  const section = README.slice(start, end === -1 ? undefined : end)
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string)
}

function run (server: ServerProcess, block: string): string {
  const port = new URL(server.url).port
  // Lines that start the emulator are what this test already did.
  const script = block.replace(/^.*npm start.*$/gm, '').replaceAll('127.0.0.1:4010', `127.0.0.1:${port}`)
  return execFileSync('bash', ['-c', `set -euo pipefail\n${script}`], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 })
}

/** The JSON objects curl printed back to back (curl adds no newline after a body), in order. */
function jsonLines (output: string): Array<Record<string, unknown>> {
  const docs: Array<Record<string, unknown>> = []
  let depth = 0
  let start = -1
  let inString = false
  for (let i = 0; i < output.length; i++) {
    const c = output[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') {
      inString = true
    } else if (c === '{') {
      if (depth++ === 0) start = i
    } else if (c === '}' && --depth === 0) {
      docs.push(JSON.parse(output.slice(start, i + 1)) as Record<string, unknown>)
    }
  }
  return docs
}

t.test('README examples', async (t) => {
  const server = await startServer(CLI_ENTRY, { FIXTURES: `${ROOT}fixtures/example.json` })
  t.teardown(() => { server.child.kill('SIGKILL') })

  t.test('Twilio\'s documented create call, pointed at localhost, answers 201 with all 12 fields', async (t) => {
    const [block] = shellBlocks('Create a webhook with curl')
    const created = JSON.parse(run(server, block as string))
    t.ok(validateWebhook(created), errorsOf(validateWebhook))
    t.same(Object.keys(created), ['url', 'sid', 'account_sid', 'service_sid', 'friendly_name', 'event_types', 'webhook_method', 'webhook_url', 'status', 'version', 'date_created', 'date_updated'])
    t.match(created, { friendly_name: 'My Webhook', event_types: ['factor.verified'], status: 'enabled', version: 'v1', webhook_method: 'POST' })
  })

  t.test('the Webhooks API walkthrough', async (t) => {
    const [walkthrough, errorExample] = shellBlocks('The Webhooks API')
    const output = run(server, walkthrough as string)
    const [list, fetched, updated] = jsonLines(output)
    t.ok(validateWebhookList(list), errorsOf(validateWebhookList))
    t.ok(validateWebhook(fetched), errorsOf(validateWebhook))
    t.match(updated, { sid: fetched?.sid, status: 'disabled', event_types: ['*'] })
    t.ok(output.trim().endsWith('}204'), 'delete answers 204')
    const error = JSON.parse(run(server, errorExample as string))
    t.same(error, { code: 20001, message: 'Missing required parameter FriendlyName in the post body', more_info: 'https://www.twilio.com/docs/errors/20001', status: 400 })
  })

  t.test('the Services walkthrough', async (t) => {
    const [block] = shellBlocks('Services')
    const output = run(server, block as string)
    const [list, fetched, updated] = jsonLines(output)
    t.equal(list?.meta && (list.meta as { key: string }).key, 'services')
    t.ok(validateService(fetched), errorsOf(validateService))
    t.match(updated, { friendly_name: 'Owl Bank EU', totp: { skew: 2 } })
    t.ok(output.trim().endsWith('}204'), 'delete answers 204')
  })

  t.test('the accounts example: isolation and API keys', async (t) => {
    const [block] = shellBlocks('Accounts, API keys and isolation')
    const [denied, viaKey] = jsonLines(run(server, block as string))
    t.same(denied, { code: 20404, message: 'The requested resource /v2/Services/VAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa was not found', more_info: 'https://www.twilio.com/docs/errors/20404', status: 404 })
    t.ok(validateWebhookList(viaKey), errorsOf(validateWebhookList))
  })
})
