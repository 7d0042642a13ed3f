/**
 * Retrying one API call: only transient failures, with exponential backoff and full jitter,
 * honouring Retry-After, a bounded number of attempts. Busy and permanent failures are
 * returned to the caller at once.
 */
import type { Clock } from './clock.js'
import { ApiError, failureKind, TransportError } from './errors.js'
import { formatDuration } from './duration.js'
import type { Log } from './log.js'

export interface RetryPolicy {
  maxAttempts: number
  baseMs: number
  capMs: number
  /** the most a Retry-After header may make us wait */
  retryAfterCapMs: number
}

export const DEFAULT_BACKOFF = { baseMs: 1000, capMs: 30_000, retryAfterCapMs: 60_000 }

/** Counts every request sent, for the summary. */
export interface CallStats {
  requests: number
  retries: number
}

export interface RetryContext {
  policy: RetryPolicy
  clock: Clock
  log: Log
  stats: CallStats
  random?: () => number
}

/** Full jitter: uniform in [0, min(cap, base·2^(attempt-1))]. */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1))
  return Math.round(random() * ceiling)
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs)
}

/** Thrown when every attempt failed transiently: says how many were made and what the last answer was. */
export class RetriesExhaustedError extends Error {
  constructor(
    readonly attempts: number,
    readonly last: Error
  ) {
    super(`${last.message} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'})`)
    this.name = 'RetriesExhaustedError'
  }
}

/**
 * Runs `call` until it succeeds, fails for good, or attempts run out. `beforeRetry` runs before
 * each new attempt and may settle the call instead (a create whose lost answer is found by name).
 */
export async function withRetries<T>(
  call: (attempt: number) => Promise<T>,
  ctx: RetryContext,
  beforeRetry?: (lastError: unknown) => Promise<T | undefined>
): Promise<T> {
  const { policy, clock, log, stats } = ctx
  const random = ctx.random ?? Math.random
  for (let attempt = 1; ; attempt++) {
    stats.requests++
    try {
      return await call(attempt)
    } catch (error) {
      if (failureKind(error) !== 'transient') throw error
      if (attempt >= policy.maxAttempts) {
        throw policy.maxAttempts > 1 ? new RetriesExhaustedError(attempt, error as Error) : error
      }
      const retryAfter = error instanceof ApiError ? parseRetryAfter(error.retryAfter, clock.now()) : undefined
      const delay =
        retryAfter !== undefined
          ? Math.min(retryAfter, policy.retryAfterCapMs)
          : backoffMs(attempt, policy.baseMs, policy.capMs, random)
      log.info(
        `${reasonOf(error)}; attempt ${attempt} of ${policy.maxAttempts}, trying again in ${formatDelay(delay)}` +
          (retryAfter !== undefined ? ' (as Retry-After asks)' : '')
      )
      await clock.sleep(delay)
      stats.retries++
      if (beforeRetry) {
        const settled = await beforeRetry(error)
        if (settled !== undefined) return settled
      }
    }
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof ApiError || error instanceof TransportError) return error.message
  return String(error)
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms}ms` : formatDuration(ms)
}
