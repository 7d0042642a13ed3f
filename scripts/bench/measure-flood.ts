/**
 * 10. A hostile 100 MB answer to one call at a time (the bundle, real time): JSON padded with
 * whitespace, one huge string, or ~100 000 list items, streamed by the emulator without holding it.
 * Each run must end with one clear error (the create: find the snapshot its lost answer made); the
 * figures are its wall time and peak RSS.
 */
import { EMULATOR_DEFAULTS as D, startEmulator, type FloodShape, type RouteName } from '../../emulator/index.js'
import { BASE_INPUTS, nextRunId } from './action-runs.js'
import type { RunChild } from './child.js'
import { explain, fail } from './fail.js'
import { BUNDLE } from './settings.js'

const HUNDRED_MB = 100 * 1024 * 1024

/** One answer flooded per case, and the inputs that make the run reach that call. */
const CASES: { route: RouteName; shape: FloodShape; inputs?: Record<string, string>; succeeds?: boolean }[] = [
  { route: 'list', shape: 'whitespace' },
  { route: 'list', shape: 'string' },
  { route: 'list', shape: 'items' },
  { route: 'projects', shape: 'whitespace', inputs: { project_id: '', region: D.region } },
  { route: 'clusters', shape: 'items', inputs: { cluster_id: '', cluster_name: 'emulator-cluster' } },
  { route: 'cluster', shape: 'string', inputs: { dry_run: 'true' } },
  { route: 'details', shape: 'string', inputs: { wait: 'true', poll_interval: '5s' } },
  { route: 'create', shape: 'whitespace', succeeds: true }
]

export interface FloodCase {
  what: string
  wallMs: number
  rssKb: number
}

export async function measureFlood(runChild: RunChild): Promise<FloodCase[]> {
  console.log(`Measuring a 100 MB answer to each call (${CASES.length} runs)...`)
  const figures: FloodCase[] = []
  for (const c of CASES) {
    const emulator = await startEmulator({ creatingMs: 0 })
    try {
      emulator.inject(c.route, { kind: 'flood', bytes: HUNDRED_MB, shape: c.shape })
      const run = await runChild(BUNDLE, {
        inputs: { ...BASE_INPUTS, endpoint: emulator.url, iam_endpoint: emulator.url, name: 'bench-{run_id}', wait: 'false', ...c.inputs },
        env: { GITHUB_RUN_ID: nextRunId() },
        measureRss: true,
        timeoutMs: 60_000
      })
      const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error'))
      const ended = c.succeeds ? run.code === 0 && emulator.snapshots().length === 1 : run.code === 1 && errors.length === 1
      if (!ended) explain(`a 100 MB answer to ${c.route} (${c.shape}) did not end the run as expected`, run)
      if (run.rssKb === undefined) fail('peak RSS could not be read')
      figures.push({ what: `${c.route} ${c.shape}`, wallMs: run.wallMs, rssKb: run.rssKb })
    } finally {
      await emulator.close()
    }
  }
  return figures
}
