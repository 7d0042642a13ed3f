/**
 * Retention, the whole run in-process against the emulator: what is deleted and what never is, on
 * mixed clusters, with automated and hand-made look-alikes, frozen snapshots, a failed delete, both
 * readings of the list's `offset`, a deletion that lingers, and a dry run.
 */
import { marked } from 'marked'
import { DESCRIPTION_MARKER } from '../src/dws/names.js'
import { EMULATOR_DEFAULTS as D, type EmulatorOptions, type SnapshotRecord } from '../emulator/index.js'
import { clock, emu, requestsTo, runWith as runStep, start as startEmulator } from './support/in-process.js'
import type { MemoryIO } from './support/memory-io.js'

const OTHER = 'e0000000-0000-4000-8000-000000000002'
const HOUR = 3_600_000
const MARKED = `Taken by acme/shop-api workflow Release ${DESCRIPTION_MARKER}`

/** The emulator with this cluster and another. */
async function start(options: EmulatorOptions = {}): Promise<void> {
  await startEmulator({
    clusters: [
      { id: D.clusterId, name: D.clusterName },
      { id: OTHER, name: 'other-cluster' }
    ],
    ...options
  })
}

afterEach(async () => {
  await emu?.close()
})

const runWith = (overrides: Record<string, string> = {}): Promise<MemoryIO> => runStep({ name: 'release-{run_number}', ...overrides })

/** `count` snapshots this action made, one hour apart, the oldest first. */
function seedOurs(count: number, prefix = 'release-s', clusterId = D.clusterId): SnapshotRecord[] {
  return Array.from({ length: count }, (_, i) =>
    emu.addSnapshot({ name: `${prefix}${i + 1}`, clusterId, description: MARKED, startedMs: clock.now() - (count - i) * HOUR })
  )
}

/** Look-alikes that must survive any retention: other cluster, automated, hand-made, frozen, in use. */
function seedNeverDeleted(): SnapshotRecord[] {
  const old = clock.now() - 1000 * HOUR
  return [
    emu.addSnapshot({ name: 'release-other-cluster', clusterId: OTHER, description: MARKED, startedMs: old }),
    emu.addSnapshot({ name: 'release-auto', type: 'AUTOMATED', description: MARKED, startedMs: old }),
    emu.addSnapshot({ name: 'release-by-hand', description: 'before the big migration, keep', startedMs: old }),
    emu.addSnapshot({ name: 'release-frozen', status: 'FROZEN', description: MARKED, startedMs: old }),
    emu.addSnapshot({ name: 'release-police', status: 'POLICE_FROZEN', description: MARKED, startedMs: old }),
    emu.addSnapshot({ name: 'release-restoring', status: 'RESTORING', description: MARKED, startedMs: old }),
    emu.addSnapshot({ name: 'nightly-1', description: MARKED, startedMs: old })
  ]
}

const ids = (list: { id: string }[]) => list.map((s) => s.id).sort()
const deletes = () => requestsTo('delete')

