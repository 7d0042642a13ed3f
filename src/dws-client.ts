/**
 * DwsClient: the DWS and IAM calls the action makes. It owns addressing, authentication, the
 * per-request deadline and the User-Agent, and turns every non-2xx answer into an ApiError.
 */
import type { IncomingHttpHeaders } from 'node:http'
import { ApiError } from './errors.js'
import { InputError } from './input-error.js'
import { signRequest, type AkSkCredentials } from './signer.js'
import type { Transport } from './transport.js'

export type Credentials = ({ kind: 'aksk' } & AkSkCredentials) | { kind: 'token'; token: string }

export interface Snapshot {
  id: string
  name: string
  status: string
  clusterId?: string
  started?: string
  finished?: string
  /** GB */
  size?: number
  progress?: string
}

export interface Cluster {
  id: string
  name?: string
  status?: string
  taskStatus?: string
  failedReasons?: unknown
}

export interface DwsClientOptions {
  dwsEndpoint: URL
  iamEndpoint?: URL
  credentials: Credentials
  userAgent: string
  requestTimeoutMs: number
  transport: Transport
  now: () => Date
}

interface Call {
  operation: string
  method: 'GET' | 'POST'
  base: URL
  path: string
  query?: Record<string, string>
  body?: unknown
  projectId?: string
}

export class DwsClient {
  private projectId = ''

  constructor(private readonly options: DwsClientOptions) {}

  useProject(projectId: string): void {
    this.projectId = projectId
  }

  /** The project named exactly like the region (IAM `GET /v3/projects?name=`). */
  async lookupProjectId(region: string): Promise<string> {
    const { iamEndpoint } = this.options
    if (!iamEndpoint) throw new Error('no IAM endpoint to look up the project with')
    const body = await this.call<{ projects?: { id?: string; name?: string }[] }>({
      operation: 'Look up project',
      method: 'GET',
      base: iamEndpoint,
      path: '/v3/projects',
      query: { name: region }
    })
    const matches = (body.projects ?? []).filter((p) => p.name === region && typeof p.id === 'string')
    if (matches.length !== 1) {
      throw new InputError(
        'project_id',
        matches.length === 0
          ? `is empty and no IAM project is named '${region}' for these credentials: check region, or set project_id`
          : `is empty and ${matches.length} IAM projects are named '${region}': set project_id to choose one`
      )
    }
    return matches[0]!.id!
  }

  async createSnapshot(spec: { name: string; clusterId: string; description: string }): Promise<string> {
    const snapshot: Record<string, string> = { name: spec.name, cluster_id: spec.clusterId }
    if (spec.description) snapshot.description = spec.description
    const body = await this.dwsCall<{ snapshot?: { id?: unknown } }>({
      operation: 'Create snapshot',
      method: 'POST',
      path: 'snapshots',
      body: { snapshot }
    })
    const id = body.snapshot?.id
    if (typeof id !== 'string' || id === '') {
      throw new Error(`Create snapshot: the service answered success without a snapshot id (${JSON.stringify(body).slice(0, 200)})`)
    }
    return id
  }

  async getSnapshot(id: string): Promise<Snapshot> {
    const body = await this.dwsCall<{ snapshot?: Record<string, unknown> }>({
      operation: 'Get snapshot',
      method: 'GET',
      path: `snapshots/${encodeURIComponent(id)}`
    })
    return toSnapshot(body.snapshot ?? {}, id)
  }

  async listSnapshots(): Promise<Snapshot[]> {
    const body = await this.dwsCall<{ snapshots?: Record<string, unknown>[] }>({
      operation: 'List snapshots',
      method: 'GET',
      path: 'snapshots'
    })
    return (body.snapshots ?? []).map((s) => toSnapshot(s, ''))
  }

