/**
 * Restoring chosen tables of a snapshot into its own cluster: the service's check of the names
 * first (nothing is restored when it rejects one), then the restore, sent once (a job cannot be
 * looked up by name, so a lost answer is reported rather than sent again), then its job watched
 * until it ends.
 */
import { outcomeUnknown } from '../cloud/errors.js'
import { withRetries, type RetryContext } from '../cloud/retry.js'
import { formatDuration } from '../kernel/time.js'
import { OutcomeUnknownError } from './once.js'
import { JOB_DONE, JOB_FAILED } from './status.js'
import type { Job, RestoreApi, TableCheck, TableRestoreRequest } from './types.js'
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

/** Throws TablesRejectedError when the service refuses any name. */
export async function checkTables(request: TableRestoreRequest, ctx: TableRestoreContext): Promise<void> {
  const check = await withRetries(() => ctx.client.checkTableRestore(request), ctx)
  if (check.rejectedSources.length > 0 || check.rejectedTargets.length > 0) throw new TablesRejectedError(check)
}

/** Starts the restore; returns its job's id. Sent again only when it surely did not reach the service. */
export async function restoreTablesOnce(request: TableRestoreRequest, ctx: TableRestoreContext): Promise<string> {
  return withRetries(async () => {
    try {
      return await ctx.client.restoreTables(request)
    } catch (error) {
      // A second job would restore the tables again over whatever the first one has done.
      if (outcomeUnknown(error)) throw new OutcomeUnknownError('table restore job', error as Error, 'A table restore')
      throw error
    }
  }, ctx)
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
