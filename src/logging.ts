// The default logger's fast paths: pino JSON lines on stdout, one line per request, at a fraction of the
// cost of formatting each line through pino (measured by npm run bench; see README "Performance").
import { hostname } from 'node:os'
import pino, { type Bindings, type ChildLoggerOptions } from 'pino'
import type { FastifyBaseLogger } from 'fastify'
import { jsonString, rememberingLast } from './json.js'

export interface LineDestination { write: (line: string) => void }
let stdoutDestination: LineDestination | undefined

/** Longest a line waits before it is written. */
const FLUSH_INTERVAL_MS = 20
/** Bytes of pending lines: a line that could take more than the room left is written after a flush. */
const FLUSH_SIZE = 64 * 1024

/**
 * The default log destination: stdout, with the lines of the last few milliseconds written together.
 * pino's default destination made one write(2) per request line, and writing once per turn of the event
 * loop still cost a write and a scheduled callback per request or two under load; now a line waits at
 * most FLUSH_INTERVAL_MS (or until FLUSH_SIZE bytes are pending) and leaves with its neighbours
 * (pino's asynchronous destination cost more CPU per line than the synchronous one, and its minLength
 * buffering would hold a lone line indefinitely). Each line is copied into a byte buffer as it comes:
 * gathered as one string instead, the lines were joined and measured at flush time, when their pieces had
 * left the CPU caches (~2 µs per request line in a profile of npm run bench's fetch case). The lines still
 * pending when the process exits (process.exit included) are written synchronously then. One
 * destination for every app of the process.
 */
export function batchedStdout (): LineDestination {
  if (stdoutDestination !== undefined) return stdoutDestination
  // Buffers, not strings: the pending bytes are handed over as they are (sonic-boom keeps a buffer it
  // could not write at once, so each flush hands over its own and the next lines go into a new one).
  const out = pino.destination({ dest: 1, sync: true, contentMode: 'buffer' }) as unknown as { write: (chunk: Buffer) => boolean }
  let pending = Buffer.allocUnsafe(FLUSH_SIZE)
  let used = 0
  let timer: NodeJS.Timeout | undefined
  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    if (used === 0) return
    const chunk = pending.subarray(0, used)
    pending = Buffer.allocUnsafe(FLUSH_SIZE)
    used = 0
    out.write(chunk)
  }
  process.once('exit', flush)
  stdoutDestination = {
    write (line: string) {
      // A UTF-16 unit takes at most 3 bytes in UTF-8: a line that may not fit goes after a flush, and a
      // line longer than the whole buffer goes out on its own.
      if (used + line.length * 3 > FLUSH_SIZE) {
        flush()
        if (line.length * 3 > FLUSH_SIZE) {
          out.write(Buffer.from(line, 'utf8'))
          return
        }
      }
      used += pending.write(line, used, 'utf8')
      if (timer === undefined) timer = setTimeout(flush, FLUSH_INTERVAL_MS).unref()
    }
  }
  return stdoutDestination
}

export type RequestLineWriter = (reqId: string, method: string, url: string, statusCode: number, ms: number) => void

/**
 * The per-request line of the default logger, written to its destination without going through pino:
 * with pino (a child logger per request, then its generic serializer and the redaction it is configured
 * with, which never applies to these keys) the line cost ~20 µs of server CPU per request on the bench
 * machine, ~5 µs this way. The bytes are pino's own for this logger configuration (level 30, time, pid
 * and hostname, the request's reqId, the four fields, msg): keep them in step with the `logger` options
 * in buildApp.
 */
export function requestLineWriter (destination: LineDestination): RequestLineWriter {
  const bindings = `,"pid":${process.pid},"hostname":${JSON.stringify(hostname())},"reqId":`
  // Requests in a row often share their URL (creates in one Service, polls of one resource): its JSON is
  // remembered instead of scanned again (~0.2 µs for a create's URL on the bench machine).
  const urlJson = rememberingLast(jsonString)
  return (reqId, method, url, statusCode, ms) => {
    // reqId is a generated SID (Fastify takes no request id from headers unless configured to) and the
    // method an HTTP token (Node's parser accepts no other): neither can need escaping; the URL can.
    destination.write('{"level":30,"time":' + Date.now() + bindings + '"' + reqId + '","method":"' + method + '","url":' + urlJson(url) + ',"statusCode":' + statusCode + ',"ms":' + ms + ',"msg":"request"}\n')
  }
}

/**
 * request.log under the default logger: Fastify asks the root logger's child() for it on every request,
 * and the pino child bound to the request's reqId is made only on first use (an error to log, a warning);
 * the per-request line above does not need it. The root's child() is replaced rather than given to Fastify
 * as a childLoggerFactory: Fastify checks every logger a factory of ours returns for its seven methods
 * (~0.35 µs per request on the bench machine). Every child of the root is deferred this way.
 */
export function deferChildLoggers (root: FastifyBaseLogger): void {
  const makeChild = root.child.bind(root)
  const deferredChild = (bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger =>
    new DeferredChildLogger(root, makeChild, bindings, options ?? {}) as unknown as FastifyBaseLogger
  root.child = deferredChild as FastifyBaseLogger['child']
}

type ChildMaker = (bindings: Bindings, options: ChildLoggerOptions) => FastifyBaseLogger

class DeferredChildLogger {
  private made: FastifyBaseLogger | undefined
  constructor (private readonly parent: FastifyBaseLogger, private readonly makeChild: ChildMaker, private readonly bindings: Bindings, private readonly options: ChildLoggerOptions) {}

  private get logger (): FastifyBaseLogger {
    if (this.made === undefined) this.made = this.makeChild(this.bindings, this.options)
    return this.made
  }

  get level (): string { return this.made?.level ?? this.options.level ?? this.parent.level }
  set level (level: string) { this.logger.level = level }
  fatal (...args: unknown[]): void { Reflect.apply(this.logger.fatal, this.logger, args) }
  error (...args: unknown[]): void { Reflect.apply(this.logger.error, this.logger, args) }
  warn (...args: unknown[]): void { Reflect.apply(this.logger.warn, this.logger, args) }
  info (...args: unknown[]): void { Reflect.apply(this.logger.info, this.logger, args) }
  debug (...args: unknown[]): void { Reflect.apply(this.logger.debug, this.logger, args) }
  trace (...args: unknown[]): void { Reflect.apply(this.logger.trace, this.logger, args) }
  silent (...args: unknown[]): void { Reflect.apply(this.logger.silent, this.logger, args) }
  child (bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger { return this.logger.child(bindings, options) }
}
