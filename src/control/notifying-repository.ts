// A Repository decorator that reports every successful change, so the state file is rewritten after
// writes without the routes knowing about it. Reads pass straight through.
import type { Repository } from '../store/repository.js'

export function notifyingRepository (inner: Repository, changed: () => void): Repository {
  function notifyIf<T> (result: T): T {
    if (result !== undefined && result !== false) changed()
    return result
  }
  return {
    getService: (accountSid, serviceSid) => inner.getService(accountSid, serviceSid),
    serviceOwner: (serviceSid) => inner.serviceOwner(serviceSid),
    pageServices: (accountSid, cursor, pageSize) => inner.pageServices(accountSid, cursor, pageSize),
    getWebhook: (scope, sid) => inner.getWebhook(scope, sid),
    pageWebhooks: (scope, cursor, pageSize) => inner.pageWebhooks(scope, cursor, pageSize),
    listWebhooks: (scope) => inner.listWebhooks(scope),

    createService: (service) => notifyIf(inner.createService(service)),
    updateService: (accountSid, serviceSid, settings, now) => notifyIf(inner.updateService(accountSid, serviceSid, settings, now)),
    removeService: (accountSid, serviceSid) => notifyIf(inner.removeService(accountSid, serviceSid)),
    createWebhook: (scope, webhook) => notifyIf(inner.createWebhook(scope, webhook)),
    updateWebhook: (scope, sid, changes, now) => notifyIf(inner.updateWebhook(scope, sid, changes, now)),
    removeWebhook: (scope, sid) => notifyIf(inner.removeWebhook(scope, sid)),
    clearAccount: (accountSid) => {
      inner.clearAccount(accountSid)
      changed()
    }
  }
}
