// X-Twilio-Signature: computed as twilio-node computes it, and every real delivery passes the official
// twilio.validateRequest with the account's Auth Token (and fails with any other).
import t from 'tap'
import twilio from 'twilio'
import { twilioSignature } from '../../src/events/signature.js'
import { AUTH_TOKEN, basicAuth, build } from '../helper.js'
import { createWebhook, deliveries, startReceiver, trigger } from './receiver.js'

const OTHER_ACCOUNT = { sid: 'AC' + 'b'.repeat(32), authToken: 'other-account-token' }
const OTHER_SERVICE = 'VA' + 'c'.repeat(32)

t.test('twilioSignature matches twilio.getExpectedTwilioSignature, including sort order and non-ASCII values', async (t) => {
  const cases: Array<[string, Record<string, string>]> = [
    ['https://example.com/hook', {}],
    ['https://example.com/hook?b=2&a=1', { uuid: 'u', type: 'factor.created', Zeta: 'upper before lower', _x: 'underscore' }],
    ['http://127.0.0.1:8080/verify', { challenge_details: '{"message":"Grüße 👋","fields":[]}', a: '', ab: 'x', b: 'y' }]
  ]
  for (const [url, params] of cases) {
    const ours = twilioSignature(AUTH_TOKEN, url, params)
    t.equal(ours, twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params), url)
    t.ok(twilio.validateRequest(AUTH_TOKEN, ours, url, params))
  }
})

t.test('every delivery passes twilio.validateRequest with its account token and fails with another', async (t) => {
  const app = await build(t, { accounts: [OTHER_ACCOUNT] })
  const receiver = await startReceiver(t)
  const otherAuth = basicAuth(OTHER_ACCOUNT.sid, OTHER_ACCOUNT.authToken)
  // URLs with a query string and with a port, both versions, and a second account with its own token.
  const urls = [receiver.url('/hook'), receiver.url('/hook?tenant=a%20b&x=1'), receiver.url('/v1-hook')]
  await createWebhook(app, { url: urls[0] as string })
  await createWebhook(app, { url: urls[1] as string })
  await createWebhook(app, { url: urls[2] as string, version: 'v1' })
  const otherUrl = receiver.url('/other-account')
  await createWebhook(app, { url: otherUrl, serviceSid: OTHER_SERVICE, auth: otherAuth })

  const factor = await trigger(app, { Type: 'factor.created', FactorFriendlyName: 'Téléphone & co' })
  t.equal(factor.statusCode, 201)
  const challenge = await trigger(app, { Type: 'challenge.approved', ChallengeDetails: '{"message":"Approve $10 + tip?","fields":[]}' })
  t.equal(challenge.statusCode, 201)
  t.equal((await trigger(app, { Type: 'factor.verified', ServiceSid: OTHER_SERVICE }, otherAuth)).statusCode, 201)
  const requests = await receiver.received(7)
  t.equal(requests.length, 7)

  for (const request of requests) {
    const url = receiver.url(request.path)
    const signature = request.headers['x-twilio-signature'] as string
    const token = request.path === '/other-account' ? OTHER_ACCOUNT.authToken : AUTH_TOKEN
    const wrongToken = request.path === '/other-account' ? AUTH_TOKEN : OTHER_ACCOUNT.authToken
    t.ok(twilio.validateRequest(token, signature, url, request.params), `valid: ${request.path} ${request.params.type ?? ''}`)
    t.notOk(twilio.validateRequest(wrongToken, signature, url, request.params), 'invalid with another token')
    t.notOk(twilio.validateRequest(token, signature, url, { ...request.params, entity_identity: 'tampered' }), 'invalid once tampered')
  }

  // The log records exactly the headers and params sent.
  const log = await deliveries(app, { WaitFor: '6', Timeout: '30000' })
  t.equal(log.statusCode, 200)
  for (const entry of log.body.deliveries) {
    const sent = requests.find((r) => r.headers['i-twilio-idempotency-token'] === entry.request.headers['I-Twilio-Idempotency-Token'])
    t.ok(sent)
    t.same(entry.request.params, sent?.params)
    t.equal(entry.request.headers['X-Twilio-Signature'], sent?.headers['x-twilio-signature'])
  }
})
