/** The emulator's public contract: what tests and the CLI configure, inspect and script. */

export type RouteName =
  | 'projects'
  | 'create'
  | 'details'
  | 'list'
  | 'delete'
  | 'clusters'
  | 'cluster'
  | 'cluster-snapshots'
  /** GitHub's ID-token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL) and its JWKS */
  | 'oidc-token'
  | 'jwks'
  /** IAM v5 STS AssumeAgencyWithOIDC, unsigned */
  | 'sts'
  /** IAM v3 token with an OIDC ID token, unsigned */
  | 'iam-token'
  | 'cluster-action'
  /** Restore a snapshot into a new cluster */
  | 'restore'
  | 'delete-cluster'
  /** Restore chosen tables into the snapshot's own cluster: the name pre-check, then the restore (a job) */
  | 'table-restore-check'
  | 'table-restore'
  | 'job'

export type Fault =
  /** Answer this instead of handling the request (nothing is applied). A string body is sent as-is. */
  | { kind: 'status'; status: number; body?: string | object; headers?: Record<string, string> }
  /** Wait (real time), then handle the request normally. */
  | { kind: 'delay'; ms: number }
  /** Destroy the socket without answering; 'after' first applies the request (e.g. creates the snapshot). */
  | { kind: 'drop'; when: 'before' | 'after' }
  /** Apply the request, send status, headers and part of the body, then never finish. */
  | { kind: 'stall' }
  /** Apply the request, then send `body` raw instead of the real answer (status: the real one; Content-Type: JSON unless `headers` say otherwise). */
  | { kind: 'mangle'; body: string; headers?: Record<string, string>; status?: number }
  /** Apply the request and send the real answer compressed with this Content-Encoding; 'x-unknown' labels uncompressed bytes with a coding no client knows. */
  | { kind: 'encode'; encoding: ContentEncoding }
  /**
   * Apply the request, then answer it (with the real status) with a body of `bytes`, streamed, never
   * held: valid JSON padded with whitespace, one huge string, or a list of ~1 KB snapshot items.
   */
  | { kind: 'flood'; bytes: number; shape: FloodShape }

export type FloodShape = 'whitespace' | 'string' | 'items'

export type ContentEncoding = 'gzip' | 'deflate' | 'br' | 'x-unknown'

export interface AccessKey {
  accessKeyId: string
  secretAccessKey: string
  /** Set for temporary credentials: requests must then send and sign a matching X-Security-Token. */
  securityToken?: string
  /** Emulator-clock ms after which the gateway refuses the key as expired. */
  expiresAtMs?: number
}

/** Keyless sign-in: what GitHub's token endpoint issues and what STS and the IAM v3 identity provider trust. */
export interface OidcOptions {
  /** Claims of issued ID tokens, over those of a push to main of acme/shop-api (`environment` only when given here). */
  claims?: Record<string, string>
  /** Lifetime of issued ID tokens; default 5 minutes, as GitHub's. 0 or less: issued already expired. */
  idTokenTtlMs?: number
  /** `iss` of issued tokens; default https://token.actions.githubusercontent.com. Relying parties trust only the default. */
  issuer?: string
  /** The trust condition on `sub` (agency trust policy and v3 mapping rule alike), `*` any run of characters. Default 'repo:acme/shop-api:*'. */
  subject?: string
  /** The provider's client ids (accepted `aud`); default ['sts.huaweicloud.com']. */
  audiences?: string[]
  providerUrn?: string
  agencyUrn?: string
  /** IAM v3 identity provider id expected in X-Idp-Id. */
  idpId?: string
  /** The agency's maximum session; default 43200 s (12 h). */
  maxSessionSeconds?: number
  /** Lifetime of IAM v3 federated tokens; default 24 h. */
  iamTokenTtlMs?: number
}

export interface ProjectConfig {
  id: string
  name: string
}

