// The only module that reads configuration from the environment (and the command line, which mirrors it).
// Every setting is declared once in SETTINGS: its variable, its flag, its default and how it is parsed,
// so `--help`, `.env.example` and validation never drift apart.

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export interface Config {
  port: number
  host: string
  logLevel: LogLevel
  accountSid: string
  authToken: string
  /** Origin used for every absolute URL in responses; undefined = the origin the client addressed. */
  publicBaseUrl: string | undefined
  /** When true, a Service must be created (or seeded) before use, as on Twilio. */
  strictServices: boolean
  /** Per delivery attempt (connect to end of response); also the shutdown grace period for deliveries. */
  deliveryTimeoutMs: number
  /** Extra attempts for a failed delivery (0: one attempt only, as Twilio documents no retries). */
  deliveryRetries: number
  /** Delay before retry n: deliveryBackoffMs · 2^(n-1). */
  deliveryBackoffMs: number
  /** Most delivery attempts in flight at once; the rest wait in a queue. */
  deliveryConcurrency: number
  /** Most deliveries waiting or in flight at once; an event's deliveries beyond it are cancelled. */
  deliveryQueueLimit: number
  /** Most deliveries kept in the log per account; the oldest are dropped first. */
  deliveryLogLimit: number
  /** Path of a JSON seed file (accounts, services, webhooks) loaded at start. */
  fixtures: string | undefined
  /** Path of a JSON file (fixture format) loaded at start and rewritten after every change. */
  stateFile: string | undefined
  /** Requests kept per account in the request journal (GET /__emulator/requests); 0 turns it off. */
  journalLimit: number
  /** Secret that lets a control request act on every account (e.g. reset all); undefined = disabled. */
  adminToken: string | undefined
  /** Longest time a client may take to send a whole request (headers and body); then 408 and close. */
  requestTimeoutMs: number
  /** Longest time a client may take to send the request line and headers; then 408 and close. */
  headersTimeoutMs: number
}

export const DEFAULT_ACCOUNT_SID = 'ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
export const DEFAULT_AUTH_TOKEN = 'emulator-auth-token'

export const ACCOUNT_SID_PATTERN = /^AC[0-9a-fA-F]{32}$/

export class ConfigError extends Error {
  override name = 'ConfigError'
}

interface Setting<K extends keyof Config> {
  key: K
  env: string
  flag: string
  default: Config[K]
  /** Shown in --help and .env.example. */
  describe: string
  parse: (raw: string) => Config[K]
}

function setting<K extends keyof Config> (s: Setting<K>): Setting<K> {
  return s
}

function integerIn (min: number, max: number) {
  return (raw: string): number => {
    if (!/^\d+$/.test(raw)) throw new ConfigError(`expected an integer from ${min} to ${max}`)
    const value = Number(raw)
    if (value < min || value > max) throw new ConfigError(`expected an integer from ${min} to ${max}`)
    return value
  }
}

function nonEmpty (raw: string): string {
  if (raw.trim() === '') throw new ConfigError('must not be empty')
  return raw
}

function boolean (raw: string): boolean {
  if (raw === 'true' || raw === '1') return true
  if (raw === 'false' || raw === '0') return false
  throw new ConfigError('expected true or false')
}

function origin (raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError('expected an absolute http(s) URL such as https://verify.twilio.com')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('expected an http or https URL')
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    throw new ConfigError('expected an origin only (scheme, host and optional port), without a path')
  }
  return url.origin
}

