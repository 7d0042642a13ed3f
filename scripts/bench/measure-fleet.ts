/**
 * 6. A fleet in one step: 50 clusters against the emulator vs one cluster, both creating and waiting
 * until AVAILABLE: the wall time ratio (target ≤ 1.5×), the listing calls (target: one in all) and the
 * peak RSS of the 50-cluster run.
 */
import { EMULATOR_DEFAULTS as D, startEmulator } from '../../emulator/index.js'
import { BASE_INPUTS, countRequests, nextRunId } from './action-runs.js'
import type { Child, RunChild } from './child.js'
import { explain } from './fail.js'
import { BUNDLE, CREATING_MS, POLL_MS } from './settings.js'

export const FLEET_SIZE = 50

export interface FleetMeasure {
  oneMs: number
  fleetMs: number
  fleetListCalls: number
  fleetCalls: number
  fleetRssKb: number | undefined
}

const clusterId = (i: number): string => `e0000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`

export async function measureFleet(runChild: RunChild): Promise<FleetMeasure> {
  console.log(`Measuring a fleet: ${FLEET_SIZE} clusters vs one, each snapshot AVAILABLE ${CREATING_MS / 1000} s after its create...`)
  const clusters = Array.from({ length: FLEET_SIZE }, (_, i) => ({ id: clusterId(i), name: `dw-${i + 1}` }))
  const emulator = await startEmulator({ creatingMs: CREATING_MS, clusters })
  const runWith = (ids: string[]): Promise<{ result: Child; requests: { route?: string }[] }> =>
    countRequests(emulator, () =>
      runChild(BUNDLE, {
        inputs: {
          ...BASE_INPUTS,
          cluster_id: ids.join('\n'),
          endpoint: emulator.url,
          name: 'bench-fleet-{run_id}-{cluster_id}',
          wait: 'true',
          poll_interval: `${POLL_MS / 1000}s`
        },
        env: { GITHUB_RUN_ID: nextRunId() },
        measureRss: true,
        timeoutMs: CREATING_MS + 6 * POLL_MS + 30_000
      })
    )
  try {
    const one = await runWith([clusters[0]?.id ?? D.clusterId])
    if (one.result.code !== 0) explain('one-cluster run failed', one.result)
    const fleet = await runWith(clusters.map((c) => c.id))
    if (fleet.result.code !== 0) explain(`${FLEET_SIZE}-cluster run failed`, fleet.result)
    return {
      oneMs: one.result.wallMs,
      fleetMs: fleet.result.wallMs,
      fleetListCalls: fleet.requests.filter((r) => r.route === 'list').length,
      fleetCalls: fleet.requests.length,
      fleetRssKb: fleet.result.rssKb
    }
  } finally {
    await emulator.close()
  }
}

export function printFleet(m: FleetMeasure): void {
  const ratio = m.fleetMs / m.oneMs
  console.log(`
A fleet in one step (${FLEET_SIZE} clusters, create + wait, default max_parallel):
| measure | one cluster | ${FLEET_SIZE} clusters | ratio | target |
|---|---|---|---|---|
| wall time | ${(m.oneMs / 1000).toFixed(2)} s | ${(m.fleetMs / 1000).toFixed(2)} s | ${ratio.toFixed(2)}× | ≤ 1.5× ${ratio <= 1.5 ? 'met' : 'NOT met'} |
| listing calls | 1 | ${m.fleetListCalls} | | 1 in all ${m.fleetListCalls === 1 ? 'met' : 'NOT met'} |
| API calls in all | | ${m.fleetCalls} | | |
| peak RSS | | ${m.fleetRssKb === undefined ? 'n/a' : `${(m.fleetRssKb / 1024).toFixed(1)} MB`} | | printed |`)
}