export interface ClusterConfig {
  id: string
  name: string
  /** Echoed as the cluster's `failed_reasons` when set, e.g. `{error_code, error_msg}`. */
  failedReasons?: unknown
  /** What this cluster's new snapshots become after CREATING, unless a plan says otherwise (fleet tests run clusters in parallel). */
  snapshotOutcome?: 'AVAILABLE' | 'UNAVAILABLE'
  /** Its tables, for table restores; default the `tables` option. */
  tables?: TableCatalogue
}

/**
 * A cluster's tables by database, as `schema.table` names. The default (EMULATOR_DEFAULTS.tables) has
 * `public.orders` in the snapshots but no longer in the cluster: dropped by mistake, restorable under its own name.
 */
export interface TableCatalogue {
  /** What the cluster's snapshots hold. */
  snapshot: Record<string, readonly string[]>
  /** What the cluster holds now; tables restored by a successful job are added to it. */
  live: Record<string, readonly string[]>
}

/** What a restored cluster becomes: usable (AVAILABLE, or ACTIVE as newer pages list it) or one of the failed statuses Terraform knows. */
export type RestoreOutcome = 'AVAILABLE' | 'ACTIVE' | 'FAILED' | 'CREATE_FAILED' | 'CREATION FAILED'

/** Applies to one future restore into a new cluster. */
export interface RestorePlan {
  /** How long the new cluster stays CREATING (task RESTORING). */
  restoringMs?: number
  outcome?: RestoreOutcome
  /** The failed cluster's `failed_reasons`; default `{error_code: 'DWS.9999', error_msg: ...}`. */
  failedReasons?: unknown
  progress?: ProgressShape
}

/** Applies to one future table restore job. */
export interface TableRestorePlan {
  /** How long the job runs before it ends. */
  runningMs?: number
  outcome?: 'SUCCESS' | 'FAIL'
  /** Default in the shape of the documented example, `<Task>-fail:DWS.xxxx`. */
  failedCode?: string
  failedDetail?: string
  /** The statuses a running job shows, in equal shares of its running time. Default ['INIT'] (the Go SDK also lists WAITING, RUNNING, DELAY_SCHEDULED). */
  pending?: string[]
}

/** A cluster as the tests see it, including restored clusters and deleted ones (status DELETED once gone). */
export interface ClusterRecord {
  id: string
  name: string
  /** What details would show; DELETED once a deleted cluster is gone. */
  status: string
  /** undefined for configured clusters, which every project sees. */
  projectId?: string
  restoredFrom?: { snapshotId: string; clusterId: string }
  /** Emulator-clock ms the DELETE was accepted. */
  deletedAtMs?: number
}

/** A table restore job as the tests see it. */
export interface TableRestoreRecord {
  jobId: string
  projectId: string
  snapshotId: string
  clusterId: string
  database: string
  /** `schema.table` source -> target, as requested. */
  tables: { from: string; to: string }[]
  status: string
}

