/**
 * Retention end to end: the fresh bundle, run as the runner runs it, prunes against the emulator
 * under both readings of the list's `offset`, leaves every look-alike alone, survives a failed
 * delete with a warning, and plans without deleting in a dry run.
 */
import { EMULATOR_DEFAULTS as D, type SnapshotRecord } from '../emulator/index.js'
import { calls, clock, emu, expectSuccess, run, start } from './support/e2e-harness.js'

afterEach(async () => {
  await emu?.close()
})

const OTHER = 'e0000000-0000-4000-8000-000000000002'
const CLUSTERS = [
  { id: D.clusterId, name: D.clusterName },
  { id: OTHER, name: 'other-cluster' }
]
const MARKED = 'Taken by acme/shop-api workflow Release [dws-snapshot-action]'
const HOUR = 3_600_000

function seed(count: number): { ours: SnapshotRecord[]; lookAlikes: SnapshotRecord[] } {
  const now = clock?.now() ?? Date.now()
  const ours = Array.from({ length: count }, (_, i) =>
    emu.addSnapshot({ name: `release-s${i + 1}`, description: MARKED, startedMs: now - (count - i) * HOUR })
  )
  const old = now - 1000 * HOUR
  const lookAlikes = [
    emu.addSnapshot({ name: 'release-theirs', clusterId: OTHER, description: MARKED, startedMs: old }),
    emu.addSnapshot({ name: 'release-auto', type: 'AUTOMATED', description: MARKED, startedMs: old }),
    emu.addSnapshot({ name: 'release-by-hand', description: 'made by hand', startedMs: old }),
    emu.addSnapshot({ name: 'release-frozen', status: 'FROZEN', description: MARKED, startedMs: old })
  ]
  return { ours, lookAlikes }
}

const names = (json: string | undefined) => (JSON.parse(json ?? 'null') as { name: string }[]).map((s) => s.name)

describe('retention end to end (bundle)', () => {
  test.each(['page', 'record'] as const)('offset as a %s index: the oldest of ours go, nothing else', async (offsetReading) => {
    await start({ fast: true, clusters: CLUSTERS, offsetReading, deleteLagMs: 8_000 })
    const { ours, lookAlikes } = seed(103)
    const r = await run({ name: 'release-{run_number}', keep_last: '100' })
    expectSuccess(r)
    // 103 + this run's = 104 usable: the oldest 4 go.
    expect(names(r.outputs.deleted_snapshots)).toEqual(['release-s1', 'release-s2', 'release-s3', 'release-s4'])
    const left = new Set(emu.snapshots().map((s) => s.id))
    for (const s of [...ours.slice(4), ...lookAlikes]) expect(left.has(s.id)).toBe(true)
    expect(left.has(r.outputs.snapshot_id!)).toBe(true)
    expect(r.summary).toMatch(/Deleted 4 snapshots; \d+ kept/)
    expect(r.summary).toContain('#### The way back: restore from this snapshot')
    expect(r.summary).toContain(`--snapshot_id=${r.outputs.snapshot_id}`)
  })

  test('a failed delete: one warning naming the permission, the step succeeds with the new snapshot', async () => {
    await start({ fast: true, clusters: CLUSTERS })
    seed(3)
    emu.inject('delete', { kind: 'status', status: 403, body: { error_code: 'DWS.0015', error_msg: 'No permission.' } })
    const r = await run({ name: 'release-{run_number}', keep_last: '2' })
    expectSuccess(r)
    const warnings = r.annotations.filter((a) => a.level === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]!.message).toMatch(/Could not delete snapshot 'release-s1'.*dws:cluster:deleteSnapshot/)
    expect(names(r.outputs.deleted_snapshots)).toEqual(['release-s2'])
    expect(r.outputs.status).toBe('AVAILABLE')
  })

  test('dry run: the plan in the log and the summary, no DELETE', async () => {
    await start({ clusters: CLUSTERS })
    seed(3)
    const r = await run({ name: 'release-{run_number}', keep_last: '2', dry_run: 'true' })
    expectSuccess(r)
    expect(calls('delete')).toBe(0)
    expect(r.stdout).toMatch(/Dry run: would delete snapshot 'release-s1'/)
    expect(r.summary).toContain('#### Retention plan (dry run: nothing was deleted)')
    expect(r.outputs.deleted_snapshots).toBe('[]')
  })
})
