// SIDs and request ids: Twilio's format (two letters, 32 lowercase hex digits), and never the same twice.
import t from 'tap'
import { newSid } from '../src/sid.js'
import { build } from './helper.js'

t.test('newSid: the prefix and 32 lowercase hex digits, distinct', async (t) => {
  const sids = Array.from({ length: 10_000 }, () => newSid('YW'))
  t.equal(sids.filter((sid) => /^YW[0-9a-f]{32}$/.test(sid)).length, sids.length)
  t.equal(new Set(sids).size, sids.length)
})

t.test('an app answers with a new request id on every request', async (t) => {
  const app = await build(t)
  const ids = []
  for (let i = 0; i < 3; i++) ids.push((await app.inject({ method: 'GET', url: '/__emulator/health' })).headers['twilio-request-id'])
  t.equal(new Set(ids).size, 3)
  t.match(ids[0], /^RQ[0-9a-f]{32}$/)
})
