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
  /** the tasks still running on the cluster and their progress: `{SNAPSHOTTING: '20%'}`, `{RESTORING: '37%'}` */
  actionProgress?: Readonly<Record<string, string>>
  /** `host:port` inside the VPC, once the service gives one */
  privateEndpoint?: string
  /** `host:port` from outside, when the cluster has a public address */
  publicEndpoint?: string
}

/** What a restore into a new cluster asks for; what is left out the service takes from the source cluster. */
export interface RestoreRequest {
  snapshotId: string
  clusterName: string
  vpcId?: string
  subnetId?: string
  securityGroupId?: string
  availabilityZone?: string
  port?: number
  /** none: no public address; auto: a new one; or an existing EIP */
  publicIp?: { bind: 'not_use' } | { bind: 'auto_assign' } | { bind: 'bind_existing'; eipId: string }
  enterpriseProjectId?: string
}

/** What a table restore asks for: tables of the snapshot, each into a table of its own cluster. */
export interface TableRestoreRequest {
  snapshotId: string
  database: string
  caseSensitive: boolean
  tables: readonly { source: TableName; target: TableName }[]
}

/** The names the service's pre-check refuses, as it writes them (`schema.table`), cleaned. */
export interface TableCheck {
  rejectedSources: string[]
  rejectedTargets: string[]
}

/** A table, as the table restore names it: `schema.table`. */
export interface TableName {
  schema: string
  table: string
}

/** A table restore job (`GET /v1.0/{project_id}/job/{job_id}`). */
export interface Job {
  id: string
  /** INIT (running), SUCCESS or FAIL; others the action does not know are waited on */
  status: string
  progress?: string
  failedCode?: string
  failedDetail?: string
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
  /** `names`: only the snapshots of these names (without regard to case); the others are dropped unread as the list streams in. */
  listSnapshots(names?: ReadonlySet<string>): Promise<Snapshot[]>
  getCluster(id: string): Promise<Cluster>
  /** Optional: without it, a failed snapshot is reported without the failed step. */
  getSnapshotFailure?(clusterId: string): Promise<SnapshotFailure | undefined>
}

/** The calls restoring needs besides those of snapshots. */
export interface RestoreApi {
  listClusters(): Promise<Cluster[]>
  restoreCluster(request: RestoreRequest): Promise<string>
  deleteCluster(id: string): Promise<void>
  checkTableRestore(request: TableRestoreRequest): Promise<TableCheck>
  restoreTables(request: TableRestoreRequest): Promise<string>
  getJob(id: string): Promise<Job>
}

/** The calls retention needs besides those: the cluster's own list, and delete. */
export interface RetentionApi {
  /** every snapshot of the cluster, each once, however the service pages */
  listClusterSnapshots(clusterId: string): Promise<Snapshot[]>
  /** resolves when the service accepted the deletion (202) */
  deleteSnapshot(id: string): Promise<void>
}
