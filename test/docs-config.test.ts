// README's configuration table and .env.example list every setting with its real default.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { SETTINGS } from '../src/config.js'

const ROOT = new URL('..', import.meta.url).pathname
const readme = readFileSync(`${ROOT}README.md`, 'utf8')
const envExample = readFileSync(`${ROOT}.env.example`, 'utf8')

for (const s of SETTINGS) {
  const def = s.default === undefined ? '' : String(s.default)
  t.test(s.env, async (t) => {
    t.ok(envExample.split('\n').includes(`${s.env}=${def}`), `.env.example has ${s.env}=${def}`)
    t.ok(readme.includes(`| \`${s.env}\` | \`${s.flag}\` | ${def === '' ? '(unset)' : '`' + def + '`'} |`), 'README table row')
  })
}
