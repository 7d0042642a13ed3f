/** A seeded PRNG (mulberry32) for property tests: the same cases on every run, so a failure can be replayed. */
export function seededRandom(seed: number): { next(): number; int(minOrMax: number, max?: number): number } {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  // Like crypto.randomInt: int(max) is in [0, max), int(min, max) in [min, max).
  const int = (minOrMax: number, max?: number): number => {
    const [lo, hi] = max === undefined ? [0, minOrMax] : [minOrMax, max]
    return lo + Math.floor(next() * (hi - lo))
  }
  return { next, int }
}
