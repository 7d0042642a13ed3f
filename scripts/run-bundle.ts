/**
 * Runs the bundled dist/index.js as GitHub's runner does: inputs as INPUT_* variables, outputs and
 * the job summary through files, workflow context through GITHUB_* and an event payload file.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const BUNDLE = join(ROOT, 'dist', 'index.js')

export interface Annotation {
  level: 'error' | 'warning' | 'notice'
  title: string | undefined
  message: string
}

export interface ActionResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  annotations: Annotation[]
  realMs: number
}

export interface RunOptions {
  /** extra environment (GITHUB_* overrides, HUAWEI_CLOUD_* fallbacks, fast clock) */
  env?: Record<string, string>
  /** event payload written to GITHUB_EVENT_PATH */
  event?: object
  /** a module for `node --import` (tests: the fast clock) */
  preload?: string
  /** sees stdout as it arrives (the demo echoes it) */
  onStdout?: (chunk: string) => void
  /** called with stdout as it grows; return true to send SIGTERM */
  killWhen?: (stdoutSoFar: string) => boolean
  timeoutMs?: number
}

export const CONTEXT_ENV: Record<string, string> = {
  GITHUB_REPOSITORY: 'acme/shop-api',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_REF_NAME: 'main',
  GITHUB_RUN_ID: '987654321',
  GITHUB_RUN_NUMBER: '42',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_WORKFLOW: 'Release',
  GITHUB_JOB: 'snapshot',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_ACTOR: 'octocat'
}

/**
 * The environment the runner gives an action: PATH, the workflow context, the command files,
 * inputs as INPUT_<NAME> (upper-cased, spaces to '_'), then `extra`. Nothing else of this machine's.
 */
export function runnerEnv(
  inputs: Record<string, string>,
  files: { eventFile: string; outputFile: string; summaryFile: string },
  extra: Record<string, string> = {}
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...CONTEXT_ENV,
    GITHUB_EVENT_PATH: files.eventFile,
    GITHUB_OUTPUT: files.outputFile,
    GITHUB_STEP_SUMMARY: files.summaryFile,
    ...extra
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  return env
}

export async function runAction(inputs: Record<string, string>, options: RunOptions = {}): Promise<ActionResult> {
  const dir = mkdtempSync(join(tmpdir(), 'dws-action-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  const eventFile = join(dir, 'event.json')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  writeFileSync(eventFile, JSON.stringify(options.event ?? {}))
  const env = runnerEnv(inputs, { eventFile, outputFile, summaryFile }, options.env)
  const args = options.preload ? ['--import', options.preload, BUNDLE] : [BUNDLE]
  const started = Date.now()
  try {
    const { code, signal, stdout, stderr } = await new Promise<{
      code: number | null
      signal: NodeJS.Signals | null
      stdout: string
      stderr: string
    }>((resolve, reject) => {
      const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
      let stdout = ''
      let stderr = ''
      let killed = false
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000)
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString()
        options.onStdout?.(d.toString())
        if (!killed && options.killWhen?.(stdout)) {
          killed = true
          child.kill('SIGTERM')
        }
      })
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      child.on('error', reject)
      child.on('close', (code, signal) => {
        clearTimeout(timer)
        resolve({ code, signal, stdout, stderr })
      })
    })
    return {
      code,
      signal,
      stdout,
      stderr,
      outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
      summary: readFileSync(summaryFile, 'utf8'),
      annotations: parseAnnotations(stdout),
      realMs: Date.now() - started
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** `name<<delimiter` blocks as @actions/core writes them; a later value for a name wins, as on the runner. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i]!)
    if (!m) continue
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!)
    outputs[m[1]!] = value.join('\n')
  }
  return outputs
}

function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

export function parseAnnotations(stdout: string): Annotation[] {
  const found: Annotation[] = []
  for (const line of stdout.split('\n')) {
    const m = /^::(error|warning|notice)( [^:]*)?::(.*)$/.exec(line)
    if (!m) continue
    const title = /title=([^,]*)/.exec(m[2] ?? '')?.[1]
    found.push({
      level: m[1] as Annotation['level'],
      title: title === undefined ? undefined : unescapeData(title.replace(/%3A/g, ':').replace(/%2C/g, ',')),
      message: unescapeData(m[3]!)
    })
  }
  return found
}
