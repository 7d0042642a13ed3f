/**
 * Confirming a deletion: the service accepts a DELETE and removes the thing later (or, for some
 * states, not at all), so a deletion counts only once a read says the thing is gone.
 */
import { withRetries, type RetryContext } from '../cloud/retry.js'

export interface GoneChecks {
  /** pause between two reads */
  intervalMs: number
  /** reads after which the thing still showing means the deletion did not happen */
  times: number
}

/** True once a read fails the way `isGone` recognises; false when the thing still shows after every check or at the deadline. */
export async function confirmGone(
  read: () => Promise<unknown>,
  isGone: (error: unknown) => boolean,
  checks: GoneChecks,
  ctx: RetryContext
): Promise<boolean> {
  const { clock } = ctx
  for (let check = 1; ; check++) {
    try {
      await withRetries(read, ctx)
    } catch (error) {
      if (isGone(error)) return true
      throw error
    }
    const pastDeadline = ctx.deadline !== undefined && clock.now() + checks.intervalMs > ctx.deadline
    if (check >= checks.times || pastDeadline) return false
    await clock.sleep(checks.intervalMs)
  }
}
