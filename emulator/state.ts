/**
 * Projects, clusters and snapshots. No timers: a snapshot's status is computed from the clock each time
 * it is read, so tests drive the lifecycle by moving an injected clock. Clusters and their restores
 * live in clusters.ts, table restores in table-restore.ts; this joins them where they meet.
 */
import { randomUUID } from 'node:crypto'
import { ClusterBook } from './clusters.js'
import { DEFAULT_FAILURE, progressText, taskDetail } from './progress.js'
import { snapshotTime } from './responses.js'
import { TableRestores } from './table-restore.js'
import type {
  BusyAnswer,
  ClusterConfig,
  ProgressShape,
  ProjectConfig,
  RestoreOutcome,
  SnapshotFailureDetail,
  SnapshotPlan,
  SnapshotRecord,
  SnapshotSeed,
  SnapshotView,
  TableCatalogue
} from './types.js'

interface StoredSnapshot {
  id: string
  projectId: string
  name: string
  description: string
  clusterId: string
  type: 'MANUAL' | 'AUTOMATED'
  startedMs: number
  /** CREATING for this long after startedMs, then `outcome`. */
  creatingMs: number
  outcome: string
  sizeGb: number
  /** Built by the emulator's lifecycle (created, or seeded CREATING): its end can hold the cluster's task for the linger. */
  lifecycle: boolean
  /** When its DELETE was accepted; it still shows for the delete lag after that. */
  deletedAtMs?: number
  progress: ProgressShape
  failure: SnapshotFailureDetail
}

export interface StateSettings {
  projects: readonly ProjectConfig[]
  clusters: readonly ClusterConfig[]
  creatingMs: number
  now: () => number
  zonelessTimes: boolean
  /** undefined: snapshots do not show `cluster_task_status` and the task ends with the snapshot. */
  taskLingerMs: number | undefined
  /** What a created snapshot becomes when no plan says otherwise. */
  outcome: string
  /** How long a deleted snapshot still shows. */
  deleteLagMs: number
  progress: ProgressShape
  progressOnDetails: boolean
  restoringMs: number
  restoreOutcome: RestoreOutcome
  deletingMs: number
  tables: TableCatalogue
  tableRestoreMs: number
}

const DEFAULT_SIZE_GB = 1.5

export class EmulatorState {
  private readonly stored: StoredSnapshot[] = []
  private readonly busy = new Map<string, { untilMs: number; answer: BusyAnswer }>()
  private readonly plans: SnapshotPlan[] = []
  readonly projects: readonly ProjectConfig[]
  readonly now: () => number
  readonly clusters: ClusterBook
  readonly tables: TableRestores

  constructor(private readonly settings: StateSettings) {
    this.projects = settings.projects
    this.now = settings.now
    this.clusters = new ClusterBook(settings.clusters, { ...settings, now: settings.now })
    this.tables = new TableRestores({
      now: settings.now,
      runningMs: settings.tableRestoreMs,
      catalogue: (clusterId) => this.clusters.tables(clusterId)
    })
  }

  hasProject(id: string): boolean {
    return this.projects.some((p) => p.id === id)
  }

  /** False for a cluster never known, another project's restored one, and a deleted one that is gone. */
  hasCluster(id: string, projectId: string): boolean {
    return this.clusters.has(id, projectId)
  }

  /** The clusters the project sees: the configured ones and those it restored. */
  clusterIds(projectId: string): string[] {
    return this.clusters.ids(projectId)
  }

  /** The cluster details body, or undefined when unknown. Configured clusters keep the fields they always had. */
  clusterView(id: string): Record<string, unknown> | undefined {
    const cluster = this.clusters.config(id)
    if (cluster === undefined) return undefined
    const building = this.building(id)
    const progress = building === undefined ? undefined : this.progressOf(building)
    const lifecycle = this.clusters.lifecycleView(id)
    return {
      id: cluster.id,
      name: cluster.name,
      status: this.clusterStatus(id),
      sub_status: 'NORMAL',
      task_status: lifecycle.taskStatus || this.clusterTaskStatus(id),
      action_progress: { ...lifecycle.actionProgress, ...(progress === undefined ? {} : { SNAPSHOTTING: progress }) },
      ...(cluster.failedReasons !== undefined ? { failed_reasons: cluster.failedReasons } : {}),
      ...lifecycle.fields
    }
  }

