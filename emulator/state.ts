/**
 * Projects, clusters and snapshots. No timers: a snapshot's status is computed from the clock each time
 * it is read, so tests drive the lifecycle by moving an injected clock.
 */
import { randomUUID } from 'node:crypto'
import { isoSeconds } from './responses.js'
import type {
  BusyAnswer,
  ClusterConfig,
  ProjectConfig,
  SnapshotPlan,
  SnapshotRecord,
  SnapshotSeed,
  SnapshotView
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
}

const DEFAULT_SIZE_GB = 1.5

export class EmulatorState {
  private readonly stored: StoredSnapshot[] = []
  private readonly clusters = new Map<string, ClusterConfig>()
  private readonly busy = new Map<string, { untilMs: number; answer: BusyAnswer }>()
  private readonly plans: SnapshotPlan[] = []

  constructor(
    readonly projects: readonly ProjectConfig[],
    clusters: readonly ClusterConfig[],
    private readonly creatingMs: number,
    readonly now: () => number
  ) {
    for (const cluster of clusters) this.clusters.set(cluster.id, { ...cluster })
  }

  hasProject(id: string): boolean {
    return this.projects.some((p) => p.id === id)
  }

  hasCluster(id: string): boolean {
    return this.clusters.has(id)
  }

  /** The cluster details body, or undefined when unknown. */
  clusterView(id: string): Record<string, unknown> | undefined {
    const cluster = this.clusters.get(id)
    if (cluster === undefined) return undefined
    return {
      id: cluster.id,
      name: cluster.name,
      status: 'AVAILABLE',
      sub_status: 'NORMAL',
      task_status: this.isSnapshotting(id) ? 'SNAPSHOTTING' : '',
      ...(cluster.failedReasons !== undefined ? { failed_reasons: cluster.failedReasons } : {})
    }
  }

  setFailedReasons(clusterId: string, reasons: unknown): void {
    const cluster = this.requireCluster(clusterId)
    cluster.failedReasons = reasons
  }

  setBusy(clusterId: string, untilMs: number, answer: BusyAnswer): void {
    this.requireCluster(clusterId)
    this.busy.set(clusterId, { untilMs, answer })
  }

  busyAnswer(clusterId: string): BusyAnswer | undefined {
    const busy = this.busy.get(clusterId)
    return busy !== undefined && this.now() < busy.untilMs ? busy.answer : undefined
  }

  isSnapshotting(clusterId: string): boolean {
    return this.stored.some((s) => s.clusterId === clusterId && this.statusOf(s) === 'CREATING')
  }

  addPlan(plan: SnapshotPlan): void {
    this.plans.push(plan)
  }

  list(projectId: string): SnapshotView[] {
    return this.stored.filter((s) => s.projectId === projectId).map((s) => this.view(s, false))
  }

  get(projectId: string, id: string): SnapshotView | undefined {
    const s = this.find(projectId, id)
    return s === undefined ? undefined : this.view(s, true)
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
      creatingMs: plan.creatingMs ?? this.creatingMs,
      outcome: plan.outcome ?? 'AVAILABLE',
      sizeGb: plan.sizeGb ?? DEFAULT_SIZE_GB
    }
    this.stored.push(snapshot)
    return snapshot.id
  }

  seed(seed: SnapshotSeed): SnapshotRecord {
    const projectId = seed.projectId ?? this.projects[0]?.id
    const clusterId = seed.clusterId ?? this.clusters.keys().next().value
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
      creatingMs: creating ? (seed.creatingMs ?? this.creatingMs) : 0,
      outcome: creating ? (seed.outcome ?? 'AVAILABLE') : status,
      sizeGb: seed.sizeGb ?? DEFAULT_SIZE_GB
    }
    this.stored.push(snapshot)
    return this.record(snapshot)
  }

  /** 'creating' when the snapshot is still being built: the service refuses to delete it then. */
  remove(projectId: string, id: string): 'deleted' | 'unknown' | 'automated' | 'creating' {
    const s = this.find(projectId, id)
    if (s === undefined) return 'unknown'
    if (s.type !== 'MANUAL') return 'automated'
    if (this.statusOf(s) === 'CREATING') return 'creating'
    this.stored.splice(this.stored.indexOf(s), 1)
    return 'deleted'
  }

  records(): SnapshotRecord[] {
    return this.stored.map((s) => this.record(s))
  }

  private find(projectId: string, id: string): StoredSnapshot | undefined {
    return this.stored.find((s) => s.projectId === projectId && s.id === id)
  }

  private requireCluster(id: string): ClusterConfig {
    const cluster = this.clusters.get(id)
    if (cluster === undefined) throw new Error(`unknown cluster ${id}`)
    return cluster
  }

  private statusOf(s: StoredSnapshot): string {
    return this.now() - s.startedMs < s.creatingMs ? 'CREATING' : s.outcome
  }

  private view(s: StoredSnapshot, withProgress: boolean): SnapshotView {
    const status = this.statusOf(s)
    const creating = status === 'CREATING'
    const view: SnapshotView = {
      id: s.id,
      name: s.name,
      description: s.description,
      started: isoSeconds(s.startedMs),
      finished: creating ? '' : isoSeconds(s.startedMs + s.creatingMs),
      size: status === 'AVAILABLE' || status === 'RESTORING' ? s.sizeGb : 0,
      status,
      type: s.type,
      cluster_id: s.clusterId
    }
    if (creating && withProgress) {
      // Never 100% while still CREATING; never negative if the clock steps back.
      const ratio = Math.max(0, this.now() - s.startedMs) / s.creatingMs
      view.progress = `${Math.min(99, Math.floor(ratio * 100))}%`
    }
    return view
  }

  private record(s: StoredSnapshot): SnapshotRecord {
    return { ...this.view(s, true), project_id: s.projectId }
  }
}
