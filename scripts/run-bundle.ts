/**
 * Runs a bundled action as GitHub's runner does: inputs as INPUT_* variables, outputs, saved state
 * and the job summary through files, workflow context through GITHUB_* and an event payload file;
 * a post step gets the state its main step saved as STATE_* variables.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { spawnAndCollect } from './spawn.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/**
 * A bundle to run, named from the repository root ('dist/index.js'): under DWS_DIST_ROOT when set
 * (the tests set it to a fresh build of src/, see __tests__/support/build-bundle.mjs), else the
 * committed one (the demo, by hand). Read at each run, so a value set after this module loaded counts.
 */
export function actionBundle(bundle = 'dist/index.js'): string {
  const chosen = process.env.DWS_DIST_ROOT
  if (chosen) return resolve(ROOT, chosen, bundle)
  // Under jest the committed dist/ may be stale: only the e2e project's setup provides fresh bundles.
  if (process.env.JEST_WORKER_ID !== undefined) {
    throw new Error(
      'no fresh bundle for this test: tests that run the action must be named __tests__/e2e*.test.ts (jest.config.js builds them)'
    )
  }
  return join(ROOT, bundle)
}

interface Annotation {
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
  /** what the step saved for its post step (GITHUB_STATE) */
  state: Record<string, string>
  annotations: Annotation[]
}

export interface RunOptions {
  /** the bundle, from the repository root; default the snapshot action's 'dist/index.js' */
  bundle?: string
  /** a post step: the state its main step saved, given as STATE_<name> */
  state?: Record<string, string>
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

/** The workflow run the tests pretend to be: a push to main of acme/shop-api, run 42 (id 987654321), first attempt. */
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
  files: { eventFile: string; outputFile: string; summaryFile: string; stateFile: string },
  extra: Record<string, string> = {}
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...CONTEXT_ENV,
    GITHUB_EVENT_PATH: files.eventFile,
    GITHUB_OUTPUT: files.outputFile,
    GITHUB_STEP_SUMMARY: files.summaryFile,
    GITHUB_STATE: files.stateFile,
    ...extra
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  return env
}

export async function runAction(inputs: Record<string, string>, options: RunOptions = {}): Promise<ActionResult> {
  const bundle = actionBundle(options.bundle)
  const dir = mkdtempSync(join(tmpdir(), 'dws-action-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  const stateFile = join(dir, 'state')
  const eventFile = join(dir, 'event.json')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  writeFileSync(stateFile, '')
  writeFileSync(eventFile, JSON.stringify(options.event ?? {}))
  const saved = Object.fromEntries(Object.entries(options.state ?? {}).map(([name, value]) => [`STATE_${name}`, value]))
  const env = runnerEnv(inputs, { eventFile, outputFile, summaryFile, stateFile }, { ...saved, ...options.env })
  const args = options.preload ? ['--import', options.preload, bundle] : [bundle]
  try {
    const { code, signal, stdout, stderr } = await spawnAndCollect(process.execPath, args, {
      env,
      timeoutMs: options.timeoutMs ?? 20_000,
      onStdout: options.onStdout,
      killWhen: options.killWhen
    })
    return {
      code,
      signal,
      stdout,
      stderr,
      outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
      summary: readFileSync(summaryFile, 'utf8'),
      state: parseOutputFile(readFileSync(stateFile, 'utf8')),
      annotations: parseAnnotations(stdout)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** `name<<delimiter` blocks as @actions/core writes outputs and state; a later value for a name wins, as on the runner. */
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
