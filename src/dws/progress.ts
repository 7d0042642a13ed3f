/**
 * What the service's progress readings say about when a snapshot will end. Pure.
 *
 * Readings are fitted with a straight line (least squares), since a manual snapshot is a full
 * backup copied at a steady rate. The estimate comes with an earliest and a latest plausible end,
 * wide enough for the reading's resolution ("45%" is anything from 45 to 46), its noise and some
 * bending of the line. It is withheld when the readings cannot carry one: too few, not moving,
 * coarse steps, or stuck where the line says they should have moved on.
 */

/** One progress reading: when it was read and what it said. */
export interface ProgressSample {
  at: number
  percent: number
  /** one unit of the last digit shown: 1 for '45%', 0.01 for '45.37%' */
  resolution: number
}

export interface EndEstimate {
  /** the most likely end (clock ms) */
  endAt: number
  earliest: number
  latest: number
  /** percent per ms */
  rate: number
}

export type NoEstimate = 'no readings' | 'not moving' | 'coarse steps' | 'stuck'

/** Relative error allowed for a line that bends: real progress is never perfectly steady. */
const MODEL_ERROR = 0.05
/** The slowest rate the latest end assumes, as a share of the fitted one, however noisy the readings. */
const SLOWEST_SHARE = 0.5
/** Readings that are all multiples of this (three or more of them, beyond 0) come in coarse steps. */
const COARSE_STEP = 5
const COARSE_AFTER = 3
/** The most readings kept: older ones are thinned, so a long wait costs constant work per poll. */
export const MAX_SAMPLES = 64

/** '45%', '45.37 %', ' 7' → a reading; undefined for anything else, or outside 0–100. */
export function parsePercent(text: string | undefined): { percent: number; resolution: number } | undefined {
  const m = text === undefined ? null : /^\s*(\d{1,3})(?:\.(\d{1,4}))?\s*%?\s*$/.exec(text)
  if (m === null) return undefined
  const decimals = m[2]?.length ?? 0
  const percent = Number(`${m[1]}${decimals ? `.${m[2]}` : ''}`)
  return percent <= 100 ? { percent, resolution: 10 ** -decimals } : undefined
}

/** Adds a reading in time order, thinning the oldest half when the list is full. Mutates `samples`. */
export function addSample(samples: ProgressSample[], sample: ProgressSample): void {
  samples.push(sample)
  if (samples.length <= MAX_SAMPLES) return
  // Drop every second reading of the older half: the recent ones decide the end, the old ones the rate.
  const half = Math.floor(samples.length / 2)
  const kept = samples.filter((_, i) => i >= half || i % 2 === 0)
  samples.splice(0, samples.length, ...kept)
}

/** When the readings say the snapshot ends, or why they cannot say. */
export function estimateEnd(samples: readonly ProgressSample[]): EndEstimate | NoEstimate {
  const last = samples.at(-1)
  if (last === undefined) return 'no readings'
  const resolution = Math.max(...samples.map((s) => s.resolution))
  // The plateau: readings since the value last changed. The line is fitted up to its first reading,
  // so a value that stopped moving does not bend the line, and can be told apart as stuck.
  let plateauStart = samples.length - 1
  while (plateauStart > 0 && samples[plateauStart - 1]?.percent === last.percent) plateauStart--
  const plateauFirst = samples[plateauStart] ?? last
  const base = samples.slice(0, plateauStart + 1)
  if (new Set(base.map((s) => s.percent)).size < 2) return 'not moving'
  if (isCoarse(samples)) return 'coarse steps'
  const fit = fitLine(base)
  if (fit.rate <= 0) return 'not moving'
  // How far apart the readings the rate rests on are, in percent: the wider, the surer the rate.
  const span = fit.rate * fit.spanMs
  const spread = resolution / 2 + 2 * fit.sigma
  const expectedMove = fit.rate * (last.at - plateauFirst.at)
  if (expectedMove > 2 * spread) return 'stuck'

  // The line's reading now, kept within what the last reading allows.
  const position = Math.min(last.percent + spread, Math.max(last.percent - spread, fit.at(last.at)))
  const rateError = spread / span + MODEL_ERROR
  const fastest = fit.rate * (1 + rateError)
  const slowest = fit.rate * Math.max(SLOWEST_SHARE, 1 - rateError)
  return {
    endAt: last.at + Math.max(0, 100 - position) / fit.rate,
    earliest: last.at + Math.max(0, 100 - position - spread) / fastest,
    latest: last.at + Math.max(0, 100 - position + spread) / slowest,
    rate: fit.rate
  }
}

function isCoarse(samples: readonly ProgressSample[]): boolean {
  const values = new Set(samples.map((s) => s.percent).filter((p) => p > 0))
  return values.size >= COARSE_AFTER && [...values].every((p) => p % COARSE_STEP === 0)
}

interface Line {
  /** percent per ms */
  rate: number
  /** the standard deviation of the readings around the line, in percent */
  sigma: number
  /** from the first reading to the last */
  spanMs: number
  at: (time: number) => number
}

/** Least squares over (time, percent); times are taken relative to the first, for precision. */
function fitLine(samples: readonly ProgressSample[]): Line {
  const t0 = samples[0]?.at ?? 0
  const n = samples.length
  let sumT = 0
  let sumP = 0
  for (const s of samples) {
    sumT += s.at - t0
    sumP += s.percent
  }
  const meanT = sumT / n
  const meanP = sumP / n
  let stt = 0
  let stp = 0
  for (const s of samples) {
    stt += (s.at - t0 - meanT) ** 2
    stp += (s.at - t0 - meanT) * (s.percent - meanP)
  }
  const rate = stt > 0 ? stp / stt : 0
  const at = (time: number): number => meanP + rate * (time - t0 - meanT)
  let squares = 0
  for (const s of samples) squares += (s.percent - at(s.at)) ** 2
  // n − 2 degrees of freedom: two readings fit any line exactly and say nothing about the noise.
  const sigma = n > 2 ? Math.sqrt(squares / (n - 2)) : 0
  return { rate, sigma, spanMs: (samples.at(-1)?.at ?? t0) - t0, at }
}
