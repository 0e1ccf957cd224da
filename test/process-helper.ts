// Starts the built CLI (the bundle that package.json's bin, `npm start` and the Docker image run, or another
// entry) as a child process on a free port.
import { spawn, type ChildProcess } from 'node:child_process'

/** The CLI as shipped: the single-file bundle `npm run build` writes (see README "Performance"). */
export const CLI_ENTRY = new URL('../dist/server.bundle.js', import.meta.url).pathname

export interface ServerProcess {
  child: ChildProcess
  url: string
  /** Every line the process wrote to stdout so far. */
  lines: string[]
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>
}

const LISTENING = /listening on (http:\/\/[^;\s]+)/

export async function startServer (entry: string, env: Record<string, string> = {}, timeoutMs = 15_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, [entry], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const lines: string[] = []
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no listening line within ${timeoutMs} ms; stderr: ${stderr}`)) }, timeoutMs)
    let buffer = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      const parts = buffer.split('\n')
      buffer = parts.pop() ?? ''
      for (const line of parts) {
        lines.push(line)
        const match = LISTENING.exec(line)
        if (match !== null) { clearTimeout(timer); resolve(match[1] as string) }
      }
    })
    void exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`exited with ${String(code)} before listening; stderr: ${stderr}`)) })
  })
  return { child, url, lines, exited }
}

export function basic (user: string, password: string): string {
  return 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64')
}
