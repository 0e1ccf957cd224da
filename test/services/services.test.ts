import t from 'tap'
import { ACCOUNT_SID, basicAuth, build, fixedClock, form, FORM, SERVICE_SID } from '../helper.js'
import { errorsOf, validateService, validateServiceList } from '../spec-validator.js'

const auth = { authorization: basicAuth(), host: 'localhost:4010' }
const headers = { ...FORM, ...auth }
const ORIGIN = 'http://localhost:4010'

t.test('create → fetch → update → list → delete, shaped as verify.v2.service', async (t) => {
  const time = fixedClock()
  const app = await build(t, { clock: time.clock })
  const created = await app.inject({ method: 'POST', url: '/v2/Services', headers, payload: form({ FriendlyName: 'Owl Bank', CodeLength: '4', 'Push.IncludeDate': 'true', 'Totp.Skew': '2' }) })
  t.equal(created.statusCode, 201)
  const service = created.json()
  t.ok(validateService(service), errorsOf(validateService))
  t.match(service.sid, /^VA[0-9a-f]{32}$/)
  const url = `${ORIGIN}/v2/Services/${service.sid as string}`
  t.same(service, {
    sid: service.sid,
    account_sid: ACCOUNT_SID,
    friendly_name: 'Owl Bank',
    code_length: 4,
    lookup_enabled: false,
    psd2_enabled: false,
    skip_sms_to_landlines: false,
    dtmf_input_required: false,
    tts_name: null,
    do_not_share_warning_enabled: false,
    custom_code_enabled: false,
    push: { include_date: true, apn_credential_sid: null, fcm_credential_sid: null },
    totp: { issuer: 'Owl Bank', time_step: 30, code_length: 6, skew: 2 },
    default_template_sid: null,
    whatsapp: { msg_service_sid: null, from: null },
    passkeys: { relying_party: { id: null, name: null, origins: [] }, authenticator_attachment: null, discoverable_credentials: null, user_verification: null },
    verify_event_subscription_enabled: false,
    date_created: '2026-11-28T10:00:00Z',
    date_updated: '2026-11-28T10:00:00Z',
    url,
    links: {
      verification_checks: `${url}/VerificationCheck`,
      verifications: `${url}/Verifications`,
      rate_limits: `${url}/RateLimits`,
      messaging_configurations: `${url}/MessagingConfigurations`,
      entities: `${url}/Entities`,
      webhooks: `${url}/Webhooks`,
      access_tokens: `${url}/AccessTokens`
    }
  })

  const fetched = await app.inject({ method: 'GET', url: `/v2/Services/${service.sid as string}`, headers: auth })
  t.same(fetched.json(), service)

  time.advance(60)
  const updated = await app.inject({ method: 'POST', url: `/v2/Services/${service.sid as string}`, headers, payload: form({ FriendlyName: 'Owl Bank 2', 'Passkeys.RelyingParty.Origins': 'a.example, b.example', LookupEnabled: 'true' }) })
  t.equal(updated.statusCode, 200)
  t.same(updated.json(), {
    ...service,
    friendly_name: 'Owl Bank 2',
    lookup_enabled: true,
    passkeys: { ...service.passkeys, relying_party: { id: null, name: null, origins: ['a.example', 'b.example'] } },
    date_updated: '2026-11-28T10:01:00Z'
  })

  const list = await app.inject({ method: 'GET', url: '/v2/Services', headers: auth })
  t.ok(validateServiceList(list.json()), errorsOf(validateServiceList))
  t.same(list.json().services.map((s: { sid: string }) => s.sid), [service.sid])
  t.equal(list.json().meta.key, 'services')
  t.equal(list.json().meta.url, `${ORIGIN}/v2/Services?PageSize=50&Page=0`)

  // Its webhooks go with it.
  const hook = await app.inject({ method: 'POST', url: `/v2/Services/${service.sid as string}/Webhooks`, headers, payload: form({ FriendlyName: 'h', EventTypes: '*', WebhookUrl: 'https://e.com' }) })
  t.equal(hook.statusCode, 201)
  const del = await app.inject({ method: 'DELETE', url: `/v2/Services/${service.sid as string}`, headers: auth })
  t.equal(del.statusCode, 204)
  t.equal(del.body, '')
  const gone = await app.inject({ method: 'GET', url: `/v2/Services/${service.sid as string}/Webhooks/${hook.json().sid as string}`, headers: auth })
  t.equal(gone.statusCode, 404)
  t.equal(gone.json().code, 20404)
  const fetchGone = await app.inject({ method: 'GET', url: `/v2/Services/${service.sid as string}`, headers: auth })
  t.equal(fetchGone.statusCode, 404)
})

