/** What the snapshot operations work with, and the port they reach the service through. */

export interface Snapshot {
  id: string
  name: string
  status: string
  clusterId?: string
  /** ISO 8601 UTC with `Z` */
  started?: string
  finished?: string
  /** GB */
  size?: number
  progress?: string
  /** `SNAPSHOTTING` while the cluster still runs the snapshot task (details only) */
  clusterTaskStatus?: string
  /** `MANUAL`, or `AUTO`/`AUTOMATED` (the spelling differs between API versions) */
  type?: string
  description?: string
}

export interface Cluster {
  id: string
  name?: string
  status?: string
  subStatus?: string
  taskStatus?: string
  /** a short, cleaned rendering of `failed_reasons` */
  failedReasons?: string
  /** `action_progress.SNAPSHOTTING` ('20%') while the cluster takes a snapshot */
  snapshotProgress?: string
}

/** Why the cluster's last snapshot failed, from its SNAPSHOTTING_FAILED task (cleaned). */
export interface SnapshotFailure {
  failedStep?: string
  errorCode?: string
  errorMsg?: string
}

/** What one cluster's snapshot should be. */
export interface SnapshotSpec {
  name: string
  clusterId: string
  description: string
}

/** The DWS calls the snapshot operations need; DwsClient implements it, tests script it. */
export interface SnapshotApi {
  createSnapshot(spec: SnapshotSpec): Promise<string>
  getSnapshot(id: string): Promise<Snapshot>
  /** `named`: only the snapshots of this name (without regard to case); the others are skipped unread. */
  listSnapshots(named?: string): Promise<Snapshot[]>
  getCluster(id: string): Promise<Cluster>
  /** Optional: without it, a failed snapshot is reported without the failed step. */
  getSnapshotFailure?(clusterId: string): Promise<SnapshotFailure | undefined>
}

/** The calls retention needs besides those: the cluster's own list, and delete. */
export interface RetentionApi {
  /** every snapshot of the cluster, each once, however the service pages */
  listClusterSnapshots(clusterId: string): Promise<Snapshot[]>
  /** resolves when the service accepted the deletion (202) */
  deleteSnapshot(id: string): Promise<void>
}
