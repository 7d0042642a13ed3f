/**
 * Deleting a cluster this step made, for the restore action's post step: only the cluster it saved,
 * and only while it still has the name it was given (an id is never trusted alone to delete), then
 * confirmed by reading until the service says it is gone.
 */
import { withRetries, type RetryContext } from '../cloud/retry.js'
import { confirmGone, type GoneChecks } from './gone.js'
import { isClusterGone } from './restore.js'
import type { RestoreApi, SnapshotApi } from './types.js'

/** The cluster could not be deleted, or its deletion was not confirmed: it may still cost money. */
export class ClusterNotDeletedError extends Error {
  constructor(
    readonly cluster: { id: string; name: string },
    reason: string,
    /** the service's refusal or the failed read, for the hint */
    readonly last?: Error
  ) {
    super(`Cluster '${cluster.name}' (id ${cluster.id}) was not deleted: ${reason}. Delete it in the DWS console, or it goes on costing.`)
    this.name = 'ClusterNotDeletedError'
  }
}

export type DeleteOutcome = 'deleted' | 'already gone'

export async function deleteClusterAndConfirm(
  cluster: { id: string; name: string },
  checks: GoneChecks,
  ctx: RetryContext & { client: SnapshotApi & RestoreApi }
): Promise<DeleteOutcome> {
  const { client } = ctx
  let current
  try {
    current = await withRetries(() => client.getCluster(cluster.id), ctx)
  } catch (error) {
    if (isClusterGone(error)) return 'already gone'
    throw new ClusterNotDeletedError(cluster, `it could not be read (${(error as Error).message})`, error as Error)
  }
  if (current.name !== undefined && current.name !== cluster.name) {
    throw new ClusterNotDeletedError(cluster, `the cluster with that id is named '${current.name}', so it is not the one this step made`)
  }
  if (current.status !== 'DELETING') {
    try {
      await withRetries(() => client.deleteCluster(cluster.id), ctx)
    } catch (error) {
      // DWS.0015 says "not found or no permission": the cluster read fine a moment ago, so only a read that no longer finds it says gone.
      const refused = () =>
        new ClusterNotDeletedError(cluster, `the service refused to delete it (${(error as Error).message})`, error as Error)
      if (!isClusterGone(error)) throw refused()
      if (await confirmGone(() => client.getCluster(cluster.id), isClusterGone, { intervalMs: 0, times: 1 }, ctx)) return 'already gone'
      throw refused()
    }
  }
  if (await confirmGone(() => client.getCluster(cluster.id), isClusterGone, checks, ctx)) return 'deleted'
  const waited = Math.round((checks.intervalMs * checks.times) / 60_000)
  throw new ClusterNotDeletedError(cluster, `it still shows after ${checks.times} checks over about ${waited} minutes`)
}
