// Memory case: RSS growth per stored webhook at 1,000,000 webhooks (run in a child with --expose-gc).
import { runChild, stopChild } from './lib.mjs'

export async function runMemory ({ webhooks = 1_000_000 } = {}) {
  const { child, message } = await runChild(new URL('./memory-child.mjs', import.meta.url), {
    execArgv: ['--expose-gc'],
    args: [String(webhooks)],
    timeoutMs: 120_000
  })
  await stopChild(child)
  if (!message.stored) throw new Error('memory child: the last webhook is not stored')
  return message
}
