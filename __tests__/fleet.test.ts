/** Several clusters in one step, in-process against the emulator: ids and names, a mixed outcome, colliding names, one report. */
import type { ClusterConfig } from '../emulator/index.js'
import { calls, clock, emu, runWith as runStep, start } from './support/in-process.js'

const FINE = { id: 'e0000000-0000-4000-8000-00000000000a', name: 'sales-dw' }
const BUSY = { id: 'e0000000-0000-4000-8000-00000000000b', name: 'finance-dw' }
const FAILS: ClusterConfig = { id: 'e0000000-0000-4000-8000-00000000000c', name: 'hr-dw', snapshotOutcome: 'UNAVAILABLE' }
const UNKNOWN = 'e0000000-0000-4000-8000-0000000000ff'

beforeEach(async () => {
  await start({ clusters: [FINE, BUSY, FAILS] })
})
afterEach(async () => {
  await emu.close()
})

/** The clusters come from `inputs` alone: cluster_id, or cluster_name. */
const runWith = (inputs: Record<string, string>) => runStep({ cluster_id: '', ...inputs })

describe('a fleet in one step', () => {
  test('by id: one fine, one busy then fine, one unknown, one ending UNAVAILABLE — each reported, the step fails', async () => {
    emu.setClusterBusy(BUSY.id, clock.now() + 40_000)
    const io = await runWith({ cluster_id: [FINE.id, BUSY.id, UNKNOWN, FAILS.id].join('\n'), name: 'rel-{run_id}-{cluster_id}' })
    expect(io.exitCode).toBe(1)
    expect(calls('list')).toBe(1)
    const snapshots = JSON.parse(io.outputs.snapshots!) as Record<string, unknown>[]
    // Every cluster that exists is named, the failed one too (one listing of the clusters, after the jobs).
    expect(snapshots.map((s) => [s.cluster_id, s.cluster_name, s.status, s.error === '' ? 'ok' : 'error'])).toEqual([
      [FINE.id, FINE.name, 'AVAILABLE', 'ok'],
      [BUSY.id, BUSY.name, 'AVAILABLE', 'ok'],
      [UNKNOWN, '', '', 'error'],
      [FAILS.id, FAILS.name, 'UNAVAILABLE', 'error']
    ])
    expect(calls('clusters')).toBe(1)
    expect(snapshots[3]).toMatchObject({
      snapshot_id: emu.snapshots().find((s) => s.cluster_id === FAILS.id)!.id,
      created: true,
      error: expect.stringMatching(/ended UNAVAILABLE/)
    })
    expect(io.errors.map((e) => e.title)).toEqual([
      `DWS snapshot: Cluster not found (${UNKNOWN})`,
      `DWS snapshot: Snapshot failed on the service (${FAILS.name})`
    ])
    expect(io.errors[1]!.message).toMatch(/was created by this step and still exists/)
    // Scalar outputs are empty with several clusters; the summary has one row per cluster.
    expect(io.outputs).toMatchObject({ snapshot_id: '', snapshot_name: '', created: '', status: '' })
    expect(io.summary).toMatch(/^### ❌ DWS snapshots: 2 of 4 clusters failed/)
    expect(io.summary.split('\n').filter((l) => /^\| .*e0000000-/.test(l))).toHaveLength(4)
    expect(emu.snapshots()).toHaveLength(3)
    // Every snapshot made is in the report, and only those.
    const reported = snapshots.map((s) => s.snapshot_id).filter((id) => id !== '')
    expect(reported.sort()).toEqual(
      emu
        .snapshots()
        .map((s) => s.id)
        .sort()
    )
  })

  test.each([
    ['comma-separated', 'sales-dw, finance-dw', 'rel-{run_id}-{cluster_name}', ['rel-987654321-sales-dw', 'rel-987654321-finance-dw']],
    ['one per line', 'sales-dw\nfinance-dw', 'rel-{cluster_name}-{run_attempt}', ['rel-sales-dw-1', 'rel-finance-dw-1']]
  ])(
    'by name (%s), with {cluster_name} in the template: one listing of clusters, distinct names, all ready',
    async (_label, names, template, expected) => {
      const io = await runWith({ cluster_name: names, name: template })
      expect(io.exitCode).toBe(0)
      expect(calls('clusters')).toBe(1)
      expect(
        emu
          .snapshots()
          .map((s) => s.name)
          .sort()
      ).toEqual([...expected].sort())
      const snapshots = JSON.parse(io.outputs.snapshots!) as Record<string, unknown>[]
      expect(snapshots.map((s) => [s.cluster_name, s.snapshot_name, s.status])).toEqual([
        ['sales-dw', expected[0], 'AVAILABLE'],
        ['finance-dw', expected[1], 'AVAILABLE']
      ])
      expect(io.summary).toMatch(/^### ✅ DWS snapshots of 2 clusters ready/)
    }
  )

  test('an unknown name is an input error listing the closest names, before any snapshot is made', async () => {
    const io = await runWith({ cluster_name: 'sales_dw' })
    expect(io.errors).toEqual([
      expect.objectContaining({
        title: 'DWS snapshot: Invalid input',
        message: expect.stringMatching(/'cluster_name': no cluster is named 'sales_dw' \(closest: 'sales-dw'\)/)
      })
    ])
    expect(calls('create')).toBe(0)
  })

  test('names that collide across clusters are refused before any request, suggesting a token', async () => {
    const io = await runWith({ cluster_id: `${FINE.id}\n${BUSY.id}`, name: 'release-{run_id}' })
    expect(io.errors[0]).toMatchObject({
      title: 'DWS snapshot: Invalid input',
      message: expect.stringMatching(/'release-987654321' for .*\{cluster_name\} or \{cluster_id\}/)
    })
    expect(emu.requests).toHaveLength(0)
  })

  test('one cluster keeps every single-value output, and the snapshots output has the same shape', async () => {
    const io = await runWith({ cluster_id: FINE.id })
    const [snap] = emu.snapshots()
    expect(io.outputs).toMatchObject({ snapshot_id: snap!.id, created: 'true', status: 'AVAILABLE' })
    expect(JSON.parse(io.outputs.snapshots!)).toEqual([expect.objectContaining({ cluster_id: FINE.id, snapshot_id: snap!.id, error: '' })])
  })

  test('max_parallel 1 still snapshots every cluster (the bound itself is tested on the semaphore)', async () => {
    const io = await runWith({
      cluster_id: [FINE.id, BUSY.id, FAILS.id].join(','),
      max_parallel: '1',
      wait: 'false',
      name: 'x-{cluster_id}'
    })
    expect(io.exitCode).toBe(0)
    expect(emu.snapshots()).toHaveLength(3)
    // Answered one after another: no request was received while another was being served.
    const served = emu.requests.map((q) => q.route)
    expect(served.filter((r) => r === 'create')).toHaveLength(3)
  })

  test('max_parallel is 1 to 20', async () => {
    const io = await runWith({ cluster_id: FINE.id, max_parallel: '21' })
    expect(io.errors[0]!.message).toMatch(/'max_parallel'/)
  })
})
