/**
 * The restore action's own failures, each with its title and the hint that says what to fix; the
 * ones both actions share are failure.ts's. Only the restore bundles carry this. Pure.
 */
import { RetriesExhaustedError } from '../../cloud/retry.js'
import { ClusterNotDeletedError } from '../../dws/delete-cluster.js'
import {
  ClusterNameTakenError,
  ClusterNotReadyError,
  RestoreFailedError,
  SnapshotNotFoundError,
  SnapshotNotRestorableError
} from '../../dws/restore.js'
import { ClusterOutOfServiceError, JobNotDoneError, TableRestoreFailedError, TablesRejectedError } from '../../dws/table-restore.js'
import { InputError } from '../inputs/input-error.js'
import { hintFor, type OwnFailures } from './failure.js'

export const describeRestoreFailure: OwnFailures = (error, context, failure) => {
  if (error instanceof SnapshotNotFoundError) {
    if (!('id' in error.choice)) return failure('Invalid input', new InputError('snapshot_name', error.message).message)
    return failure(
      'Snapshot not found',
      `Snapshot ${error.choice.id} was not found: ${error.message}.`,
      'Check snapshot_id, and that region (or endpoint) and project_id are those of the snapshot.'
    )
  }
  if (error instanceof ClusterNameTakenError) return failure('Invalid input', new InputError('cluster_name', error.message).message)
  if (error instanceof SnapshotNotRestorableError) {
    return failure(
      'Snapshot not restorable',
      error.message,
      'Wait until the snapshot is AVAILABLE (the snapshot action waits for it with wait: true), or restore another snapshot.'
    )
  }
  if (error instanceof RestoreFailedError) {
    return failure(
      'Restore failed on the service',
      error.message,
      'Check the new cluster in the DWS console (its failed_reasons), delete it, and check the network inputs and the quotas of the project.'
    )
  }
  if (error instanceof ClusterNotReadyError) return failure('Cluster not ready in time', error.message)
  if (error instanceof TablesRejectedError) {
    return failure(
      'Tables rejected',
      error.message,
      'Check the names in tables and database, case_sensitive, and that the snapshot is a cluster- or schema-level snapshot with fine-grained backups on.'
    )
  }
  if (error instanceof ClusterOutOfServiceError) {
    return failure(
      'Cluster cannot restore tables',
      error.message,
      'Check the cluster in the DWS console and bring it back to Available first.'
    )
  }
  if (error instanceof TableRestoreFailedError) {
    return failure(
      'Table restore failed',
      error.message,
      'Check the job in the DWS console; the tables restored before the failure stay as they are.'
    )
  }
  if (error instanceof JobNotDoneError) return failure('Table restore not done in time', error.message)
  if (error instanceof ClusterNotDeletedError) {
    const cause = hintFor(error.last instanceof RetriesExhaustedError ? error.last.last : error.last, context)
    return failure(
      'Cluster not deleted',
      error.message,
      cause ||
        'The IAM user or agency needs dws:cluster:delete; check the cluster in the DWS console and delete it there if it is still there.'
    )
  }
  return undefined
}
