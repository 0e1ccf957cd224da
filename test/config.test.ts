import t from 'tap'
import { ConfigError, DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, helpText, loadConfig, SETTINGS } from '../src/config.js'

t.test('defaults make a bare start work', async (t) => {
  const config = loadConfig({}, [])
  t.equal(config.port, 4010)
  t.equal(config.host, '127.0.0.1')
  t.equal(config.logLevel, 'info')
  t.equal(config.accountSid, DEFAULT_ACCOUNT_SID)
  t.equal(config.authToken, DEFAULT_AUTH_TOKEN)
  t.equal(config.publicBaseUrl, undefined)
  t.equal(config.strictServices, false)
})

t.test('env variables are read and flags win over them', async (t) => {
  const config = loadConfig({ PORT: '5000', HOST: '0.0.0.0', LOG_LEVEL: 'warn', TWILIO_ACCOUNT_SID: 'AC' + 'f'.repeat(32), TWILIO_AUTH_TOKEN: 'tok', PUBLIC_BASE_URL: 'https://verify.twilio.com/', STRICT_SERVICES: 'true' }, ['--port', '6000', '--log-level=error'])
  t.equal(config.port, 6000)
  t.equal(config.host, '0.0.0.0')
  t.equal(config.logLevel, 'error')
  t.equal(config.accountSid, 'AC' + 'f'.repeat(32))
  t.equal(config.authToken, 'tok')
  t.equal(config.publicBaseUrl, 'https://verify.twilio.com')
  t.equal(config.strictServices, true)
})

t.test('a bad value is one line naming the variable or flag', async (t) => {
  const cases: Array<[Record<string, string>, string[], string]> = [
    [{ PORT: 'abc' }, [], 'Invalid PORT="abc": expected an integer from 0 to 65535'],
    [{ PORT: '70000' }, [], 'Invalid PORT="70000": expected an integer from 0 to 65535'],
    [{ LOG_LEVEL: 'loud' }, [], 'Invalid LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent'],
    [{ TWILIO_ACCOUNT_SID: 'AC123' }, [], 'Invalid TWILIO_ACCOUNT_SID="AC123": expected AC followed by 32 hex digits'],
    [{ PUBLIC_BASE_URL: 'https://x.example/path' }, [], 'Invalid PUBLIC_BASE_URL="https://x.example/path": expected an origin only (scheme, host and optional port), without a path'],
    [{ PUBLIC_BASE_URL: 'ftp://x' }, [], 'Invalid PUBLIC_BASE_URL="ftp://x": expected an http or https URL'],
    [{ STRICT_SERVICES: 'yes' }, [], 'Invalid STRICT_SERVICES="yes": expected true or false'],
    [{}, ['--port', 'x'], 'Invalid --port="x": expected an integer from 0 to 65535'],
    [{}, ['--nope', '1'], 'Unknown option --nope (see --help)'],
    [{}, ['--port'], 'Option --port needs a value']
  ]
  for (const [env, argv, message] of cases) {
    t.throws(() => loadConfig(env, argv), new ConfigError(message), message)
  }
})

t.test('--help lists every setting with its flag, variable and default', async (t) => {
  const help = helpText()
  for (const s of SETTINGS) {
    t.match(help, new RegExp(`${s.flag}\\s+${s.env}\\s+default ${s.default === undefined ? '\\(unset\\)' : String(s.default).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), s.env)
  }
})
