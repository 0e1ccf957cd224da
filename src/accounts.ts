// Accounts the emulator knows: each has an Auth Token and optional API Keys (SK… + secret) that
// authenticate as that account, as on Twilio. Secrets are compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto'

export interface ApiKey {
  sid: string
  secret: string
}

export interface Account {
  sid: string
  authToken: string
  apiKeys?: readonly ApiKey[]
}

interface Credential {
  accountSid: string
  digest: Buffer
}

/** SHA-256 of a secret: equal-length values that timingSafeEqual can compare in constant time. */
export function digest (secret: string): Buffer {
  return createHash('sha256').update(secret).digest()
}

// Compared against when the user name is unknown, so a miss costs the same as a wrong secret.
const DUMMY = digest('verify-webhooks-emulator: no such credential')

/** Most Authorization header values remembered as verified; past it the cache starts over. */
const VERIFIED_HEADERS_LIMIT = 1024

export class AccountRegistry {
  private readonly accounts = new Map<string, Account>()
  private readonly credentials = new Map<string, Credential>()
  // Authorization header values already verified → account SID, so a client repeating its header skips
  // the base64 decoding and the sha256 of the secret. Only successes are kept, looked up by hash on the
  // whole value: a wrong or unknown secret always takes the full constant-time path in authenticate().
  private readonly verifiedHeaders = new Map<string, string>()

  constructor (accounts: readonly Account[] = []) {
    for (const account of accounts) this.add(account)
  }

  /** Adds or replaces an account and its API keys. */
  add (account: Account): void {
    const previous = this.accounts.get(account.sid)
    if (previous !== undefined) for (const key of previous.apiKeys ?? []) this.credentials.delete(key.sid)
    // Credentials change: headers verified against the old ones must be checked again.
    this.verifiedHeaders.clear()
    this.accounts.set(account.sid, account)
    this.credentials.set(account.sid, { accountSid: account.sid, digest: digest(account.authToken) })
    for (const key of account.apiKeys ?? []) this.credentials.set(key.sid, { accountSid: account.sid, digest: digest(key.secret) })
  }

  get (accountSid: string): Account | undefined {
    return this.accounts.get(accountSid)
  }

  list (): Account[] {
    return [...this.accounts.values()]
  }

  /** The account a user name (Account SID or API Key SID) and secret authenticate as, if any. */
  authenticate (username: string, secret: string): string | undefined {
    const credential = this.credentials.get(username)
    const matches = timingSafeEqual(digest(secret), credential?.digest ?? DUMMY)
    return credential !== undefined && matches ? credential.accountSid : undefined
  }

  /** The account an Authorization header value was verified as (see rememberHeader), if any. */
  verifiedHeader (authorization: string): string | undefined {
    return this.verifiedHeaders.get(authorization)
  }

  /** Remembers an Authorization header value that authenticate() accepted as `accountSid`. */
  rememberHeader (authorization: string, accountSid: string): void {
    if (this.verifiedHeaders.size >= VERIFIED_HEADERS_LIMIT) this.verifiedHeaders.clear()
    this.verifiedHeaders.set(authorization, accountSid)
  }
}
