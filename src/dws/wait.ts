/**
 * Waiting for a snapshot until it is usable, has failed, or the step's waiting budget runs out
 * (watch.ts); then, within the same budget, until the cluster has left its snapshot task, so that
 * the next step (a migration that changes the cluster) does not meet "cluster busy".
 */
import { withRetries, type RetryContext } from '../cloud/retry.js'
import { formatDuration } from '../kernel/time.js'
import { ProgressReader } from './progress-reader.js'
import { SNAPSHOT_FAILED, SNAPSHOT_PENDING, SNAPSHOT_USABLE, SNAPSHOTTING_TASK } from './status.js'
import type { Cluster, Snapshot, SnapshotApi } from './types.js'
import { watch } from './watch.js'

export class SnapshotFailedError extends Error {
  constructor(readonly snapshot: Snapshot) {
    super(`Snapshot '${snapshot.name || snapshot.id}' (id ${snapshot.id}) ended ${snapshot.status} on the service: it cannot be used.`)
    this.name = 'SnapshotFailedError'
  }
}

export class WaitTimeoutError extends Error {
  constructor(
    readonly snapshot: Snapshot,
    readonly waitedMs: number
  ) {
    super(
      `Snapshot ${snapshot.id} is still ${snapshot.status} after waiting ${formatDuration(waitedMs)}: the service goes on building it. ` +
        'Raise wait_timeout to wait longer (and the job timeout-minutes above it), or set wait: false and check it later.'
    )
    this.name = 'WaitTimeoutError'
  }
}

export interface WaitContext extends RetryContext {
  client: SnapshotApi
  pollIntervalMs: number
  /** clock time (ms) at which waiting stops */
  deadline: number
  /** called with every snapshot state read, so the caller always has the latest */
  onUpdate(snapshot: Snapshot): void
  /** called with each read of the cluster after the snapshot is usable (its name is worth keeping) */
  onCluster?(cluster: Cluster): void
}

export async function waitUntilUsable(id: string, clusterId: string, ctx: WaitContext): Promise<Snapshot> {
  const snapshot = await pollSnapshot(id, clusterId, ctx)
  await waitForClusterTask(snapshot, clusterId, ctx)
  return snapshot
}

function pollSnapshot(id: string, clusterId: string, ctx: WaitContext): Promise<Snapshot> {
  const reader = new ProgressReader(ctx.client, clusterId, ctx.log)
  return watch<Snapshot>(
    {
      label: `Snapshot ${id}`,
      read: async () => {
        const snapshot = await ctx.client.getSnapshot(id)
        ctx.onUpdate(snapshot)
        return snapshot
      },
      status: (snapshot) => snapshot.status,
      phase: (snapshot) =>
        SNAPSHOT_USABLE.has(snapshot.status)
          ? 'done'
          : SNAPSHOT_FAILED.has(snapshot.status)
            ? 'failed'
            : SNAPSHOT_PENDING.has(snapshot.status)
              ? 'pending'
              : 'unknown',
      progress: (snapshot, at) => reader.read(snapshot, at),
      failed: (snapshot) => new SnapshotFailedError(snapshot),
      timedOut: (snapshot, waitedMs) => new WaitTimeoutError(snapshot, waitedMs)
    },
    ctx
  )
}

/**
 * After AVAILABLE the cluster may still report the snapshot task for a while. Waits (within the
 * deadline) until it has left it; at the deadline the snapshot is still usable, so this only warns.
 */
async function waitForClusterTask(snapshot: Snapshot, clusterId: string, ctx: WaitContext): Promise<void> {
  const { clock, log } = ctx
  if (snapshot.clusterTaskStatus !== undefined && snapshot.clusterTaskStatus !== SNAPSHOTTING_TASK) return
  const since = clock.now()
  let announced = false
  for (;;) {
    let task: string | undefined
    try {
      const cluster = await withRetries(() => ctx.client.getCluster(clusterId), ctx, { untilDeadline: true, capMs: ctx.pollIntervalMs })
      ctx.onCluster?.(cluster)
      task = cluster.taskStatus
    } catch (error) {
      // Reading the cluster needs its own permission; the snapshot is usable either way.
      log.debug(`Could not read the cluster's task after the snapshot finished: ${(error as Error).message}`)
      return
    }
    if (task !== SNAPSHOTTING_TASK) {
      if (announced) log.info(`The cluster has left its snapshot task after ${formatDuration(clock.now() - since)}.`)
      return
    }
    const remaining = ctx.deadline - clock.now()
    if (remaining <= 0) {
      log.warning(
        `Snapshot ${snapshot.id} is ${snapshot.status}, but the cluster still reports the task ${SNAPSHOTTING_TASK} at wait_timeout: ` +
          'a following step that changes the cluster may be refused as busy for a while.'
      )
      return
    }
    if (!announced) log.info(`Snapshot ${snapshot.id} is ${snapshot.status}; waiting for the cluster to finish its snapshot task.`)
    announced = true
    await clock.sleep(Math.min(ctx.pollIntervalMs, remaining))
  }
}
