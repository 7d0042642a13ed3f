/**
 * The step's outputs. A broken GITHUB_OUTPUT must not stop the run or hide its result: the first
 * failure to write is kept and reported once at the end.
 */
import type { ClusterResult } from '../dws/job.js'
import type { ActionIO } from './io.js'

export class Outputs {
  failure: Error | undefined

  constructor(private readonly io: ActionIO) {}

  set(name: string, value: string): void {
    try {
      this.io.setOutput(name, value)
    } catch (error) {
      this.failure ??= error as Error
    }
  }

  /** As soon as the snapshot is known: an `if: always()` step has them whatever happens next. */
  snapshotKnown(result: ClusterResult): void {
    this.set('snapshot_id', result.snapshotId ?? '')
    this.set('created', String(result.created))
  }

  /** The snapshot's last known state (one cluster), and what retention deleted (every cluster), at the end of the run. */
  final(result: ClusterResult | undefined, all: readonly ClusterResult[]): void {
    this.set('status', result?.status ?? '')
    this.set('started_at', result?.startedAt ?? '')
    this.set('finished_at', result?.finishedAt ?? '')
    this.set('size_gb', result?.sizeGb === undefined ? '' : String(result.sizeGb))
    this.set('duration_seconds', durationSeconds(result))
    const deleted = all.flatMap((r) => r.retention?.deleted ?? [])
    this.set('deleted_snapshots', JSON.stringify(deleted.map(({ id, name }) => ({ id, name }))))
  }
}

function durationSeconds(result: ClusterResult | undefined): string {
  if (!result?.startedAt || !result.finishedAt) return ''
  const seconds = (Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000
  return Number.isFinite(seconds) && seconds >= 0 ? String(Math.round(seconds)) : ''
}
