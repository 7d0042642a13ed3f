/**
 * End to end, the bundle as the runner runs it: progress-aware waiting on the fast clock, one kept
 * connection per host, and a process that exits as soon as the step is done.
 */
import { calls, emu, expectSuccess, run, start } from './support/e2e-harness.js'

afterEach(async () => {
  await emu?.close()
})

const MINUTE = 60_000

describe('waiting with progress, end to end', () => {
  test('a 6-minute snapshot: done soon after the service, with far fewer reads than fixed polling, over kept connections', async () => {
    const creatingMs = 6 * MINUTE
    await start({ fast: true, creatingMs })
    const r = await run({ name: 'e2e-progress-{run_id}' })
    expectSuccess(r)
    expect(r.outputs.status).toBe('AVAILABLE')
    // Fixed 20 s polling reads 19 times.
    expect(calls('details')).toBeLessThanOrEqual(12)
    expect(r.stdout).toMatch(/CREATING \d+% (after|at the last check, )\d+m.*, about \d+m left/)
    // Without keep-alive, one connection per request; the server closes one idle for 5 s (real time).
    expect(emu.connections()).toBeLessThanOrEqual(2)
    expect(emu.requests.length).toBeGreaterThan(6)
    expect(r.signal).toBeNull()
  })

  test('wait: false sends the list and the create over one connection, and the process exits at once', async () => {
    await start()
    const r = await run({ name: 'e2e-keepalive-{run_id}', wait: 'false' }, { timeoutMs: 20_000 })
    expectSuccess(r)
    expect(emu.requests.map((q) => q.route)).toEqual(['list', 'create'])
    expect(emu.connections()).toBe(1)
    // A process kept alive by an open connection would be killed at the timeout and show a signal here.
    expect(r.signal).toBeNull()
  })
})
