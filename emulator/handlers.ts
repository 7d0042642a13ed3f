/** What each API does once the gateway has let the request through (authenticated, known project). */
import { READY_STATUSES } from './clusters.js'
import { busyReply, clusterProblem, unknownCluster, unknownSnapshot } from './refusals.js'
import { dwsError, json, type Reply } from './responses.js'
import { checkTableRestore, deleteCluster, jobDetails, restoreCluster, restoreTables } from './restore-handlers.js'
import type { RouteMatch } from './routes.js'
import type { EmulatorState } from './state.js'
import type { OffsetReading, UnknownClusterAnswer } from './types.js'
import { validateCreateBody } from './validate.js'

export interface HandlerSettings {
  unknownCluster: UnknownClusterAnswer
  offsetReading: OffsetReading
}

export function handle(state: EmulatorState, route: RouteMatch, query: URLSearchParams, body: string, settings: HandlerSettings): Reply {
  const projectId = route.projectId ?? ''
  switch (route.name) {
    case 'projects':
      return listProjects(state, query)
    case 'create':
      return createSnapshot(state, projectId, body, settings)
    case 'list': {
      const snapshots = state.list(projectId)
      return json(200, { snapshots, count: snapshots.length })
    }
    case 'details': {
      const snapshot = state.get(projectId, route.snapshotId ?? '')
      return snapshot === undefined ? unknownSnapshot() : json(200, { snapshot })
    }
    case 'delete':
      return deleteSnapshot(state, projectId, route.snapshotId ?? '')
    case 'clusters': {
      const clusters = state.clusterIds(projectId).map((id) => state.clusterView(id))
      return json(200, { clusters, count: clusters.length })
    }
    case 'cluster': {
      const clusterId = route.clusterId ?? ''
      return clusterProblem(state, projectId, clusterId, settings.unknownCluster) ?? json(200, { cluster: state.clusterView(clusterId) })
    }
    case 'cluster-snapshots': {
      const clusterId = route.clusterId ?? ''
      const problem = clusterProblem(state, projectId, clusterId, settings.unknownCluster)
      if (problem !== undefined) return problem
      const all = state.listForCluster(projectId, clusterId)
      const page = pageOf(all, query, settings.offsetReading)
      if (page === undefined) return dwsError(400, 'DWS.0001', 'Incorrect parameter: limit and offset must be whole numbers.')
      // count is the total, as the documented example suggests (count 2 beside one element).
      return json(200, { snapshots: page, project_id: projectId, cluster_id: clusterId, count: all.length })
    }
    case 'oidc-token':
    case 'jwks':
    case 'sts':
    case 'iam-token':
      throw new Error(`internal error: the unsigned route ${route.name} is served by federation.ts`)
    case 'cluster-action': {
      const clusterId = route.clusterId ?? ''
      const problem = clusterProblem(state, projectId, clusterId, settings.unknownCluster)
      if (problem !== undefined) return problem
      const name = route.actionName ?? ''
      if (!CLUSTER_ACTIONS.has(name)) return dwsError(400, 'DWS.0001', 'Incorrect parameter.')
      return json(200, state.clusterAction(clusterId, name))
    }
    case 'restore':
      return restoreCluster(state, projectId, route.snapshotId ?? '', body)
    case 'delete-cluster':
      return deleteCluster(state, projectId, route.clusterId ?? '', body, settings.unknownCluster)
    case 'table-restore-check':
      return checkTableRestore(state, projectId, route.snapshotId ?? '', body, settings.unknownCluster)
    case 'table-restore':
      return restoreTables(state, projectId, route.snapshotId ?? '', body, settings.unknownCluster)
    case 'job':
      return jobDetails(state, projectId, route.jobId ?? '')
  }
}

/** The slice `limit` and `offset` ask for in the configured reading; everything without `limit`; undefined when they are not numbers. */
function pageOf<T>(all: T[], query: URLSearchParams, reading: OffsetReading): T[] | undefined {
  const limitText = query.get('limit')
  const offsetText = query.get('offset') ?? '0'
  if (limitText === null) return all
  if (!/^\d+$/.test(limitText) || !/^\d+$/.test(offsetText)) return undefined
  const limit = Number(limitText)
  const offset = Number(offsetText)
  const start = reading === 'page' ? offset * limit : offset
  return all.slice(start, start + limit)
}

/** The task names the service documents for `actions/{action_name}`. */
const CLUSTER_ACTIONS = new Set([
  'GROWING',
  'RESIZE_FAILURE',
  'RESTORING',
  'RESTORING_FAILED',
  'SNAPSHOTTING',
  'SNAPSHOTTING_FAILED',
  'FINE_GRAINED_RESTORING',
  'FINE_GRAINED_RESTORING_FAILED'
])

function listProjects(state: EmulatorState, query: URLSearchParams): Reply {
  const name = query.get('name')
  const projects = state.projects
    .filter((p) => name === null || p.name === name)
    .map((p) => ({ id: p.id, name: p.name, description: '', enabled: true, is_domain: false }))
  return json(200, { projects })
}

function createSnapshot(state: EmulatorState, projectId: string, body: string, settings: HandlerSettings): Reply {
  // A malformed cluster_id is caught here, with a message naming it (400 DWS.0001 like the service).
  const validated = validateCreateBody(body)
  if ('error' in validated) return dwsError(400, 'DWS.0001', validated.error)
  const { input } = validated
  if (!state.hasCluster(input.clusterId, projectId)) return unknownCluster(settings.unknownCluster)
  if (state.nameTaken(projectId, input.name)) {
    return dwsError(400, 'DWS.0001', `The snapshot name already exists: '${input.name}'.`)
  }
  const busy = state.busyAnswer(input.clusterId)
  if (busy !== undefined) return busyReply(busy)
  // Snapshots need a usable cluster (AVAILABLE, or ACTIVE for a restored one); the emulator does not model the other states the console allows.
  if (!READY_STATUSES.has(state.clusterStatus(input.clusterId))) return busyReply({ status: 403, code: 'DWS.7023' })
  if (state.isSnapshotting(input.clusterId)) return busyReply({ status: 409, code: 'DWS.0011' })
  const id = state.create(projectId, input)
  return json(200, { snapshot: { id } })
}

function deleteSnapshot(state: EmulatorState, projectId: string, snapshotId: string): Reply {
  switch (state.remove(projectId, snapshotId)) {
    case 'deleted':
      return { status: 202 }
    case 'unknown':
      // What the service answers a repeated delete (Terraform treats it as "already gone").
      return dwsError(400, 'DWS.0001', 'Incorrect parameter.')
    case 'automated':
      return dwsError(400, 'DWS.0001', 'Automated snapshots cannot be deleted.')
    case 'creating':
      return busyReply({ status: 409, code: 'DWS.0011' })
    case 'locked':
      // The real code is undocumented: this stands for any refusal of a snapshot in use or frozen.
      return dwsError(403, 'DWS.0015', 'The snapshot status does not allow this operation.')
  }
}
