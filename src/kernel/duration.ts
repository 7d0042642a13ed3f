/**
 * The one grammar of durations, for the action's inputs and the emulator's flags: `90s`, `45m`, `2h`,
 * `1h30m`, `1h30m15s`; where days make sense `30d`, `1d12h`; where milliseconds do `500ms`. Pure.
 * Deliberately strict (lower-case units, largest first, each at most once, whole numbers, no spaces
 * inside) so that a typo is refused instead of silently meaning another time.
 */

export interface DurationUnits {
  /** accept a leading `d` (24 h): for ages, where a wait would rather be a typo */
  days?: boolean
  /** accept a trailing `ms`: for the emulator's timings */
  milliseconds?: boolean
}

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const

/** Milliseconds; undefined when `text` is not a duration of the allowed units; Infinity when it is one too long to count. */
export function parseDuration(text: string, units: DurationUnits = {}): number | undefined {
  const names = [...(units.days ? ['d'] : []), 'h', 'm', 's', ...(units.milliseconds ? ['ms'] : [])] as (keyof typeof UNIT_MS)[]
  const m = new RegExp(`^${names.map((unit) => `(?:(\\d+)${unit})?`).join('')}$`).exec(text.trim())
  // Every part is optional, so the pattern also matches '': at least one is required.
  if (m === null || text.trim() === '') return undefined
  let ms = 0
  names.forEach((unit, i) => (ms += Number(m[i + 1] ?? 0) * UNIT_MS[unit]))
  return Number.isSafeInteger(ms) ? ms : Number.POSITIVE_INFINITY
}

/** What the grammar accepts, for an error message. */
export function durationForm(units: DurationUnits = {}): string {
  const examples = units.days ? `'30d', '12h', '1d12h' or '90m'` : `'90s', '45m', '2h' or '1h30m'`
  const order = [units.days ? 'd' : '', 'h, m, s', units.milliseconds ? 'ms' : ''].filter(Boolean).join(', ')
  return `a duration such as ${examples} (whole numbers; units ${order} in that order)`
}
