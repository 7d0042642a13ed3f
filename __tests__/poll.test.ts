/**
 * The poll schedule over simulated snapshots: pure time, no clock. Each simulated read happens at
 * the time the schedule asked for; "done" is seen at the first read at or after the snapshot's end.
 */
import { DENSE_GAP_MS, MAX_SPARSE_GAP_MS, nextPollAt, pollGap } from '../src/dws/poll.js'
import { addSample, estimateEnd, MAX_SAMPLES, parsePercent, type ProgressSample } from '../src/dws/progress.js'

type Shape = (elapsedMs: number, durationMs: number) => string | undefined

const pct = (value: number): string => `${Math.max(0, Math.min(99, Math.floor(value)))}%`
const SHAPES: Record<string, Shape> = {
  linear: (t, d) => pct((t / d) * 100),
  noisy: (t, d) => pct((t / d) * 100 + 3 * Math.sin(t / 7919) + 1.5 * Math.sin(t / 1237)),
  steps: (t, d) => pct(Math.floor((t / d) * 10) * 10),
  stuck: (t, d) => pct((t / d / 0.75) * 100),
  none: () => undefined
}

const MINUTE = 60_000
const POLL = 20_000
/** real reads take time too: each one lands this long after it was scheduled */
const READ_MS = 150

interface Outcome {
  /** from the end of the snapshot to the read that saw it done */
  delayMs: number
  reads: number
  gaps: number[]
}

function simulate(shape: Shape, durationMs: number, pollIntervalMs = POLL, deadline = Infinity): Outcome {
  const samples: ProgressSample[] = []
  const gaps: number[] = []
  let now = 0
  for (let reads = 1; ; reads++) {
    if (now >= durationMs) return { delayMs: now - durationMs, reads, gaps }
    const reading = parsePercent(shape(now, durationMs))
    if (reading) addSample(samples, { at: now, ...reading })
    const found = estimateEnd(samples)
    const next = nextPollAt({ now, pollIntervalMs, deadline, estimate: typeof found === 'string' ? undefined : found })
    if (next === undefined) return { delayMs: NaN, reads, gaps }
    gaps.push(next - now)
    now = next + READ_MS
  }
}

