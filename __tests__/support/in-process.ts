/**
 * The in-process harness: run() from src/main.ts through a MemoryIO, given what the runner gives a
 * step (the inputs, also as INPUT_* variables; the workflow's GITHUB_* variables; the event payload),
 * against the emulator on 127.0.0.1 with the real transport, on a FakeClock the emulator shares: hours
 * of waiting and backoff cost nothing and signatures stay valid. Every run is checked for what it
 * must never show: a secret or a stack trace.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { jest } from '@jest/globals'
import { run, type RunOptions } from '../../src/main.js'
import { CONTEXT_ENV } from '../../scripts/run-bundle.js'
import type { Env } from '../../src/action/runner/io.js'
import { EMULATOR_DEFAULTS as D, startEmulator, type Emulator, type EmulatorOptions, type RouteName } from '../../emulator/index.js'
import { FakeClock } from './fakes.js'
import { MemoryIO, type Annotation } from './memory-io.js'
import { ACCESS_KEYS, SECURITY_TOKEN, stepInputs, TEMP_KEY, TITLE_PREFIX } from './step.js'

export { SECURITY_TOKEN, TEMP_KEY, TITLE_PREFIX } from './step.js'

/** Every credential the emulator knows: no run may show one. */
const SECRETS = [D.accessKeyId, D.secretAccessKey, D.authToken, TEMP_KEY.accessKeyId, TEMP_KEY.secretAccessKey, SECURITY_TOKEN]

export let emu: Emulator
export let clock: FakeClock

/** A fresh emulator on a fresh FakeClock (now); snapshots take 30 s unless `options` say otherwise. */
export async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  // Whole seconds, as the service writes its times: ages and durations come out exact.
  clock = new FakeClock(Math.floor(Date.now() / 1000) * 1000)
  emu = await startEmulator({
    creatingMs: 30_000,
    now: () => clock.now(),
    accessKeys: ACCESS_KEYS,
    ...options
  })
  return emu
}

export interface RunSetUp {
  /** more of the runner's environment: GITHUB_* overrides, HUAWEI_CLOUD_* fallbacks, ACTIONS_ID_TOKEN_REQUEST_* */
  env?: Env
  /** the event payload (the file at GITHUB_EVENT_PATH on the runner) */
  event?: object
  debug?: boolean
  /** secrets of this run, besides the emulator's credentials, that it must never show */
  secrets?: string[]
  /** prepares the io before the run: ID tokens, a broken output file, a hook on the log */
  io?: (io: MemoryIO) => void
}

/** Runs the snapshot action in-process with the usual step inputs and `overrides`. */
export function runWith(overrides: Record<string, string> = {}, setUp: RunSetUp = {}): Promise<MemoryIO> {
  return runAction(run, stepInputs(emu.url, overrides), setUp)
}

/** An entry point of this repository's actions, as the in-process runs call it. */
export type ActionRun = (io: MemoryIO, options: RunOptions) => Promise<number>

/** Runs an action in-process; checks that it returned its exit code and showed no secret and no stack trace. */
export async function runAction(action: ActionRun, given: Record<string, string>, setUp: RunSetUp = {}): Promise<MemoryIO> {
  const event = eventFile(setUp.event)
  const env: Env = { ...CONTEXT_ENV, ...inputVariables(given), ...event.env, ...setUp.env }
  const io = new MemoryIO(given, env, setUp.debug)
  setUp.io?.(io)
  const code = await action(io, { clock, random: () => 0.5 }).finally(event.remove)
  expect(io.exitCode).toBe(code)
  for (const secret of [...SECRETS, ...(setUp.secrets ?? [])]) expect(io.shown).not.toContain(secret)
  expect(shownOutsideDebug(io)).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/)
  return io
}

/** What a reader sees without debug logging (debug lines may carry a stack, for the maintainers). */
function shownOutsideDebug(io: MemoryIO): string {
  return [...io.lines.filter((l) => !l.startsWith('debug: ')), ...io.annotations.map((a) => a.message), io.summary].join('\n')
}

/** The runner passes every input of the step as INPUT_<NAME> (upper case, spaces as '_'), the unknown ones too. */
function inputVariables(given: Record<string, string>): Env {
  return Object.fromEntries(Object.entries(given).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]))
}

/** The event payload where the runner puts it: a file named by GITHUB_EVENT_PATH. */
function eventFile(event: object | undefined): { env: Env; remove: () => void } {
  if (event === undefined) return { env: {}, remove: () => undefined }
  const dir = mkdtempSync(join(tmpdir(), 'dws-event-'))
  const path = join(dir, 'event.json')
  writeFileSync(path, JSON.stringify(event))
  return { env: { GITHUB_EVENT_PATH: path }, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** What the runner had been shown when the action called process.exit. */
export interface Exit {
  code: number | string | null | undefined
  lines: string[]
  summary: string
}

/**
 * A run the runner cancels: the moment it logs a line matching `when`, the action's own SIGTERM
 * listener is called, as node calls it on the signal. process.exit is held for the test, which reads
 * what the runner had been shown when the action exited.
 */
export async function runCancelled(
  overrides: Record<string, string>,
  when: RegExp,
  setUp: RunSetUp = {}
): Promise<{ io: MemoryIO; exit: Exit | undefined }> {
  const others = new Set(process.listeners('SIGTERM'))
  let exit: Exit | undefined
  let sent = false
  const held = jest.spyOn(process, 'exit').mockImplementation(() => undefined as never)
  try {
    const io = await runWith(overrides, {
      ...setUp,
      io: (io) => {
        setUp.io?.(io)
        held.mockImplementation((code) => {
          exit ??= { code, lines: [...io.lines], summary: io.summary }
          return undefined as never
        })
        io.onInfo = (line) => {
          if (sent || !when.test(line)) return
          sent = true
          for (const listener of process.listeners('SIGTERM')) if (!others.has(listener)) listener('SIGTERM')
        }
      }
    })
    return { io, exit }
  } finally {
    held.mockRestore()
  }
}

export function expectSuccess(io: MemoryIO): void {
  expect(io.errors).toEqual([])
  expect(io.exitCode).toBe(0)
}

/** Exactly one error annotation, its title the action's name then matching `title`; exit code 1; the summary says it failed. */
export function expectFailure(io: MemoryIO, title: RegExp, message: RegExp): string {
  expect(io.exitCode).toBe(1)
  expect(io.errors).toHaveLength(1)
  const [error] = io.errors
  expect(error!.title?.startsWith(TITLE_PREFIX)).toBe(true)
  expect(error!.title?.slice(TITLE_PREFIX.length)).toMatch(title)
  expect(error!.message).toMatch(message)
  expect(io.summary).toContain('DWS snapshot failed')
  return error!.message
}

export const requestsTo = (route: RouteName) => emu.requests.filter((q) => q.route === route)
export const calls = (route: RouteName): number => requestsTo(route).length
export const warnings = (io: MemoryIO): Annotation[] => io.annotations.filter((a) => a.level === 'warning')
export const notices = (io: MemoryIO): Annotation[] => io.annotations.filter((a) => a.level === 'notice')
/** The log as one text, debug lines included. */
export const logOf = (io: MemoryIO): string => io.lines.join('\n')
