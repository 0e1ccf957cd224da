// An account's state (services and webhooks) in the fixture format, and replacing it from that format.
// A replacement is validated completely before anything is cleared, so a bad document changes nothing.
import { toEpochSeconds } from '../clock.js'
import type { EmulatorContext } from '../context.js'
import { exportAccount, FixtureError, parseFixtures, seedAccount, type AccountFixture, type Fixtures } from '../fixtures.js'

/** A state document is a fixtures file: `{ accounts: [{ sid, services: [...] }] }`, without credentials. */
export function exportState (context: EmulatorContext, accountSids: readonly string[]): Fixtures {
  return { accounts: accountSids.map((sid) => exportAccount(context.repository, sid)) }
}

/**
 * Validates a state document. `source` prefixes errors; `allowedAccounts` (when given) are the only
 * accounts it may hold. Credentials are refused: state is data, and secrets stay where they were configured.
 */
export function parseState (data: unknown, source: string, allowedAccounts?: ReadonlySet<string>): AccountFixture[] {
  const { accounts } = parseFixtures(data, source)
  accounts.forEach((account, i) => {
    const where = `${source}: accounts[${i}]`
    if (allowedAccounts !== undefined && !allowedAccounts.has(account.sid)) {
      throw new FixtureError(`${where}: "sid" must be the calling account (${[...allowedAccounts].join(', ')}), not ${account.sid}`)
    }
    if (account.auth_token !== undefined || (account.api_keys ?? []).length > 0) {
      throw new FixtureError(`${where}: credentials ("auth_token", "api_keys") are not part of state; configure them with TWILIO_AUTH_TOKEN or FIXTURES`)
    }
  })
  return accounts
}

/** Throws when a Service SID in the new state already belongs to an account not being replaced. */
function checkServiceOwners (context: EmulatorContext, accounts: readonly AccountFixture[], source: string, emptied: readonly string[]): void {
  const replaced = new Set([...emptied, ...accounts.map((account) => account.sid)])
  accounts.forEach((account, i) => {
    account.services?.forEach((service, j) => {
      const owner = context.repository.serviceOwner(service.sid)
      if (owner !== undefined && !replaced.has(owner)) {
        throw new FixtureError(`${source}: accounts[${i}].services[${j}]: service ${service.sid} already belongs to another account`)
      }
    })
  })
}

/**
 * Replaces the services and webhooks of every account in `accounts` (and of `emptied`, which end up with
 * none). Throws FixtureError, before changing anything, when a Service SID belongs to another account.
 */
export function replaceState (context: EmulatorContext, accounts: readonly AccountFixture[], source: string, emptied: readonly string[] = []): void {
  checkServiceOwners(context, accounts, source, emptied)
  // Each account once, though the caller's may be both emptied and given new state.
  for (const sid of new Set([...emptied, ...accounts.map((account) => account.sid)])) context.repository.clearAccount(sid)
  const now = toEpochSeconds(context.clock())
  for (const account of accounts) seedAccount(context.repository, account, now)
}
