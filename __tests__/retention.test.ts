import { PagingError, readAllPages, type OffsetReading } from '../src/dws/pager.js'
import { globToRegExp, planRetention, type RetentionRule } from '../src/dws/retention.js'
import { DESCRIPTION_MARKER } from '../src/dws/names.js'
import type { Snapshot } from '../src/dws/types.js'

describe('readAllPages: every item exactly once, whichever way the service reads offset', () => {
  const items = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `id-${i}` }))

  /** A service that pages `all` with the given reading, recording the offsets asked for. */
  function service(all: { id: string }[], reading: OffsetReading | 'ignored') {
    const asked: number[] = []
    const fetch = (limit: number, offset: number): Promise<{ id: string }[]> => {
      asked.push(offset)
      if (reading === 'ignored') return Promise.resolve(all)
      const start = reading === 'page' ? offset * limit : offset
      return Promise.resolve(all.slice(start, start + limit))
    }
    return { fetch, asked }
  }

  test.each<[OffsetReading, number, number]>([
    ['page', 0, 3],
    ['page', 2, 3],
    ['page', 3, 3],
    ['page', 4, 3],
    ['page', 10, 3],
    ['page', 301, 100],
    ['record', 3, 3],
    ['record', 4, 3],
    ['record', 10, 3],
    ['record', 11, 3],
    ['record', 301, 100]
  ])('%s reading, %d items in pages of %d', async (reading, n, limit) => {
    const all = items(n)
    const { fetch } = service(all, reading)
    const paged = await readAllPages(fetch, limit)
    expect(paged.items.map((i) => i.id)).toEqual(all.map((i) => i.id))
    if (n > limit) expect(paged.reading).toBe(reading)
  })

  test('the readings are told apart by the probe at offset 1, then each steps its own way', async () => {
    const page = service(items(10), 'page')
    await readAllPages(page.fetch, 3)
    expect(page.asked).toEqual([0, 1, 2, 3])
    const record = service(items(10), 'record')
    await readAllPages(record.fetch, 3)
    expect(record.asked).toEqual([0, 1, 4, 7, 10]) // 7-9 is a full page, so one more ask finds the end
  })

  test('a service that ignores limit and offset: one page when it sends more than asked, two when exactly as many', async () => {
    const more = service(items(7), 'ignored')
    expect((await readAllPages(more.fetch, 3)).items).toHaveLength(7)
    expect(more.asked).toEqual([0])
    const same = service(items(3), 'ignored')
    expect((await readAllPages(same.fetch, 3)).items).toHaveLength(3)
    expect(same.asked).toEqual([0, 1])
  })

  test('a list that changed between the first page and the probe is refused rather than guessed at', async () => {
    const answers = [
      [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
      [{ id: 'x' }, { id: 'a' }, { id: 'y' }]
    ]
    await expect(readAllPages(() => Promise.resolve(answers.shift() ?? []), 3)).rejects.toThrow(PagingError)
  })

  test('a service that repeats its last page forever stops at the first page that adds nothing', async () => {
    let calls = 0
    const fetch = (_limit: number, offset: number) => {
      calls += 1
      return Promise.resolve(offset <= 1 ? items(4).slice(offset * 2, offset * 2 + 2) : [{ id: 'id-2' }, { id: 'id-3' }])
    }
    expect((await readAllPages(fetch, 2)).items).toHaveLength(4)
    expect(calls).toBe(3)
  })

  test('a bound on pages guards against a list that never ends', async () => {
    let n = 0
    const fetch = (limit: number) => Promise.resolve(Array.from({ length: limit }, () => ({ id: `x${n++}` })))
    await expect(readAllPages(fetch, 2, 5)).rejects.toThrow(/after 5 pages/)
  })
})

