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
  /** Path of a JSON seed file (accounts, services, webhooks) loaded at start. */
  fixtures: string | undefined
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
