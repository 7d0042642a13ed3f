/**
 * The poll schedule while waiting for a snapshot: when to read it next, and when the log owes the
 * reader a progress line. Pure: it decides from times it is given, so it can be tested over
 * simulated snapshots without a clock.
 */

/** A progress line at least this often, however long the poll interval. */
const PROGRESS_EVERY_MS = 60_000

export interface PollState {
  now: number
  /** the longest gap between two reads */
  pollIntervalMs: number
  /** no read is scheduled past it: the last one lands on it */
  deadline: number
}

/** When to read next; undefined once the deadline has passed. */
export function nextPollAt({ now, pollIntervalMs, deadline }: PollState): number | undefined {
  const remaining = deadline - now
  return remaining <= 0 ? undefined : now + Math.min(pollIntervalMs, remaining)
}

/** When the next progress line is due, given when the last one was written. */
export function nextProgressLineAt(lastLineAt: number): number {
  return lastLineAt + PROGRESS_EVERY_MS
}
