/** Time as the action sees it: injectable so waits and retries can be tested without sleeping. Pure but for systemClock. */
export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
}

/** ISO 8601 UTC to the second, as the service writes its times: `2026-11-28T05:47:35Z`. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Human-readable, rounded to whole seconds: 95000 -> '1m35s', 3600000 -> '1h', 0 -> '0s'. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'unknown'
  // Negative only arises from clock steps between two readings: show it as no time at all.
  let total = Math.max(0, Math.round(ms / 1000))
  if (total === 0) return '0s'
  const h = Math.floor(total / 3600)
  total -= h * 3600
  const m = Math.floor(total / 60)
  const s = total - m * 60
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 ? `${s}s` : ''}`
}