export interface EmulatorOptions {
  /** Default 0 (ephemeral). The server only ever listens on 127.0.0.1. */
  port?: number
  /** Clock (ms) for the lifecycle, `started`/`finished` and the 15-minute signing window. */
  now?: () => number
  /** How long a new snapshot stays CREATING unless `nextSnapshot` says otherwise. */
  creatingMs?: number
  accessKeys?: AccessKey[]
  tokens?: string[]
  projects?: ProjectConfig[]
  /** Clusters are visible in every project: the emulator models a single account. */
  clusters?: ClusterConfig[]
  /** Called once per request when its outcome is known (answered, dropped or stalled). */
  onRequest?: (request: RecordedRequest) => void
  /** Write `started`/`finished` without a zone (`2026-11-28T05:47:35`, meaning UTC), as the real list likely does. Default false (`…Z`). */
  zonelessTimes?: boolean
  /** How a well-formed but unknown cluster id is answered on create, cluster details and the cluster's snapshot list. Default 'DWS.0047-404'. */
  unknownCluster?: UnknownClusterAnswer
  /** The cluster's task stays SNAPSHOTTING this long after a snapshot of it finishes; when set (0 included), snapshots carry `cluster_task_status`. */
  taskLingerMs?: number
  /** What created snapshots become after CREATING unless a plan says otherwise. Default AVAILABLE. */
  snapshotOutcome?: 'AVAILABLE' | 'UNAVAILABLE'
  /**
   * How the cluster's snapshot list reads `offset` (the docs disagree): 'page' = page index, starting at 0
   * (the newer docs), 'record' = index of the first record (the 2024 docs). Default 'page'. Without `limit` the list is not paged.
   */
  offsetReading?: OffsetReading
  /** A deleted snapshot still shows in the lists and details this long (emulator clock) after its DELETE was accepted. Default 0. */
  deleteLagMs?: number
  oidc?: OidcOptions
  /** How `progress` reads while CREATING, unless a plan says otherwise. Default 'linear'. */
  progress?: ProgressShape
  /** false: snapshot details carry no `progress`; only the cluster's `action_progress` shows it. Default true. */
  progressOnDetails?: boolean
  /** How long a cluster restored from a snapshot stays CREATING unless `nextRestore` says otherwise. Default twice `creatingMs`. */
  restoringMs?: number
  /** What restored clusters become unless `nextRestore` says otherwise. Default AVAILABLE. */
  restoreOutcome?: RestoreOutcome
  /** A deleted cluster reads DELETING this long, then is gone (details answer as for an unknown cluster). Default 3 s. */
  deletingMs?: number
  /** Every cluster's tables unless its config says otherwise. Default EMULATOR_DEFAULTS.tables. */
  tables?: TableCatalogue
  /** How long a table restore job runs unless `nextTableRestore` says otherwise. Default `creatingMs`. */
  tableRestoreMs?: number
}

/**
 * linear: 'NN%' from 0 to 99; noisy: the same with a few percent of wobble; steps: 10 % steps;
 * stuck: too fast, then 99 % for the last quarter; none: no progress anywhere.
 */
export type ProgressShape = 'linear' | 'noisy' | 'steps' | 'stuck' | 'none'

/** The `progressInfo` fields of a failed snapshot task that say why. */
export interface SnapshotFailureDetail {
  failedStep: string
  errorCode: string
  errorMsg: string
}

export type OffsetReading = 'page' | 'record'

/** `<error_code>-<HTTP status>`: the answers the real service has been seen to give for an unknown cluster. */
export type UnknownClusterAnswer = 'DWS.0047-401' | 'DWS.0015-403' | 'DWS.0047-404'

export interface RecordedRequest {
  requestId: string
  method: string
  /** Path with query string, as received. */
  path: string
  /** undefined when no route matched (answered 404 APIGW.0101). */
  route: RouteName | undefined
  /** 'pending' until answered; a stalled response records the status it started to send. */
  status: number | 'dropped' | 'pending'
  /** The injected fault this request consumed, if any. */
  fault?: Fault['kind']
  /** Lower-case names. */
  headers: Record<string, string>
  body: string
}

export type SnapshotStatus = 'CREATING' | 'AVAILABLE' | 'UNAVAILABLE' | 'RESTORING' | 'FROZEN' | 'POLICE_FROZEN'

/** A snapshot as the API shows it (details; list omits `progress`). */
export interface SnapshotView {
  id: string
  name: string
  description: string
  started: string
  finished: string
  size: number
  // Any string is allowed so tests can seed a status the action does not know.
  status: SnapshotStatus | (string & {})
  /** Automated snapshots are `AUTO` in the cluster's list, `AUTOMATED` elsewhere (the API versions differ). */
  type: 'MANUAL' | 'AUTOMATED' | 'AUTO'
  cluster_id: string
  progress?: string
  /** The cluster's `task_status`; only when the `taskLingerMs` option is set. */
  cluster_task_status?: string
}

