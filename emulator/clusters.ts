/**
 * The clusters: the configured ones (seen from every project) and those restored from snapshots (seen
 * from the project that restored them), with the two lifecycles the emulator models, a restore and a
 * deletion. No timers: statuses are computed from the clock each time they are read.
 */
import { randomUUID } from 'node:crypto'
import { EMULATOR_DEFAULTS } from './defaults.js'
import { progressText } from './progress.js'
import { isoSeconds } from '../src/kernel/time.js'
import type { RestoreInput } from './restore-validate.js'
import type { ClusterConfig, ClusterRecord, ProgressShape, RestoreOutcome, RestorePlan, TableCatalogue } from './types.js'

export interface ClusterSettings {
  now: () => number
  restoringMs: number
  restoreOutcome: RestoreOutcome
  deletingMs: number
  progress: ProgressShape
  tables: TableCatalogue
}

interface Restore {
  snapshotId: string
  sourceClusterId: string
  startedMs: number
  restoringMs: number
  outcome: RestoreOutcome
  failedReasons: unknown
  progress: ProgressShape
  input: RestoreInput
}

interface StoredCluster {
  config: ClusterConfig & { tables: TableCatalogue }
  /** undefined: configured, so visible from every project. */
  projectId?: string
  restore?: Restore
  deletedAtMs?: number
  /** Set by the test control; wins over the restore's lifecycle, not over a deletion. */
  status?: string
}

/** Usable statuses: AVAILABLE, or ACTIVE as newer pages list it. */
export const READY_STATUSES: ReadonlySet<string> = new Set(['AVAILABLE', 'ACTIVE'])

/** Made up: the real reasons a restore fails with are not documented. */
const DEFAULT_RESTORE_FAILURE = {
  error_code: 'DWS.9999',
  error_msg: 'Restoring the cluster failed: data node dn_6001_6002 could not read the backup from OBS.'
}

/** Documentation addresses (TEST-NET-3): a public endpoint that is plainly not real. */
const PUBLIC_ADDRESS = '203.0.113.10'

export class ClusterBook {
  private readonly stored = new Map<string, StoredCluster>()
  private readonly plans: RestorePlan[] = []

  constructor(
    configured: readonly ClusterConfig[],
    private readonly settings: ClusterSettings
  ) {
    for (const cluster of configured) this.stored.set(cluster.id, { config: { ...cluster, tables: cluster.tables ?? settings.tables } })
  }

  /** True while the project can see the cluster: its own or configured, and not yet gone after a deletion. */
  has(id: string, projectId: string): boolean {
    const cluster = this.stored.get(id)
    return cluster !== undefined && this.visible(cluster, projectId)
  }

  /** The clusters a project sees, configured ones first. */
  ids(projectId: string): string[] {
    return [...this.stored.entries()].filter(([, c]) => this.visible(c, projectId)).map(([id]) => id)
  }

  /** True for every cluster it ever had, gone ones included. */
  known(id: string): boolean {
    return this.stored.has(id)
  }

  firstId(): string | undefined {
    return this.stored.keys().next().value
  }

  /** Its configuration while it can be seen. */
  config(id: string): ClusterConfig | undefined {
    const cluster = this.stored.get(id)
    return cluster === undefined || this.gone(cluster) ? undefined : cluster.config
  }

  tables(id: string): TableCatalogue | undefined {
    return this.stored.get(id)?.config.tables
  }

  status(id: string): string {
    const cluster = this.stored.get(id)
    if (cluster === undefined) return 'AVAILABLE'
    if (cluster.deletedAtMs !== undefined) return this.gone(cluster) ? 'DELETED' : 'DELETING'
    if (cluster.status !== undefined) return cluster.status
    const restore = cluster.restore
    if (restore === undefined) return 'AVAILABLE'
    return this.restoring(restore) ? 'CREATING' : restore.outcome
  }

  setStatus(id: string, status: string): void {
    this.require(id).status = status
  }

  setFailedReasons(id: string, reasons: unknown): void {
    this.require(id).config.failedReasons = reasons
  }

  /**
   * The fields of the details that the lifecycles add or change. A configured cluster gets none (its
   * view stays as it was); a restored one gets its task, progress, failure and connection details.
   */
  lifecycleView(id: string): { taskStatus?: string; actionProgress?: Record<string, string>; fields: Record<string, unknown> } {
    const cluster = this.require(id)
    const restore = cluster.restore
    if (restore === undefined) return { fields: {} }
    const running = this.restoring(restore) && cluster.deletedAtMs === undefined
    const progress = running ? progressText(restore.progress, this.settings.now() - restore.startedMs, restore.restoringMs) : undefined
    const failed = !this.restoring(restore) && !READY_STATUSES.has(restore.outcome)
    return {
      taskStatus: running ? 'RESTORING' : '',
      actionProgress: progress === undefined ? {} : { RESTORING: progress },
      fields: {
        ...connectionFields(cluster.config.name, restore.input, READY_STATUSES.has(this.status(id))),
        ...networkFields(restore.input),
        created: isoSeconds(restore.startedMs),
        updated: isoSeconds(running ? restore.startedMs : restore.startedMs + restore.restoringMs),
        ...(failed && cluster.config.failedReasons === undefined ? { failed_reasons: restore.failedReasons } : {})
      }
    }
  }

