/** The error annotations of a run: one per failure, titled, with a hint and where to read more. */
import { ApiError } from '../cloud/errors.js'
import type { ClusterResult } from '../dws/job.js'
import type { Log } from '../log.js'
import type { Redact } from '../redact.js'
import { describeFailure, type FailureContext } from './failure.js'
import type { ActionIO } from './io.js'
import type { RunReport } from './summary.js'
import { annotationTitle } from './titles.js'
import { troubleshootingLink } from './troubleshooting.js'

/** One failure, as annotated: the summary and the `snapshots` output quote it. */
export type Reported = NonNullable<RunReport['error']>

/**
 * Annotates one failure: the step's (before any cluster's job) or one cluster's, then titled with the
 * cluster. A snapshot that was made or reused is named where the reader looks first.
 */
export function annotator(
  io: ActionIO,
  redact: Redact,
  log: Log
): (error: unknown, context: FailureContext, result: ClusterResult | undefined, cluster: string | undefined) => Reported {
  return (error: unknown, context: FailureContext, result: ClusterResult | undefined, cluster: string | undefined): Reported => {
    const failure = describeFailure(error, context)
    const title = cluster === undefined ? failure.title : `${failure.title} (${cluster})`
    const message = failure.message + leftBehind(result)
    const help = troubleshootingLink(io.env, failure.title)
    const annotation = [message, failure.hint ? `Hint: ${failure.hint}` : '', `Troubleshooting: ${help}`].filter(Boolean).join('\n')
    io.error(redact(annotation), cluster === undefined ? annotationTitle(failure.title) : `${annotationTitle(failure.title)} (${cluster})`)
    const debug = io.isDebug()
    if (debug && error instanceof ApiError && error.debugDetail) log.debug(`The service said: ${error.debugDetail}`)
    if (!failure.expected || debug) log.debug(error instanceof Error && error.stack ? error.stack : String(error))
    return { title, message: redact(message), hint: redact(failure.hint), help: redact(help) }
  }
}

/** The sentence that names the snapshot this step made or reused, for any failure after it exists. */
export function leftBehind(result: ClusterResult | undefined): string {
  if (!result?.snapshotId) return ''
  const what = result.created === false ? 'reused' : 'created'
  return ` Snapshot ${result.snapshotId} ('${result.snapshotName}') was ${what} by this step and still exists on the service.`
}
