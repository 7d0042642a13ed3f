/**
 * The restore APIs and the cluster delete, once the gateway has let the request through. Checks run in
 * the order the service is most likely to make them: the body, then the snapshot, then the cluster.
 */
import { READY_STATUSES } from './clusters.js'
import { busyReply, clusterProblem, unknownCluster, unknownSnapshot } from './refusals.js'
import { dwsError, json, type Reply } from './responses.js'
import { validateDeleteClusterBody, validateRestoreBody, validateTableRestoreBody, type TableRestoreInput } from './restore-validate.js'
import type { EmulatorState } from './state.js'
import type { UnknownClusterAnswer } from './types.js'

/**
 * A snapshot that is not AVAILABLE (still CREATING, failed, already RESTORING, frozen) cannot be restored
 * from. The real code is not documented: 403 DWS.7023 (the status does not allow the operation) is the
 * service's usual refusal of an operation in the wrong state, and clients already read it as "not now".
 */
function snapshotNotAvailable(status: string): Reply {
  return dwsError(403, 'DWS.7023', `The snapshot status ${status} does not allow this operation: only AVAILABLE snapshots can be restored.`)
}

/** POST /v1.0/{project_id}/snapshots/{snapshot_id}/actions {"restore":{...}} -> 200 {"cluster":{"id"}} */
export function restoreCluster(state: EmulatorState, projectId: string, snapshotId: string, body: string): Reply {
  const validated = validateRestoreBody(body)
  if ('error' in validated) return dwsError(400, 'DWS.0001', validated.error)
  const { input } = validated
  const snapshot = state.snapshotSource(projectId, snapshotId)
  if (snapshot === undefined) return unknownSnapshot()
  if (snapshot.status !== 'AVAILABLE') return snapshotNotAvailable(snapshot.status)
  if (state.clusters.nameTaken(projectId, input.name)) {
    return dwsError(400, 'DWS.0001', `The cluster name already exists: '${input.name}'.`)
  }
  const id = state.clusters.restore(projectId, input, snapshot)
  return json(200, { cluster: { id } })
}

/**
 * DELETE /v1.0/{project_id}/clusters/{cluster_id} {"keep_last_manual_snapshot":N} -> 202, no body. The
 * snapshots it keeps or drops are not modelled. A cluster still being restored can be deleted (what the
 * service does then is not documented; allowing it lets a clean-up step remove a half-made cluster).
 */
export function deleteCluster(
  state: EmulatorState,
  projectId: string,
  clusterId: string,
  body: string,
  answer: UnknownClusterAnswer
): Reply {
  const problem = clusterProblem(state, projectId, clusterId, answer)
  if (problem !== undefined) return problem
  const validated = validateDeleteClusterBody(body)
  if ('error' in validated) return dwsError(400, 'DWS.0001', validated.error)
  switch (state.clusters.delete(clusterId)) {
    case 'deleting':
      return { status: 202 }
    case 'already':
      // Undocumented: a second delete of a DELETING cluster is refused like any operation in the wrong state.
      return busyReply({ status: 403, code: 'DWS.7023' })
    case 'unknown':
      return unknownCluster(answer)
  }
}

/** A table restore's body and its snapshot (whose own cluster must still be there: the tables go back into it), or the refusal. */
function tableRestoreSource(
  state: EmulatorState,
  projectId: string,
  snapshotId: string,
  body: string,
  answer: UnknownClusterAnswer
): { snapshot: { id: string; clusterId: string; status: string }; input: TableRestoreInput } | { refusal: Reply } {
  const validated = validateTableRestoreBody(body)
  if ('error' in validated) return { refusal: dwsError(400, 'DWS.0001', validated.error) }
  const snapshot = state.snapshotSource(projectId, snapshotId)
  if (snapshot === undefined) return { refusal: unknownSnapshot() }
  if (!state.hasCluster(snapshot.clusterId, projectId)) return { refusal: unknownCluster(answer) }
  return { snapshot, input: validated.input }
}

/** POST /v1/{project_id}/snapshots/{snapshot_id}/table-restore-check -> 200 {"check_table_name_result":{...}} */
export function checkTableRestore(
  state: EmulatorState,
  projectId: string,
  snapshotId: string,
  body: string,
  answer: UnknownClusterAnswer
): Reply {
  const source = tableRestoreSource(state, projectId, snapshotId, body, answer)
  if ('refusal' in source) return source.refusal
  return json(200, { check_table_name_result: state.tables.check(source.snapshot.clusterId, source.input) })
}

/**
 * POST /v1/{project_id}/snapshots/{snapshot_id}/table-restore -> 200 {"job_id"}. Needs the snapshot and
 * its cluster both usable (the user guide's rule) and names the check would pass; what the service
 * answers for names the check rejects is not documented (400 DWS.0001 here).
 */
export function restoreTables(
  state: EmulatorState,
  projectId: string,
  snapshotId: string,
  body: string,
  answer: UnknownClusterAnswer
): Reply {
  const source = tableRestoreSource(state, projectId, snapshotId, body, answer)
  if ('refusal' in source) return source.refusal
  const { snapshot, input } = source
  if (snapshot.status !== 'AVAILABLE') return snapshotNotAvailable(snapshot.status)
  const busy = clusterBusy(state, snapshot.clusterId)
  if (busy !== undefined) return busy
  const rejected = rejectedNames(state, snapshot.clusterId, input)
  if (rejected !== undefined) return dwsError(400, 'DWS.0001', rejected)
  return json(200, { job_id: state.tables.start(projectId, snapshot.id, snapshot.clusterId, input) })
}

function clusterBusy(state: EmulatorState, clusterId: string): Reply | undefined {
  const scripted = state.busyAnswer(clusterId)
  if (scripted !== undefined) return busyReply(scripted)
  if (!READY_STATUSES.has(state.clusterStatus(clusterId))) return busyReply({ status: 403, code: 'DWS.7023' })
  if (state.isSnapshotting(clusterId) || state.tables.runningOn(clusterId)) return busyReply({ status: 409, code: 'DWS.0011' })
  return undefined
}

function rejectedNames(state: EmulatorState, clusterId: string, input: TableRestoreInput): string | undefined {
  const result = state.tables.check(clusterId, input)
  const parts = [
    result.restore_table_list === null ? '' : `not in the snapshot or badly formed: ${result.restore_table_list.join(', ')}`,
    result.target_table_list === null ? '' : `target names taken or badly formed: ${result.target_table_list.join(', ')}`
  ].filter((part) => part !== '')
  return parts.length === 0 ? undefined : `The tables cannot be restored (${parts.join('; ')}).`
}

/**
 * GET /v1.0/{project_id}/job/{job_id} -> 200 {job_id, job_name, begin_time, end_time, status, failed_code,
 * failed_detail, progress}. An unknown job's answer is not documented beyond "404 No resources found".
 */
export function jobDetails(state: EmulatorState, projectId: string, jobId: string): Reply {
  const job = state.tables.view(projectId, jobId)
  return job === undefined ? dwsError(404, 'DWS.0015', `The job ${jobId} does not exist.`) : json(200, job)
}
