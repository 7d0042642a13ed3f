/**
 * The one retry mechanism: every resend of the action goes through `retry`, which owns the pause
 * (never past the step's deadline), the shared hold after a 429, the log line and the count of
 * retries. What to do after a failed attempt is the caller's judgement: `withRetries` judges by the
 * kind of failure (transient ones back off with full jitter or as Retry-After asks, for a bounded
 * number of attempts); the ID token, a busy cluster and the resends of one request (a stale
 * kept-alive socket, expired credentials) bring their own.
 */
import type { Log } from '../kernel/log.js'
import { formatDuration, type Clock } from '../kernel/time.js'
import { ApiError, failureKind } from './errors.js'

export interface RetryPolicy {
  maxAttempts: number
  baseMs: number
  capMs: number
  /** the most a Retry-After header may make us wait */
  retryAfterCapMs: number
}

export const DEFAULT_BACKOFF = { baseMs: 1000, capMs: 30_000, retryAfterCapMs: 60_000 }

/** Every request sent and every one sent again, for the summary. */
export interface CallStats {
  requests: number
  retries: number
}

/** What every retry needs: time, a log, where to count, and the step's deadline. */
export interface RetryBase {
  clock: Clock
  log: Log
  /** retries are counted here; absent for what is not a request to the service (GitHub's ID token) */
  stats?: CallStats
  random?: () => number
  /** clock time (ms) that no pause may run past: the step's waiting budget */
  deadline?: number
  /** shared by the concurrent jobs of one step, so a 429 holds them all off */
  throttle?: Throttle
}

export interface RetryContext extends RetryBase {
  policy: RetryPolicy
  stats: CallStats
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

/** What to do about a failed attempt. */
export type Verdict<T> =
  /** stop: throw `error`, or the attempt's own error */
  | { kind: 'give-up'; error?: unknown }
  /** the call's outcome was found another way (a lost create found by name) */
  | { kind: 'settled'; value: T }
  | {
      kind: 'again'
      delayMs: number
      /** the log line; at debug level when `quiet` (a resend the reader need not see) */
      say: string
      quiet?: boolean
      /** hold every job of the step off for the pause: the service throttles */
      holdAll?: boolean
      /** the error to throw when the pause would pass the deadline; default RetriesExhaustedError */
      pastDeadline?: () => Error
    }

export interface Attempts<T> {
  run(attempt: number): Promise<T>
  judge(error: unknown, attempt: number): Verdict<T> | Promise<Verdict<T>>
  /** after the pause, before the next attempt: may settle the call instead */
  beforeNext?(error: unknown): Promise<T | undefined>
}

export async function retry<T>(attempts: Attempts<T>, ctx: RetryBase): Promise<T> {
  const { clock, log } = ctx
  for (let attempt = 1; ; attempt++) {
    await ctx.throttle?.wait(clock)
    try {
      return await attempts.run(attempt)
    } catch (error) {
      const verdict = await attempts.judge(error, attempt)
      if (verdict.kind === 'settled') return verdict.value
      if (verdict.kind === 'give-up') throw verdict.error ?? error
      const { delayMs } = verdict
      if (ctx.deadline !== undefined && delayMs > 0 && clock.now() + delayMs > ctx.deadline) {
        log.debug(`Not retried: a pause of ${formatDelay(delayMs)} would pass the step's deadline`)
        throw verdict.pastDeadline?.() ?? new RetriesExhaustedError(attempt, error as Error, true)
      }
      if (verdict.quiet) log.debug(verdict.say)
      else log.info(verdict.say)
      if (verdict.holdAll) ctx.throttle?.hold(clock.now() + delayMs)
      if (delayMs > 0) await clock.sleep(delayMs)
      if (ctx.stats) ctx.stats.retries++
      const settled = await attempts.beforeNext?.(error)
      if (settled !== undefined) return settled
    }
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
 * Runs `call` until it succeeds, fails for good, or attempts (or the deadline) run out: transient
 * failures are tried again, busy and permanent ones are returned to the caller at once.
 */
export function withRetries<T>(call: (attempt: number) => Promise<T>, ctx: RetryContext, options: RetryOptions<T> = {}): Promise<T> {
  const { policy, clock } = ctx
  const random = ctx.random ?? Math.random
  const untilDeadline = options.untilDeadline === true && ctx.deadline !== undefined
  const judge = (error: unknown, attempt: number): Verdict<T> => {
    const kind = failureKind(error)
    if (kind !== 'transient') {
      ctx.log.debug(`Not retried (${kind}): ${reasonOf(error)}`)
      return { kind: 'give-up' }
    }
    if (!untilDeadline && attempt >= policy.maxAttempts) {
      return { kind: 'give-up', error: policy.maxAttempts > 1 ? new RetriesExhaustedError(attempt, error as Error) : error }
    }
    const retryAfter = error instanceof ApiError ? parseRetryAfter(error.retryAfter, clock.now()) : undefined
    const capMs = Math.min(policy.capMs, options.capMs ?? Infinity)
    const delayMs =
      retryAfter !== undefined ? Math.min(retryAfter, policy.retryAfterCapMs) : backoffMs(attempt, policy.baseMs, capMs, random)
    const of = untilDeadline ? 'until wait_timeout' : `of ${policy.maxAttempts}`
    return {
      kind: 'again',
      delayMs,
      say:
        `${reasonOf(error)}; attempt ${attempt} ${of}, trying again in ${formatDelay(delayMs)}` +
        (retryAfter !== undefined ? ' (as Retry-After asks)' : ''),
      holdAll: error instanceof ApiError && error.status === 429
    }
  }
  return retry({ run: call, judge, beforeNext: options.beforeRetry }, ctx)
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms}ms` : formatDuration(ms)
}
