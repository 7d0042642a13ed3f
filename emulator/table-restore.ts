/**
 * Restoring chosen tables from a snapshot into the snapshot's own cluster: the name check, and the jobs
 * that do it. No timers: a job's status is computed from the clock, and the tables a successful job
 * restored count as the cluster's from the moment it ends.
 */
import { randomBytes } from 'node:crypto'
import { progressText } from './progress.js'
import { snapshotTime } from './responses.js'
import type { TableName, TableRestoreInput } from './restore-validate.js'
import type { TableCatalogue, TableRestorePlan, TableRestoreRecord } from './types.js'

export interface TableRestoreSettings {
  now: () => number
  runningMs: number
  /** The cluster's tables; undefined for a cluster the emulator never had. */
  catalogue: (clusterId: string) => TableCatalogue | undefined
}

/** `check_table_name_result`: the names that cannot be used, null when there are none (as the documented example has it). */
export interface CheckTableNameResult {
  database: string
  restore_table_list: string[] | null
  target_table_list: string[] | null
}

interface Job {
  id: string
  projectId: string
  snapshotId: string
  clusterId: string
  input: TableRestoreInput
  startedMs: number
  runningMs: number
  outcome: 'SUCCESS' | 'FAIL'
  failedCode: string
  failedDetail: string
  pending: readonly string[]
}

/** GaussDB's unquoted identifiers: a letter or underscore, then letters, digits, `_` or `$`, at most 63 bytes. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/

/** Made up: the real job name of a table restore is not documented. */
const JOB_NAME = 'tableRestoreJob'

const nameOf = (t: TableName): string => `${t.schema}.${t.table}`
const wellFormed = (t: TableName): boolean => IDENTIFIER.test(t.schema) && IDENTIFIER.test(t.table)

export class TableRestores {
  private readonly jobs: Job[] = []
  private readonly plans: TableRestorePlan[] = []

  constructor(private readonly settings: TableRestoreSettings) {}

  addPlan(plan: TableRestorePlan): void {
    this.plans.push(plan)
  }

  /**
   * Rejected sources: badly formed, or not in the snapshot's database. Rejected targets: badly formed,
   * already in the cluster, or named twice. Without case sensitivity, names compare case-insensitively.
   */
  check(clusterId: string, input: TableRestoreInput): CheckTableNameResult {
    const fold = (name: string): string => (input.caseSensitive ? name : name.toLowerCase())
    const catalogue = this.settings.catalogue(clusterId)
    const inSnapshot = new Set(tablesIn(catalogue?.snapshot ?? {}, input.database, fold).map(fold))
    const live = new Set(
      [...tablesIn(catalogue?.live ?? {}, input.database, fold), ...this.restoredInto(clusterId, input.database, fold)].map(fold)
    )
    const badSources = input.sources.filter((t) => !wellFormed(t) || !inSnapshot.has(fold(nameOf(t))))
    const seen = new Set<string>()
    const badTargets = input.targets.filter((t) => {
      const name = fold(nameOf(t))
      const twice = seen.has(name)
      seen.add(name)
      return !wellFormed(t) || live.has(name) || twice
    })
    const listed = (tables: TableName[]): string[] | null => (tables.length === 0 ? null : tables.map(nameOf))
    return { database: input.database, restore_table_list: listed(badSources), target_table_list: listed(badTargets) }
  }

  /** Starts a job now; consumes the oldest pending plan. */
  start(projectId: string, snapshotId: string, clusterId: string, input: TableRestoreInput): string {
    const plan = this.plans.shift() ?? {}
    const first = input.sources[0]
    const job: Job = {
      id: randomBytes(16).toString('hex'),
      projectId,
      snapshotId,
      clusterId,
      input,
      startedMs: this.settings.now(),
      runningMs: plan.runningMs ?? this.settings.runningMs,
      outcome: plan.outcome ?? 'SUCCESS',
      // Made up, in the shape of the documented example (`CreateELBTask-fail:DWS.0114`, `DWS.0114:<message>`).
      failedCode: plan.failedCode ?? 'RestoreTableTask-fail:DWS.9999',
      failedDetail:
        plan.failedDetail ??
        `DWS.9999:Restoring table ${first === undefined ? '' : nameOf(first)} failed: the backup set could not be read.`,
      pending: plan.pending !== undefined && plan.pending.length > 0 ? plan.pending : ['INIT']
    }
    this.jobs.push(job)
    return job.id
  }

  /** The body of `GET /v1.0/{project_id}/job/{job_id}`, or undefined for a job the project does not have. */
  view(projectId: string, jobId: string): Record<string, unknown> | undefined {
    const job = this.jobs.find((j) => j.id === jobId && j.projectId === projectId)
    if (job === undefined) return undefined
    const status = this.statusOf(job)
    const running = this.running(job)
    const failed = status === 'FAIL'
    const time = (ms: number): string => snapshotTime(ms, true)
    return {
      job_id: job.id,
      job_name: JOB_NAME,
      begin_time: time(job.startedMs),
      end_time: running ? null : time(job.startedMs + job.runningMs),
      status,
      failed_code: failed ? job.failedCode : null,
      failed_detail: failed ? job.failedDetail : null,
      progress: status === 'SUCCESS' ? '100%' : progressText('linear', this.settings.now() - job.startedMs, job.runningMs)
    }
  }

  /** True while a job runs on the cluster: a second one is refused meanwhile. */
  runningOn(clusterId: string): boolean {
    return this.jobs.some((j) => j.clusterId === clusterId && this.running(j))
  }

  /** True while a job restores from the snapshot (the snapshot then reads RESTORING). */
  restoringFrom(snapshotId: string): boolean {
    return this.jobs.some((j) => j.snapshotId === snapshotId && this.running(j))
  }

  records(): TableRestoreRecord[] {
    return this.jobs.map((j) => ({
      jobId: j.id,
      projectId: j.projectId,
      snapshotId: j.snapshotId,
      clusterId: j.clusterId,
      database: j.input.database,
      tables: j.input.sources.map((source, i) => ({ from: nameOf(source), to: nameOf(j.input.targets[i] ?? source) })),
      status: this.statusOf(j)
    }))
  }

  private running(job: Job): boolean {
    return this.settings.now() - job.startedMs < job.runningMs
  }

  private statusOf(job: Job): string {
    if (!this.running(job)) return job.outcome
    const share = Math.max(0, this.settings.now() - job.startedMs) / job.runningMs
    return job.pending[Math.min(job.pending.length - 1, Math.floor(share * job.pending.length))] ?? 'INIT'
  }

  /** Targets of the cluster's jobs that ended SUCCESS, in the database. */
  private restoredInto(clusterId: string, database: string, fold: (name: string) => string): string[] {
    return this.jobs
      .filter((j) => j.clusterId === clusterId && fold(j.input.database) === fold(database) && this.statusOf(j) === 'SUCCESS')
      .flatMap((j) => j.input.targets.map(nameOf))
  }
}

/** The tables of a database, its name compared as the request asks. */
function tablesIn(byDatabase: Record<string, readonly string[]>, database: string, fold: (name: string) => string): readonly string[] {
  return Object.entries(byDatabase).find(([name]) => fold(name) === fold(database))?.[1] ?? []
}