describe('planRetention', () => {
  const CLUSTER = 'c0000000-0000-4000-8000-000000000001'
  const OTHER = 'c0000000-0000-4000-8000-000000000002'
  const NOW = Date.parse('2026-06-10T12:00:00Z')
  const DAY = 86_400_000
  const at = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z')
  let n = 0
  const snap = (name: string, daysAgo: number, extra: Partial<Snapshot> = {}): Snapshot => ({
    id: `s${String(++n).padStart(3, '0')}`,
    name,
    status: 'AVAILABLE',
    clusterId: CLUSTER,
    started: at(daysAgo),
    type: 'MANUAL',
    description: `Taken by acme/shop ${DESCRIPTION_MARKER}`,
    ...extra
  })
  const current = snap('release-100', 0)
  const plan = (listed: Snapshot[], rule: Partial<RetentionRule>) =>
    planRetention([current, ...listed], current, { clusterId: CLUSTER, rule: { match: 'release-*', ...rule }, nowMs: NOW })
  const names = (items: { snapshot: Snapshot }[]) => items.map((p) => p.snapshot.name)

  test('keep_last counts this run as the newest; the rest go oldest first', () => {
    const listed = [snap('release-99', 1), snap('release-97', 3), snap('release-98', 2), snap('release-96', 4)]
    const p = plan(listed, { keepLast: 3 })
    expect(names(p.keep)).toEqual(['release-100', 'release-99', 'release-98'])
    expect(names(p.delete)).toEqual(['release-96', 'release-97'])
    expect(p.delete[0]!.reason).toBe('older than the newest 3')
    expect(p.keep[0]!.reason).toBe("this run's snapshot")
  })

  test('keep_within alone keeps what is younger, and the union with keep_last keeps either', () => {
    const listed = [snap('release-99', 1), snap('release-98', 5), snap('release-97', 10), snap('release-96', 40)]
    expect(names(plan(listed, { keepWithinMs: 7 * DAY }).delete)).toEqual(['release-96', 'release-97'])
    const union = plan(listed, { keepWithinMs: 7 * DAY, keepLast: 4 })
    expect(names(union.delete)).toEqual(['release-96'])
    expect(union.delete[0]!.reason).toBe('older than the newest 4 and older than keep_within')
    expect(union.keep.find((k) => k.snapshot.name === 'release-97')!.reason).toMatch(/newest 4/)
    expect(union.keep.find((k) => k.snapshot.name === 'release-99')!.reason).toMatch(/newest 4/)
  })

  test('never: other clusters, automated, hand-made look-alikes, other names, frozen, in use or unknown states', () => {
    const listed = [
      snap('release-90', 30, { clusterId: OTHER }),
      snap('release-91', 30, { clusterId: undefined }),
      snap('release-92', 30, { type: 'AUTO' }),
      snap('release-93', 30, { type: 'AUTOMATED' }),
      snap('release-94', 30, { description: 'made by hand before the migration' }),
      snap('release-95', 30, { description: `${DESCRIPTION_MARKER} moved to the front` }),
      snap('releases-96', 30),
      snap('nightly-97', 30),
      snap('release-98', 30, { status: 'FROZEN' }),
      snap('release-99', 30, { status: 'POLICE_FROZEN' }),
      snap('release-80', 30, { status: 'CREATING' }),
      snap('release-81', 30, { status: 'RESTORING' }),
      snap('release-82', 30, { status: 'SOMETHING_NEW' }),
      snap('release-83', 30, { started: undefined })
    ]
    const p = plan(listed, { keepLast: 1 })
    expect(p.delete).toEqual([])
    expect(p.keep).toHaveLength(listed.length + 1)
    const why = Object.fromEntries(p.keep.map((k) => [k.snapshot.name, k.reason]))
    expect(why).toMatchObject({
      'release-90': 'not shown as a snapshot of this cluster',
      'release-92': 'type AUTO, not MANUAL',
      'release-94': 'not made by this action (no marker in its description)',
      'releases-96': "name does not match keep_match 'release-*'",
      'release-98': 'status FROZEN: never deleted',
      'release-83': 'no readable start time, so it cannot be ordered'
    })
  })

  test('failed snapshots do not count towards keep_last: usable ones are never pushed out by failures', () => {
    const listed = [
      snap('release-99', 1, { status: 'UNAVAILABLE' }),
      snap('release-98', 2, { status: 'UNAVAILABLE' }),
      snap('release-97', 3),
      snap('release-96', 4)
    ]
    const p = plan(listed, { keepLast: 2 })
    expect(names(p.keep)).toEqual(['release-100', 'release-97'])
    expect(names(p.delete)).toEqual(['release-96', 'release-98', 'release-99'])
    expect(p.delete[1]!.reason).toBe('failed, so not counted by keep_last')
  })

  test('this run is never deleted, even when it matches nothing and is old', () => {
    const old = snap('manual-name', 99)
    const p = planRetention([old], old, { clusterId: CLUSTER, rule: { match: 'release-*', keepLast: 1 }, nowMs: NOW })
    expect(p.delete).toEqual([])
    expect(p.keep).toEqual([{ snapshot: old, reason: "this run's snapshot" }])
  })

  test('globs: * is any run, everything else literal', () => {
    expect(globToRegExp('release-*').test('release-42')).toBe(true)
    expect(globToRegExp('release-*').test('xrelease-42')).toBe(false)
    expect(globToRegExp('a*b*c').test('a-x-b-y-c')).toBe(true)
    expect(globToRegExp('a.b').test('axb')).toBe(false)
    expect(globToRegExp('*').test('anything')).toBe(true)
  })
})
