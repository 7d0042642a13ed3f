/**
 * 6. One create without waiting over a slow TLS link (relay.ts: 100 ms round trip, TLS, one round
 * trip to connect), the action vs the reference's single signed POST, interleaved, with the
 * connections each run opened.
 */
import { startEmulator } from '../../emulator/index.js'
import { actionCreate, referenceCreate } from './action-runs.js'
import type { RunChild } from './child.js'
import { startRelay } from './relay.js'
import { RELAY_RTT_MS, RELAY_RUNS, WARMUPS } from './settings.js'

export interface RelayFigures {
  action: number[]
  ref: number[]
  actionConnections: number[]
  refConnections: number[]
  actionCalls: number[]
}

export async function measureRelay(runChild: RunChild, refCreate: string): Promise<RelayFigures> {
  console.log(
    `Measuring one create over a TLS relay adding ${RELAY_RTT_MS} ms per round trip (${WARMUPS} warm-ups + ${RELAY_RUNS} runs each)...`
  )
  const emulator = await startEmulator({ creatingMs: 0 })
  const relay = await startRelay(emulator.port, RELAY_RTT_MS)
  const via = { url: relay.url, caFile: relay.caFile }
  const figures: RelayFigures = { action: [], ref: [], actionConnections: [], refConnections: [], actionCalls: [] }
  try {
    for (let round = 0; round < WARMUPS + RELAY_RUNS; round++) {
      const order = round % 2 ? (['ref', 'action'] as const) : (['action', 'ref'] as const)
      for (const who of order) {
        const before = relay.connections()
        const { run, calls } =
          who === 'action'
            ? await actionCreate(runChild, emulator, false, via)
            : await referenceCreate(runChild, refCreate, emulator, false, via)
        if (round < WARMUPS) continue
        figures[who].push(run.wallMs)
        figures[who === 'action' ? 'actionConnections' : 'refConnections'].push(relay.connections() - before)
        if (who === 'action') figures.actionCalls.push(calls)
      }
    }
  } finally {
    await relay.close()
    await emulator.close()
  }
  return figures
}