  /**
   * The body of `GET /v1/{pid}/clusters/{cid}/actions/{name}` for the snapshot tasks: SNAPSHOTTING
   * while one is built, SNAPSHOTTING_FAILED after the latest ended UNAVAILABLE; otherwise no items.
   */
  clusterAction(clusterId: string, name: string): Record<string, unknown> {
    const task =
      name === 'SNAPSHOTTING' ? this.building(clusterId) : name === 'SNAPSHOTTING_FAILED' ? this.lastFailed(clusterId) : undefined
    const base = { action_name: name, cluster_name: this.clusters.config(clusterId)?.name ?? '' }
    if (task === undefined) return { ...base, items: [] }
    const failed = name === 'SNAPSHOTTING_FAILED'
    const fields = {
      actionType: 'Backup',
      currentStep: failed ? 'FINISH' : 'BACKUP',
      progress: failed ? '100.00%' : (this.progressOf(task) ?? ''),
      backupSize: Math.round(task.sizeGb * 1e9),
      ...(failed ? task.failure : { failedStep: '', errorCode: '', errorMsg: '' })
    }
    const time = (ms: number): string => snapshotTime(ms, true).replace('T', ' ')
    return {
      ...base,
      id: task.id,
      status: failed ? 'FAILED' : 'RUNNING',
      submit_time: time(task.startedMs),
      items: [
        {
          item_name: 'snapshot',
          sub_items: [
            {
              status: failed ? 'FAILED' : 'RUNNING',
              sub_item_name: 'backup',
              detail: taskDetail(fields),
              begin_time: time(task.startedMs),
              end_time: failed ? time(task.startedMs + task.creatingMs) : '',
              estimated_time: -1
            }
          ]
        }
      ]
    }
  }

  clusterStatus(id: string): string {
    return this.clusters.status(id)
  }

  setClusterStatus(id: string, status: string): void {
    this.clusters.setStatus(id, status)
  }

  setFailedReasons(clusterId: string, reasons: unknown): void {
    this.clusters.setFailedReasons(clusterId, reasons)
  }

  setBusy(clusterId: string, untilMs: number, answer: BusyAnswer): void {
    if (!this.clusters.known(clusterId)) throw new Error(`unknown cluster ${clusterId}`)
    this.busy.set(clusterId, { untilMs, answer })
  }

  busyAnswer(clusterId: string): BusyAnswer | undefined {
    const busy = this.busy.get(clusterId)
    return busy !== undefined && this.now() < busy.untilMs ? busy.answer : undefined
  }

  /** True while a snapshot of the cluster is CREATING and, after it ends, for the task linger. */
  isSnapshotting(clusterId: string): boolean {
    const linger = this.settings.taskLingerMs ?? 0
    return this.stored.some((s) => s.clusterId === clusterId && s.lifecycle && this.now() - s.startedMs < s.creatingMs + linger)
  }

  private clusterTaskStatus(clusterId: string): string {
    return this.isSnapshotting(clusterId) ? 'SNAPSHOTTING' : ''
  }

  addPlan(plan: SnapshotPlan): void {
    this.plans.push(plan)
  }

  list(projectId: string): SnapshotView[] {
    return this.stored.filter((s) => s.projectId === projectId && this.visible(s)).map((s) => this.view(s, false))
  }

  /** The cluster's list names automated snapshots `AUTO`. */
  listForCluster(projectId: string, clusterId: string): SnapshotView[] {
    return this.list(projectId)
      .filter((s) => s.cluster_id === clusterId)
      .map((s) => (s.type === 'AUTOMATED' ? { ...s, type: 'AUTO' } : s))
  }

  get(projectId: string, id: string): SnapshotView | undefined {
    const s = this.find(projectId, id)
    return s === undefined || !this.visible(s) ? undefined : this.view(s, true)
  }

  /** Names are unique per project, compared case-insensitively. */
  nameTaken(projectId: string, name: string): boolean {
    const wanted = name.toLowerCase()
    return this.stored.some((s) => s.projectId === projectId && s.name.toLowerCase() === wanted)
  }

  /** Starts a manual snapshot now; consumes the oldest pending plan. */
  create(projectId: string, input: { name: string; description: string; clusterId: string }): string {
    const plan = this.plans.shift() ?? {}
    const snapshot: StoredSnapshot = {
      id: randomUUID(),
      projectId,
      ...input,
      type: 'MANUAL',
      startedMs: this.now(),
      creatingMs: plan.creatingMs ?? this.settings.creatingMs,
      outcome: plan.outcome ?? this.clusters.config(input.clusterId)?.snapshotOutcome ?? this.settings.outcome,
      sizeGb: plan.sizeGb ?? DEFAULT_SIZE_GB,
      lifecycle: true,
      progress: plan.progress ?? this.settings.progress,
      failure: plan.failure ?? DEFAULT_FAILURE
    }
    this.stored.push(snapshot)
    return snapshot.id
  }