/** Durations from `fromMin` to `toMin`, spread so that the end falls at every phase of the schedule. */
function durations(fromMin: number, toMin: number, count = 40): number[] {
  return Array.from({ length: count }, (_, i) => Math.round((fromMin + ((toMin - fromMin) * i) / (count - 1)) * MINUTE + i * 977))
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!

describe('poll schedule over simulated snapshots', () => {
  test('linear progress, 5 min to 2 h: done is seen within the dense gap, 3 s on average', () => {
    const delays = durations(5, 120).map((d) => simulate(SHAPES.linear!, d).delayMs)
    expect(Math.max(...delays)).toBeLessThanOrEqual(DENSE_GAP_MS + READ_MS)
    expect(p95(delays)).toBeLessThanOrEqual(5_000)
    expect(mean(delays)).toBeLessThanOrEqual(3_000)
  })

  test.each([
    [60, 50],
    [120, 90]
  ])('linear progress over %i min: at most %i reads (fixed polling: 3 a minute)', (minutes, most) => {
    for (const d of durations(minutes, minutes + 1, 10)) expect(simulate(SHAPES.linear!, d).reads).toBeLessThanOrEqual(most)
  })

  test('a snapshot of 30 s to 2 min: at most 12 reads', () => {
    for (const d of durations(0.5, 2)) expect(simulate(SHAPES.linear!, d).reads).toBeLessThanOrEqual(12)
  })

  test('while the end is far, reads are sparse but never more than MAX_SPARSE_GAP_MS apart', () => {
    const { gaps } = simulate(SHAPES.linear!, 120 * MINUTE)
    expect(Math.max(...gaps)).toBe(MAX_SPARSE_GAP_MS)
    expect(gaps.filter((g) => g === DENSE_GAP_MS).length).toBeGreaterThan(3)
  })

  test.each(['noisy', 'steps', 'stuck', 'none'])('%s progress, 30 s to 2 h: never later than the poll interval', (name) => {
    for (const d of durations(0.5, 120)) {
      const { delayMs } = simulate(SHAPES[name]!, d)
      expect(delayMs).toBeLessThanOrEqual(POLL + READ_MS)
    }
  })

  test.each(['steps', 'stuck', 'none'])('%s progress near the end reads every poll interval, as without progress', (name) => {
    const { gaps } = simulate(SHAPES[name]!, 30 * MINUTE)
    expect(gaps.slice(-5)).toEqual([POLL, POLL, POLL, POLL, POLL])
  })

  test('without progress the schedule is fixed: every poll interval, the last read on the deadline', () => {
    expect(simulate(SHAPES.none!, 10 * MINUTE, 30_000).gaps.every((g) => g === 30_000)).toBe(true)
    expect(nextPollAt({ now: 1_000, pollIntervalMs: 20_000, deadline: 6_000 })).toBe(6_000)
    expect(nextPollAt({ now: 6_000, pollIntervalMs: 20_000, deadline: 6_000 })).toBeUndefined()
  })

  test('an estimate never schedules past the deadline', () => {
    const estimate = { endAt: 3_600_000, earliest: 3_500_000, latest: 3_700_000, rate: 1 }
    expect(nextPollAt({ now: 0, pollIntervalMs: 20_000, deadline: 60_000, estimate })).toBe(60_000)
  })

  test('the gap: sparse before the earliest end, dense up to the latest, then backing off to the poll interval', () => {
    const estimate = { endAt: 1_000_000, earliest: 900_000, latest: 1_100_000, rate: 1 }
    const gap = (now: number) => pollGap({ now, pollIntervalMs: POLL, estimate })
    expect(gap(0)).toBe(MAX_SPARSE_GAP_MS)
    expect(gap(800_000)).toBe(50_000)
    expect(gap(895_000)).toBe(DENSE_GAP_MS)
    expect(gap(1_000_000)).toBe(DENSE_GAP_MS)
    expect(gap(1_110_000)).toBe(DENSE_GAP_MS)
    expect(gap(1_130_000)).toBe(15_000)
    expect(gap(2_000_000)).toBe(POLL)
  })
})

describe('estimateEnd', () => {
  const samples = (...points: [number, string][]): ProgressSample[] => points.map(([at, text]) => ({ at, ...parsePercent(text)! }))

  test('linear readings: the end lies between the earliest and the latest', () => {
    const found = estimateEnd(samples([0, '0%'], [66_000, '11%'], [132_000, '22%'], [198_000, '33%']))
    expect(typeof found).toBe('object')
    if (typeof found === 'string') return
    expect(found.endAt).toBeCloseTo(600_000, -3)
    expect(found.earliest).toBeLessThan(600_000)
    expect(found.latest).toBeGreaterThan(600_000)
  })

  test.each([
    ['no readings', []],
    [
      'not moving',
      [
        [0, '0%'],
        [20_000, '0%'],
        [40_000, '0%']
      ]
    ],
    [
      'coarse steps',
      [
        [0, '10%'],
        [60_000, '20%'],
        [120_000, '30%'],
        [180_000, '40%']
      ]
    ],
    [
      'stuck',
      [
        [0, '0%'],
        [60_000, '50%'],
        [120_000, '99%'],
        [180_000, '99%'],
        [240_000, '99%']
      ]
    ]
  ] as [string, [number, string][]][])('%s: no estimate', (verdict, points) => {
    expect(estimateEnd(samples(...points))).toBe(verdict)
  })

  test('a value that goes backwards is not moving forward', () => {
    expect(estimateEnd(samples([0, '40%'], [60_000, '30%']))).toBe('not moving')
  })

  test('finer readings give a narrower window', () => {
    const coarse = estimateEnd(samples([0, '0%'], [100_000, '10%'], [200_000, '21%'], [300_000, '31%']))
    const fine = estimateEnd(samples([0, '0.00%'], [100_000, '10.00%'], [200_000, '20.67%'], [300_000, '31.00%']))
    if (typeof coarse === 'string' || typeof fine === 'string') throw new Error('expected estimates')
    expect(fine.latest - fine.earliest).toBeLessThan(coarse.latest - coarse.earliest)
  })
})

describe('parsePercent and addSample', () => {
  test.each([
    ['45%', { percent: 45, resolution: 1 }],
    [' 45.37 % ', { percent: 45.37, resolution: 0.01 }],
    ['7', { percent: 7, resolution: 1 }],
    ['100%', { percent: 100, resolution: 1 }]
  ])('%j reads as a percent', (text, expected) => {
    expect(parsePercent(text)).toEqual(expected)
  })

  test.each([undefined, '', '101%', '-3%', 'phase 2', '45%%', '1e2', '45,5%'])('%j is not a percent', (text) => {
    expect(parsePercent(text)).toBeUndefined()
  })

  test('a long wait keeps a bounded, thinned list with the newest readings intact', () => {
    const kept: ProgressSample[] = []
    for (let i = 0; i < 1000; i++) addSample(kept, { at: i * 1000, percent: i / 10, resolution: 0.1 })
    expect(kept.length).toBeLessThanOrEqual(MAX_SAMPLES)
    expect(kept.at(-1)!.at).toBe(999_000)
    expect(kept[0]!.at).toBe(0)
    expect(kept.map((s) => s.at)).toEqual([...kept.map((s) => s.at)].sort((a, b) => a - b))
  })
})
