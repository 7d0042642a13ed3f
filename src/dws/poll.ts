/**
 * The poll schedule while waiting for a snapshot: when to read it next, and when the log owes the
 * reader a progress line. Pure: it decides from times it is given, so it can be tested over
 * simulated snapshots without a clock.
 *
 * Without an estimate of the end (no progress, or progress that is not moving, coarse or stuck)
 * it reads every poll interval. With one, it reads sparsely while the end is far (half the time to
 * the earliest plausible end, at most MAX_SPARSE_GAP_MS), every DENSE_GAP_MS between the earliest
 * and the latest plausible end, and past the latest it backs off to the poll interval again.
 */
import type { EndEstimate } from './progress.js'

/** A progress line at least this often, however long the poll interval. */
const PROGRESS_EVERY_MS = 60_000

/** The gap around the predicted end: "done" is seen at most this long after the service finished. */
export const DENSE_GAP_MS = 5_000
/** The longest gap while progress says the end is far: bounds what a misleading estimate can cost. */
export const MAX_SPARSE_GAP_MS = 5 * 60_000
/** Share of the time left to the earliest plausible end that the next gap takes. */
const APPROACH = 0.5
/** Past the latest plausible end, the gap grows with the overrun by this share, up to the poll interval. */
const BACK_OFF = 0.5

export interface PollState {
  now: number
  /** the longest gap between two reads while progress does not predict the end */
  pollIntervalMs: number
  /** no read is scheduled past it: the last one lands on it */
  deadline: number
  /** what the progress readings say about the end, when they say anything */
  estimate?: EndEstimate
}

/** When to read next; undefined once the deadline has passed. */
export function nextPollAt(state: PollState): number | undefined {
  const { now, deadline } = state
  const remaining = deadline - now
  return remaining <= 0 ? undefined : now + Math.min(pollGap(state), remaining)
}

/** The gap to the next read, before the deadline is applied. */
export function pollGap({ now, pollIntervalMs, estimate }: Omit<PollState, 'deadline'>): number {
  if (estimate === undefined) return pollIntervalMs
  const dense = Math.min(DENSE_GAP_MS, pollIntervalMs)
  if (now < estimate.earliest) return Math.max(dense, Math.min(MAX_SPARSE_GAP_MS, APPROACH * (estimate.earliest - now)))
  if (now <= estimate.latest) return dense
  return Math.min(pollIntervalMs, Math.max(dense, BACK_OFF * (now - estimate.latest)))
}

/** When the next progress line is due, given when the last one was written. */
export function nextProgressLineAt(lastLineAt: number): number {
  return lastLineAt + PROGRESS_EVERY_MS
}
