/**
 * 4. Waiting: with the snapshot AVAILABLE CREATING_MS after the create and a POLL_MS poll interval,
 * how long after AVAILABLE the action exits and how many API calls it makes; and (5) the peak RSS of
 * these full runs.
 */
import { startEmulator } from '../../emulator/index.js'
import { BASE_INPUTS, countRequests, nextRunId } from './action-runs.js'
import type { RunChild } from './child.js'
import { explain, fail } from './fail.js'
import { BUNDLE, CREATING_MS, POLL_MS, WAIT_RUNS } from './settings.js'

export interface WaitRun {
  lagMs: number
  afterLastPollMs: number
  /** seconds after the create answer at which each details call was answered */
  pollOffsets: number[]
  calls: number
  byRoute: Record<string, number>
  wallMs: number
}

export async function measureWaiting(runChild: RunChild): Promise<{ waits: WaitRun[]; rssFull: number[] }> {
  console.log(
    `Measuring waiting: snapshot AVAILABLE ${CREATING_MS / 1000} s after the create, poll_interval ${POLL_MS / 1000}s, ${WAIT_RUNS} runs (~${Math.ceil(((CREATING_MS / POLL_MS + 1) * POLL_MS) / 1000) * WAIT_RUNS} s)...`
  )
  /** When each create was answered (Date.now()): the emulator starts the snapshot's clock while handling it. */
  const createdAt = new Map<string, number>()
  /** When each details answer was sent. */
  const detailsSeen: { at: number; path: string }[] = []
  const emulator = await startEmulator({
    creatingMs: CREATING_MS,
    onRequest: (r) => {
      const now = Date.now()
      if (r.route === 'create' && r.status === 200) {
        const name = (JSON.parse(r.body) as { snapshot?: { name?: string } }).snapshot?.name ?? ''
        createdAt.set(name, now)
      }
      if (r.route === 'details') detailsSeen.push({ at: now, path: r.path })
    }
  })
  const waits: WaitRun[] = []
  const rssFull: number[] = []
  try {
    for (let i = 0; i < WAIT_RUNS; i++) {
      const runId = nextRunId()
      const name = `bench-wait-${runId}`
      const { result: run, requests } = await countRequests(emulator, () =>
        runChild(BUNDLE, {
          inputs: { ...BASE_INPUTS, endpoint: emulator.url, name, wait: 'true', poll_interval: `${POLL_MS / 1000}s` },
          env: { GITHUB_RUN_ID: runId },
          measureRss: true,
          timeoutMs: CREATING_MS + 4 * POLL_MS + 10_000
        })
      )
      if (run.code !== 0 || run.outputs.status !== 'AVAILABLE') explain('action create + wait failed', run)
      const created = createdAt.get(name)
      if (created === undefined) fail(`the emulator saw no successful create for ${name}`)
      const availableAt = created + CREATING_MS
      const byRoute: Record<string, number> = {}
      for (const r of requests) byRoute[r.route ?? 'unmatched'] = (byRoute[r.route ?? 'unmatched'] ?? 0) + 1
      const polls = detailsSeen.filter((d) => d.path.includes(run.outputs.snapshot_id ?? '\0'))
      const lastPoll = polls[polls.length - 1]
      waits.push({
        lagMs: run.exitAt - availableAt,
        afterLastPollMs: lastPoll ? run.exitAt - lastPoll.at : NaN,
        pollOffsets: polls.map((d) => (d.at - created) / 1000),
        calls: requests.length,
        byRoute,
        wallMs: run.wallMs
      })
      if (run.rssKb !== undefined) rssFull.push(run.rssKb)
    }
  } finally {
    await emulator.close()
  }
  return { waits, rssFull }
}

/**
 * What fixed-interval polling would cost: 1 list + 1 create + a details call at once and one per
 * poll until AVAILABLE, + the one cluster read that "usable" needs (the cluster has left its
 * snapshot task), counted as the progress-aware table counts it (fixedPollingCalls).
 */
export const FIXED_DETAILS = Math.ceil(CREATING_MS / POLL_MS) + 1
export const FIXED_CALLS = 1 + 1 + FIXED_DETAILS + 1