export const SETTINGS = [
  setting({ key: 'port', env: 'PORT', flag: '--port', default: 4010, describe: 'TCP port to listen on (0 picks a free port)', parse: integerIn(0, 65535) }),
  setting({ key: 'host', env: 'HOST', flag: '--host', default: '127.0.0.1', describe: 'Interface to bind (0.0.0.0 in containers)', parse: nonEmpty }),
  setting({
    key: 'logLevel',
    env: 'LOG_LEVEL',
    flag: '--log-level',
    default: 'info' as LogLevel,
    describe: `pino log level: ${LOG_LEVELS.join(', ')}`,
    parse: (raw: string): LogLevel => {
      if (!(LOG_LEVELS as readonly string[]).includes(raw)) throw new ConfigError(`expected one of ${LOG_LEVELS.join(', ')}`)
      return raw as LogLevel
    }
  }),
  setting({
    key: 'accountSid',
    env: 'TWILIO_ACCOUNT_SID',
    flag: '--account-sid',
    default: DEFAULT_ACCOUNT_SID,
    describe: 'Account SID of the default account (HTTP Basic user name)',
    parse: (raw: string): string => {
      if (!ACCOUNT_SID_PATTERN.test(raw)) throw new ConfigError('expected AC followed by 32 hex digits')
      return raw
    }
  }),
  setting({ key: 'authToken', env: 'TWILIO_AUTH_TOKEN', flag: '--auth-token', default: DEFAULT_AUTH_TOKEN, describe: 'Auth Token of the default account (HTTP Basic password; also signs deliveries)', parse: nonEmpty }),
  setting({
    key: 'publicBaseUrl',
    env: 'PUBLIC_BASE_URL',
    flag: '--public-base-url',
    default: undefined as string | undefined,
    describe: 'Origin for absolute URLs in responses (e.g. https://verify.twilio.com); default: the origin the client addressed',
    parse: origin
  }),
  setting({
    key: 'strictServices',
    env: 'STRICT_SERVICES',
    flag: '--strict-services',
    default: false,
    describe: 'true: unknown Service SIDs answer 404 (as on Twilio); false: a Service is created on first use',
    parse: boolean
  }),
  setting({
    key: 'fixtures',
    env: 'FIXTURES',
    flag: '--fixtures',
    default: undefined as string | undefined,
    describe: 'Path of a JSON seed file with accounts, services and webhooks (see fixtures/example.json)',
    parse: nonEmpty
  }),
  setting({
    key: 'stateFile',
    env: 'STATE_FILE',
    flag: '--state-file',
    default: undefined as string | undefined,
    describe: 'Path of a JSON file that keeps services and webhooks across restarts (loaded at start, rewritten atomically after changes)',
    parse: nonEmpty
  }),
  setting({
    key: 'journalLimit',
    env: 'JOURNAL_LIMIT',
    flag: '--journal-limit',
    default: 1000,
    describe: 'Requests kept per account in the request journal (GET /__emulator/requests); 0 turns the journal off',
    parse: integerIn(0, 1_000_000)
  }),
  setting({
    key: 'adminToken',
    env: 'EMULATOR_ADMIN_TOKEN',
    flag: '--admin-token',
    default: undefined as string | undefined,
    describe: 'Secret sent as X-Emulator-Admin-Token to reset every account at once; unset = disabled',
    parse: nonEmpty
  }),
  setting({
    key: 'deliveryTimeoutMs',
    env: 'DELIVERY_TIMEOUT_MS',
    flag: '--delivery-timeout-ms',
    default: 5000,
    describe: 'Timeout of one event delivery attempt, in ms (also the shutdown grace period for deliveries)',
    parse: integerIn(1, 600_000)
  }),
  setting({
    key: 'deliveryRetries',
    env: 'DELIVERY_RETRIES',
    flag: '--delivery-retries',
    default: 0,
    describe: 'Retries of a failed event delivery (Twilio documents none, so 0)',
    parse: integerIn(0, 20)
  }),
  setting({
    key: 'deliveryBackoffMs',
    env: 'DELIVERY_BACKOFF_MS',
    flag: '--delivery-backoff-ms',
    default: 1000,
    describe: 'Delay before the first retry, in ms; it doubles for each further retry',
    parse: integerIn(0, 3_600_000)
  }),
  setting({
    key: 'deliveryConcurrency',
    env: 'DELIVERY_CONCURRENCY',
    flag: '--delivery-concurrency',
    default: 64,
    describe: 'Most event deliveries in flight at once; more wait in a queue',
    parse: integerIn(1, 10_000)
  }),
  setting({
    key: 'deliveryQueueLimit',
    env: 'DELIVERY_QUEUE_LIMIT',
    flag: '--delivery-queue-limit',
    default: 100_000,
    describe: 'Most event deliveries waiting or in flight at once; more are cancelled (bounds memory)',
    parse: integerIn(1, 10_000_000)
  }),
  setting({
    key: 'deliveryLogLimit',
    env: 'DELIVERY_LOG_LIMIT',
    flag: '--delivery-log-limit',
    default: 10_000,
    describe: 'Deliveries kept in the log per account; the oldest are dropped first',
    parse: integerIn(1, 1_000_000)
  }),
  setting({
    key: 'requestTimeoutMs',
    env: 'REQUEST_TIMEOUT_MS',
    flag: '--request-timeout-ms',
    default: 30_000,
    describe: 'Longest time a client may take to send a whole request, in ms; slower clients get 408 and are disconnected',
    parse: integerIn(1, 3_600_000)
  }),
  setting({
    key: 'headersTimeoutMs',
    env: 'HEADERS_TIMEOUT_MS',
    flag: '--headers-timeout-ms',
    default: 10_000,
    describe: 'Longest time a client may take to send the request headers, in ms (at most REQUEST_TIMEOUT_MS)',
    parse: integerIn(1, 3_600_000)
  })
] as const

