/**
 * What a restore run tells the runner when it ends, or is cancelled: the one error annotation, the
 * outputs (every rule here), and the job summary. Everything is read from the run's state, which
 * the story keeps up to date as it goes; the post step's report is here too.
 */
import type { Restored } from '../../dws/restore.js'
import type { Cluster, Job, Snapshot, TableRestoreRequest } from '../../dws/types.js'
import type { RestoreConfig } from '../inputs/restore.js'
import type { CloudSession } from '../plan/connect.js'
import type { Reported, Reporter, RunOutcome } from './reporter.js'
import { renderDeletionSummary, renderRestoreSummary, type DeletionReport } from './restore-summary.js'

/** What a restore run knows, phase by phase. */
export interface RestoreRun {
  config?: RestoreConfig
  cloud?: CloudSession
  snapshot?: Snapshot
  /** new-cluster mode: the name asked for, then what the service made */
  clusterName?: string
  restored?: Restored
  /** the latest read of the new cluster, or the snapshot's own in tables mode */
  cluster?: Cluster
  tables?: TableRestoreRequest
  job?: Job
  /** clock times: the service accepted the restore, and it was done */
  acceptedAt?: number
  doneAt?: number
}

/** The cluster the post step may delete: made by this step, never adopted (kept with the runner's state). */
export interface SavedCluster {
  id: string
  name: string
  adopted: boolean
}

export function reportRestoreRun(step: Reporter, run: RestoreRun, failure: unknown): RunOutcome {
  const error = failure === undefined ? undefined : step.annotate(failure, { leftBehind: leftBehind(run) })
  publishRestore(step, run)
  return { failed: error !== undefined, summary: renderRestoreSummary(restoreReport(step, run, error)), leftBehind: leftBehind(run) }
}

export function cancelledRestoreRun(step: Reporter, run: RestoreRun, signal: string): { message: string; summary: string } {
  const id = run.restored?.clusterId ?? run.job?.id
  const message = run.restored
    ? `Cancelled (${signal}): the restore into cluster '${run.clusterName ?? ''}' (id ${run.restored.clusterId}) continues on the service` +
      (deletedAtEnd(run) ? '; the post step deletes it.' : '; it is not deleted.')
    : run.job
      ? `Cancelled (${signal}): the table restore job ${run.job.id} continues on the service.`
      : `Cancelled (${signal}) before a restore was ${id === undefined && run.clusterName ? 'answered' : 'sent'}.`
  const report = restoreReport(step, run, { title: 'Cancelled', message, hint: '', help: '' })
  return { message, summary: renderRestoreSummary(report) }
}

/** Every output of the restore action, from what the run knows. */
function publishRestore(step: Pick<Reporter, 'setOutput'>, run: RestoreRun): void {
  const tables = run.config?.tables !== undefined
  const done = run.job?.status === 'SUCCESS'
  step.setOutput('snapshot_id', run.snapshot?.id ?? '')
  step.setOutput('cluster_id', tables ? (run.snapshot?.clusterId ?? '') : (run.restored?.clusterId ?? ''))
  step.setOutput('cluster_name', tables ? (run.cluster?.name ?? '') : run.restored ? (run.clusterName ?? '') : '')
  step.setOutput('status', (tables ? run.job?.status : run.cluster?.status) ?? '')
  step.setOutput('private_endpoint', tables ? '' : (run.cluster?.privateEndpoint ?? ''))
  step.setOutput('public_endpoint', tables ? '' : (run.cluster?.publicEndpoint ?? ''))
  const took = tookMs(run)
  step.setOutput('duration_seconds', took === undefined ? '' : String(Math.round(took / 1000)))
  step.setOutput('job_id', run.job?.id ?? '')
  const restored = done ? (run.tables?.tables ?? []).map((t) => ({ source: tableText(t.source), target: tableText(t.target) })) : []
  step.setOutput('restored_tables', JSON.stringify(restored))
}

/** As soon as the service accepted the restore: a later step has the cluster (or job) whatever happens next. */
export function publishAccepted(step: Pick<Reporter, 'setOutput'>, run: RestoreRun): void {
  if (run.restored) {
    step.setOutput('cluster_id', run.restored.clusterId)
    step.setOutput('cluster_name', run.clusterName ?? '')
  }
  if (run.job) step.setOutput('job_id', run.job.id)
}

function restoreReport(step: Reporter, run: RestoreRun, error: Reported | undefined): Parameters<typeof renderRestoreSummary>[0] {
  const tables = run.config?.tables !== undefined
  return {
    mode: tables ? 'tables' : 'new-cluster',
    dryRun: run.config?.dryRun ?? false,
    snapshot: run.snapshot && { id: run.snapshot.id, name: run.snapshot.name },
    cluster: tables
      ? { id: run.snapshot?.clusterId, name: run.cluster?.name }
      : {
          id: run.restored?.clusterId,
          name: run.clusterName,
          status: run.cluster?.status,
          privateEndpoint: run.cluster?.privateEndpoint,
          publicEndpoint: run.cluster?.publicEndpoint
        },
    adopted: run.restored?.adopted ?? false,
    deletedAtEnd: deletedAtEnd(run),
    tables: run.tables?.tables.map((t) => ({ source: tableText(t.source), target: tableText(t.target) })),
    job: run.job && { id: run.job.id, status: run.job.status },
    tookMs: tookMs(run),
    elapsedMs: step.elapsedMs(),
    signedIn: run.cloud?.signedIn(),
    ...step.stats,
    error
  }
}

/** The cluster this step saved for the post step to delete. */
export function savedCluster(run: RestoreRun): SavedCluster | undefined {
  if (run.config?.keep !== false || !run.restored || run.clusterName === undefined) return undefined
  return { id: run.restored.clusterId, name: run.clusterName, adopted: run.restored.adopted }
}

function deletedAtEnd(run: RestoreRun): boolean {
  const saved = savedCluster(run)
  return saved !== undefined && !saved.adopted
}

function tookMs(run: RestoreRun): number | undefined {
  return run.acceptedAt !== undefined && run.doneAt !== undefined ? run.doneAt - run.acceptedAt : undefined
}

function tableText(t: { schema: string; table: string }): string {
  return `${t.schema}.${t.table}`
}

/** The sentence that names what this step started on the service, for any failure after it. */
function leftBehind(run: RestoreRun): string {
  if (run.restored) {
    const kept = deletedAtEnd(run) ? 'the post step deletes it' : 'it is not deleted'
    return ` Cluster '${run.clusterName ?? ''}' (id ${run.restored.clusterId}) was ${run.restored.adopted ? 'adopted' : 'made'} by this step and still exists on the service; ${kept}.`
  }
  return run.job ? ` Table restore job ${run.job.id} was started by this step.` : ''
}

export function reportDeletion(
  step: Reporter,
  report: Omit<DeletionReport, 'elapsedMs' | 'requests' | 'retries' | 'error'>,
  failure: unknown
): RunOutcome {
  const error = failure === undefined ? undefined : step.annotate(failure)
  // Nothing to delete, nothing to say in the summary.
  if (report.cluster === undefined && error === undefined) return { failed: false, summary: '', leftBehind: '' }
  const summary = renderDeletionSummary({ ...report, elapsedMs: step.elapsedMs(), ...step.stats, error })
  return { failed: error !== undefined, summary, leftBehind: '' }
}
