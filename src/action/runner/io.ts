/**
 * The action's port to the runner: inputs, outputs, saved state, masking, log and annotations, the
 * job summary, the environment and GitHub's ID token. `coreIO` binds it to @actions/core (the only
 * binding in the bundles); tests run a whole action in-process through an in-memory one.
 */
import { appendFileSync, constants, accessSync, statSync } from 'node:fs'
import * as core from '@actions/core'

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

export function coreIO(env: Env = process.env): ActionIO {
  const props = (title?: string): core.AnnotationProperties => (title ? { title } : {})
  return {
    env,
    getInput: (name) => core.getInput(name),
    setOutput: (name, value) => core.setOutput(name, value),
    saveState: (name, value) => core.saveState(name, value),
    getState: (name) => core.getState(name),
    resultFileProblem: (file) => {
      const variable = RESULT_FILES[file]
      const path = env[variable]
      // Without the file (a run by hand), @actions/core prints workflow commands instead.
      return path ? unwritableFile(path, variable) : undefined
    },
    setSecret: (value) => core.setSecret(value),
    isDebug: () => core.isDebug() || env.ACTIONS_STEP_DEBUG === 'true',
    info: (message) => core.info(message),
    debug: (message) => core.debug(message),
    notice: (message, title) => core.notice(message, props(title)),
    warning: (message, title) => core.warning(message, props(title)),
    error: (message, title) => core.error(message, props(title)),
    appendSummary: async (markdown) => {
      if (env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write()
    },
    appendSummarySync: (markdown) => {
      if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, markdown)
    },
    getIDToken: (audience) => core.getIDToken(audience),
    setExitCode: (code) => {
      process.exitCode = code
    }
  }
}

/** @actions/core appends to the file the runner made: it must exist, be a file, and be writable. */
function unwritableFile(path: string, variable: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return `${variable} (${path}) is not a file`
    accessSync(path, constants.W_OK)
    return undefined
  } catch (error) {
    return `${variable} (${path}) cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`
  }
}