export const DEFAULT_CONFIG: Config = Object.fromEntries(SETTINGS.map((s) => [s.key, s.default])) as unknown as Config

/**
 * Reads the configuration from environment variables, then command-line flags (`--port 4010` or
 * `--port=4010`), which win. Throws ConfigError with one line naming the variable or flag at fault.
 */
export function loadConfig (env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = []): Config {
  const config: Record<string, unknown> = { ...DEFAULT_CONFIG }
  const flags = parseFlags(argv)
  for (const s of SETTINGS) {
    const fromFlag = flags.get(s.flag)
    const fromEnv = env[s.env]
    const raw = fromFlag ?? (fromEnv === '' ? undefined : fromEnv)
    if (raw === undefined) continue
    const source = fromFlag !== undefined ? s.flag : s.env
    try {
      config[s.key] = s.parse(raw)
    } catch (err) {
      const why = err instanceof ConfigError ? err.message : String(err)
      throw new ConfigError(`Invalid ${source}=${JSON.stringify(raw)}: ${why}`)
    }
  }
  return config as unknown as Config
}

function parseFlags (argv: readonly string[]): Map<string, string> {
  const known = new Set<string>(SETTINGS.map((s) => s.flag))
  const flags = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    const eq = arg.indexOf('=')
    const name = eq === -1 ? arg : arg.slice(0, eq)
    if (!known.has(name)) throw new ConfigError(`Unknown option ${name} (see --help)`)
    let value: string | undefined
    if (eq !== -1) {
      value = arg.slice(eq + 1)
    } else {
      value = argv[i + 1]
      i++
    }
    if (value === undefined) throw new ConfigError(`Option ${name} needs a value`)
    flags.set(name, value)
  }
  return flags
}

/** The text of `--help`: every flag with its variable and default. */
export function helpText (): string {
  const lines = ['Usage: verify-webhooks-emulator [options]', '', 'Every option can also be set by its environment variable; flags win.', '']
  for (const s of SETTINGS) {
    const def = s.default === undefined ? '(unset)' : String(s.default)
    lines.push(`  ${s.flag.padEnd(20)} ${s.env.padEnd(22)} default ${def}`)
    lines.push(`  ${''.padEnd(20)} ${s.describe}`)
  }
  lines.push('  --help               print this text and exit')
  return lines.join('\n')
}
