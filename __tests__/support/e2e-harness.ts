/**
 * The end-to-end harness: the bundled dist/index.js, run as GitHub's runner runs it, against the
 * emulator on 127.0.0.1. Runs that wait or back off use the fast clock: the action and the emulator
 * share a clock that runs SCALE times faster than real time.
 */
import { fileURLToPath } from 'node:url'
import { EMULATOR_DEFAULTS as D, startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js'
import { runAction, type ActionResult, type RunOptions } from '../../scripts/run-bundle.js'
import { fastClock, type FastClock } from './fast-clock.js'
import { ACCESS_KEYS, SECURITY_TOKEN, stepInputs, TITLE_PREFIX } from './step.js'

const SCALE = 50
const FAST_CLOCK = fileURLToPath(new URL('./fast-clock.mjs', import.meta.url))
export { SECURITY_TOKEN } from './step.js'
export const SECRETS = [D.accessKeyId, D.secretAccessKey, D.authToken, SECURITY_TOKEN]

export let emu: Emulator
export let clock: FastClock | undefined

/** `scale` overrides SCALE for a run that waits for hours of emulated time. */
export async function start(options: EmulatorOptions & { fast?: boolean; scale?: number } = {}): Promise<void> {
  clock = options.fast ? fastClock(options.scale ?? SCALE) : undefined
  emu = await startEmulator({
    creatingMs: 30_000,
    ...(clock ? { now: clock.now } : {}),
    accessKeys: ACCESS_KEYS,
    ...options
  })
}

/** The fast clock makes the bundle's request timeouts fire SCALE times sooner: a generous request_timeout. */
export function inputs(overrides: Record<string, string> = {}): Record<string, string> {
  return stepInputs(emu.url, { request_timeout: '2m', ...overrides })
}

/** The snapshot action's bundle with the usual step inputs and `overrides`. */
export function run(overrides: Record<string, string> = {}, options: RunOptions = {}): Promise<ActionResult> {
  return runBundle(inputs(overrides), options)
}

/** A bundle of the repository's actions (options.bundle; the snapshot action's by default), on the harness's clock. */
export function runBundle(given: Record<string, string>, options: RunOptions = {}): Promise<ActionResult> {
  return runAction(given, { ...options, ...(clock ? { preload: FAST_CLOCK } : {}), env: { ...clock?.env, ...options.env } })
}

export const errors = (r: ActionResult) => r.annotations.filter((a) => a.level === 'error')

/** Everything a run shows a reader: its output without the ::add-mask:: commands that hide secrets, stderr, the summary, the outputs. */
export function shownText(r: ActionResult): string[] {
  return [
    r.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n'),
    r.stderr,
    r.summary,
    JSON.stringify(r.outputs)
  ]
}

/** Secrets may only appear in the ::add-mask:: commands that hide them on the runner. */
export function expectNoSecrets(r: ActionResult): void {
  for (const text of shownText(r)) for (const secret of SECRETS) expect(text).not.toContain(secret)
}

/** No error, nothing on stderr, exit code 0, and the process ended on its own (a kept connection would hold it until the timeout). */
export function expectSuccess(r: ActionResult): void {
  expect(errors(r)).toEqual([])
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  expect(r.signal).toBeNull()
  expectNoSecrets(r)
}

/** Exactly one error annotation, with a title naming the action, then matching `title`; no stack trace, exit code 1. */
export function expectFailure(r: ActionResult, title: RegExp, message: RegExp): string {
  expect(r.code).toBe(1)
  const found = errors(r)
  expect(found).toHaveLength(1)
  expect(found[0]!.title?.startsWith(TITLE_PREFIX)).toBe(true)
  expect(found[0]!.title?.slice(TITLE_PREFIX.length)).toMatch(title)
  expect(found[0]!.message).toMatch(message)
  expect(r.stdout).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/)
  expectNoSecrets(r)
  expect(r.summary).toContain('DWS snapshot failed')
  return found[0]!.message
}