  seed(seed: SnapshotSeed): SnapshotRecord {
    const projectId = seed.projectId ?? this.projects[0]?.id
    const clusterId = seed.clusterId ?? this.clusters.firstId()
    if (projectId === undefined || clusterId === undefined) {
      throw new Error('addSnapshot: the emulator has no project or cluster to put it in')
    }
    const status = seed.status ?? 'AVAILABLE'
    const creating = status === 'CREATING'
    const snapshot: StoredSnapshot = {
      id: seed.id ?? randomUUID(),
      projectId,
      name: seed.name,
      description: seed.description ?? '',
      clusterId,
      type: seed.type ?? 'MANUAL',
      startedMs: seed.startedMs ?? this.now(),
      creatingMs: creating ? (seed.creatingMs ?? this.settings.creatingMs) : 0,
      outcome: creating ? (seed.outcome ?? 'AVAILABLE') : status,
      sizeGb: seed.sizeGb ?? DEFAULT_SIZE_GB,
      lifecycle: creating,
      progress: this.settings.progress,
      failure: DEFAULT_FAILURE
    }
    this.stored.push(snapshot)
    return this.record(snapshot)
  }

  /**
   * 'creating' when the snapshot is still being built, 'locked' while it is restored from or frozen: the
   * service refuses to delete it then. A snapshot already deleted is 'unknown', even while it still shows.
   */
  remove(projectId: string, id: string): 'deleted' | 'unknown' | 'automated' | 'creating' | 'locked' {
    const s = this.find(projectId, id)
    if (s === undefined || s.deletedAtMs !== undefined) return 'unknown'
    if (s.type !== 'MANUAL') return 'automated'
    const status = this.statusOf(s)
    if (status === 'CREATING') return 'creating'
    if (status === 'RESTORING' || status === 'FROZEN' || status === 'POLICE_FROZEN') return 'locked'
    s.deletedAtMs = this.now()
    return 'deleted'
  }

  /** The snapshots that exist (deleted ones are gone here at once, whatever the API still shows). */
  records(): SnapshotRecord[] {
    return this.stored.filter((s) => s.deletedAtMs === undefined).map((s) => this.record(s))
  }

  private find(projectId: string, id: string): StoredSnapshot | undefined {
    return this.stored.find((s) => s.projectId === projectId && s.id === id)
  }

  private visible(s: StoredSnapshot): boolean {
    return s.deletedAtMs === undefined || this.now() < s.deletedAtMs + this.settings.deleteLagMs
  }

  private building(clusterId: string): StoredSnapshot | undefined {
    return this.stored.find((s) => s.clusterId === clusterId && this.statusOf(s) === 'CREATING')
  }

  /** The lifecycle snapshot of the cluster that ended UNAVAILABLE most recently. */
  private lastFailed(clusterId: string): StoredSnapshot | undefined {
    return this.stored
      .filter((s) => s.clusterId === clusterId && s.lifecycle && this.statusOf(s) === 'UNAVAILABLE')
      .sort((a, b) => a.startedMs + a.creatingMs - (b.startedMs + b.creatingMs))
      .at(-1)
  }

  /** A finished snapshot reads RESTORING while a restore from it (a new cluster, or tables) runs. */
  private statusOf(s: StoredSnapshot): string {
    if (this.now() - s.startedMs < s.creatingMs) return 'CREATING'
    const restoring = s.outcome === 'AVAILABLE' && (this.clusters.isRestoringFrom(s.id) || this.tables.restoringFrom(s.id))
    return restoring ? 'RESTORING' : s.outcome
  }

  /** The snapshot with its project and cluster, whatever its status, or undefined when the project has no such snapshot. */
  snapshotSource(projectId: string, id: string): { id: string; clusterId: string; status: string } | undefined {
    const s = this.find(projectId, id)
    return s === undefined || !this.visible(s) ? undefined : { id: s.id, clusterId: s.clusterId, status: this.statusOf(s) }
  }

  /** 'NN%' of a CREATING snapshot in its shape: never 100% while still CREATING; never negative if the clock steps back. */
  private progressOf(s: StoredSnapshot): string | undefined {
    return progressText(s.progress, this.now() - s.startedMs, s.creatingMs)
  }

  private view(s: StoredSnapshot, withProgress: boolean): SnapshotView {
    const status = this.statusOf(s)
    const creating = status === 'CREATING'
    const time = (ms: number): string => snapshotTime(ms, this.settings.zonelessTimes)
    const view: SnapshotView = {
      id: s.id,
      name: s.name,
      description: s.description,
      started: time(s.startedMs),
      finished: creating ? '' : time(s.startedMs + s.creatingMs),
      size: status === 'AVAILABLE' || status === 'RESTORING' ? s.sizeGb : 0,
      status,
      type: s.type,
      cluster_id: s.clusterId
    }
    const progress = creating && withProgress && this.settings.progressOnDetails ? this.progressOf(s) : undefined
    if (progress !== undefined) view.progress = progress
    if (this.settings.taskLingerMs !== undefined) view.cluster_task_status = this.clusterTaskStatus(s.clusterId)
    return view
  }

  private record(s: StoredSnapshot): SnapshotRecord {
    return { ...this.view(s, true), project_id: s.projectId }
  }
}