  async getCluster(id: string): Promise<Cluster> {
    const body = await this.dwsCall<{ cluster?: Record<string, unknown> }>({
      operation: 'Get cluster',
      method: 'GET',
      path: `clusters/${encodeURIComponent(id)}`
    })
    const c = body.cluster ?? {}
    return {
      id: str(c.id) ?? id,
      name: str(c.name),
      status: str(c.status),
      taskStatus: str(c.task_status),
      failedReasons: c.failed_reasons
    }
  }

  private dwsCall<T>(call: Omit<Call, 'base' | 'path' | 'projectId'> & { path: string }): Promise<T> {
    if (!this.projectId) throw new Error('DwsClient: project id not set')
    return this.call<T>({
      ...call,
      base: this.options.dwsEndpoint,
      path: `/v1.0/${encodeURIComponent(this.projectId)}/${call.path}`,
      projectId: this.projectId
    })
  }

  private async call<T>(call: Call): Promise<T> {
    const url = new URL(call.base.href)
    url.pathname = `${call.base.pathname.replace(/\/+$/, '')}${call.path}`
    for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.append(k, v)
    // Serialised once, compactly: the signed bytes are the sent bytes.
    const body = call.body === undefined ? '' : JSON.stringify(call.body)
    const headers: Record<string, string> = { 'Content-Type': 'application/json' }
    if (call.projectId) headers['X-Project-Id'] = call.projectId
    const { credentials } = this.options
    const auth =
      credentials.kind === 'token'
        ? { 'X-Auth-Token': credentials.token }
        : signRequest({ method: call.method, url, headers, body }, credentials, this.options.now())
    const response = await this.options.transport({
      operation: call.operation,
      method: call.method,
      url,
      headers: { ...headers, ...auth, 'User-Agent': this.options.userAgent, Accept: 'application/json' },
      body,
      timeoutMs: this.options.requestTimeoutMs
    })
    const parsed = parseJson(response.body)
    if (response.status >= 200 && response.status < 300) {
      if (parsed.ok) return (parsed.value ?? {}) as T
      throw toApiError(call.operation, response.status, response.headers, response.body, undefined)
    }
    throw toApiError(call.operation, response.status, response.headers, response.body, parsed.ok ? parsed.value : undefined)
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: undefined }
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false }
  }
}

function toApiError(
  operation: string,
  status: number,
  headers: IncomingHttpHeaders,
  rawBody: string,
  json: unknown
): ApiError {
  const body = json !== null && typeof json === 'object' ? (json as Record<string, unknown>) : undefined
  const errorCode = str(body?.error_code) ?? str(body?.errCode) ?? str(body?.code)
  const errorMsg = str(body?.error_msg) ?? str(body?.externalMessage) ?? str(body?.message)
  const requestId = header(headers, 'x-request-id') ?? str(body?.request_id)
  const excerpt = body && (errorCode || errorMsg) ? undefined : safeExcerpt(rawBody)
  return new ApiError(operation, status, errorCode, errorMsg, requestId, excerpt, header(headers, 'retry-after'))
}

/** A proxy's HTML page or a truncated answer, reduced to a short printable line. */
function safeExcerpt(raw: string): string {
  return raw
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/[^\x20-\x7e]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 160)
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name]
  return Array.isArray(v) ? v[0] : v || undefined
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined
}

function toSnapshot(s: Record<string, unknown>, fallbackId: string): Snapshot {
  const size = typeof s.size === 'number' ? s.size : typeof s.size === 'string' && s.size !== '' ? Number(s.size) : undefined
  return {
    id: str(s.id) ?? fallbackId,
    name: str(s.name) ?? '',
    status: str(s.status) ?? 'UNKNOWN',
    clusterId: str(s.cluster_id),
    started: str(s.started),
    finished: str(s.finished),
    size: size !== undefined && Number.isFinite(size) ? size : undefined,
    progress: str(s.progress) ?? (typeof s.progress === 'number' ? `${s.progress}%` : undefined)
  }
}
