/**
 * The one way scripts run a child process and collect what it printed: the bundle runner (tests,
 * demo) and the benchmark both use it, so their children are started, timed and killed alike.
 */
import { spawn } from 'node:child_process'
import { performance } from 'node:perf_hooks'

interface SpawnOptions {
  env: Record<string, string>
  /** SIGKILL after this long: a hung child must not hang the caller */
  timeoutMs: number
  /** sees stdout as it arrives */
  onStdout?: (chunk: string) => void
  /** called with stdout as it grows; return true to send SIGTERM (once) */
  killWhen?: (stdoutSoFar: string) => boolean
}

export interface Finished {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** from spawn to the process's exit (not to its pipes closing) */
  wallMs: number
  /** Date.now() at exit, comparable with the emulator's clock */
  exitAt: number
}

export function spawnAndCollect(command: string, args: string[], options: SpawnOptions): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let wallMs = 0
    let exitAt = 0
    let terminated = false
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs)
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
      options.onStdout?.(d.toString())
      if (!terminated && options.killWhen?.(stdout)) {
        terminated = true
        child.kill('SIGTERM')
      }
    })
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('exit', () => {
      wallMs = performance.now() - started
      exitAt = Date.now()
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, wallMs, exitAt })
    })
  })
}
