// Test-only preload (`node --import`): makes time in the action's process run FAST_CLOCK_SCALE
// times faster, from FAST_CLOCK_EPOCH (real ms) on. Date.now and setTimeout agree with each other,
// and with an emulator given the same clock, so minutes of waiting and backoff take real seconds.
const scale = Number(process.env.FAST_CLOCK_SCALE)
const epoch = Number(process.env.FAST_CLOCK_EPOCH)
if (scale > 0 && Number.isFinite(epoch)) {
  const realNow = Date.now.bind(Date)
  const realSetTimeout = globalThis.setTimeout
  Date.now = () => epoch + (realNow() - epoch) * scale
  globalThis.setTimeout = (fn, ms, ...args) => realSetTimeout(fn, Math.max(0, (Number(ms) || 0) / scale), ...args)
}
