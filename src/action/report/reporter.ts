/**
 * What a run's report needs from its step (the Reporter) and gives back (the RunOutcome), and the
 * error annotation of one failure: titled with the action's name (and the cluster's, for one job
 * of several), its message, a hint that says what to fix, and where to read more.
 */
import type { CallStats } from '../../cloud/retry.js'
import type { Log } from '../../kernel/log.js'
import type { Redact } from '../../kernel/redact.js'
import type { ActionIO, Env } from '../runner/io.js'
import { describeFailure, type FailureContext, type OwnFailures } from './failure.js'
import { annotationTitle } from './titles.js'
import { troubleshootingLink } from './troubleshooting.js'

/** One failure as the runner was told it: the summary and the outputs quote it. */
export interface Reported {
  title: string
  message: string
  hint: string
  /** where the title is explained: a URL, or the file and section named */
  help: string
}

export interface AnnotateOptions {
  /** more of what the run knew, e.g. the cluster of a job */
  context?: FailureContext
  /** one job of several: named in the title */
  scope?: string
  /** a sentence naming what the step made that still exists */
  leftBehind?: string
}

/** The runner's side of a report: what the report of either action needs from its step. */
export interface Reporter {
  readonly env: Env
  readonly log: Log
  readonly stats: CallStats
  elapsedMs(): number
  setOutput(name: string, value: string): void
  annotate(error: unknown, options?: AnnotateOptions): Reported
  /** one failure in one sentence with its hint, scrubbed: for a warning or a summary line */
  describe(error: unknown): string
}

/** What the step skeleton needs of a finished run. */
export interface RunOutcome {
  failed: boolean
  summary: string
  /** sentences naming what the step made that still exists, for a failure to write the outputs */
  leftBehind: string
}

export function annotate(
  runner: { io: ActionIO; redact: Redact; log: Log; action: { name: string; ownFailures?: OwnFailures }; context: FailureContext },
  error: unknown,
  options: AnnotateOptions = {}
): Reported {
  const { io, redact, log } = runner
  const failure = describeFailure(error, { ...runner.context, ...options.context }, runner.action.ownFailures)
  const scope = options.scope === undefined ? '' : ` (${options.scope})`
  const message = failure.message + (options.leftBehind ?? '')
  const help = troubleshootingLink(io.env, failure.title)
  const annotation = [message, failure.hint ? `Hint: ${failure.hint}` : '', `Troubleshooting: ${help}`].filter(Boolean).join('\n')
  io.error(redact(annotation), annotationTitle(runner.action.name, failure.title) + scope)
  const debug = io.isDebug()
  if (debug && error instanceof Error && 'debugDetail' in error && typeof error.debugDetail === 'string') {
    log.debug(`The service said: ${error.debugDetail}`)
  }
  if (!failure.expected || debug) log.debug(error instanceof Error && error.stack ? error.stack : String(error))
  return { title: failure.title + scope, message: redact(message), hint: redact(failure.hint), help: redact(help) }
}
