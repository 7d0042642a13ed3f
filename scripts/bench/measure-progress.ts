/**
 * 7. Progress-aware waiting on the emulator's clock: the whole run in-process (src/main.ts through
 * an in-memory ActionIO) against the emulator over loopback HTTP, both on one virtual clock that
 * moves only when the action sleeps. Hours of waiting take well under a second each, and the
 * figures are those of the schedule itself: request latency costs no virtual time.
 */
import { EMULATOR_DEFAULTS as D, startEmulator, type ProgressShape } from '../../emulator/index.js'
import { run } from '../../src/main.js'
import { FakeClock } from '../../__tests__/support/fakes.js'
import { MemoryIO } from '../../__tests__/support/memory-io.js'
import { fail } from './fail.js'
import { PROGRESS_POLL_MS } from './settings.js'

const MINUTE = 60_000

export interface WaitCase {
  shape: ProgressShape
  creatingMs: number
  /** from the snapshot's end (emulator clock) to the end of the step */
  delayMs: number
  /** snapshot and cluster reads from the create to the end of the step */
  statusCalls: number
}

export interface ProgressFigures {
  /** linear progress, 5 min to 2 h */
  linear: WaitCase[]
  hour: WaitCase[]
  twoHours: WaitCase[]
  /** 30 s to 2 min */
  short: WaitCase[]
  /** noisy, 10 % steps, stuck at 99 %, none: 2 min to 1 h */
  misleading: WaitCase[]
  /** what fixed polling at PROGRESS_POLL_MS costs, for the same cases */
  fixedPollMs: number
}

/** `count` durations from `fromMin` to `toMin`, each a few odd seconds off so ends fall at every phase of the schedule. */
function spread(fromMin: number, toMin: number, count: number, offsetMs = 7_919): number[] {
  return Array.from({ length: count }, (_, i) =>
    Math.round((fromMin + ((toMin - fromMin) * i) / Math.max(1, count - 1)) * MINUTE - i * offsetMs)
  )
}

export async function measureProgress(): Promise<ProgressFigures> {
  console.log('Measuring progress-aware waiting on the emulator clock (in-process, linear 5 min–2 h and misleading progress)...')
  const clock = new FakeClock(Date.now())
  const seen: { route: string; at: number }[] = []
  const emulator = await startEmulator({ now: () => clock.now(), onRequest: (r) => seen.push({ route: r.route ?? '', at: clock.now() }) })
  let runs = 0
  const measure = async (shape: ProgressShape, creatingMs: number): Promise<WaitCase> => {
    emulator.nextSnapshot({ creatingMs, progress: shape })
    const from = seen.length
    const io = new MemoryIO(
      {
        cluster_id: D.clusterId,
        project_id: D.projectId,
        endpoint: emulator.url,
        access_key_id: D.accessKeyId,
        secret_access_key: D.secretAccessKey,
        name: `bench-progress-${++runs}`,
        description: 'bench',
        poll_interval: `${PROGRESS_POLL_MS / 1000}s`,
        wait_timeout: '4h'
      },
      {}
    )
    const code = await run(io, { clock })
    const doneAt = clock.now()
    if (code !== 0) fail(`in-process run (${shape}, ${creatingMs} ms) failed: ${io.errors.map((e) => e.message).join('; ')}`)
    const mine = seen.slice(from)
    const created = mine.find((r) => r.route === 'create')?.at
    if (created === undefined) fail('the in-process run made no create')
    // Let the cluster's snapshot task end before the next create.
    await clock.sleep(1_000)
    return {
      shape,
      creatingMs,
      delayMs: doneAt - (created + creatingMs),
      statusCalls: mine.filter((r) => r.route === 'details' || r.route === 'cluster').length
    }
  }
  try {
    const all = async (shape: ProgressShape, durations: number[]): Promise<WaitCase[]> => {
      const cases: WaitCase[] = []
      for (const d of durations) cases.push(await measure(shape, d))
      return cases
    }
    const shapes: ProgressShape[] = ['noisy', 'steps', 'stuck', 'none']
    const misleading: WaitCase[] = []
    for (const shape of shapes) misleading.push(...(await all(shape, spread(2, 60, 6))))
    return {
      linear: await all('linear', spread(5, 120, 30)),
      hour: await all('linear', spread(60, 60.5, 5)),
      twoHours: await all('linear', spread(120, 120.5, 5)),
      short: await all('linear', spread(0.5, 2, 6, 1_307)),
      misleading,
      fixedPollMs: PROGRESS_POLL_MS
    }
  } finally {
    await emulator.close()
  }
}

/** Fixed polling: one read right after the create and one per interval until the first at or after the end, plus the cluster read. */
export function fixedPollingCalls(creatingMs: number, pollMs: number): number {
  return Math.ceil(creatingMs / pollMs) + 1 + 1
}
