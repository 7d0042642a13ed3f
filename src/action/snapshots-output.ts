/**
 * The `snapshots` output: one object per cluster, the same shape for one cluster as for many, so a
 * later step can always `fromJSON(steps.x.outputs.snapshots)`.
 */
import type { ClusterResult } from '../dws/job.js'

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

export function snapshotsOutput(reports: readonly ClusterReport[]): string {
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
