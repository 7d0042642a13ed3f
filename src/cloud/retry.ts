/**
 * Retrying one API call: only transient failures, with exponential backoff and full jitter,
 * honouring Retry-After, a bounded number of attempts, and never sleeping past the step's deadline.
 * Busy and permanent failures are returned to the caller at once.
 */
import type { Log } from '../log.js'
import { formatDuration, type Clock } from '../time.js'
import { ApiError, failureKind } from './errors.js'

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
  /** clock time (ms) that no pause may run past: the step's waiting budget */
  deadline?: number
  /** shared by the concurrent jobs of one step, so a 429 holds them all off */
  throttle?: Throttle
}

/**
 * One backoff for all the calls of a step: when the service throttles one of them, every job waits
 * until the same time instead of each hammering it on its own schedule.
 */
export class Throttle {
  private until = 0

  hold(untilMs: number): void {
    this.until = Math.max(this.until, untilMs)
  }

  async wait(clock: Clock): Promise<void> {
    const ms = this.until - clock.now()
    if (ms > 0) await clock.sleep(ms)
  }
}

export interface RetryOptions<T> {
  /** settles the call instead of a new attempt (a create whose lost answer is found by name) */
  beforeRetry?: (lastError: unknown) => Promise<T | undefined>
  /** keep retrying transient failures until the deadline, however many attempts that takes (status reads while waiting) */
  untilDeadline?: boolean
  /** the longest pause between two attempts (the poll interval while waiting) */
  capMs?: number
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
    readonly last: Error,
    readonly atDeadline = false
  ) {
    super(
      `${last.message} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}` +
        `${atDeadline ? ', as the step reached wait_timeout' : ''})`
    )
    this.name = 'RetriesExhaustedError'
  }
}

/**
 * Runs `call` until it succeeds, fails for good, or attempts (or the deadline) run out.
 * `options.beforeRetry` runs before each new attempt and may settle the call instead.
 */
export async function withRetries<T>(call: (attempt: number) => Promise<T>, ctx: RetryContext, options: RetryOptions<T> = {}): Promise<T> {
  const { policy, clock, log, stats, deadline } = ctx
  const random = ctx.random ?? Math.random
  const untilDeadline = options.untilDeadline === true && deadline !== undefined
  for (let attempt = 1; ; attempt++) {
    await ctx.throttle?.wait(clock)
    stats.requests++
    try {
      return await call(attempt)
    } catch (error) {
      const kind = failureKind(error)
      if (kind !== 'transient') {
        log.debug(`Not retried (${kind}): ${reasonOf(error)}`)
        throw error
      }
      if (!untilDeadline && attempt >= policy.maxAttempts) {
        throw policy.maxAttempts > 1 ? new RetriesExhaustedError(attempt, error as Error) : error
      }
      const retryAfter = error instanceof ApiError ? parseRetryAfter(error.retryAfter, clock.now()) : undefined
      const capMs = Math.min(policy.capMs, options.capMs ?? Infinity)
      const delay =
        retryAfter !== undefined ? Math.min(retryAfter, policy.retryAfterCapMs) : backoffMs(attempt, policy.baseMs, capMs, random)
      if (deadline !== undefined && clock.now() + delay > deadline) {
        log.debug(`Not retried: a pause of ${formatDelay(delay)} would pass the step's deadline`)
        throw new RetriesExhaustedError(attempt, error as Error, true)
      }
      const of = untilDeadline ? 'until wait_timeout' : `of ${policy.maxAttempts}`
      log.info(
        `${reasonOf(error)}; attempt ${attempt} ${of}, trying again in ${formatDelay(delay)}` +
          (retryAfter !== undefined ? ' (as Retry-After asks)' : '')
      )
      if (error instanceof ApiError && error.status === 429) ctx.throttle?.hold(clock.now() + delay)
      await clock.sleep(delay)
      stats.retries++
      if (options.beforeRetry) {
        const settled = await options.beforeRetry(error)
        if (settled !== undefined) return settled
      }
    }
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms}ms` : formatDuration(ms)
}
