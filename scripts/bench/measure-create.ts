/**
 * 3. One create without waiting, the action vs the reference sending the same signed create,
 * interleaved; then (part of 5) the peak RSS of those short runs, measured apart so the RSS wrapper
 * never touches the timings.
 */
import { startEmulator } from '../../emulator/index.js'
import { actionCreate, referenceCreate } from './action-runs.js'
import type { RssMethod, RunChild } from './child.js'
import { fail } from './fail.js'
import { CREATE_RUNS, RSS_RUNS, WARMUPS } from './settings.js'

export interface CreateFigures {
  action: number[]
  ref: number[]
  actionCalls: number[]
  refCalls: number[]
}

export interface CreateRss {
  actionNoWait: number[]
  ref: number[]
}

export async function measureCreate(
  runChild: RunChild,
  refCreate: string,
  rssMethod: RssMethod
): Promise<{ create: CreateFigures; rss: CreateRss }> {
  console.log(`Measuring one create without waiting (${WARMUPS} warm-ups + ${CREATE_RUNS} runs each, interleaved)...`)
  // creatingMs 0: each snapshot is AVAILABLE at once, so the next create never meets a busy cluster.
  const emulator = await startEmulator({ creatingMs: 0 })
  const create: CreateFigures = { action: [], ref: [], actionCalls: [], refCalls: [] }
  const rss: CreateRss = { actionNoWait: [], ref: [] }
  try {
    for (let round = 0; round < WARMUPS + CREATE_RUNS; round++) {
      const order = round % 2 ? (['ref', 'action'] as const) : (['action', 'ref'] as const)
      for (const who of order) {
        const { run, calls } =
          who === 'action' ? await actionCreate(runChild, emulator) : await referenceCreate(runChild, refCreate, emulator)
        if (round < WARMUPS) continue
        create[who].push(run.wallMs)
        create[who === 'action' ? 'actionCalls' : 'refCalls'].push(calls)
      }
    }
    console.log(
      `Measuring peak RSS of the create runs (${RSS_RUNS} runs each, ${rssMethod === 'time' ? '/usr/bin/time -f %M' : 'preload reading process.resourceUsage().maxRSS'})...`
    )
    for (let i = 0; i < RSS_RUNS; i++) {
      const a = await actionCreate(runChild, emulator, true)
      const r = await referenceCreate(runChild, refCreate, emulator, true)
      if (a.run.rssKb === undefined || r.run.rssKb === undefined) fail('peak RSS could not be read')
      rss.actionNoWait.push(a.run.rssKb)
      rss.ref.push(r.run.rssKb)
    }
  } finally {
    await emulator.close()
  }
  return { create, rss }
}
