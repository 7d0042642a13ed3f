/**
 * The action's port to the runner: inputs, outputs, masking, log and annotations, the job summary,
 * the environment and GitHub's ID token. `coreIO` binds it to @actions/core (the only binding in
 * the bundle); tests run the whole action in-process through an in-memory one.
 */
import { appendFileSync } from 'node:fs'
import * as core from '@actions/core'

export type Env = Record<string, string | undefined>

export interface ActionIO {
  readonly env: Env
  getInput(name: string): string
  setOutput(name: string, value: string): void
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

export function coreIO(env: Env = process.env): ActionIO {
  const props = (title?: string): core.AnnotationProperties => (title ? { title } : {})
  return {
    env,
    getInput: (name) => core.getInput(name),
    setOutput: (name, value) => core.setOutput(name, value),
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
