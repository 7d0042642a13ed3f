/**
 * The DWS answers: snapshots and clusters, read through the checks of cloud/answers.ts. Pure.
 */
import { asUuid, isObject, serviceTime, shallowJson, text, UnexpectedAnswerError, type Clean } from '../cloud/answers.js'
import type { Operation } from '../cloud/operation.js'
import type { Cluster, Snapshot, SnapshotFailure } from './types.js'

function size(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
  return Number.isFinite(n) && n >= 0 ? n : undefined
}

function progress(value: unknown, clean: Clean): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return `${value}%`
  return text(value, clean)
}

export function readSnapshot(value: unknown, operation: Operation, clean: Clean): Snapshot {
  if (!isObject(value)) throw new UnexpectedAnswerError(operation, 'a snapshot is not an object')
  const id = asUuid(value.id)
  if (id === undefined) throw new UnexpectedAnswerError(operation, 'a snapshot has no valid id (expected a UUID)')
  return {
    id,
    name: typeof value.name === 'string' ? clean(value.name) : '',
    status: text(value.status, clean) ?? 'UNKNOWN',
    clusterId: asUuid(value.cluster_id),
    started: serviceTime(value.started),
    finished: serviceTime(value.finished),
    size: size(value.size),
    progress: progress(value.progress, clean),
    clusterTaskStatus: typeof value.cluster_task_status === 'string' ? clean(value.cluster_task_status) : undefined,
    type: text(value.type, clean),
    description: typeof value.description === 'string' ? clean(value.description) : undefined
  }
}

/** `{"snapshot": {...}}` of the details call. */
export function readSnapshotDetails(body: unknown, operation: Operation, clean: Clean): Snapshot {
  if (!isObject(body) || !isObject(body.snapshot)) throw new UnexpectedAnswerError(operation, 'no "snapshot" object')
  return readSnapshot(body.snapshot, operation, clean)
}

/**
 * `{"snapshots": [...]}` of the list call. With `named`, only the items of that name (without regard
 * to case) are read: in a project of thousands of snapshots the name check cleans one, not all.
 */
export function readSnapshotList(body: unknown, operation: Operation, clean: Clean, named?: string): Snapshot[] {
  if (!isObject(body)) throw new UnexpectedAnswerError(operation, 'not a JSON object')
  if (body.snapshots === undefined) return []
  if (!Array.isArray(body.snapshots)) throw new UnexpectedAnswerError(operation, '"snapshots" is not a list')
  const wanted = named?.toLowerCase()
  const items =
    wanted === undefined
      ? body.snapshots
      : body.snapshots.filter((s: unknown) => !isObject(s) || typeof s.name !== 'string' || s.name.toLowerCase() === wanted)
  return items.map((s: unknown) => readSnapshot(s, operation, clean))
}

/** The id in a create's `{"snapshot": {"id": ...}}`, or undefined when the answer does not carry a valid one. */
export function readCreatedId(body: unknown): string | undefined {
  return isObject(body) && isObject(body.snapshot) ? asUuid(body.snapshot.id) : undefined
}

/** `{"clusters": [...]}` of the list of the project's clusters. */
export function readClusterList(body: unknown, operation: Operation, clean: Clean): Cluster[] {
  if (!isObject(body)) throw new UnexpectedAnswerError(operation, 'not a JSON object')
  if (body.clusters === undefined) return []
  if (!Array.isArray(body.clusters)) throw new UnexpectedAnswerError(operation, '"clusters" is not a list')
  return body.clusters.map((c) => clusterOf(c, operation, clean))
}

export function readCluster(body: unknown, operation: Operation, clean: Clean): Cluster {
  if (!isObject(body) || !isObject(body.cluster)) throw new UnexpectedAnswerError(operation, 'no "cluster" object')
  return clusterOf(body.cluster, operation, clean)
}

function clusterOf(c: unknown, operation: Operation, clean: Clean): Cluster {
  if (!isObject(c)) throw new UnexpectedAnswerError(operation, 'a cluster is not an object')
  const id = asUuid(c.id)
  if (id === undefined) throw new UnexpectedAnswerError(operation, 'the cluster has no valid id (expected a UUID)')
  return {
    id,
    name: text(c.name, clean),
    status: text(c.status, clean),
    subStatus: text(c.sub_status, clean),
    taskStatus: typeof c.task_status === 'string' ? clean(c.task_status) : undefined,
    snapshotProgress: isObject(c.action_progress) ? progress(c.action_progress.SNAPSHOTTING, clean) : undefined,
    failedReasons: c.failed_reasons === undefined || c.failed_reasons === null ? undefined : clean(shallowJson(c.failed_reasons))
  }
}

/**
 * The failed step and error of a cluster's SNAPSHOTTING_FAILED task: each `items[].sub_items[].detail`
 * is JSON text whose `progressInfo` is JSON text again. The first sub-item that names a failure wins;
 * undefined when none does or the answer has another shape.
 */
export function readSnapshotFailure(body: unknown, clean: Clean): SnapshotFailure | undefined {
  if (!isObject(body) || !Array.isArray(body.items)) return undefined
  for (const item of body.items) {
    if (!isObject(item) || !Array.isArray(item.sub_items)) continue
    for (const sub of item.sub_items) {
      const info = isObject(sub) ? progressInfo(sub.detail) : undefined
      if (info === undefined) continue
      const failure: SnapshotFailure = {
        failedStep: text(info.failedStep, clean),
        errorCode: text(info.errorCode, clean),
        errorMsg: text(info.errorMsg, clean)
      }
      if (failure.failedStep !== undefined || failure.errorCode !== undefined || failure.errorMsg !== undefined) return failure
    }
  }
  return undefined
}

/** `detail` → its `progressInfo`, each either JSON text or already an object. */
function progressInfo(detail: unknown): Record<string, unknown> | undefined {
  const outer = decoded(detail)
  return outer === undefined ? undefined : decoded(outer.progressInfo)
}

function decoded(value: unknown): Record<string, unknown> | undefined {
  if (isObject(value)) return value
  if (typeof value !== 'string') return undefined
  try {
    const parsed: unknown = JSON.parse(value)
    return isObject(parsed) ? parsed : undefined
  } catch {
    return undefined
  }
}
