/**
 * The step skeleton both actions run in. It owns everything that touches the runner the same way
 * for each: the secrets (masked and scrubbed from every line), the log, unknown inputs, the check
 * that results can be published, the connections, cancellation, the annotation of a failure, the
 * outputs, the job summary and the exit code. An action brings a Story: what it does, what it
 * reports, and what it says when the runner cancels it.
 */
import { SecretRegistry, type Redact } from '../../kernel/redact.js'
import type { Log } from '../../kernel/log.js'
import { systemClock, type Clock } from '../../kernel/time.js'
import type { CallStats } from '../../cloud/retry.js'
import { createTransport, describeExchange, type ClosableTransport, type Transport } from '../../cloud/transport.js'
import { Inputs } from '../inputs/reader.js'
import { unknownInputMessage, unknownInputs } from '../inputs/unknown.js'
import { describeFailure, type FailureContext, type OwnFailures } from '../report/failure.js'
import { annotate, type AnnotateOptions, type Reported, type Reporter, type RunOutcome } from '../report/reporter.js'
import { annotationTitle, type Title } from '../report/titles.js'
import { troubleshootingLink } from '../report/troubleshooting.js'
import { ResultFileError, type ActionIO, type ResultFile } from '../runner/io.js'
import { readActionMetadata } from '../runner/metadata.js'

export interface RunOptions {
  clock?: Clock
  /** tests: their own HTTP transport */
  transport?: Transport
  /** tests: the jitter of pauses */
  random?: () => number
}

export interface ActionInfo {
  /** as annotation titles and the summary name the action: 'DWS snapshot' */
  name: string
  /** its action.yml: the inputs it declares, and their defaults */
  metadata: URL
  /** the failures only this action has, titled and hinted */
  ownFailures?: OwnFailures
}

export class Step implements Reporter {
  readonly clock: Clock
  readonly random: (() => number) | undefined
  readonly startedAt: number
  readonly stats: CallStats = { requests: 0, retries: 0 }
  readonly inputs: Inputs
  readonly log: Log
  /** what the run knows when it fails, so messages can name it; filled in as the run learns */
  readonly failureContext: FailureContext = {}
  /** the first failure to write an output: the run goes on, and reports it once at the end */
  outputFailure: Error | undefined
  private readonly secrets = new SecretRegistry()
  private ownTransport: ClosableTransport | undefined

  constructor(
    readonly io: ActionIO,
    readonly action: ActionInfo,
    private readonly options: RunOptions
  ) {
    this.clock = options.clock ?? systemClock
    this.random = options.random
    this.startedAt = this.clock.now()
    this.inputs = new Inputs((name) => io.getInput(name), readActionMetadata(action.metadata))
    this.log = {
      // The runner reads '::' at the start of any line of plain output as a command; annotations are escaped by @actions/core.
      info: (message) => io.info(this.redact(message).replace(/^(\s*)::/gm, '$1: :')),
      notice: (message) => io.notice(this.redact(message)),
      warning: (message) => io.warning(this.redact(message)),
      debug: (message) => io.debug(this.redact(message))
    }
  }

  get env(): ActionIO['env'] {
    return this.io.env
  }

  /** Scrubs every secret registered so far, in every encoding. */
  readonly redact: Redact = (text) => this.secrets.redact(text)

  /** Masked on the runner and scrubbed from everything the step writes, from now on. */
  readonly registerSecret = (value: string): void => {
    if (!value) return
    this.io.setSecret(value)
    this.secrets.add(value)
  }

  elapsedMs(): number {
    return this.clock.now() - this.startedAt
  }

  /** The run's HTTP transport: one kept connection per host, closed when the step ends. */
  transport(userAgent: string): Transport {
    if (this.options.transport) return this.options.transport
    this.ownTransport ??= createTransport(userAgent, this.io.isDebug() ? { onExchange: (e) => this.log.debug(describeExchange(e)) } : {})
    return this.ownTransport
  }