export interface SnapshotRecord extends SnapshotView {
  project_id: string
}

export interface SnapshotPlan {
  creatingMs?: number
  outcome?: 'AVAILABLE' | 'UNAVAILABLE'
  /** Size reported once AVAILABLE. */
  sizeGb?: number
  progress?: ProgressShape
  /** What its SNAPSHOTTING_FAILED task reports when it ends UNAVAILABLE. */
  failure?: SnapshotFailureDetail
}

/** An existing snapshot for reuse/duplicate tests. */
export interface SnapshotSeed {
  name: string
  id?: string
  /** Default: the first cluster. */
  clusterId?: string
  /** Default: the first project. */
  projectId?: string
  description?: string
  /** Default AVAILABLE. CREATING runs the lifecycle (creatingMs, outcome); any other value is fixed. */
  status?: SnapshotStatus | (string & {})
  /** Emulator-clock ms; default now. */
  startedMs?: number
  creatingMs?: number
  outcome?: 'AVAILABLE' | 'UNAVAILABLE'
  sizeGb?: number
  type?: 'MANUAL' | 'AUTOMATED'
}

/** DWS.9999 is what a repeated operation may get, with DWS.7023 in its message; its live HTTP status is a guess. */
export type BusyAnswer = { status: 409; code: 'DWS.0011' } | { status: 403; code: 'DWS.7023' } | { status: 400; code: 'DWS.9999' }

export interface Emulator {
  /** 'http://127.0.0.1:<port>' */
  url: string
  port: number
  /** Stops listening and destroys every open socket, stalled or delayed ones included. */
  close(): Promise<void>
  requests: RecordedRequest[]
  /** TCP connections accepted so far: with keep-alive, fewer than requests. */
  connections(): number
  snapshots(): SnapshotRecord[]
  addSnapshot(seed: SnapshotSeed): SnapshotRecord
  /** The next `times` (default 1) requests on `route` get `fault`; faults queue in order. */
  inject(route: RouteName, fault: Fault, times?: number): void
  /** Create answers busy until the emulator clock reaches `untilMs`. Default answer 409 DWS.0011. */
  setClusterBusy(clusterId: string, untilMs: number, answer?: BusyAnswer): void
  /** Plans queue: each applies to one future created snapshot, in order. */
  nextSnapshot(plan: SnapshotPlan): void
  /** Sets (or with undefined, clears) the cluster's `failed_reasons`. */
  setFailedReasons(clusterId: string, reasons: unknown): void
  /** The cluster's `status` (default AVAILABLE); create answers 403 DWS.7023 unless it is AVAILABLE. */
  setClusterStatus(clusterId: string, status: string): void
  /** Plans queue: each applies to one future restore into a new cluster, in order. */
  nextRestore(plan: RestorePlan): void
  /** Plans queue: each applies to one future table restore job, in order. */
  nextTableRestore(plan: TableRestorePlan): void
  /** Every cluster, configured or restored, with its status now; deleted ones stay listed (DELETED once gone). */
  clusters(): ClusterRecord[]
  /** Every table restore job started so far, with its status now. */
  tableRestores(): TableRestoreRecord[]
  /** GitHub's side of keyless sign-in. */
  oidc: {
    /** ACTIONS_ID_TOKEN_REQUEST_URL for the action: the token endpoint, with the query GitHub's has */
    requestUrl: string
    /** ACTIONS_ID_TOKEN_REQUEST_TOKEN: the bearer the endpoint requires */
    requestToken: string
    /** an ID token as the endpoint would issue it now (for in-process tests) */
    idToken(audience: string): string
    /** every secret minted so far: STS keys, IAM v3 tokens, ID tokens (for tests that check none is shown) */
    minted(): { accessKeys: AccessKey[]; iamTokens: string[]; idTokens: string[] }
  }
}
