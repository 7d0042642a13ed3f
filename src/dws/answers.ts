/**
 * The DWS answers: snapshots and clusters, read through the checks of cloud/answers.ts. Pure.
 */
import { asUuid, isObject, serviceTime, shallowJson, text, UnexpectedAnswerError, type Clean } from '../cloud/answers.js'
import type { ListAnswer, ListSelection } from '../cloud/json-reader.js'
import type { Operation } from '../cloud/operation.js'
import type { Cluster, Job, Snapshot, SnapshotFailure, TableCheck } from './types.js'

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
 * What to keep of `{"snapshots": [...]}` as it streams in: each item read as a snapshot; with
 * `names`, only the snapshots of those names (without regard to case), the others dropped unread,
 * so the name check in a project of tens of thousands of snapshots holds a handful.
 */
export function snapshotSelection(operation: Operation, clean: Clean, names?: ReadonlySet<string>): ListSelection<Snapshot> {
  return {
    key: 'snapshots',
    keep: (item) => {
      const name = isObject(item) && typeof item.name === 'string' ? item.name.toLowerCase() : undefined
      // An item that is not a snapshot object still fails the list: readSnapshot says so.
      if (names !== undefined && name !== undefined && !names.has(name)) return undefined
      return readSnapshot(item, operation, clean)
    }
  }
}

/** The items a list answer kept, once its shape is checked: `{"<key>": [...], ...}`. */
export function listItems<T>(answer: unknown, key: string, operation: Operation): T[] {
  const list = answer as ListAnswer<T> | undefined
  if (list?.type !== 'object') throw new UnexpectedAnswerError(operation, 'not a JSON object')
  if (list.listType === undefined || list.listType === 'null') return []
  if (list.listType !== 'array') throw new UnexpectedAnswerError(operation, `"${key}" is not a list`)
  return list.kept
}

/** The id in a create's `{"snapshot": {"id": ...}}`, or undefined when the answer does not carry a valid one. */
export function readCreatedId(body: unknown): string | undefined {
  return isObject(body) && isObject(body.snapshot) ? asUuid(body.snapshot.id) : undefined
}

/** What to keep of `{"clusters": [...]}`: each item read as a cluster. */
export function clusterSelection(operation: Operation, clean: Clean): ListSelection<Cluster> {
  return { key: 'clusters', keep: (item) => clusterOf(item, operation, clean) }
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
    actionProgress: actionProgress(c.action_progress, clean),
    failedReasons: c.failed_reasons === undefined || c.failed_reasons === null ? undefined : clean(shallowJson(c.failed_reasons)),
    privateEndpoint: firstEndpoint(c.endpoints, 'connect_info'),
    publicEndpoint: firstEndpoint(c.public_endpoints, 'public_connect_info')
  }
}

/** Task names as the service writes them (`SNAPSHOTTING`, `RESTORING`): anything else is not a task of this action's. */
const TASK = /^[A-Z][A-Z_]{0,39}$/

/** `action_progress`: task → progress, for the tasks still running (an empty value is a task without a reading). */
function actionProgress(value: unknown, clean: Clean): Record<string, string> {
  if (!isObject(value)) return {}
  const tasks = Object.entries(value)
    .filter(([task]) => TASK.test(task))
    .slice(0, 10)
  return Object.fromEntries(tasks.map(([task, reading]) => [task, progress(reading, clean) ?? '']))
}

/** `host:port` (a name or IPv4 address, or [IPv6]) and nothing else: it becomes a step output. */
const ENDPOINT = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\]):\d{1,5}$/

function firstEndpoint(list: unknown, field: string): string | undefined {
  const first: unknown = Array.isArray(list) ? list[0] : undefined
  const value = isObject(first) ? first[field] : undefined
  return typeof value === 'string' && ENDPOINT.test(value) ? value : undefined
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

/** The new cluster's id in a restore's `{"cluster": {"id": ...}}`, or undefined when the answer does not carry a valid one. */
export function readRestoredClusterId(body: unknown): string | undefined {
  return isObject(body) && isObject(body.cluster) ? asUuid(body.cluster.id) : undefined
}

/** A job id safe in a path and an output (the service's form is not documented: 32 hex digits seen). */
const JOB_ID = /^[A-Za-z0-9_-]{1,64}$/

export function readJobId(body: unknown): string | undefined {
  const id = isObject(body) ? body.job_id : undefined
  return typeof id === 'string' && JOB_ID.test(id) ? id : undefined
}

export function readJob(body: unknown, operation: Operation, clean: Clean): Job {
  if (!isObject(body)) throw new UnexpectedAnswerError(operation, 'not a JSON object')
  const id = readJobId(body)
  if (id === undefined) throw new UnexpectedAnswerError(operation, 'the job has no valid id')
  return {
    id,
    status: text(body.status, clean) ?? 'UNKNOWN',
    progress: progress(body.progress, clean),
    failedCode: text(body.failed_code, clean),
    failedDetail: text(body.failed_detail, clean)
  }
}

/** `check_table_name_result`: the rejected names, each list null or empty when none is. */
export function readTableCheck(body: unknown, operation: Operation, clean: Clean): TableCheck {
  const result = isObject(body) ? body.check_table_name_result : undefined
  if (!isObject(result)) throw new UnexpectedAnswerError(operation, 'no "check_table_name_result" object')
  const names = (value: unknown): string[] =>
    Array.isArray(value) ? value.slice(0, 100).flatMap((name) => (typeof name === 'string' && name !== '' ? [clean(name)] : [])) : []
  return { rejectedSources: names(result.restore_table_list), rejectedTargets: names(result.target_table_list) }
}
