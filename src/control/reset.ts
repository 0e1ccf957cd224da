// Reset: an account goes back to its fixtures, with an empty journal, no faults and no deliveries.
// Every step is synchronous, so no request is ever handled between the clear and the re-seed.
import { toEpochSeconds } from '../clock.js'
import type { EmulatorContext } from '../context.js'
import { TwilioApiError } from '../errors.js'
import { seedAccount } from '../fixtures.js'

/** Every account that can hold data: the configured ones and those loaded from a state file. */
export function accountsWithData (context: EmulatorContext): string[] {
  const sids = new Set(context.accounts.list().map((account) => account.sid))
  for (const sid of context.dataOnlyAccounts) sids.add(sid)
  return [...sids]
}

function forget (context: EmulatorContext, accountSid: string): void {
  context.repository.clearAccount(accountSid)
  context.journal.clear(accountSid)
  context.faults.clear(accountSid)
  context.deliveries.clearAccount(accountSid)
}

function seedFixtures (context: EmulatorContext, accountSid: string): void {
  const fixture = context.fixtures.get(accountSid)
  if (fixture !== undefined) seedAccount(context.repository, fixture, toEpochSeconds(context.clock()))
}

export function resetAccount (context: EmulatorContext, accountSid: string): void {
  // A fixture Service SID that another account has taken since (by using it) cannot be re-seeded:
  // refuse before changing anything.
  for (const service of context.fixtures.get(accountSid)?.services ?? []) {
    const owner = context.repository.serviceOwner(service.sid)
    if (owner !== undefined && owner !== accountSid) {
      throw new TwilioApiError(409, 20409, `Conflict: fixture service ${service.sid} of this account is now used by another account; reset that account first`)
    }
  }
  forget(context, accountSid)
  seedFixtures(context, accountSid)
}

/** Resets every account; returns their SIDs. */
export function resetAllAccounts (context: EmulatorContext): string[] {
  const sids = accountsWithData(context)
  for (const sid of sids) forget(context, sid)
  context.dataOnlyAccounts.clear()
  for (const sid of sids) seedFixtures(context, sid)
  return sids
}
