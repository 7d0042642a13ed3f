/**
 * Restoring a snapshot into a new cluster: find the snapshot and refuse one that is not usable,
 * refuse a cluster name already taken, send the restore exactly once (after a lost answer the name
 * is looked up, and a cluster found is adopted, never a second made), then watch the new cluster
 * until it can be used. Nothing here knows GitHub Actions or an input's name.
 */
import { ApiError, failureKind, isClusterNotFound } from '../cloud/errors.js'
import { withRetries, type RetryContext } from '../cloud/retry.js'
import { closestMatches } from '../kernel/did-you-mean.js'
import { OnceByName } from './once.js'
import { CLUSTER_BUILDING, CLUSTER_FAILED, CLUSTER_READY, RESTORING_TASK } from './status.js'
import type { Cluster, RestoreApi, RestoreRequest, RetentionApi, Snapshot, SnapshotApi } from './types.js'
import { progressReading, watch, type Phase, type WatchContext } from './watch.js'
import { formatDuration } from '../kernel/time.js'

/** Which snapshot to restore: by id, or by name among one cluster's snapshots. */
export type SnapshotChoice = { id: string } | { name: string; clusterId: string }

/** No snapshot has that id, or that name in the cluster (with the closest names it has). */
export class SnapshotNotFoundError extends Error {
  constructor(
    readonly choice: SnapshotChoice,
    readonly closest: readonly string[] = [],
    /** several snapshots of the cluster have the name, differing only in case */
    readonly ambiguous: readonly Snapshot[] = []
  ) {
    super(
      'id' in choice
        ? `no snapshot has the id ${choice.id} in this project`
        : ambiguous.length > 0
          ? `${ambiguous.length} snapshots of cluster ${choice.clusterId} are named '${choice.name}' but for case ` +
            `(${ambiguous.map((s) => `'${s.name}' ${s.id}`).join(', ')}): give snapshot_id instead`
          : `cluster ${choice.clusterId} has no snapshot named '${choice.name}'` +
            (closest.length > 0 ? ` (closest: ${closest.map((name) => `'${name}'`).join(', ')})` : '')
    )
    this.name = 'SnapshotNotFoundError'
  }
}

/** The snapshot exists but is not AVAILABLE: nothing is restored from it. */
export class SnapshotNotRestorableError extends Error {
  constructor(readonly snapshot: Snapshot) {
    super(
      `Snapshot '${snapshot.name}' (id ${snapshot.id}) is ${snapshot.status}: only an AVAILABLE snapshot can be restored. ` +
        'Nothing was restored.'
    )
    this.name = 'SnapshotNotRestorableError'
  }
}

/** A cluster of the project already has the name (names are compared without case). */
export class ClusterNameTakenError extends Error {
  constructor(
    readonly clusterName: string,
    readonly existing: Cluster
  ) {
    super(`cluster '${existing.name ?? clusterName}' (id ${existing.id}) already has the name '${clusterName}' in this project`)
    this.name = 'ClusterNameTakenError'
  }
}

/** The restored cluster ended in a failed state. */
export class RestoreFailedError extends Error {
  constructor(readonly cluster: Cluster) {
    super(
      `Cluster ${describe(cluster)} ended ${cluster.status ?? 'failed'} on the service: the restore failed.` +
        (cluster.failedReasons !== undefined ? ` The cluster reports: ${cluster.failedReasons}` : '')
    )
    this.name = 'RestoreFailedError'
  }
}

export class ClusterNotReadyError extends Error {
  constructor(
    readonly cluster: Cluster,
    readonly waitedMs: number
  ) {
    super(
      `Cluster ${describe(cluster)} is still ${cluster.status ?? 'not ready'} after waiting ${formatDuration(waitedMs)}: the service ` +
        'goes on restoring it. Raise wait_timeout to wait longer (and the job timeout-minutes above it), or set wait: false.'
    )
    this.name = 'ClusterNotReadyError'
  }
}

export interface RestoreContext extends RetryContext {
  client: SnapshotApi & RetentionApi & RestoreApi
}

/** The snapshot, which must be AVAILABLE. */
export async function snapshotToRestore(choice: SnapshotChoice, ctx: RestoreContext): Promise<Snapshot> {
  const snapshot = 'id' in choice ? await snapshotById(choice.id, ctx) : await snapshotByName(choice, ctx)
  if (snapshot.status !== 'AVAILABLE') throw new SnapshotNotRestorableError(snapshot)
  return snapshot
}

async function snapshotById(id: string, ctx: RestoreContext): Promise<Snapshot> {
  try {
    return await withRetries(() => ctx.client.getSnapshot(id), ctx)
  } catch (error) {
    // The service answers an unknown snapshot id with 400 DWS.5149.
    if (error instanceof ApiError && error.errorCode === 'DWS.5149') throw new SnapshotNotFoundError({ id })
    throw error
  }
}

