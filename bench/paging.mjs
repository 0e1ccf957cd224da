// Deep paging case: latency of the last page of a 1,000,000-webhook service (reached by its PageToken)
// against the first page, timed over HTTP with interleaved sequential requests on one keep-alive socket.
import { AUTHORIZATION, median, percentile, request, round, runChild, stopChild, WEBHOOKS_PATH } from './lib.mjs'

export async function runPaging ({ webhooks = 1_000_000, samples = 2000, warmup = 300, pageSize = 50 } = {}) {
  const { child, message } = await runChild(new URL('./paging-child.mjs', import.meta.url), {
    args: [String(webhooks)],
    timeoutMs: 120_000
  })
  try {
    const { port, lastSid } = message
    const headers = { authorization: AUTHORIZATION }
    const get = async (path) => {
      const res = await request(port, 'GET', path, { headers })
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.body}`)
      return res
    }
    // The last page's token, by following next_page_url from the page before it (reached by Page).
    const pages = Math.ceil(webhooks / pageSize)
    const penultimate = JSON.parse((await get(`${WEBHOOKS_PATH}?PageSize=${pageSize}&Page=${pages - 2}`)).body)
    if (penultimate.meta.next_page_url === null) throw new Error('no next_page_url on the penultimate page')
    const next = new URL(penultimate.meta.next_page_url)
    const lastPath = next.pathname + next.search
    const firstPath = `${WEBHOOKS_PATH}?PageSize=${pageSize}`
    const last = JSON.parse((await get(lastPath)).body)
    if (last.meta.next_page_url !== null || last.webhooks.length !== pageSize || last.webhooks.at(-1).sid !== lastSid) {
      throw new Error(`the page at ${lastPath} is not the last page`)
    }
    const first = JSON.parse((await get(firstPath)).body)
    if (first.webhooks.length !== pageSize) throw new Error('first page is not full')

    for (let i = 0; i < warmup; i++) {
      await get(firstPath)
      await get(lastPath)
    }
    const firstMs = []
    const lastMs = []
    for (let i = 0; i < samples; i++) {
      // Alternate the order so neither page always follows the other.
      if (i % 2 === 0) {
        firstMs.push((await get(firstPath)).ms)
        lastMs.push((await get(lastPath)).ms)
      } else {
        lastMs.push((await get(lastPath)).ms)
        firstMs.push((await get(firstPath)).ms)
      }
    }
    firstMs.sort((a, b) => a - b)
    lastMs.sort((a, b) => a - b)
    const result = {
      webhooks,
      pageSize,
      samples,
      lastPagePath: lastPath,
      first: { p50: round(median(firstMs), 3), p99: round(percentile(firstMs, 99), 3) },
      last: { p50: round(median(lastMs), 3), p99: round(percentile(lastMs, 99), 3) }
    }
    result.ratioP50 = round(result.last.p50 / result.first.p50, 3)
    result.ratioP99 = round(result.last.p99 / result.first.p99, 3)
    return result
  } finally {
    await stopChild(child)
  }
}
