/**
 * Durations as written in `wait_timeout` and `poll_interval`: `90s`, `45m`, `2h`, `1h30m`, `1h30m15s`.
 * Pure. Deliberately strict (lower-case units, h-m-s order, each at most once, integers, no spaces
 * inside) so a typo is an input error instead of a silently different wait.
 */
import { quoteInput } from '../sanitize.js'
import { InputError } from './input-error.js'

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/
const ACCEPTED = `a duration such as '90s', '45m', '2h' or '1h30m' (whole numbers; units h, m, s in that order)`

/**
 * Milliseconds. `0s` is accepted and gives 0: each caller enforces its own minimum (e.g. poll_interval >= 5s).
 * Components are not range-limited (`90m` and `1h90m` are fine); only results beyond a safe integer are refused.
 */
export function parseDuration(text: string, input: string): number {
  const trimmed = text.trim()
  const m = DURATION.exec(trimmed)
  // The regex also matches '' (every part optional): require at least one unit.
  if (m === null || trimmed === '') {
    throw new InputError(input, `${quoteInput(text)} is not ${ACCEPTED}`)
  }
  const [, h, min, s] = m
  const ms = (Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s ?? 0)) * 1000
  if (!Number.isSafeInteger(ms)) {
    throw new InputError(input, `${quoteInput(text)} is too long a duration`)
  }
  return ms
}
