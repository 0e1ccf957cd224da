// Reads the parameters of a control request. Control routes take form bodies (every value a string,
// as Twilio's API), JSON bodies (numbers and booleans too) and query strings alike; every bad or
// unknown parameter becomes a Twilio-shaped 400 naming it.
import { TwilioApiError } from '../errors.js'

/** 400/60200 naming the parameter, with what was expected. */
export function badParameter (name: string, expected: string): TwilioApiError {
  return new TwilioApiError(400, 60200, `Invalid parameter: ${name} (${expected})`)
}

export function missingControlParameter (name: string): TwilioApiError {
  return new TwilioApiError(400, 20001, `Missing required parameter ${name}`)
}

type Source = Record<string, unknown>

export class ControlParams {
  private readonly values: Source

  /** Merges the sources (query first, then body); a name given in both is taken from the body. */
  constructor (allowed: readonly string[], ...sources: unknown[]) {
    const values: Source = {}
    for (const source of sources) {
      if (source === undefined || source === null) continue
      if (typeof source !== 'object' || Array.isArray(source)) throw new TwilioApiError(400, 20001, 'Invalid request body: expected an object of parameters')
      for (const [name, value] of Object.entries(source)) {
        if (!allowed.includes(name)) throw badParameter(name, `unknown parameter; expected ${allowed.join(', ')}`)
        values[name] = value
      }
    }
    this.values = values
  }

  has (name: string): boolean {
    return this.values[name] !== undefined && this.values[name] !== ''
  }

  private scalar (name: string, expected: string): string | number | boolean | undefined {
    const value = this.values[name]
    if (value === undefined || value === '') return undefined
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value
    throw badParameter(name, expected)
  }

  string (name: string, expected = 'a non-empty string'): string | undefined {
    const value = this.scalar(name, expected)
    if (value === undefined) return undefined
    if (typeof value !== 'string') throw badParameter(name, expected)
    return value
  }

  oneOf<T extends string> (name: string, allowed: readonly T[], normalize: (raw: string) => string = (raw) => raw): T | undefined {
    const expected = `one of ${allowed.join(', ')}`
    const raw = this.string(name, expected)
    if (raw === undefined) return undefined
    const value = normalize(raw)
    if (!(allowed as readonly string[]).includes(value)) throw badParameter(name, expected)
    return value as T
  }

  integer (name: string, min: number, max: number): number | undefined {
    const expected = `an integer from ${min} to ${max}`
    const value = this.scalar(name, expected)
    if (value === undefined) return undefined
    const number = typeof value === 'number' ? value : (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN)
    if (!Number.isSafeInteger(number) || number < min || number > max) throw badParameter(name, expected)
    return number
  }

  fraction (name: string): number | undefined {
    const expected = 'a number from 0 to 1'
    const value = this.scalar(name, expected)
    if (value === undefined) return undefined
    const number = typeof value === 'number' ? value : (typeof value === 'string' && /^(0|1|0?\.\d+|[01]\.0*)$/.test(value) ? Number(value) : NaN)
    if (!Number.isFinite(number) || number < 0 || number > 1) throw badParameter(name, expected)
    return number
  }

  boolean (name: string): boolean | undefined {
    const expected = 'true or false'
    const value = this.scalar(name, expected)
    if (value === undefined || typeof value === 'boolean') return value
    if (value === 'true') return true
    if (value === 'false') return false
    throw badParameter(name, expected)
  }

  /** An ISO 8601 date (UTC midnight) or date-time with its zone (e.g. 2026-11-28T10:00:00Z), as epoch milliseconds. */
  date (name: string): number | undefined {
    const expected = 'an ISO 8601 date such as 2026-11-28T10:00:00Z'
    const raw = this.string(name, expected)
    if (raw === undefined) return undefined
    const ms = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(raw) ? Date.parse(raw) : NaN
    if (Number.isNaN(ms)) throw badParameter(name, expected)
    return ms
  }
}

/** For routes without parameters: anything sent is a typo worth reporting. */
export function expectNoParameters (...sources: unknown[]): void {
  const params = new ControlParams([], ...sources)
  void params
}
