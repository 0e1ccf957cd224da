// Top self-time functions of a V8 .cpuprofile: node bench/cpuprofile-top.mjs FILE [N]
import { readFileSync } from 'node:fs'

export function topSelf (profile, n = 30) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const dt = new Map()
  const { samples, timeDeltas } = profile
  for (let i = 0; i < samples.length; i++) dt.set(samples[i], (dt.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0))
  const total = [...dt.values()].reduce((a, b) => a + b, 0)
  const self = new Map()
  for (const [id, us] of dt) {
    const { callFrame: f } = byId.get(id)
    const file = f.url.replace(/^file:\/\/.*?\/(node_modules|dist|bench)\//, '$1/').replace(/^node:/, '')
    const key = `${f.functionName || '(anonymous)'}  ${file}:${f.lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + us)
  }
  const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, n)
  return { totalMs: total / 1000, rows: rows.map(([key, us]) => ({ key, ms: us / 1000, pct: (100 * us) / total })) }
}

/** Self time grouped by package (node_modules/<pkg>), dist file, or node internals. */
export function byModule (profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const dt = new Map()
  for (let i = 0; i < profile.samples.length; i++) dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0))
  const total = [...dt.values()].reduce((a, b) => a + b, 0)
  const groups = new Map()
  for (const [id, us] of dt) {
    const url = byId.get(id).callFrame.url
    let group = '(vm/native)'
    const nm = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)
    if (nm) group = nm[1]
    else if (url.includes('/dist/')) group = 'dist/' + url.split('/dist/')[1]
    else if (url.startsWith('node:')) group = 'node:' + url.slice(5).split('/')[0]
    else if (url !== '') group = url
    else group = byId.get(id).callFrame.functionName || '(program)'
    groups.set(group, (groups.get(group) ?? 0) + us)
  }
  return [...groups].sort((a, b) => b[1] - a[1]).map(([g, us]) => ({ group: g, pct: (100 * us) / total }))
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const profile = JSON.parse(readFileSync(process.argv[2], 'utf8'))
  const { totalMs, rows } = topSelf(profile, Number(process.argv[3] ?? 30))
  console.log(`total sampled: ${totalMs.toFixed(0)} ms`)
  for (const r of rows) console.log(`${r.pct.toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(6)} ms  ${r.key}`)
  console.log('\nby module:')
  for (const g of byModule(profile).slice(0, 25)) console.log(`${g.pct.toFixed(1).padStart(5)}%  ${g.group}`)
}