  /** Starts connecting to a host the step is about to call. */
  preconnect(url: URL): void {
    this.ownTransport?.preconnect(url)
  }

  /** Before the first request that changes anything: the step must be able to publish what it did. */
  checkResultFiles(files: readonly ResultFile[]): void {
    for (const file of files) {
      const problem = this.io.resultFileProblem(file)
      if (problem !== undefined) throw new ResultFileError(problem)
    }
  }

  setOutput(name: string, value: string): void {
    try {
      this.io.setOutput(name, value)
    } catch (error) {
      this.outputFailure ??= error as Error
    }
  }

  /** One failure in one sentence with its hint, scrubbed: for a warning or a summary line. */
  describe(error: unknown): string {
    const described = describeFailure(error, this.failureContext, this.action.ownFailures)
    return this.redact(described.hint ? `${described.message} ${described.hint}` : described.message)
  }

  annotate(error: unknown, options: AnnotateOptions = {}): Reported {
    return annotate({ io: this.io, redact: this.redact, log: this.log, action: this.action, context: this.failureContext }, error, options)
  }

  /** The title as the runner shows it: `DWS snapshot: Invalid input`. */
  title(title: Title): string {
    return annotationTitle(this.action.name, title)
  }

  close(): void {
    this.ownTransport?.close()
  }
}

/** What an action does in its step. */
export interface Story {
  execute(step: Step): Promise<void>
  /** annotates what failed and sets the outputs; returns what the summary and the exit code need */
  report(step: Step, failure: unknown): Promise<RunOutcome> | RunOutcome
  /** the runner cancels the job: what is left behind, in a log line and the summary (written synchronously) */
  cancelled(step: Step, signal: string): { message: string; summary: string }
}

/** Runs a story in the step skeleton and sets (and returns) the exit code. */
export async function runStep(io: ActionIO, action: ActionInfo, options: RunOptions, story: Story): Promise<number> {
  const step = new Step(io, action, options)
  const known = step.inputs.metadata.inputs
  // Before the inputs are read: a misspelt input often explains the error that follows.
  for (const unknown of unknownInputs(io.env, known)) io.warning(unknownInputMessage(unknown, known), step.title('Unknown input'))
  const stopWatching = onCancel((signal) => {
    const { message, summary } = story.cancelled(step, signal)
    step.log.info(message)
    try {
      io.appendSummarySync(step.redact(summary))
    } catch (error) {
      step.log.warning(`Could not write the job summary: ${(error as Error).message}`)
    }
  })
  let failure: unknown
  try {
    await story.execute(step)
  } catch (error) {
    failure = error
  } finally {
    stopWatching()
  }
  const outcome = await story.report(step, failure)
  let exitCode = outcome.failed ? 1 : 0
  if (step.outputFailure) {
    const message = `Could not write the step outputs (GITHUB_OUTPUT): ${step.outputFailure.message}.${outcome.leftBehind}`
    // The run's own failure, if any, keeps its error annotations.
    if (exitCode === 1) step.log.warning(message)
    else
      io.error(
        step.redact(`${message}\nTroubleshooting: ${troubleshootingLink(io.env, 'Outputs not written')}`),
        step.title('Outputs not written')
      )
    exitCode = 1
  }
  try {
    await io.appendSummary(step.redact(outcome.summary))
  } catch (error) {
    step.log.warning(`Could not write the job summary: ${(error as Error).message}`)
  }
  step.close()
  io.setExitCode(exitCode)
  return exitCode
}

/** The runner cancels a job with SIGINT, then SIGTERM: say what is left behind, then exit. */
function onCancel(handler: (signal: string) => void): () => void {
  const listener = (signal: NodeJS.Signals): void => {
    handler(signal)
    process.exit(1)
  }
  process.once('SIGINT', listener)
  process.once('SIGTERM', listener)
  return () => {
    process.off('SIGINT', listener)
    process.off('SIGTERM', listener)
  }
}
