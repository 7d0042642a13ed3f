/** The emulator's side of the fast clock that fast-clock.mjs gives the action's process. */
export interface FastClock {
  scale: number
  epoch: number
  now: () => number
  env: Record<string, string>
}

export function fastClock(scale: number): FastClock {
  const epoch = Date.now()
  return {
    scale,
    epoch,
    now: () => epoch + (Date.now() - epoch) * scale,
    env: { FAST_CLOCK_SCALE: String(scale), FAST_CLOCK_EPOCH: String(epoch) }
  }
}