t.test('service validation: FriendlyName required and at most 30 characters; typed parameters', async (t) => {
  const app = await build(t)
  const cases: Array<[Record<string, string>, number, number, string]> = [
    [{}, 400, 20001, 'Missing required parameter FriendlyName in the post body'],
    [{ FriendlyName: 'x'.repeat(31) }, 400, 60200, 'Invalid parameter: FriendlyName'],
    [{ FriendlyName: 'ok', CodeLength: '11' }, 400, 60200, 'Invalid parameter: CodeLength'],
    [{ FriendlyName: 'ok', LookupEnabled: 'maybe' }, 400, 60200, 'Invalid parameter: LookupEnabled'],
    [{ FriendlyName: 'ok', 'Push.ApnCredentialSid': 'CRnope' }, 400, 60200, 'Invalid parameter: Push.ApnCredentialSid']
  ]
  for (const [body, status, code, message] of cases) {
    const res = await app.inject({ method: 'POST', url: '/v2/Services', headers, payload: form(body) })
    t.equal(res.statusCode, status, JSON.stringify(body))
    t.same(res.json(), { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status })
  }
  const list = await app.inject({ method: 'GET', url: '/v2/Services', headers: auth })
  t.same(list.json().services, [], 'nothing stored')
  const ok = await app.inject({ method: 'POST', url: '/v2/Services', headers, payload: form({ FriendlyName: 'x'.repeat(30) }) })
  t.equal(ok.statusCode, 201)
})

t.test('a webhook on an unknown service creates it on first use; STRICT_SERVICES makes it 404', async (t) => {
  const app = await build(t)
  const create = await app.inject({ method: 'POST', url: `/v2/Services/${SERVICE_SID}/Webhooks`, headers, payload: form({ FriendlyName: 'h', EventTypes: '*', WebhookUrl: 'https://e.com' }) })
  t.equal(create.statusCode, 201)
  const service = await app.inject({ method: 'GET', url: `/v2/Services/${SERVICE_SID}`, headers: auth })
  t.equal(service.statusCode, 200)
  t.equal(service.json().friendly_name, 'Emulated Verify Service')

  const strict = await build(t, { strictServices: true })
  const path = `/v2/Services/${SERVICE_SID}/Webhooks`
  for (const method of ['GET', 'POST'] as const) {
    const res = await strict.inject({ method, url: path, headers, payload: method === 'POST' ? form({ FriendlyName: 'h', EventTypes: '*', WebhookUrl: 'https://e.com' }) : undefined })
    t.equal(res.statusCode, 404)
    t.same(res.json(), { code: 20404, message: `The requested resource ${path} was not found`, more_info: 'https://www.twilio.com/docs/errors/20404', status: 404 })
  }
  const made = await strict.inject({ method: 'POST', url: '/v2/Services', headers, payload: form({ FriendlyName: 'real' }) })
  const ok = await strict.inject({ method: 'POST', url: `/v2/Services/${made.json().sid as string}/Webhooks`, headers, payload: form({ FriendlyName: 'h', EventTypes: '*', WebhookUrl: 'https://e.com' }) })
  t.equal(ok.statusCode, 201)
})

t.test('reading an unknown service does not create it', async (t) => {
  const app = await build(t)
  const list = await app.inject({ method: 'GET', url: `/v2/Services/${SERVICE_SID}/Webhooks`, headers: auth })
  t.equal(list.statusCode, 200)
  t.same(list.json().webhooks, [])
  const services = await app.inject({ method: 'GET', url: '/v2/Services', headers: auth })
  t.same(services.json().services, [])
})
