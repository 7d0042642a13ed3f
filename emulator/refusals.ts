/** The DWS backend's refusals that several APIs share: busy clusters, unknown clusters and snapshots. */
import { busyError, dwsError, type Reply } from './responses.js'
import type { EmulatorState } from './state.js'
import type { BusyAnswer, UnknownClusterAnswer } from './types.js'
import { UUID } from './validate.js'

const CLUSTER_STATE_REFUSED = 'The cluster status does not allow this operation.'

const BUSY_MESSAGES: Record<BusyAnswer['code'], string> = {
  'DWS.0011': 'Another operation is being performed on the cluster or the cluster is faulty. Try again later.',
  'DWS.7023': CLUSTER_STATE_REFUSED,
  // A repeated operation is refused with a generic code that names the real reason in its message.
  'DWS.9999': `DWS.7023: ${CLUSTER_STATE_REFUSED}`
}

export function busyReply(answer: BusyAnswer): Reply {
  return busyError(answer.status, answer.code, BUSY_MESSAGES[answer.code])
}

const UNKNOWN_CLUSTER_MESSAGES: Record<string, string> = {
  'DWS.0047': 'The cluster does not exist.',
  'DWS.0015': 'The resource does not exist or you do not have permission to access it.'
}

/** 'DWS.0047-404' -> 404 DWS.0047. */
export function unknownCluster(answer: UnknownClusterAnswer): Reply {
  const [code = '', status = ''] = answer.split('-')
  return dwsError(Number(status), code, UNKNOWN_CLUSTER_MESSAGES[code] ?? 'The cluster does not exist.')
}

export function unknownSnapshot(): Reply {
  return dwsError(400, 'DWS.5149', 'The snapshot ID is invalid.')
}

/** Cluster-scoped APIs check the id's form before looking it up. */
export function clusterProblem(
  state: EmulatorState,
  projectId: string,
  clusterId: string,
  answer: UnknownClusterAnswer
): Reply | undefined {
  if (!UUID.test(clusterId)) return dwsError(400, 'DWS.0001', 'Incorrect parameter.')
  return state.hasCluster(clusterId, projectId) ? undefined : unknownCluster(answer)
}