  /** Names are unique per project among the clusters it sees (a DELETING one still holds its name), compared case-insensitively. */
  nameTaken(projectId: string, name: string): boolean {
    const wanted = name.toLowerCase()
    return this.ids(projectId).some((id) => this.stored.get(id)?.config.name.toLowerCase() === wanted)
  }

  addPlan(plan: RestorePlan): void {
    this.plans.push(plan)
  }

  /** Starts a restore of the snapshot into a new cluster now; consumes the oldest pending plan. */
  restore(projectId: string, input: RestoreInput, snapshot: { id: string; clusterId: string }): string {
    const plan = this.plans.shift() ?? {}
    const id = randomUUID()
    // The new cluster holds every table the snapshot held.
    const held = this.stored.get(snapshot.clusterId)?.config.tables.snapshot ?? this.settings.tables.snapshot
    this.stored.set(id, {
      config: { id, name: input.name, tables: { snapshot: held, live: held } },
      projectId,
      restore: {
        snapshotId: snapshot.id,
        sourceClusterId: snapshot.clusterId,
        startedMs: this.settings.now(),
        restoringMs: plan.restoringMs ?? this.settings.restoringMs,
        outcome: plan.outcome ?? this.settings.restoreOutcome,
        failedReasons: plan.failedReasons ?? DEFAULT_RESTORE_FAILURE,
        progress: plan.progress ?? this.settings.progress,
        input
      }
    })
    return id
  }

  /** True while a restore from the snapshot runs (the snapshot then reads RESTORING). */
  isRestoringFrom(snapshotId: string): boolean {
    return [...this.stored.values()].some(
      (c) => c.restore?.snapshotId === snapshotId && c.deletedAtMs === undefined && this.restoring(c.restore)
    )
  }

  /** 'deleting' when accepted, 'already' while it is DELETING, 'unknown' when it is gone or never was. */
  delete(id: string): 'deleting' | 'already' | 'unknown' {
    const cluster = this.stored.get(id)
    if (cluster === undefined || this.gone(cluster)) return 'unknown'
    if (cluster.deletedAtMs !== undefined) return 'already'
    cluster.deletedAtMs = this.settings.now()
    return 'deleting'
  }

  records(): ClusterRecord[] {
    return [...this.stored.entries()].map(([id, c]) => ({
      id,
      name: c.config.name,
      status: this.status(id),
      ...(c.projectId !== undefined ? { projectId: c.projectId } : {}),
      ...(c.restore !== undefined ? { restoredFrom: { snapshotId: c.restore.snapshotId, clusterId: c.restore.sourceClusterId } } : {}),
      ...(c.deletedAtMs !== undefined ? { deletedAtMs: c.deletedAtMs } : {})
    }))
  }

  private require(id: string): StoredCluster {
    const cluster = this.stored.get(id)
    if (cluster === undefined) throw new Error(`unknown cluster ${id}`)
    return cluster
  }

  private visible(c: StoredCluster, projectId: string): boolean {
    return !this.gone(c) && (c.projectId === undefined || c.projectId === projectId)
  }

  private gone(c: StoredCluster): boolean {
    return c.deletedAtMs !== undefined && this.settings.now() >= c.deletedAtMs + this.settings.deletingMs
  }

  private restoring(r: Restore): boolean {
    return this.settings.now() - r.startedMs < r.restoringMs
  }
}

/** The documented default form, placeholder included. */
function jdbcUrl(connectInfo: string): string {
  return `jdbc:postgresql://${connectInfo}/<YOUR_DATABASE_name>`
}

/** Port and endpoints; the endpoints only once the cluster is usable, the public ones only when a public IP was asked. */
function connectionFields(name: string, input: RestoreInput, ready: boolean): Record<string, unknown> {
  const port = input.port ?? 8000
  const connect = `${name}.dws.myhuaweicloud.com:${port}`
  const publicConnect = `${PUBLIC_ADDRESS}:${port}`
  const publicIp = input.publicIp
  const publicAccess = publicIp !== undefined && publicIp.public_bind_type !== 'not_use'
  return {
    port,
    endpoints: ready ? [{ connect_info: connect, jdbc_url: jdbcUrl(connect) }] : [],
    ...(publicAccess ? { public_endpoints: ready ? [{ public_connect_info: publicConnect, jdbc_url: jdbcUrl(publicConnect) }] : [] } : {}),
    ...(publicIp !== undefined ? { public_ip: { public_bind_type: publicIp.public_bind_type, eip_id: publicIp.eip_id ?? '' } } : {})
  }
}

/** What the restore named, else the source cluster's (the emulator's defaults). */
function networkFields(input: RestoreInput): Record<string, unknown> {
  const d = EMULATOR_DEFAULTS.network
  return {
    vpc_id: input.vpcId ?? d.vpcId,
    subnet_id: input.subnetId ?? d.subnetId,
    security_group_id: input.securityGroupId ?? d.securityGroupId,
    availability_zone: input.availabilityZone ?? d.availabilityZone,
    enterprise_project_id: input.enterpriseProjectId ?? '0'
  }
}
