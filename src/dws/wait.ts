/**
 * Polling a snapshot until it is usable, has failed, or the step's waiting budget runs out; then,
 * within the same budget, until the cluster has left its snapshot task, so that the next step
 * (a migration that changes the cluster) does not meet "cluster busy". A failed status read is
 * retried until the deadline: an API blip during a long snapshot must not fail the step.
 * Reads are scheduled from the progress the service reports (see poll.ts): sparse while the end is
 * far, dense around it. Logs on every status change and at least once a minute, never once per poll,
 * with the progress and, when it predicts one, the time left.
 */
import { withRetries, type RetryContext } from '../cloud/retry.js'
import { formatDuration } from '../kernel/time.js'
import { nextPollAt, nextProgressLineAt } from './poll.js'
import { addSample, estimateEnd, type EndEstimate, type ProgressSample } from './progress.js'
import { ProgressReader } from './progress-reader.js'
import { SNAPSHOT_FAILED, SNAPSHOT_PENDING, SNAPSHOT_USABLE, SNAPSHOTTING_TASK } from './status.js'
import type { Cluster, Snapshot, SnapshotApi } from './types.js'

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

async function pollSnapshot(id: string, clusterId: string, ctx: WaitContext): Promise<Snapshot> {
  const { clock, log } = ctx
  const since = clock.now()
  const reader = new ProgressReader(ctx.client, clusterId, log)
  const samples: ProgressSample[] = []
  let lastStatus = ''
  let lastLogAt = since
  for (;;) {
    const snapshot = await withRetries(() => ctx.client.getSnapshot(id), ctx, { untilDeadline: true, capMs: ctx.pollIntervalMs })
    ctx.onUpdate(snapshot)
    const now = clock.now()
    const progress = SNAPSHOT_PENDING.has(snapshot.status) ? await reader.read(snapshot, now) : undefined
    if (progress?.sample) addSample(samples, progress.sample)
    const found = estimateEnd(samples)
    const estimate = typeof found === 'string' || !SNAPSHOT_PENDING.has(snapshot.status) ? undefined : found
    const line = (at: number, when: string): string =>
      `Snapshot ${id}: ${snapshot.status}${progress ? ` ${progress.text}` : ''} ${when}${timeLeft(estimate, at)}`
    if (snapshot.status !== lastStatus) {
      const unknown =
        !SNAPSHOT_USABLE.has(snapshot.status) && !SNAPSHOT_FAILED.has(snapshot.status) && !SNAPSHOT_PENDING.has(snapshot.status)
      log.info(
        line(now, `after ${formatDuration(now - since)}`) +
          (unknown ? ' (a status this action does not know: waiting on until it changes or wait_timeout)' : '')
      )
      lastStatus = snapshot.status
      lastLogAt = now
    } else if (now >= nextProgressLineAt(lastLogAt)) {
      log.info(line(now, `after ${formatDuration(now - since)}`))
      lastLogAt = now
    }
    if (SNAPSHOT_USABLE.has(snapshot.status)) return snapshot
    if (SNAPSHOT_FAILED.has(snapshot.status)) throw new SnapshotFailedError(snapshot)
    const wakeAt = nextPollAt({ now, pollIntervalMs: ctx.pollIntervalMs, deadline: ctx.deadline, estimate })
    if (wakeAt === undefined) throw new WaitTimeoutError(snapshot, now - since)
    log.debug(
      `Next read of snapshot ${id} in ${formatDuration(wakeAt - now)} (${typeof found === 'string' ? `progress: ${found}` : 'from the progress estimate'})`
    )
    // A long gap between reads still gets a progress line every minute.
    while (clock.now() < wakeAt) {
      const nextLogAt = nextProgressLineAt(lastLogAt)
      await clock.sleep(Math.min(wakeAt, nextLogAt) - clock.now())
      const at = clock.now()
      if (at >= nextLogAt && at < wakeAt) {
        log.info(line(at, `at the last check, ${formatDuration(at - since)} elapsed`))
        lastLogAt = at
      }
    }
  }
}

/** ', about 4m left' from the estimate, rounded to what an estimate can promise. */
function timeLeft(estimate: EndEstimate | undefined, now: number): string {
  if (estimate === undefined) return ''
  const left = estimate.endAt - now
  if (left < 60_000) return ', less than a minute left'
  return `, about ${formatDuration(Math.round(left / 60_000) * 60_000)} left`
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