/** Among the cluster's snapshots: the exact name, or the one that differs only in case. */
async function snapshotByName(choice: { name: string; clusterId: string }, ctx: RestoreContext): Promise<Snapshot> {
  const snapshots = await withRetries(() => ctx.client.listClusterSnapshots(choice.clusterId), ctx)
  const exact = snapshots.find((s) => s.name === choice.name)
  if (exact) return exact
  const wanted = choice.name.toLowerCase()
  const sameButCase = snapshots.filter((s) => s.name.toLowerCase() === wanted)
  const [only] = sameButCase
  if (only !== undefined && sameButCase.length === 1) return only
  if (sameButCase.length > 1) throw new SnapshotNotFoundError(choice, [], sameButCase)
  const names = snapshots.map((s) => s.name)
  throw new SnapshotNotFoundError(choice, closestMatches(choice.name, names, { most: 3 }))
}

/** Refuses a name a cluster of the project (`clusters`, the project's list) already has. */
export function checkClusterNameFree(name: string, clusters: readonly Cluster[]): void {
  const taken = named(name, clusters)
  if (taken) throw new ClusterNameTakenError(name, taken)
}

/** Names are compared without case, as the service does. */
function named(name: string, clusters: readonly Cluster[]): Cluster | undefined {
  const wanted = name.toLowerCase()
  return clusters.find((c) => c.name?.toLowerCase() === wanted)
}

async function clusterNamed(name: string, ctx: RestoreContext): Promise<Cluster | undefined> {
  return named(name, await withRetries(() => ctx.client.listClusters(), ctx))
}

export interface Restored {
  clusterId: string
  /** found by name after a lost answer: most likely ours, but this step cannot prove it */
  adopted: boolean
}

/** Sends the restore; a cluster found by name after a lost answer is adopted, never a second made. */
export async function restoreOnce(request: RestoreRequest, ctx: RestoreContext): Promise<Restored> {
  const name = request.clusterName
  const once = new OnceByName(() => lookUp(name, ctx), `cluster named '${name}'`, 'A restore')
  /** set when a cluster is found by name before a resend */
  const adoption: { id?: string } = {}
  try {
    const clusterId = await withRetries(() => ctx.client.restoreCluster(request), ctx, {
      beforeRetry: async (lastError) => (adoption.id = (await once.beforeRetry(lastError))?.id)
    })
    const adopted = adoption.id === clusterId
    if (adopted) ctx.log.info(`The lost restore did reach the service: adopting cluster '${name}' (id ${clusterId}).`)
    return { clusterId, adopted }
  } catch (error) {
    const found = await once.afterFailure(error, nameTakenMeanwhile(error))
    if (found && once.mayExist) {
      ctx.log.info(`The lost restore did reach the service: adopting cluster '${name}' (id ${found.id}).`)
      return { clusterId: found.id, adopted: true }
    }
    // The name was free a moment ago: another job took it. Its cluster is not ours.
    if (found) throw new ClusterNameTakenError(name, found)
    throw once.failure(error)
  }
}

/** A refusal that may mean another job took the name meanwhile (the code for that is undocumented). */
function nameTakenMeanwhile(error: unknown): boolean {
  return error instanceof ApiError && failureKind(error) === 'permanent' && (error.status === 400 || error.status === 409)
}

/** The name looked up once; a failing list is not fatal: the restore's own error stands. */
async function lookUp(name: string, ctx: RestoreContext): Promise<Cluster | undefined> {
  try {
    return await clusterNamed(name, ctx)
  } catch (error) {
    ctx.log.warning(`Could not check whether cluster '${name}' exists (${(error as Error).message}).`)
    return undefined
  }
}

/** Usable once its status says so and no task is left running (the Terraform provider's rule). */
export function clusterPhase(cluster: Cluster): Phase {
  const status = cluster.status ?? ''
  const tasks = Object.keys(cluster.actionProgress ?? {})
  if (CLUSTER_FAILED.has(status)) return 'failed'
  if (CLUSTER_READY.has(status)) return tasks.length === 0 ? 'done' : 'pending'
  return CLUSTER_BUILDING.has(status) || tasks.length > 0 ? 'pending' : 'unknown'
}

/** Watches the new cluster until it can be used; `onUpdate` has every read. */
export function waitForCluster(
  clusterId: string,
  ctx: WatchContext & { client: SnapshotApi; onUpdate?: (cluster: Cluster) => void }
): Promise<Cluster> {
  return watch<Cluster>(
    {
      label: `Cluster ${clusterId}`,
      read: async () => {
        const cluster = await ctx.client.getCluster(clusterId)
        ctx.onUpdate?.(cluster)
        return cluster
      },
      status: (cluster) => [cluster.status ?? 'UNKNOWN', cluster.taskStatus].filter(Boolean).join(', '),
      phase: clusterPhase,
      progress: (cluster, at) => progressReading(cluster.actionProgress?.[RESTORING_TASK], at),
      failed: (cluster) => new RestoreFailedError(cluster),
      timedOut: (cluster, waitedMs) => new ClusterNotReadyError(cluster, waitedMs)
    },
    ctx
  )
}

/** Whether the service says the cluster does not exist (any more). */
export function isClusterGone(error: unknown): boolean {
  return isClusterNotFound(error) || (error instanceof ApiError && error.status === 404)
}

function describe(cluster: Cluster): string {
  return cluster.name ? `'${cluster.name}' (id ${cluster.id})` : cluster.id
}
