/**
 * The action's port to the runner: inputs, outputs, saved state, masking, log and annotations, the
 * job summary, the environment and GitHub's ID token. `runnerIO` binds it to the runner (the only
 * binding in the bundles); tests run a whole action in-process through an in-memory one.
 */
import { randomUUID } from 'node:crypto'
import { accessSync, appendFileSync, constants, statSync } from 'node:fs'
import { appendFile } from 'node:fs/promises'
import { EOL } from 'node:os'
import { inputVariable, keyValueBlock, workflowCommand } from './commands.js'

export type Env = Record<string, string | undefined>

/** The runner's files a step writes its results to. */
export type ResultFile = 'outputs' | 'state'

export interface ActionIO {
  readonly env: Env
  getInput(name: string): string
  setOutput(name: string, value: string): void
  /** kept for this action's `post` step, which reads it with getState */
  saveState(name: string, value: string): void
  getState(name: string): string
  /** why the runner's file for outputs (or state) cannot be written; undefined when it can */
  resultFileProblem(file: ResultFile): string | undefined
  /** masks the value in everything the runner prints from now on */
  setSecret(value: string): void
  isDebug(): boolean
  info(message: string): void
  debug(message: string): void
  notice(message: string, title?: string): void
  warning(message: string, title?: string): void
  error(message: string, title?: string): void
  /** appends to the job summary; does nothing where the runner gives no summary file */
  appendSummary(markdown: string): Promise<void>
  /** the same, synchronously: for the moment the runner cancels the job */
  appendSummarySync(markdown: string): void
  getIDToken(audience: string): Promise<string>
  setExitCode(code: number): void
}

/** The results cannot be published: nothing is changed on the service. */
export class ResultFileError extends Error {
  constructor(problem: string) {
    super(`The step cannot publish its result: ${problem}. Nothing was changed on the service.`)
    this.name = 'ResultFileError'
  }
}

/** The env variable naming each result file. */
const RESULT_FILES: Record<ResultFile, string> = { outputs: 'GITHUB_OUTPUT', state: 'GITHUB_STATE' }

/** The binding to the runner: its environment, its file commands and its workflow commands on stdout. */
export function runnerIO(env: Env = process.env): ActionIO {
  const say = (line: string): void => void process.stdout.write(`${line}${EOL}`)
  const command = (name: string, message: string, title?: string): void => say(workflowCommand(name, { title }, message))
  /** A file command, or the older stdout command where the runner gives no file (a run by hand). */
  const keep = (file: ResultFile, name: string, value: string): void => {
    const path = env[RESULT_FILES[file]]
    if (!path) {
      say(file === 'outputs' ? `${EOL}${workflowCommand('set-output', { name }, value)}` : workflowCommand('save-state', { name }, value))
      return
    }
    appendFileSync(path, keyValueBlock(name, value, `ghadelimiter_${randomUUID()}`, EOL), 'utf8')
  }
  return {
    env,
    getInput: (name) => (env[inputVariable(name)] ?? '').trim(),
    setOutput: (name, value) => keep('outputs', name, value),
    saveState: (name, value) => keep('state', name, value),
    getState: (name) => env[`STATE_${name}`] ?? '',
    resultFileProblem: (file) => {
      const variable = RESULT_FILES[file]
      const path = env[variable]
      // Without the file (a run by hand), the values go to stdout as workflow commands instead.
      return path ? unwritableFile(path, variable) : undefined
    },
    setSecret: (value) => say(workflowCommand('add-mask', {}, value)),
    isDebug: () => env.RUNNER_DEBUG === '1' || env.ACTIONS_STEP_DEBUG === 'true',
    info: (message) => say(message),
    debug: (message) => say(workflowCommand('debug', {}, message)),
    notice: (message, title) => command('notice', message, title),
    warning: (message, title) => command('warning', message, title),
    error: (message, title) => command('error', message, title),
    appendSummary: async (markdown) => {
      if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, markdown, 'utf8')
    },
    appendSummarySync: (markdown) => {
      if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, markdown, 'utf8')
    },
    // Only keyless sign-in asks for it: @actions/core (and its HTTP client) load on that run alone.
    getIDToken: async (audience) => (await import('@actions/core')).getIDToken(audience),
    setExitCode: (code) => {
      process.exitCode = code
    }
  }
}

/** The step appends to the file the runner made: it must exist, be a file, and be writable. */
function unwritableFile(path: string, variable: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return `${variable} (${path}) is not a file`
    accessSync(path, constants.W_OK)
    return undefined
  } catch (error) {
    return `${variable} (${path}) cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`
  }
}
