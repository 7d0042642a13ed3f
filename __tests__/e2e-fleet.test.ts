/** A fleet in one step, end to end through a fresh bundle: several clusters by id and by name, a mixed outcome, one JSON report. */
import { calls, clock, emu, errors, run, start } from './support/e2e-harness.js'

afterEach(async () => {
  await emu?.close()
})

const FINE = { id: 'e0000000-0000-4000-8000-00000000000a', name: 'sales-dw' }
const BUSY = { id: 'e0000000-0000-4000-8000-00000000000b', name: 'finance-dw' }
const FAILS = { id: 'e0000000-0000-4000-8000-00000000000c', name: 'hr-dw', snapshotOutcome: 'UNAVAILABLE' as const }
const UNKNOWN = 'e0000000-0000-4000-8000-0000000000ff'

test('ids: one fine, one busy then fine, one unknown, one UNAVAILABLE — one annotation per failed cluster, every snapshot in the JSON', async () => {
  await start({ fast: true, clusters: [FINE, BUSY, FAILS] })
  emu.setClusterBusy(BUSY.id, clock!.now() + 40_000)
  const r = await run({ cluster_id: `${FINE.id}\n${BUSY.id}\n${UNKNOWN}\n${FAILS.id}`, name: 'rel-{run_id}-{cluster_id}' })
  expect(r.code).toBe(1)
  expect(calls('list')).toBe(1)
  expect(errors(r).map((e) => e.title)).toEqual([
    `DWS snapshot: Cluster not found (${UNKNOWN})`,
    `DWS snapshot: Snapshot failed on the service (${FAILS.id})`
  ])
  const snapshots = JSON.parse(r.outputs.snapshots!) as { cluster_id: string; snapshot_id: string; status: string; error: string }[]
  expect(snapshots.map((s) => [s.cluster_id, s.status])).toEqual([
    [FINE.id, 'AVAILABLE'],
    [BUSY.id, 'AVAILABLE'],
    [UNKNOWN, ''],
    [FAILS.id, 'UNAVAILABLE']
  ])
  expect(
    snapshots
      .filter((s) => s.snapshot_id !== '')
      .map((s) => s.snapshot_id)
      .sort()
  ).toEqual(
    emu
      .snapshots()
      .map((s) => s.id)
      .sort()
  )
  expect(r.outputs.snapshot_id).toBe('')
  expect(r.summary).toMatch(/2 of 4 clusters failed/)
})

test('names: resolved with one listing of the clusters, {cluster_name} in the names, all ready', async () => {
  await start({ fast: true, clusters: [FINE, BUSY] })
  const r = await run({ cluster_id: '', cluster_name: 'sales-dw\nfinance-dw', name: 'rel-{cluster_name}-{run_attempt}' })
  expect(r.code).toBe(0)
  expect(calls('clusters')).toBe(1)
  const snapshots = JSON.parse(r.outputs.snapshots!) as { cluster_name: string; snapshot_name: string; status: string }[]
  expect(snapshots).toEqual([
    expect.objectContaining({ cluster_name: 'sales-dw', snapshot_name: 'rel-sales-dw-1', status: 'AVAILABLE' }),
    expect.objectContaining({ cluster_name: 'finance-dw', snapshot_name: 'rel-finance-dw-1', status: 'AVAILABLE' })
  ])
  expect(emu.snapshots()).toHaveLength(2)
})
