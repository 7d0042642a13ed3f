/**
 * Watching something the service builds (a snapshot, a restored cluster, a table restore job) until
 * it is done, has failed, or the step's waiting budget runs out. A failed read is retried until the
 * deadline: an API blip during a long wait must not fail the step. Reads are scheduled from the
 * progress the service reports (poll.ts): sparse while the end is far, dense around it. Logs on
 * every status change and at least once a minute, never once per read, with the progress and,
 * when it predicts one, the time left.
 */
import { withRetries, type RetryContext } from '../cloud/retry.js'
import { formatDuration } from '../kernel/time.js'
import { nextPollAt, nextProgressLineAt } from './poll.js'
import { addSample, estimateEnd, parsePercent, type EndEstimate, type ProgressSample } from './progress.js'

export type Phase = 'done' | 'failed' | 'pending' | 'unknown'

/** What one read says about progress: as the service wrote it (cleaned), and as a sample when it is a percent. */
export interface ProgressReading {
  text: string
  sample?: ProgressSample
}

export interface Watched<T> {
  /** names it in the log: `Snapshot <id>` */
  label: string
  read(): Promise<T>
  status(value: T): string
  /** `unknown`: a status this action does not know, waited on until it changes or the deadline */
  phase(value: T): Phase
  /** the progress of a pending read, when there is any */
  progress(value: T, at: number): Promise<ProgressReading | undefined> | ProgressReading | undefined
  failed(value: T): Error
  timedOut(value: T, waitedMs: number): Error
}

export interface WatchContext extends RetryContext {
  /** the longest gap between two reads while the progress does not predict the end */
  pollIntervalMs: number
  /** clock time (ms) at which waiting stops */
  deadline: number
}

export async function watch<T>(watched: Watched<T>, ctx: WatchContext): Promise<T> {
  const { clock, log } = ctx
  const since = clock.now()
  const samples: ProgressSample[] = []
  let lastStatus = ''
  let lastLogAt = since
  for (;;) {
    const value = await withRetries(() => watched.read(), ctx, { untilDeadline: true, capMs: ctx.pollIntervalMs })
    const now = clock.now()
    const status = watched.status(value)
    const phase = watched.phase(value)
    const progress = phase === 'pending' ? await watched.progress(value, now) : undefined
    if (progress?.sample) addSample(samples, progress.sample)
    const found = estimateEnd(samples)
    const estimate = typeof found === 'string' || phase !== 'pending' ? undefined : found
    const line = (at: number, when: string): string =>
      `${watched.label}: ${status}${progress ? ` ${progress.text}` : ''} ${when}${timeLeft(estimate, at)}`
    if (status !== lastStatus) {
      log.info(
        line(now, `after ${formatDuration(now - since)}`) +
          (phase === 'unknown' ? ' (a status this action does not know: waiting on until it changes or wait_timeout)' : '')
      )
      lastStatus = status
      lastLogAt = now
    } else if (now >= nextProgressLineAt(lastLogAt)) {
      log.info(line(now, `after ${formatDuration(now - since)}`))
      lastLogAt = now
    }
    if (phase === 'done') return value
    if (phase === 'failed') throw watched.failed(value)
    const wakeAt = nextPollAt({ now, pollIntervalMs: ctx.pollIntervalMs, deadline: ctx.deadline, estimate })
    if (wakeAt === undefined) throw watched.timedOut(value, now - since)
    log.debug(
      `Next read of ${watched.label} in ${formatDuration(wakeAt - now)} (${typeof found === 'string' ? `progress: ${found}` : 'from the progress estimate'})`
    )
    // A long gap between reads still gets a progress line every minute.
    while (clock.now() < wakeAt) {
      const nextLogAt = nextProgressLineAt(lastLogAt)
      await clock.sleep(Math.min(wakeAt, nextLogAt) - clock.now())
      const at = clock.now()
      if (at >= nextLogAt && at < wakeAt) {
        log.info(line(at, `at the last check, ${formatDuration(at - since)} elapsed`))
        lastLogAt = at
      }
    }
  }
}

/** A progress text as read at `at`; undefined when there is none. */
export function progressReading(text: string | undefined, at: number): ProgressReading | undefined {
  if (text === undefined || text === '') return undefined
  const parsed = parsePercent(text)
  return { text, sample: parsed && { at, ...parsed } }
}

/** ', about 4m left' from the estimate, rounded to what an estimate can promise. */
function timeLeft(estimate: EndEstimate | undefined, now: number): string {
  if (estimate === undefined) return ''
  const left = estimate.endAt - now
  if (left < 60_000) return ', less than a minute left'
  return `, about ${formatDuration(Math.round(left / 60_000) * 60_000)} left`
}
