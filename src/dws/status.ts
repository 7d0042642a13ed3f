/**
 * The statuses DWS reports, and what each means to the action: one vocabulary for creating,
 * waiting, reusing, retention and restoring. Pure.
 */

/** A snapshot being built. */
export const SNAPSHOT_PENDING: ReadonlySet<string> = new Set(['CREATING'])
/** A snapshot that can be restored from: AVAILABLE, or RESTORING (complete, being restored from). */
export const SNAPSHOT_USABLE: ReadonlySet<string> = new Set(['AVAILABLE', 'RESTORING'])
/** A snapshot that can never become usable. */
export const SNAPSHOT_FAILED: ReadonlySet<string> = new Set(['UNAVAILABLE', 'FROZEN', 'POLICE_FROZEN'])
/** A snapshot retention may delete: settled, neither in use nor frozen. */
export const SNAPSHOT_DELETABLE: ReadonlySet<string> = new Set(['AVAILABLE', 'UNAVAILABLE'])

/** Cluster statuses in which no snapshot can be taken and no table restored, however long one waits. */
export const CLUSTER_OUT_OF_SERVICE: ReadonlySet<string> = new Set([
  'UNAVAILABLE',
  'FAILED',
  'CREATE_FAILED',
  'DELETING',
  'DELETE_FAILED',
  'DELETED',
  'FROZEN',
  'POLICE_FROZEN'
])

/** The cluster task that runs while a snapshot is taken, and may outlast the snapshot's AVAILABLE. */
export const SNAPSHOTTING_TASK = 'SNAPSHOTTING'

/** A cluster that can be used: newer API pages also say ACTIVE. */
export const CLUSTER_READY: ReadonlySet<string> = new Set(['AVAILABLE', 'ACTIVE'])
/** A cluster whose creation (or restore) failed: it will never become usable. */
export const CLUSTER_FAILED: ReadonlySet<string> = new Set(['FAILED', 'CREATE_FAILED', 'CREATION FAILED'])
/** A cluster being built, e.g. from a snapshot. */
export const CLUSTER_BUILDING: ReadonlySet<string> = new Set(['CREATING'])
/** The cluster task that runs while a snapshot is restored into it. */
export const RESTORING_TASK = 'RESTORING'

/** A job that ended well, or badly; the others (INIT, WAITING, RUNNING, ...) are waited on. */
export const JOB_DONE: ReadonlySet<string> = new Set(['SUCCESS'])
export const JOB_FAILED: ReadonlySet<string> = new Set(['FAIL', 'FAILED'])