describe('retention end to end (in-process)', () => {
  test.each(['page', 'record'] as const)(
    'keep_last over a paged list (offset as a %s index): deletes exactly the oldest of ours, never a look-alike',
    async (offsetReading) => {
      await start({ offsetReading, zonelessTimes: offsetReading === 'record' })
      const ours = seedOurs(130)
      const survivors = seedNeverDeleted()
      const io = await runWith({ keep_last: '125' })

      expect(io.errors).toEqual([])
      expect(io.annotations.filter((a) => a.level === 'warning')).toEqual([])
      expect(io.exitCode).toBe(0)
      // 130 of ours + this run's = 131; the newest 125 stay, the oldest 6 go, oldest first.
      const expected = ours.slice(0, 6)
      expect(deletes().map((q) => q.path.split('/').pop())).toEqual(expected.map((s) => s.id))
      expect(JSON.parse(io.outputs.deleted_snapshots!)).toEqual(expected.map(({ id, name }) => ({ id, name })))
      const left = emu.snapshots()
      expect(ids(left)).toEqual(ids([...ours.slice(6), ...survivors, { id: io.outputs.snapshot_id! }]))
      // The list was read in pages of 100 with the service's reading of offset.
      const pages = emu.requests.filter((q) => q.route === 'cluster-snapshots').map((q) => new URL(q.path, emu.url).searchParams)
      // 138 in the list: a page index needs pages 0 and 1; a record index 0, the probe at 1, then 101.
      expect(pages.map((p) => p.get('offset'))).toEqual(offsetReading === 'page' ? ['0', '1'] : ['0', '1', '101'])
      expect(new Set(pages.map((p) => p.get('limit')))).toEqual(new Set(['100']))
      expect(io.summary).toContain('#### Retention')
      expect(io.summary).toMatch(/Deleted 6 snapshots; 131 kept \(keep\\_last 125, names matching release-\\\*\)/)
      expect(io.summary).toContain('#### The way back: restore from this snapshot')
      expect(io.summary).toContain(`--snapshot_id=${io.outputs.snapshot_id}`)
    }
  )

  test('the new snapshot carries the marker, and the summary shows it in the kept list', async () => {
    await start()
    seedOurs(3)
    const io = await runWith({ keep_last: '2' })
    const mine = emu.snapshots().find((s) => s.id === io.outputs.snapshot_id)!
    expect(mine.description.endsWith(DESCRIPTION_MARKER)).toBe(true)
    expect(mine.description).toMatch(/^Taken by acme\/shop-api workflow Release run 987654321/)
    expect(JSON.parse(io.outputs.deleted_snapshots!).map((s: { name: string }) => s.name)).toEqual(['release-s1', 'release-s2'])
    expect(io.summary).toMatch(/release-42 \| [0-9a-f-]{36} \| [^|]+ \| this run's snapshot \|/)
  })

  test('keep_within alone: everything younger stays, with this run', async () => {
    await start()
    seedOurs(5) // 5h, 4h, 3h, 2h and 1h old
    const io = await runWith({ keep_within: '2h30m' })
    expect(JSON.parse(io.outputs.deleted_snapshots!).map((s: { name: string }) => s.name)).toEqual([
      'release-s1',
      'release-s2',
      'release-s3'
    ])
  })

  test('a failed delete is a warning with the permission to grant; the others go on, the step succeeds', async () => {
    await start()
    const ours = seedOurs(4)
    emu.inject('delete', { kind: 'status', status: 403, body: { error_code: 'DWS.0015', error_msg: 'No permission.' } })
    const io = await runWith({ keep_last: '2' })
    expect(io.exitCode).toBe(0)
    expect(io.errors).toEqual([])
    const warnings = io.annotations.filter((a) => a.level === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]!.message).toMatch(
      new RegExp(`Could not delete snapshot 'release-s1' \\(id ${ours[0]!.id}\\).*HTTP 403.*dws:cluster:deleteSnapshot`)
    )
    expect(JSON.parse(io.outputs.deleted_snapshots!).map((s: { name: string }) => s.name)).toEqual(['release-s2', 'release-s3'])
    expect(io.outputs).toMatchObject({ status: 'AVAILABLE', created: 'true' })
    expect(io.summary).toMatch(/Deleted 2 snapshots, 1 could not be deleted/)
    expect(io.summary).toMatch(/\| Not deleted \| ID \| Started \| Why \|/)
  })

  test('a deletion that takes a moment to disappear is confirmed by reading it again; a lost DELETE answer is not an error', async () => {
    await start({ deleteLagMs: 12_000 })
    seedOurs(3)
    emu.inject('delete', { kind: 'drop', when: 'after' })
    const io = await runWith({ keep_last: '3' })
    expect(io.annotations.filter((a) => a.level !== 'notice')).toEqual([])
    expect(JSON.parse(io.outputs.deleted_snapshots!).map((s: { name: string }) => s.name)).toEqual(['release-s1'])
    // The retried DELETE met 400 DWS.0001 (already deleted); reads then saw it until the lag passed.
    expect(deletes().map((q) => q.status)).toEqual(['dropped', 400])
    expect(clock.sleeps.filter((ms) => ms === 5000).length).toBeGreaterThanOrEqual(2)
  })

  test('a deletion never confirmed is a warning, not a failure', async () => {
    await start({ deleteLagMs: 10 * 60_000 })
    seedOurs(2)
    const io = await runWith({ keep_last: '2' })
    expect(io.exitCode).toBe(0)
    expect(io.annotations.filter((a) => a.level === 'warning')[0]!.message).toMatch(/accepted the deletion .* still showed 55s later/)
    expect(io.outputs.deleted_snapshots).toBe('[]')
  })

  test('a list that cannot be read: a warning, nothing deleted, the snapshot is still the result', async () => {
    await start()
    seedOurs(3)
    emu.inject('cluster-snapshots', { kind: 'status', status: 403, body: { error_code: 'DWS.0015', error_msg: 'No permission.' } })
    const io = await runWith({ keep_last: '1' })
    expect(io.exitCode).toBe(0)
    expect(io.annotations.filter((a) => a.level === 'warning')[0]!.message).toMatch(
      /Retention did not run, nothing was deleted: .*dws:cluster:listSnapshot/
    )
    expect(deletes()).toEqual([])
    expect(io.summary).toMatch(/Retention did not run: .* Nothing was deleted\./)
  })

  test('dry run: the plan, with why each is kept, and not a single DELETE', async () => {
    await start()
    seedOurs(4)
    seedNeverDeleted()
    const io = await runWith({ keep_last: '3', dry_run: 'true' })
    expect(io.exitCode).toBe(0)
    expect(deletes()).toEqual([])
    expect(emu.snapshots()).toHaveLength(11)
    expect(io.lines.filter((l) => l.startsWith('Dry run: would delete'))).toEqual([
      expect.stringMatching(/^Dry run: would delete snapshot 'release-s1' .*older than the newest 3/),
      expect.stringMatching(/^Dry run: would delete snapshot 'release-s2' /)
    ])
    expect(io.outputs.deleted_snapshots).toBe('[]')
    const html = marked.parse(io.summary, { gfm: true }) as string
    expect(io.summary).toContain('#### Retention plan (dry run: nothing was deleted)')
    expect(io.summary).toMatch(/Would delete 2 snapshots; 9 kept/)
    for (const why of [
      'type AUTO, not MANUAL',
      'not made by this action',
      'status FROZEN: never deleted',
      "name does not match keep\\_match 'release-\\*'"
    ]) {
      expect(io.summary).toContain(why)
    }
    // The other cluster's snapshot is not even in this cluster's list.
    expect(io.summary).not.toContain('release-other-cluster')
    expect(html).not.toContain('The way back')
  })

  test.each<[Record<string, string>, RegExp]>([
    [{ keep_last: '3', wait: 'false' }, /'wait': must be true when keep_last or keep_within is set/],
    [
      { keep_last: '3', name: '{repo}-{run_id}' },
      /'keep_match': is required with keep_last or keep_within when the name template starts with a token/
    ],
    [{ keep_last: '0' }, /'keep_last': '0' must be a whole number from 1/],
    [{ keep_within: '1w' }, /'keep_within': '1w' is not a duration such as '30d'/],
    [{ keep_within: '0s' }, /'keep_within': must be at least 1s/],
    [{ keep_last: '2', keep_match: 'release.*' }, /'keep_match': 'release\.\*' is not a name pattern/]
  ])('bad retention input %j: Invalid input before any request', async (inputs, message) => {
    await start()
    const io = await runWith(inputs)
    expect(io.errors).toEqual([{ level: 'error', title: 'DWS snapshot: Invalid input', message: expect.stringMatching(message) }])
    expect(emu.requests).toHaveLength(0)
  })

  test('keep_match given with a token-first template scopes retention to it', async () => {
    await start()
    seedOurs(3, 'acme-')
    seedOurs(3, 'release-')
    const io = await runWith({ name: '{owner}-{run_number}', keep_match: 'acme-*', keep_last: '1' })
    expect(JSON.parse(io.outputs.deleted_snapshots!).map((s: { name: string }) => s.name)).toEqual(['acme-1', 'acme-2', 'acme-3'])
  })
})
