/**
 * Restoring chosen tables of a snapshot into its own cluster: the service's check of the names
 * first (nothing is restored when it rejects one), then the restore, sent once (a job cannot be
 * looked up by name, so a lost answer is reported rather than sent again), then its job watched
 * until it ends.
 */
import { ApiError, isClusterBusy, outcomeUnknown } from '../cloud/errors.js'
import { retry, withRetries, type RetryContext, type Verdict } from '../cloud/retry.js'
import { formatDuration } from '../kernel/time.js'
import { busyDelayMs, busyNotice, ClusterBusyError, type BusyPacing } from './busy.js'
import { OutcomeUnknownError } from './once.js'
import { CLUSTER_OUT_OF_SERVICE, JOB_DONE, JOB_FAILED } from './status.js'
import type { Cluster, Job, RestoreApi, TableCheck, TableRestoreRequest } from './types.js'
import { progressReading, watch, type WatchContext } from './watch.js'

/** The service's pre-check refused some names: nothing was restored. */
export class TablesRejectedError extends Error {
  constructor(readonly check: TableCheck) {
    const parts = [
      check.rejectedSources.length > 0 ? `not restorable from the snapshot: ${check.rejectedSources.join(', ')}` : '',
      check.rejectedTargets.length > 0 ? `not usable as targets: ${check.rejectedTargets.join(', ')}` : ''
    ]
    super(`The service's check refused table names (${parts.filter(Boolean).join('; ')}). Nothing was restored.`)
    this.name = 'TablesRejectedError'
  }
}

/** The snapshot's cluster is in a state in which no table can be restored, however long one waits. */
export class ClusterOutOfServiceError extends Error {
  constructor(readonly cluster: Cluster) {
    super(
      `Cluster ${cluster.name ? `'${cluster.name}' (id ${cluster.id})` : cluster.id} is ${cluster.status ?? 'in an unknown state'}: ` +
        'tables can only be restored into a cluster that is Available. Nothing was restored.'
    )
    this.name = 'ClusterOutOfServiceError'
  }
}

export class TableRestoreFailedError extends Error {
  constructor(readonly job: Job) {
    const reason = [job.failedCode, job.failedDetail].filter(Boolean).join(': ')
    super(`The table restore job ${job.id} ended ${job.status}${reason ? `: ${reason}` : ''}.`)
    this.name = 'TableRestoreFailedError'
  }
}

export class JobNotDoneError extends Error {
  constructor(
    readonly job: Job,
    readonly waitedMs: number
  ) {
    super(
      `The table restore job ${job.id} is still ${job.status} after waiting ${formatDuration(waitedMs)}: the service goes on with it. ` +
        'Raise wait_timeout to wait longer.'
    )
    this.name = 'JobNotDoneError'
  }
}

export interface TableRestoreContext extends RetryContext {
  client: RestoreApi
}

/**
 * Throws ClusterOutOfServiceError when the cluster (when it could be read) cannot run a table restore,
 * TablesRejectedError when the service refuses any name.
 */
export async function checkTables(request: TableRestoreRequest, cluster: Cluster | undefined, ctx: TableRestoreContext): Promise<void> {
  if (cluster?.status !== undefined && CLUSTER_OUT_OF_SERVICE.has(cluster.status)) throw new ClusterOutOfServiceError(cluster)
  const check = await withRetries(() => ctx.client.checkTableRestore(request), ctx)
  if (check.rejectedSources.length > 0 || check.rejectedTargets.length > 0) throw new TablesRejectedError(check)
}

const LOST_TABLE_RESTORE =
  'The table restore may have reached the service although its answer was lost. It is not sent again: a job cannot be ' +
  'looked up by name, and a second one would restore the tables over the first. Check the tables, and the jobs of the ' +
  'cluster in the DWS console, before running the step again.'

/**
 * Starts the restore; returns its job's id. Sent again only when it surely did not reach the service,
 * and while the cluster answers busy (another operation runs), up to the deadline.
 */
export async function restoreTablesOnce(request: TableRestoreRequest, ctx: TableRestoreContext & BusyPacing): Promise<string> {
  const { clock } = ctx
  const startedAt = clock.now()
  const send = () =>
    withRetries(async () => {
      try {
        return await ctx.client.restoreTables(request)
      } catch (error) {
        // A second job would restore the tables again over whatever the first one has done.
        if (outcomeUnknown(error)) throw new OutcomeUnknownError(error as Error, LOST_TABLE_RESTORE)
        throw error
      }
    }, ctx)
  const judge = (error: unknown, tries: number): Verdict<string> => {
    if (!(error instanceof ApiError && isClusterBusy(error))) return { kind: 'give-up', error }
    const delayMs = busyDelayMs(tries, ctx)
    return {
      kind: 'again',
      delayMs,
      say: busyNotice(error, delayMs, clock.now() - startedAt),
      pastDeadline: () => new ClusterBusyError(error, clock.now() - startedAt, undefined, 'the table restore')
    }
  }
  // A busy answer is not a failed request: the pauses are this loop's, not counted as retries.
  return retry({ run: send, judge }, { clock, log: ctx.log, deadline: ctx.deadline, random: ctx.random })
}

export function waitForJob(jobId: string, ctx: WatchContext & { client: RestoreApi; onUpdate?: (job: Job) => void }): Promise<Job> {
  return watch<Job>(
    {
      label: `Table restore job ${jobId}`,
      read: async () => {
        const job = await ctx.client.getJob(jobId)
        ctx.onUpdate?.(job)
        return job
      },
      status: (job) => job.status,
      phase: (job) => (JOB_DONE.has(job.status) ? 'done' : JOB_FAILED.has(job.status) ? 'failed' : 'pending'),
      progress: (job, at) => progressReading(job.progress, at),
      failed: (job) => new TableRestoreFailedError(job),
      timedOut: (job, waitedMs) => new JobNotDoneError(job, waitedMs)
    },
    ctx
  )
}
