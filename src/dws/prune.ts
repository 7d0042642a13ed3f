/**
 * Carrying out a retention plan: list the cluster's snapshots, plan, then delete oldest first, one at
 * a time, and confirm each is gone before counting it deleted. A deletion that fails is recorded and
 * the next one is tried: retention never fails the step, whose result is the new snapshot.
 */
import { ApiError } from '../cloud/errors.js'
import { withRetries, type RetryContext } from '../cloud/retry.js'
import { formatDuration } from '../kernel/time.js'
import { confirmGone } from './gone.js'
import { planRetention, type RetentionPlan, type RetentionRule } from './retention.js'
import type { RetentionApi, Snapshot, SnapshotApi } from './types.js'

export interface PruneOptions extends RetryContext {
  client: SnapshotApi & RetentionApi
  clusterId: string
  rule: RetentionRule
  /** plan only: nothing is deleted */
  dryRun: boolean
}

/** Deletions are confirmed by reading the snapshot every 5 s, for up to a minute each. */
const DELETION_CHECKS = { intervalMs: 5000, times: 12 }

export interface PruneFailure {
  snapshot: Snapshot
  error: unknown
}

export interface RetentionResult {
  plan: RetentionPlan
  dryRun: boolean
  /** deleted and confirmed gone, oldest first */
  deleted: Snapshot[]
  failed: PruneFailure[]
}

/** The service accepted the deletion but the snapshot still showed after every check. */
class DeletionNotConfirmedError extends Error {
  constructor(snapshot: Snapshot, waitedMs: number) {
    super(
      `The service accepted the deletion of snapshot '${snapshot.name}' (id ${snapshot.id}), but it still showed ` +
        `${formatDuration(waitedMs)} later; check the DWS console.`
    )
    this.name = 'DeletionNotConfirmedError'
  }
}

export async function prune(current: Snapshot, options: PruneOptions): Promise<RetentionResult> {
  const { client, clock, log } = options
  const listed = await withRetries(() => client.listClusterSnapshots(options.clusterId), options)
  const plan = planRetention(listed, current, { clusterId: options.clusterId, rule: options.rule, nowMs: clock.now() })
  const result: RetentionResult = { plan, dryRun: options.dryRun, deleted: [], failed: [] }
  log.info(`Retention: ${plan.delete.length} to delete, ${plan.keep.length} kept of ${listed.length} snapshots of the cluster.`)
  for (const { snapshot, reason } of plan.delete) {
    if (options.dryRun) {
      log.info(`Dry run: would delete snapshot '${snapshot.name}' (id ${snapshot.id}, started ${snapshot.started ?? '?'}): ${reason}.`)
      continue
    }
    try {
      await deleteAndConfirm(snapshot, options)
      result.deleted.push(snapshot)
      log.info(`Deleted snapshot '${snapshot.name}' (id ${snapshot.id}, started ${snapshot.started ?? '?'}): ${reason}.`)
    } catch (error) {
      result.failed.push({ snapshot, error })
    }
  }
  return result
}

/**
 * DELETE, then read the snapshot until the service says it does not exist. A DELETE refused with
 * DWS.0001 may mean "already deleted" (a retried DELETE whose first answer was lost): the reads
 * decide, and if the snapshot stays, the refusal is the failure.
 */
async function deleteAndConfirm(snapshot: Snapshot, options: PruneOptions): Promise<void> {
  const { client, clock } = options
  let refused: Error | undefined
  try {
    await withRetries(() => client.deleteSnapshot(snapshot.id), options)
  } catch (error) {
    if (!isGone(error)) throw error
    refused = error as ApiError
  }
  const startedAt = clock.now()
  if (await confirmGone(() => client.getSnapshot(snapshot.id), isGone, DELETION_CHECKS, options)) return
  throw refused ?? new DeletionNotConfirmedError(snapshot, clock.now() - startedAt)
}

/** How the service says a snapshot does not exist: 400 DWS.5149 on a read, 400 DWS.0001 on a repeated delete. */
function isGone(error: unknown): boolean {
  return (
    error instanceof ApiError && (error.status === 400 || error.status === 404) && ['DWS.5149', 'DWS.0001'].includes(error.errorCode ?? '')
  )
}
