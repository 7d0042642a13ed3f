/**
 * Where a waiting step reads a snapshot's progress: the snapshot's own `progress`, or, when that is
 * missing, the cluster's `action_progress.SNAPSHOTTING`. The cluster costs one more call per poll,
 * so it is read only while it helps: never again after it is refused (reading it needs its own
 * permission) or after a few answers without a usable value. Its failures never fail the wait.
 */
import { failureKind } from '../cloud/errors.js'
import type { Log } from '../kernel/log.js'
import { SNAPSHOT_PENDING } from './status.js'
import type { Snapshot, SnapshotApi } from './types.js'
import { progressReading, type ProgressReading } from './watch.js'

/** Cluster answers without a usable progress after which the cluster is not asked again. */
const CLUSTER_TRIES = 3

export class ProgressReader {
  private clusterMisses = 0
  private clusterHelped = false
  private clusterOff = false

  constructor(
    private readonly client: Pick<SnapshotApi, 'getCluster'>,
    private readonly clusterId: string,
    private readonly log: Log
  ) {}

  /** The progress to show and estimate from at `at`; undefined when neither source has one. */
  async read(snapshot: Snapshot, at: number): Promise<ProgressReading | undefined> {
    const own = progressReading(snapshot.progress, at)
    if (own?.sample !== undefined || !SNAPSHOT_PENDING.has(snapshot.status)) return own
    return (await this.fromCluster(at)) ?? own
  }

  private async fromCluster(at: number): Promise<ProgressReading | undefined> {
    if (this.clusterOff) return undefined
    let text: string | undefined
    try {
      text = (await this.client.getCluster(this.clusterId)).snapshotProgress
    } catch (error) {
      // Progress is a bonus: a passing fault skips this poll, anything else ends the cluster reads.
      if (failureKind(error) !== 'transient') {
        this.clusterOff = true
        this.log.debug(`Not reading the cluster's progress any more: ${(error as Error).message}`)
      }
      return undefined
    }
    const found = progressReading(text, at)
    if (found?.sample !== undefined) {
      this.clusterHelped = true
      return found
    }
    if (!this.clusterHelped && ++this.clusterMisses >= CLUSTER_TRIES) this.clusterOff = true
    return undefined
  }
}
