/**
 * How a snapshot's progress reads while it is CREATING: the shapes the action's waiting is tested
 * against. Pure: a function of the time since the snapshot started.
 */
import type { ProgressShape, SnapshotFailureDetail } from './types.js'

/** 'NN%' (never 100% while CREATING), or undefined for the shape that reports none. */
export function progressText(shape: ProgressShape, elapsedMs: number, creatingMs: number): string | undefined {
  const ratio = creatingMs > 0 ? Math.max(0, elapsedMs) / creatingMs : 1
  const percent = (value: number): string => `${Math.max(0, Math.min(99, Math.floor(value)))}%`
  switch (shape) {
    case 'linear':
      return percent(ratio * 100)
    case 'noisy':
      // Deterministic wobble of a few percent around the line, on two time scales.
      return percent(ratio * 100 + 3 * Math.sin(elapsedMs / 7919) + 1.5 * Math.sin(elapsedMs / 1237))
    case 'steps':
      return percent(Math.floor(ratio * 10) * 10)
    case 'stuck':
      // Runs a third faster than the truth, then sits at 99% for the last quarter.
      return percent((ratio / 0.75) * 100)
    case 'none':
      return undefined
  }
}

/** What a failed snapshot's task reports when no plan says otherwise. */
export const DEFAULT_FAILURE: SnapshotFailureDetail = {
  failedStep: 'BACKUP',
  errorCode: 'GS.BACKUP.0042',
  errorMsg: 'backup of data node dn_6001_6002 failed: no space left on the backup media'
}

/**
 * A task sub-item's `detail`, encoded as the service does: JSON text holding `progressInfo`, which
 * is JSON text again.
 */
export function taskDetail(fields: Record<string, unknown>): string {
  return JSON.stringify({ progressInfo: JSON.stringify(fields) })
}
