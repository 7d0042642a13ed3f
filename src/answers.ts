/**
 * Reading the service's answers: everything from the network is untrusted data. Ids are validated
 * where they enter, times are normalised to UTC with `Z`, and every string passes `clean` (secrets
 * scrubbed, then made one safe, capped line) before anything else sees it. Pure.
 */

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
}

export interface Cluster {
  id: string
  name?: string
  status?: string
  subStatus?: string
  taskStatus?: string
  /** a short, cleaned rendering of `failed_reasons` */
  failedReasons?: string
}

export interface ErrorBody {
  code?: string
  message?: string
  requestId?: string
  /** IAM5-era permission denials carry an encoded explanation, decodable through STS */
  encodedAuthorizationMessage?: boolean
}

/** Secrets scrubbed, then one capped line: how every string from the network enters the action. */
export type Clean = (text: string) => string

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Huawei Cloud project ids: 32 hex digits (some private clouds use other ids safe in a path). */
export const PROJECT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

/** The answer was readable but not what the API documents (wrong types, missing or invalid ids). */
export class UnexpectedAnswerError extends Error {
  constructor(
    readonly operation: string,
    detail: string
  ) {
    super(`${operation}: the service's answer had an unexpected shape: ${detail}`)
    this.name = 'UnexpectedAnswerError'
  }
}

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** A lower-case UUID, or undefined when `value` is not one. */
export function asUuid(value: unknown): string | undefined {
  return typeof value === 'string' && UUID_PATTERN.test(value) ? value.toLowerCase() : undefined
}

function text(value: unknown, clean: Clean): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return typeof value === 'string' && value !== '' ? clean(value) : undefined
}

const SERVICE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/

/**
 * The service writes `2026-11-28T05:47:35Z`, and in some answers the same without a zone, meaning
 * UTC. Returns ISO 8601 with `Z` (whole seconds), or undefined for anything else.
 */
export function serviceTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const m = SERVICE_TIME.exec(value.trim())
  if (m === null) return undefined
  const zone = m[7] ?? 'Z'
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${offset}`)
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function size(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN
  return Number.isFinite(n) && n >= 0 ? n : undefined
}

function progress(value: unknown, clean: Clean): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return `${value}%`
  return text(value, clean)
}

export function readSnapshot(value: unknown, operation: string, clean: Clean): Snapshot {
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
    clusterTaskStatus: typeof value.cluster_task_status === 'string' ? clean(value.cluster_task_status) : undefined
  }
}

/** `{"snapshot": {...}}` of the details call. */
export function readSnapshotDetails(body: unknown, operation: string, clean: Clean): Snapshot {
  if (!isObject(body) || !isObject(body.snapshot)) throw new UnexpectedAnswerError(operation, 'no "snapshot" object')
  return readSnapshot(body.snapshot, operation, clean)
}

/** `{"snapshots": [...]}` of the list call. */
export function readSnapshotList(body: unknown, operation: string, clean: Clean): Snapshot[] {
  if (!isObject(body)) throw new UnexpectedAnswerError(operation, 'not a JSON object')
  if (body.snapshots === undefined) return []
  if (!Array.isArray(body.snapshots)) throw new UnexpectedAnswerError(operation, '"snapshots" is not a list')
  return body.snapshots.map((s) => readSnapshot(s, operation, clean))
}

/** The id in a create's `{"snapshot": {"id": ...}}`, or undefined when the answer does not carry a valid one. */
export function readCreatedId(body: unknown): string | undefined {
  return isObject(body) && isObject(body.snapshot) ? asUuid(body.snapshot.id) : undefined
}

export function readCluster(body: unknown, operation: string, clean: Clean): Cluster {
  if (!isObject(body) || !isObject(body.cluster)) throw new UnexpectedAnswerError(operation, 'no "cluster" object')
  const c = body.cluster
  const id = asUuid(c.id)
  if (id === undefined) throw new UnexpectedAnswerError(operation, 'the cluster has no valid id (expected a UUID)')
  return {
    id,
    name: text(c.name, clean),
    status: text(c.status, clean),
    subStatus: text(c.sub_status, clean),
    taskStatus: typeof c.task_status === 'string' ? clean(c.task_status) : undefined,
    failedReasons: c.failed_reasons === undefined || c.failed_reasons === null ? undefined : clean(shallowJson(c.failed_reasons))
  }
}

/** JSON of a value, two levels deep at most: a hostile answer can be nested past any stack. */
export function shallowJson(value: unknown, depth = 2): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value)
  if (depth === 0) return Array.isArray(value) ? '[…]' : '{…}'
  if (Array.isArray(value)) return `[${value.slice(0, 20).map((v) => shallowJson(v, depth - 1)).join(',')}]`
  const entries = Object.entries(value).slice(0, 20)
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${shallowJson(v, depth - 1)}`).join(',')}}`
}

/**
 * Error bodies in the shapes Huawei Cloud uses: DWS and the API gateway `{error_code, error_msg}`
 * (sometimes `errCode`/`externalMessage`), Keystone `{"error": {"code", "message"}}`, IAM5 with
 * `encoded_authorization_message`.
 */
export function readErrorBody(json: unknown, clean: Clean): ErrorBody {
  if (!isObject(json)) return {}
  const nested = isObject(json.error) ? json.error : undefined
  const code = text(json.error_code, clean) ?? text(json.errCode, clean) ?? text(json.code, clean) ?? text(nested?.code, clean)
  const message =
    text(json.error_msg, clean) ??
    text(json.externalMessage, clean) ??
    text(json.message, clean) ??
    text(nested?.message, clean) ??
    text(nested?.title, clean)
  return {
    code,
    message,
    requestId: text(json.request_id, clean),
    encodedAuthorizationMessage: typeof json.encoded_authorization_message === 'string' || undefined
  }
}

/** Parsed JSON, undefined for an empty body; throws on anything that is not JSON. */
export function parseJson(operation: string, body: string): unknown {
  if (body.trim() === '') return undefined
  try {
    return JSON.parse(body) as unknown
  } catch {
    throw new UnexpectedAnswerError(operation, 'the body is not JSON')
  }
}
