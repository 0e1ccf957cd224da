#!/usr/bin/env node
// CLI entry (package.json bin, Docker CMD): read config, listen, shut down gracefully on SIGTERM/SIGINT.
import { buildApp } from './app.js'
import { FixtureError } from './fixtures.js'
import { ConfigError, DEFAULT_AUTH_TOKEN, helpText, loadConfig, type Config } from './config.js'

/** Longest wait for in-flight requests on shutdown before exiting anyway. */
const SHUTDOWN_GRACE_MS = 10_000

function fail (message: string): never {
  process.stderr.write(`verify-webhooks-emulator: ${message}\n`)
  process.exit(1)
}

function readConfig (): Config {
  try {
    return loadConfig(process.env, process.argv.slice(2))
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message)
    throw err
  }
}

if (process.argv.includes('--help')) {
  process.stdout.write(helpText() + '\n')
  process.exit(0)
}

const config = readConfig()
const app = await buildApp(config).catch((err: unknown) => {
  if (err instanceof FixtureError) fail(err.message)
  throw err
})

// The default token is public (it is in the README); a token of the user's own is not logged.
const token = config.authToken === DEFAULT_AUTH_TOKEN ? config.authToken : '(the value of TWILIO_AUTH_TOKEN)'
try {
  await app.listen({
    port: config.port,
    host: config.host,
    // The one start line: where it listens and which credentials to use.
    listenTextResolver: (address) => `verify-webhooks-emulator listening on ${address}; authenticate as ${config.accountSid} with token ${token}`
  })
} catch (err) {
  fail(`cannot listen on ${config.host}:${config.port}: ${(err as Error).message}`)
}

let closing = false
async function shutdown (signal: string): Promise<void> {
  if (closing) {
    app.log.warn({ signal }, 'second signal: exiting now')
    process.exit(1)
  }
  closing = true
  app.log.info({ signal }, 'shutting down: finishing in-flight requests')
  const timer = setTimeout(() => {
    app.log.error('shutdown grace period over: exiting')
    process.exit(1)
  }, SHUTDOWN_GRACE_MS)
  timer.unref()
  await app.close()
  app.log.info('stopped')
  process.exit(0)
}

process.on('SIGTERM', (signal) => { void shutdown(signal) })
process.on('SIGINT', (signal) => { void shutdown(signal) })
