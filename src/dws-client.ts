/**
 * DwsClient: the DWS and IAM calls the action makes. It owns addressing, authentication, the
 * per-request deadline and the User-Agent, turns every non-2xx answer into an ApiError, and reads
 * every answer through answers.ts, so nothing unchecked from the network gets past it.
 */
import type { IncomingHttpHeaders } from 'node:http'
import {
  PROJECT_ID_PATTERN,
  parseJson,
  readCluster,
  readCreatedId,
  readErrorBody,
  readSnapshotDetails,
  readSnapshotList,
  UnexpectedAnswerError,
  type Clean,
  type Cluster,
  type Snapshot
} from './answers.js'
import { ApiError, UnreadableAnswerError } from './errors.js'
import { InputError } from './input-error.js'
import type { Redact } from './redact.js'
import { cap, oneLine, serverText } from './sanitize.js'
import { signRequest, type AkSkCredentials } from './signer.js'
import type { Transport } from './transport.js'

export type { Cluster, Snapshot } from './answers.js'

export type Credentials = ({ kind: 'aksk' } & AkSkCredentials) | { kind: 'token'; token: string }

export interface DwsClientOptions {
  dwsEndpoint: URL
  iamEndpoint?: URL
  credentials: Credentials
  userAgent: string
  requestTimeoutMs: number
  transport: Transport
  now: () => Date
  /** scrubs secrets from server text before it is cut or stored */
  redact: Redact
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

  private readonly clean: Clean

  constructor(private readonly options: DwsClientOptions) {
    this.clean = (text) => serverText(options.redact(text))
  }

  useProject(projectId: string): void {
    this.projectId = projectId
  }

  /** The project named exactly like the region (IAM `GET /v3/projects?name=`). */
  async lookupProjectId(region: string): Promise<string> {
    const { iamEndpoint } = this.options
    if (!iamEndpoint) throw new Error('no IAM endpoint to look up the project with')
    const body = await this.call({
      operation: 'Look up project',
      method: 'GET',
      base: iamEndpoint,
      path: '/v3/projects',
      query: { name: region }
    })
    const projects: unknown = (body as { projects?: unknown } | undefined)?.projects ?? []
    if (!Array.isArray(projects)) throw new UnexpectedAnswerError('Look up project', '"projects" is not a list')
    const matches = projects.filter(
      (p): p is { id: string; name: string } => p !== null && typeof p === 'object' && (p as { name?: unknown }).name === region
    )
    const invalid = matches.find((p) => typeof p.id !== 'string' || !PROJECT_ID_PATTERN.test(p.id))
    if (invalid) throw new UnexpectedAnswerError('Look up project', `the project named '${region}' has no valid id`)
    if (matches.length !== 1) {
      throw new InputError(
        'project_id',
        matches.length === 0
          ? `is empty and no IAM project is named '${region}' for these credentials: check region, or set project_id`
          : `is empty and ${matches.length} IAM projects are named '${region}': set project_id to choose one`
      )
    }
    return matches[0]!.id
  }

  /**
   * Returns the new snapshot's id. A success whose answer cannot be read throws
   * UnreadableAnswerError: the snapshot may exist, so the caller looks it up by name.
   */
  async createSnapshot(spec: { name: string; clusterId: string; description: string }): Promise<string> {
    const operation = 'Create snapshot'
    const snapshot: Record<string, string> = { name: spec.name, cluster_id: spec.clusterId }
    if (spec.description) snapshot.description = spec.description
    let body: unknown
    try {
      body = await this.dwsCall({ operation, method: 'POST', path: 'snapshots', body: { snapshot } })
    } catch (error) {
      if (error instanceof UnexpectedAnswerError) throw new UnreadableAnswerError(operation, 'the body is not JSON')
      throw error
    }
    const id = readCreatedId(body)
    if (id === undefined) throw new UnreadableAnswerError(operation, 'it carries no valid snapshot id')
    return id
  }

  async getSnapshot(id: string): Promise<Snapshot> {
    const operation = 'Get snapshot'
    const body = await this.dwsCall({ operation, method: 'GET', path: `snapshots/${encodeURIComponent(id)}` })
    return readSnapshotDetails(body, operation, this.clean)
  }

  async listSnapshots(): Promise<Snapshot[]> {
    const operation = 'List snapshots'
    const body = await this.dwsCall({ operation, method: 'GET', path: 'snapshots' })
    return readSnapshotList(body, operation, this.clean)
  }

  async getCluster(id: string): Promise<Cluster> {
    const operation = 'Get cluster'
    const body = await this.dwsCall({ operation, method: 'GET', path: `clusters/${encodeURIComponent(id)}` })
    return readCluster(body, operation, this.clean)
  }

  private dwsCall(call: Omit<Call, 'base' | 'path' | 'projectId'> & { path: string }): Promise<unknown> {
    if (!this.projectId) throw new Error('DwsClient: project id not set')
    return this.call({
      ...call,
      base: this.options.dwsEndpoint,
      path: `/v1.0/${encodeURIComponent(this.projectId)}/${call.path}`,
      projectId: this.projectId
    })
  }

  /** The parsed JSON of a 2xx answer (undefined when empty); an ApiError for any other status. */
  private async call(call: Call): Promise<unknown> {
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
    if (response.status >= 200 && response.status < 300) return parseJson(call.operation, response.body)
    throw this.toApiError(call.operation, response.status, response.headers, response.body)
  }

  private toApiError(operation: string, status: number, headers: IncomingHttpHeaders, rawBody: string): ApiError {
    let json: unknown
    try {
      json = parseJson(operation, rawBody)
    } catch {
      json = undefined
    }
    // Scrubbed but not yet cut: the canonical-request echo is split off before the message is capped.
    const body = readErrorBody(json, this.options.redact)
    const echo = splitCanonicalEcho(body.message)
    const requestId = header(headers, 'x-request-id') ?? body.requestId
    const clean = (text: string | undefined): string | undefined => (text === undefined ? undefined : this.clean(text))
    return new ApiError(
      operation,
      status,
      clean(body.code),
      clean(echo.message),
      clean(requestId),
      body.code || body.message ? undefined : this.clean(htmlToText(this.options.redact(rawBody))),
      header(headers, 'retry-after'),
      {
        debugDetail: echo.detail === undefined ? undefined : cap(oneLine(echo.detail), 4000),
        encodedAuthorizationMessage: body.encodedAuthorizationMessage
      }
    )
  }
}

/**
 * On a signature failure the gateway echoes its canonical request. It is only useful for debugging
 * and holds signed header values, so the message keeps the verdict ("signature mismatch") and the
 * echo goes to the debug-only detail, scrubbed.
 */
function splitCanonicalEcho(message: string | undefined): { message?: string; detail?: string } {
  const at = message?.search(/,?\s*canonical ?request\s*:/i) ?? -1
  if (message === undefined || at < 0) return { message }
  return { message: message.slice(0, at), detail: message }
}

/** A proxy's HTML page reduced to its text. */
function htmlToText(raw: string): string {
  return raw
    .slice(0, 20_000)
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name]
  return Array.isArray(v) ? v[0] : v || undefined
}
