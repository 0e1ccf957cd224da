// Which Service a request under /v2/Services/{ServiceSid} addresses.
import { toEpochSeconds } from '../clock.js'
import type { EmulatorContext } from '../context.js'
import { notFound } from '../errors.js'
import type { ServiceScope } from '../store/records.js'
import { defaultServiceSettings } from './settings.js'

/** Name given to a Service the emulator creates on first use of its SID. */
export const AUTO_SERVICE_NAME = 'Emulated Verify Service'

/**
 * The scope of a request for the caller's Service `serviceSid`. A SID that belongs to another account
 * is never visible (404, as Twilio answers for another account's resources); with strictServices an
 * unknown SID is 404 too. Otherwise an unknown Service is created when `create` is set (a write), and
 * reads see it as empty, so apps that keep a Service SID in their env need no setup.
 */
export function serviceScope (context: EmulatorContext, accountSid: string, serviceSid: string, path: string, create: boolean): ServiceScope {
  const { repository, config } = context
  const scope = { accountSid, serviceSid }
  if (repository.getService(accountSid, serviceSid) !== undefined) return scope
  if (config.strictServices || repository.serviceOwner(serviceSid) !== undefined) throw notFound(path)
  if (create) {
    repository.createService({
      sid: serviceSid,
      accountSid,
      settings: defaultServiceSettings(AUTO_SERVICE_NAME),
      now: toEpochSeconds(context.clock())
    })
  }
  return scope
}
