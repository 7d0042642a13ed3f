/**
 * Durations as written in `wait_timeout` and `poll_interval`: `90s`, `45m`, `2h`, `1h30m`, `1h30m15s`;
 * where days make sense (`keep_within`) also `30d`, `1d12h`.
 * Pure. Deliberately strict (lower-case units, h-m-s order, each at most once, integers, no spaces
 * inside) so a typo is an input error instead of a silently different wait.
 */
import { quoteInput } from '../sanitize.js'
import { InputError } from './input-error.js'

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/
const DURATION_WITH_DAYS = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/
const ACCEPTED = `a duration such as '90s', '45m', '2h' or '1h30m' (whole numbers; units h, m, s in that order)`
const ACCEPTED_WITH_DAYS = `a duration such as '30d', '12h', '1d12h' or '90m' (whole numbers; units d, h, m, s in that order)`

export interface DurationOptions {
  /** accept a leading `d` (24 h) unit; off for waits and intervals, where days would be a typo */
  days?: boolean
}

/**
 * Milliseconds. `0s` is accepted and gives 0: each caller enforces its own minimum (e.g. poll_interval >= 5s).
 * Components are not range-limited (`90m` and `1h90m` are fine); only results beyond a safe integer are refused.
 */
export function parseDuration(text: string, input: string, options: DurationOptions = {}): number {
  const trimmed = text.trim()
  const m = (options.days ? DURATION_WITH_DAYS : DURATION).exec(trimmed)
  // The regex also matches '' (every part optional): require at least one unit.
  if (m === null || trimmed === '') {
    throw new InputError(input, `${quoteInput(text)} is not ${options.days ? ACCEPTED_WITH_DAYS : ACCEPTED}`)
  }
  const [d, h, min, s] = options.days ? m.slice(1) : [undefined, ...m.slice(1)]
  const ms = (Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s ?? 0)) * 1000
  if (!Number.isSafeInteger(ms)) {
    throw new InputError(input, `${quoteInput(text)} is too long a duration`)
  }
  return ms
}
