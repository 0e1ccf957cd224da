// STATE_FILE: every account's services and webhooks, loaded at start (after FIXTURES, replacing the data
// of the accounts it holds) and rewritten after changes: coalesced to at most one write per interval,
// atomically, and once more when the app closes. It holds data only; credentials stay in the config.
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import type { EmulatorContext } from '../context.js'
import { FixtureError } from '../fixtures.js'
import { temporaryPathOf, writeFileAtomic } from './atomic-write.js'
import { notifyingRepository } from './notifying-repository.js'
import { accountsWithData } from './reset.js'
import { exportState, parseState, replaceState } from './state.js'

/** Longest time between a change and the write that holds it (plus the write itself). */
export const STATE_FILE_INTERVAL_MS = 100

const DESCRIPTION = 'verify-webhooks-emulator state (STATE_FILE): services and webhooks per account, in the fixtures format, without credentials'

/** Loads the file when it exists; throws FixtureError (one line naming the file) when it cannot be used. */
export function loadStateFile (context: EmulatorContext, path: string): void {
  const folder = dirname(path)
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new FixtureError(`STATE_FILE ${path}: folder ${folder} does not exist`)
  // A write cut short by a crash leaves its temporary file; the real file is intact.
  rmSync(temporaryPathOf(path), { force: true })
  if (!existsSync(path)) return
  let data: unknown
  try {
    data = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new FixtureError(`STATE_FILE ${path}: cannot be read as JSON: ${(err as Error).message}`)
  }
  const accounts = parseState(data, path)
  replaceState(context, accounts, path)
  for (const account of accounts) {
    if (context.accounts.get(account.sid) === undefined) context.dataOnlyAccounts.add(account.sid)
  }
}

/** Coalesces change notifications into atomic writes, at most one per interval, never two at once. */
export class StateFileWriter {
  private timer: NodeJS.Timeout | null = null
  private writing: Promise<void> | null = null
  private dirty = false
  private closed = false

  constructor (
    private readonly path: string,
    private readonly render: () => string,
    private readonly log: FastifyBaseLogger,
    private readonly intervalMs = STATE_FILE_INTERVAL_MS
  ) {}

  changed (): void {
    this.dirty = true
    this.schedule()
  }

  private schedule (): void {
    if (this.timer !== null || this.writing !== null || this.closed) return
    this.timer = setTimeout(() => {
      this.timer = null
      void this.flush()
    }, this.intervalMs)
    // Shutdown flushes explicitly (close); a pending write must not keep a test process alive.
    this.timer.unref()
  }

  /** Writes the current state if it changed since the last write. */
  async flush (): Promise<void> {
    while (this.writing !== null) await this.writing
    if (!this.dirty) return
    this.dirty = false
    // Rendered synchronously: the file is a snapshot of one moment, between two requests.
    const write = writeFileAtomic(this.path, this.render()).then(() => true, (err: unknown) => {
      this.dirty = true
      this.log.error({ err, path: this.path }, 'cannot write STATE_FILE; will retry after the next change')
      return false
    })
    this.writing = write.then(() => undefined)
    const written = await write
    this.writing = null
    if (written && this.dirty) this.schedule()
  }

  /** Final write; later changes are not written. */
  async close (): Promise<void> {
    this.closed = true
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    await this.flush()
  }
}

/**
 * Keeps STATE_FILE written: the repository is wrapped so that every change schedules a write, and the
 * app's close writes the last changes. Call after loadStateFile and before routes are registered (they
 * keep a reference to the repository).
 */
export function keepStateFile (app: FastifyInstance, context: EmulatorContext, path: string): void {
  const render = (): string => JSON.stringify({ description: DESCRIPTION, ...exportState(context, accountsWithData(context)) }, null, 2) + '\n'
  const writer = new StateFileWriter(path, render, app.log)
  context.repository = notifyingRepository(context.repository, () => { writer.changed() })
  app.addHook('onClose', async () => { await writer.close() })
}
