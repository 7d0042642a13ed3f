/** What each API does once the gateway has let the request through (authenticated, known project). */
import { dwsError, json, type Reply } from './responses.js'
import type { RouteMatch } from './routes.js'
import type { EmulatorState } from './state.js'
import { validateCreateBody } from './validate.js'

export function handle(state: EmulatorState, route: RouteMatch, query: URLSearchParams, body: string): Reply {
  const projectId = route.projectId ?? ''
  switch (route.name) {
    case 'projects':
      return listProjects(state, query)
    case 'create':
      return createSnapshot(state, projectId, body)
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
    case 'cluster': {
      const cluster = state.clusterView(route.clusterId ?? '')
      return cluster === undefined ? unknownCluster() : json(200, { cluster })
    }
  }
}

function listProjects(state: EmulatorState, query: URLSearchParams): Reply {
  const name = query.get('name')
  const projects = state.projects
    .filter((p) => name === null || p.name === name)
    .map((p) => ({ id: p.id, name: p.name, description: '', enabled: true, is_domain: false }))
  return json(200, { projects })
}

function createSnapshot(state: EmulatorState, projectId: string, body: string): Reply {
  const validated = validateCreateBody(body)
  if ('error' in validated) return dwsError(400, 'DWS.0001', validated.error)
  const { input } = validated
  if (!state.hasCluster(input.clusterId)) return unknownCluster()
  if (state.nameTaken(projectId, input.name)) {
    return dwsError(400, 'DWS.0001', `The snapshot name already exists: '${input.name}'.`)
  }
  const busy = state.busyAnswer(input.clusterId)
  if (busy !== undefined) {
    return dwsError(busy.status, busy.code, busyMessage(busy.code))
  }
  if (state.isSnapshotting(input.clusterId)) return dwsError(409, 'DWS.0011', busyMessage('DWS.0011'))
  const id = state.create(projectId, input)
  return json(200, { snapshot: { id } })
}

function deleteSnapshot(state: EmulatorState, projectId: string, snapshotId: string): Reply {
  switch (state.remove(projectId, snapshotId)) {
    case 'deleted':
      return { status: 202 }
    case 'unknown':
      return unknownSnapshot()
    case 'automated':
      return dwsError(400, 'DWS.0001', 'Automated snapshots cannot be deleted.')
    case 'creating':
      return dwsError(409, 'DWS.0011', busyMessage('DWS.0011'))
  }
}

function busyMessage(code: 'DWS.0011' | 'DWS.7023'): string {
  return code === 'DWS.0011'
    ? 'Another operation is being performed on the cluster or the cluster is faulty. Try again later.'
    : 'The cluster status does not allow this operation.'
}

function unknownCluster(): Reply {
  return dwsError(404, 'DWS.0047', 'The cluster does not exist.')
}

function unknownSnapshot(): Reply {
  return dwsError(400, 'DWS.5149', 'The snapshot ID is invalid.')
}
