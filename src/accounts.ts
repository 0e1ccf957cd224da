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

function digest (secret: string): Buffer {
  return createHash('sha256').update(secret).digest()
}

// Compared against when the user name is unknown, so a miss costs the same as a wrong secret.
const DUMMY = digest('verify-webhooks-emulator: no such credential')

export class AccountRegistry {
  private readonly accounts = new Map<string, Account>()
  private readonly credentials = new Map<string, Credential>()

  constructor (accounts: readonly Account[] = []) {
    for (const account of accounts) this.add(account)
  }

  /** Adds or replaces an account and its API keys. */
  add (account: Account): void {
    const previous = this.accounts.get(account.sid)
    if (previous !== undefined) for (const key of previous.apiKeys ?? []) this.credentials.delete(key.sid)
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
}
