/**
 * Progress-aware waiting, the whole run in-process against the emulator on a shared virtual clock:
 * how many reads, how soon "done" is seen, what the log says, over how many connections, and what a
 * failed snapshot reports.
 */
import type { EmulatorOptions } from '../emulator/index.js'
import { clock, emu, runWith as runStep, start as startEmulator } from './support/in-process.js'
import type { MemoryIO } from './support/memory-io.js'

const MINUTE = 60_000
/** emulator-clock time of each request, by route */
let seen: { route: string; at: number }[]

async function start(options: EmulatorOptions): Promise<void> {
  seen = []
  await startEmulator({ onRequest: (r) => seen.push({ route: r.route ?? '', at: clock.now() }), ...options })
}

afterEach(async () => {
  await emu?.close()
})

const runWith = (overrides: Record<string, string> = {}): Promise<MemoryIO> =>
  runStep({ region: '', name: 'pre-release-{run_id}', description: 'before the release', wait_timeout: '3h', ...overrides })

const times = (route: string) => seen.filter((s) => s.route === route).map((s) => s.at)
/** From the snapshot's end to the read that saw it AVAILABLE. */
function doneDelay(creatingMs: number): number {
  const [created] = times('create')
  return times('details').at(-1)! - (created! + creatingMs)
}

describe('waiting with progress', () => {
  test('a 6-minute snapshot: done soon after the service, with far fewer reads than fixed polling, over kept connections', async () => {
    const creatingMs = 6 * MINUTE
    await start({ creatingMs })
    const io = await runWith()
    expect(io.exitCode).toBe(0)
    expect(io.outputs.status).toBe('AVAILABLE')
    // Fixed 20 s polling reads 19 times.
    expect(times('details').length).toBeLessThanOrEqual(12)
    expect(doneDelay(creatingMs)).toBeLessThanOrEqual(5_000)
    expect(io.lines.join('\n')).toMatch(/CREATING \d+% (after|at the last check, )\d+m.*, about \d+m left/)
    // Without keep-alive, one connection per request; the server closes one idle for 5 s (real time).
    expect(emu.requests.length).toBeGreaterThan(6)
    expect(emu.connections()).toBeLessThanOrEqual(2)
  })

  test('linear progress over 40 min: far fewer reads than fixed polling, done seen within 5 s', async () => {
    const creatingMs = 40 * MINUTE + 7_300
    await start({ creatingMs })
    const io = await runWith()
    expect(io.exitCode).toBe(0)
    const reads = times('details').length
    // Fixed 20 s polling reads 122 times.
    expect(reads).toBeLessThanOrEqual(30)
    expect(times('cluster')).toHaveLength(1)
    expect(doneDelay(creatingMs)).toBeLessThanOrEqual(5_000)
    expect(doneDelay(creatingMs)).toBeGreaterThanOrEqual(0)
  })

  test('the log shows percent and time left, at most once a minute plus each status change', async () => {
    const creatingMs = 12 * MINUTE
    await start({ creatingMs })
    const io = await runWith()
    const lines = io.lines.filter((l) => l.startsWith('Snapshot ') && / (CREATING|AVAILABLE)/.test(l))
    expect(lines[0]).toMatch(/: CREATING 0% after 0s$/)
    expect(lines).toContainEqual(expect.stringMatching(/: CREATING \d+% (after|at the last check, )\d+m.*, about \d+m left$/))
    expect(lines.at(-1)).toMatch(/: AVAILABLE after 12m\d*s?$/)
    // 12 minutes: a line a minute at most, plus the two status changes.
    expect(lines.length).toBeLessThanOrEqual(12 + 2)
    expect(lines.length).toBeGreaterThanOrEqual(10)
  })

  test('no progress: a read every poll_interval, as before; the cluster is asked a few times, then no more', async () => {
    const creatingMs = 5 * MINUTE
    await start({ creatingMs, progress: 'none' })
    const io = await runWith({ poll_interval: '30s' })
    expect(io.exitCode).toBe(0)
    const reads = times('details')
    const gaps = reads.slice(1).map((t, i) => t - reads[i]!)
    expect(new Set(gaps)).toEqual(new Set([30_000]))
    // 3 reads for progress, 1 after AVAILABLE for the cluster's task.
    expect(times('cluster')).toHaveLength(4)
  })

  test('progress only on the cluster: its action_progress drives the schedule', async () => {
    const creatingMs = 30 * MINUTE
    await start({ creatingMs, progressOnDetails: false })
    const io = await runWith()
    expect(io.exitCode).toBe(0)
    expect(times('details').length).toBeLessThanOrEqual(30)
    expect(times('cluster').length).toBeGreaterThanOrEqual(times('details').length - 1)
    expect(doneDelay(creatingMs)).toBeLessThanOrEqual(5_000)
    expect(io.lines.join('\n')).toMatch(/CREATING \d+% (after|at the last check, )\d+m.*, about \d+m left/)
  })

  test('stuck at 99 %: never later than poll_interval', async () => {
    const creatingMs = 20 * MINUTE
    await start({ creatingMs, progress: 'stuck' })
    await runWith()
    expect(doneDelay(creatingMs)).toBeLessThanOrEqual(20_000)
  })

  test("UNAVAILABLE: the annotation names the failed step and the task's error", async () => {
    await start({ creatingMs: 3 * MINUTE })
    emu.nextSnapshot({
      outcome: 'UNAVAILABLE',
      failure: { failedStep: 'BACKUP', errorCode: 'GS.BACKUP.0042', errorMsg: 'no space left\n::error::on dn_6001' }
    })
    const io = await runWith()
    expect(io.exitCode).toBe(1)
    expect(io.errors).toHaveLength(1)
    expect(io.errors[0]!.message).toMatch(
      /ended UNAVAILABLE .* The snapshot task failed at step BACKUP: no space left\\n::error::on dn_6001 \(GS\.BACKUP\.0042\)\./
    )
    expect(times('cluster-action')).toHaveLength(1)
  })
})
