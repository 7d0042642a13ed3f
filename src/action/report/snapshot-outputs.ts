/**
 * The snapshot action's outputs, every rule in one place. With one cluster, the single-value
 * outputs describe its snapshot, and its id is published as soon as it is known (an `if: always()`
 * step has it whatever happens next). With several, those are empty and `snapshots` says it all:
 * one object per cluster, the same shape for one cluster as for many, so a later step can always
 * `fromJSON(steps.x.outputs.snapshots)`.
 */
import type { ClusterResult } from '../../dws/job.js'
import type { Reporter } from './reporter.js'

export interface SnapshotsOutputEntry {
  cluster_id: string
  cluster_name: string
  snapshot_id: string
  snapshot_name: string
  status: string
  /** null when no snapshot was obtained */
  created: boolean | null
  started_at: string
  finished_at: string
  /** GB; null when unknown */
  size_gb: number | null
  /** empty when the cluster's job went fine */
  error: string
}

export interface ClusterReport {
  result: ClusterResult
  clusterName?: string
  /** the annotation's message, already scrubbed; undefined when the job went fine */
  error?: string
}

/** The name, as soon as the run knows it (one cluster). */
export function publishName(step: Pick<Reporter, 'setOutput'>, names: readonly string[]): void {
  if (names.length === 1) step.setOutput('snapshot_name', names[0] ?? '')
}

/** The snapshot, as soon as its id is known (one cluster). */
export function publishSnapshot(step: Pick<Reporter, 'setOutput'>, result: ClusterResult, single: boolean): void {
  if (!single) return
  step.setOutput('snapshot_id', result.snapshotId ?? '')
  step.setOutput('created', String(result.created))
}

/** Everything, at the end of the run. */
export function publishFinal(step: Pick<Reporter, 'setOutput'>, reports: readonly ClusterReport[], dryRun: boolean): void {
  const single = reports.length <= 1
  const only = single ? reports[0]?.result : undefined
  if (single && dryRun) step.setOutput('created', 'false')
  if (!single) for (const name of ['snapshot_name', 'snapshot_id', 'created']) step.setOutput(name, '')
  step.setOutput('status', only?.status ?? '')
  step.setOutput('started_at', only?.startedAt ?? '')
  step.setOutput('finished_at', only?.finishedAt ?? '')
  step.setOutput('size_gb', only?.sizeGb === undefined ? '' : String(only.sizeGb))
  step.setOutput('duration_seconds', durationSeconds(only))
  const deleted = reports.flatMap((r) => r.result.retention?.deleted ?? [])
  step.setOutput('deleted_snapshots', JSON.stringify(deleted.map(({ id, name }) => ({ id, name }))))
  step.setOutput('snapshots', snapshotsOutput(reports))
}

function snapshotsOutput(reports: readonly ClusterReport[]): string {
  const entries: SnapshotsOutputEntry[] = reports.map(({ result, clusterName, error }) => ({
    cluster_id: result.clusterId,
    cluster_name: clusterName ?? '',
    snapshot_id: result.snapshotId ?? '',
    snapshot_name: result.snapshotName,
    status: result.status ?? '',
    created: result.created ?? null,
    started_at: result.startedAt ?? '',
    finished_at: result.finishedAt ?? '',
    size_gb: result.sizeGb ?? null,
    error: error ?? ''
  }))
  return JSON.stringify(entries)
}

function durationSeconds(result: ClusterResult | undefined): string {
  if (!result?.startedAt || !result.finishedAt) return ''
  const seconds = (Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000
  return Number.isFinite(seconds) && seconds >= 0 ? String(Math.round(seconds)) : ''
}
