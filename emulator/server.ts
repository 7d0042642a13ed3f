/**
 * HTTP plumbing: one node:http server on 127.0.0.1 plays both the IAM and the DWS endpoint.
 * Per request: route -> scripted fault -> gateway auth -> project check -> handler -> answer.
 * Faults come before auth because they stand for the network and the gateway, not the backend.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { authenticate } from './auth.js'
import { defaultRestoringMs, EMULATOR_DEFAULTS } from './defaults.js'
import { assumeAgencyWithOidc, federatedToken, issueIdToken, type FederationSettings, type MintedCredentials } from './federation.js'
import { DEFAULT_GITHUB_CLAIMS, GitHubOidc, GITHUB_ISSUER } from './github-oidc.js'
import { FaultQueue, mangledReply, statusFaultReply } from './faults.js'
import { handle, type HandlerSettings } from './handlers.js'
import { newRequestId, notFound, type Reply } from './responses.js'
import { matchRoute, UNSIGNED_ROUTES, type RouteMatch } from './routes.js'
import { EmulatorState } from './state.js'
import type { Emulator, EmulatorOptions, RecordedRequest } from './types.js'
import { flood, send, stall } from './wire.js'

/** Never anything else: the emulator accepts fake credentials and must not be reachable from outside. */
const HOST = '127.0.0.1'

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const now = options.now ?? Date.now
  if (options.taskLingerMs !== undefined && !(options.taskLingerMs >= 0)) {
    throw new RangeError(`startEmulator: taskLingerMs must be 0 or more, got ${options.taskLingerMs}`)
  }
  for (const name of ['deleteLagMs', 'restoringMs', 'deletingMs', 'tableRestoreMs'] as const) {
    const value = options[name]
    if (value !== undefined && !(value >= 0)) throw new RangeError(`startEmulator: ${name} must be 0 or more, got ${value}`)
  }
  const creatingMs = options.creatingMs ?? EMULATOR_DEFAULTS.creatingMs
  const state = new EmulatorState({
    projects: options.projects ?? [{ id: EMULATOR_DEFAULTS.projectId, name: EMULATOR_DEFAULTS.region }],
    clusters: options.clusters ?? [{ id: EMULATOR_DEFAULTS.clusterId, name: EMULATOR_DEFAULTS.clusterName }],
    creatingMs,
    now,
    zonelessTimes: options.zonelessTimes ?? false,
    taskLingerMs: options.taskLingerMs,
    outcome: options.snapshotOutcome ?? 'AVAILABLE',
    deleteLagMs: options.deleteLagMs ?? 0,
    progress: options.progress ?? 'linear',
    progressOnDetails: options.progressOnDetails ?? true,
    restoringMs: options.restoringMs ?? defaultRestoringMs(creatingMs),
    restoreOutcome: options.restoreOutcome ?? 'AVAILABLE',
    deletingMs: options.deletingMs ?? EMULATOR_DEFAULTS.deletingMs,
    tables: options.tables ?? EMULATOR_DEFAULTS.tables,
    tableRestoreMs: options.tableRestoreMs ?? creatingMs
  })
  const handlerSettings: HandlerSettings = {
    unknownCluster: options.unknownCluster ?? 'DWS.0047-404',
    offsetReading: options.offsetReading ?? 'page'
  }
  const minted: MintedCredentials = { accessKeys: [], tokens: new Map(), idTokens: [] }
  const configuredKeys = options.accessKeys ?? [
    { accessKeyId: EMULATOR_DEFAULTS.accessKeyId, secretAccessKey: EMULATOR_DEFAULTS.secretAccessKey }
  ]
  const auth = {
    get accessKeys() {
      return [...configuredKeys, ...minted.accessKeys]
    },
    tokens: options.tokens ?? [EMULATOR_DEFAULTS.authToken],
    expiringTokens: minted.tokens
  }
  const federation = federationSettings(options, state, now, minted)
  const faults = new FaultQueue()
  const requests: RecordedRequest[] = []
  const sockets = new Set<Socket>()
  const wakers = new Set<() => void>()
  let closed = false
  let port = 0

  /** A real-time wait that close() cuts short, so a delayed request never keeps the process alive. */
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer)
        wakers.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, ms)
      wakers.add(wake)
    })

  const settle = (record: RecordedRequest, status: RecordedRequest['status']): void => {
    record.status = status
    options.onRequest?.(record)
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req)
    if (body === undefined) return // the client went away mid-request
    const requestId = newRequestId()
    const method = req.method ?? 'GET'
    const headers = flattenHeaders(req)
    const record: RecordedRequest = { requestId, method, path: req.url ?? '', route: undefined, status: 'pending', headers, body }
    requests.push(record)

    const url = requestUrl(req.url ?? '/', headers['host'] ?? `${HOST}:${port}`)
    const route = url === undefined ? undefined : matchRoute(method, url.pathname)
    if (url === undefined || route === undefined) {
      send(res, requestId, notFound(requestId))
      settle(record, 404)
      return
    }
    record.route = route.name

    const fault = faults.take(route.name)
    if (fault !== undefined) record.fault = fault.kind
    if (fault?.kind === 'status') {
      const reply = statusFaultReply(fault, requestId)
      send(res, requestId, reply)
      settle(record, reply.status)
      return
    }
    if (fault?.kind === 'drop' && fault.when === 'before') {
      req.socket.destroy()
      settle(record, 'dropped')
      return
    }
    if (fault?.kind === 'delay') {
      await sleep(fault.ms)
      if (closed) return
    }

    const reply = UNSIGNED_ROUTES.has(route.name)
      ? handleUnsigned(federation, route, url.searchParams, headers, body)
      : (authenticate(auth, { method, url, headers, body, requestId, nowMs: now() }) ??
        (route.projectId !== undefined && !state.hasProject(route.projectId)
          ? notFound(requestId)
          : handle(state, route, url.searchParams, body, handlerSettings)))

    if (fault?.kind === 'drop') {
      req.socket.destroy()
      settle(record, 'dropped')
      return
    }
    if (fault?.kind === 'stall') {
      stall(res, requestId, reply)
      settle(record, reply.status)
      return
    }
    if (fault?.kind === 'flood') {
      await flood(res, requestId, reply.status, fault)
      settle(record, reply.status)
      return
    }
    if (fault?.kind === 'mangle') {
      const mangled = mangledReply(fault, reply)
      send(res, requestId, mangled)
      settle(record, mangled.status)
      return
    }
    send(res, requestId, reply, fault?.kind === 'encode' ? fault.encoding : undefined)
    settle(record, reply.status)
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      // A bug in the emulator should surface as a 500 in the test, not as an unhandled rejection.
      if (!res.headersSent && !res.destroyed) {
        send(res, newRequestId(), { status: 500, body: { error_code: 'DWS.9999', error_msg: `Emulator error: ${String(error)}` } })
      }
    })
  })
  let accepted = 0
  server.on('connection', (socket) => {
    accepted++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, HOST, () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port

  let closing: Promise<void> | undefined
  return {
    url: `http://${HOST}:${port}`,
    port,
    requests,
    connections: () => accepted,
    close() {
      closing ??= new Promise<void>((resolve) => {
        closed = true
        for (const wake of [...wakers]) wake()
        server.close(() => resolve())
        // Stalled, delayed and keep-alive sockets would otherwise hold close() (and the test run) open.
        for (const socket of sockets) socket.destroy()
      })
      return closing
    },
    snapshots: () => state.records(),
    addSnapshot: (seed) => state.seed(seed),
    inject: (route, fault, times) => faults.inject(route, fault, times),
    setClusterBusy: (clusterId, untilMs, answer = { status: 409, code: 'DWS.0011' }) => state.setBusy(clusterId, untilMs, answer),
    nextSnapshot: (plan) => state.addPlan(plan),
    setFailedReasons: (clusterId, reasons) => state.setFailedReasons(clusterId, reasons),
    setClusterStatus: (clusterId, status) => state.setClusterStatus(clusterId, status),
    nextRestore: (plan) => state.clusters.addPlan(plan),
    nextTableRestore: (plan) => state.tables.addPlan(plan),
    clusters: () => state.clusters.records(),
    tableRestores: () => state.tables.records(),
    oidc: {
      requestUrl: `http://${HOST}:${port}/oidc/token?api-version=2.0`,
      requestToken: federation.requestToken,
      idToken: (audience) => {
        const token = federation.oidc.issue(audience, now())
        minted.idTokens.push(token)
        return token
      },
      minted: () => ({ accessKeys: [...minted.accessKeys], iamTokens: [...minted.tokens.keys()], idTokens: [...minted.idTokens] })
    }
  }
}

function federationSettings(
  options: EmulatorOptions,
  state: EmulatorState,
  now: () => number,
  minted: MintedCredentials
): FederationSettings {
  const o = options.oidc ?? {}
  const d = EMULATOR_DEFAULTS
  return {
    oidc: new GitHubOidc(o.issuer ?? GITHUB_ISSUER, { ...DEFAULT_GITHUB_CLAIMS, ...o.claims }, o.idTokenTtlMs ?? 5 * 60_000),
    options: {
      subject: o.subject ?? 'repo:acme/shop-api:*',
      audiences: o.audiences ?? [d.audience],
      providerUrn: o.providerUrn ?? d.providerUrn,
      agencyUrn: o.agencyUrn ?? d.agencyUrn,
      idpId: o.idpId ?? d.idpId,
      maxSessionSeconds: o.maxSessionSeconds ?? 43_200,
      iamTokenTtlMs: o.iamTokenTtlMs ?? 24 * 3600_000
    },
    requestToken: d.idTokenRequestToken,
    projects: state.projects,
    now,
    minted
  }
}

function handleUnsigned(
  federation: FederationSettings,
  route: RouteMatch,
  query: URLSearchParams,
  headers: Record<string, string>,
  body: string
): Reply {
  switch (route.name) {
    case 'oidc-token':
      return issueIdToken(federation, query, headers)
    case 'jwks':
      return { status: 200, body: federation.oidc.jwks() }
    case 'sts':
      return assumeAgencyWithOidc(federation, body)
    default:
      return federatedToken(federation, headers, body)
  }
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', () => resolve(undefined))
    req.on('close', () => {
      if (!req.complete) resolve(undefined)
    })
  })
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

/** Concatenated rather than resolved against a base, so a path like '//x' stays a path. */
function requestUrl(target: string, host: string): URL | undefined {
  try {
    return new URL(`http://${host}${target}`)
  } catch {
    return undefined
  }
}
