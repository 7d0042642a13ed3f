import { MAX_CLUSTERS, parseClusterIds, parseClusterNames } from '../src/action/inputs/clusters.js'
import { InputError } from '../src/action/inputs/input-error.js'
import { checkDistinctNames } from '../src/action/plan/snapshots.js'
import { publishFinal, type ClusterReport } from '../src/action/report/snapshot-outputs.js'
import { ApiError } from '../src/cloud/errors.js'
import { DEFAULT_BACKOFF, Throttle, withRetries, type RetryContext } from '../src/cloud/retry.js'
import { limitCalls, Semaphore } from '../src/dws/call-limit.js'
import { ClusterNameError, resolveClusterNames } from '../src/dws/cluster-names.js'
import { closestMatches } from '../src/kernel/did-you-mean.js'
import { FakeClock, MemoryLog } from './support/fakes.js'
import { DWS } from '../src/dws/operations.js'

const A = '8d4a8c21-0b5e-4f3a-9c1d-2e7f6a5b4c3d'
const B = '6f7c0a3e-1b2d-4c5e-8f90-123456789abc'

describe('cluster lists', () => {
  test('ids one per line or comma-separated, trimmed, lower-cased, repeats dropped, order kept', () => {
    expect(parseClusterIds(` ${A}\n${B.toUpperCase()}, ${A.toUpperCase()},\n\n`)).toEqual([A, B])
  })
  test('an id that is not a UUID is named', () => {
    expect(() => parseClusterIds(`${A}, prod-dw`)).toThrow(/'cluster_id': 'prod-dw' is not a cluster ID/)
  })
  test(`at most ${MAX_CLUSTERS} clusters`, () => {
    const many = Array.from({ length: MAX_CLUSTERS + 1 }, (_, i) => `dw-${i}`).join('\n')
    const error = (() => {
      try {
        parseClusterNames(many)
      } catch (e) {
        return e
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(InputError)
    expect((error as Error).message).toMatch(/'cluster_name': names 101 clusters; at most 100 per step/)
    expect(parseClusterNames('dw-a, dw-b\ndw-a')).toEqual(['dw-a', 'dw-b'])
  })
})

describe('cluster names', () => {
  const clusters = [
    { id: A, name: 'sales-dw' },
    { id: B, name: 'finance-dw' },
    { id: '00000000-0000-4000-8000-000000000003', name: 'shared' },
    { id: '00000000-0000-4000-8000-000000000004', name: 'shared' }
  ]
  test('each name resolves to its one cluster, in the order given', () => {
    expect(resolveClusterNames(['finance-dw', 'sales-dw'], clusters).map((c) => c.id)).toEqual([B, A])
  })
  test('an unknown name lists the closest existing names; a shared name lists its ids', () => {
    const error = (() => {
      try {
        resolveClusterNames(['sales_dw', 'shared', 'zzz'], clusters)
      } catch (e) {
        return e
      }
      return undefined
    })() as ClusterNameError
    expect(error).toBeInstanceOf(ClusterNameError)
    expect(error.message).toBe(
      "no cluster is named 'sales_dw' (closest: 'sales-dw'); no cluster is named 'zzz'; 2 clusters are named 'shared' " +
        '(ids 00000000-0000-4000-8000-000000000003, 00000000-0000-4000-8000-000000000004): give cluster_id instead'
    )
  })
  test('closest names: within a third of the length, at most three, closest first, case ignored', () => {
    expect(closestMatches('Sales-DW', ['sales-dw', 'sales-dw2', 'sales-qa', 'hr', 'sales-d'], { most: 3 })).toEqual([
      'sales-dw',
      'sales-d',
      'sales-dw2'
    ])
  })
})

/**
 * Calls that stay in flight until the test releases them: which call runs when is decided by the
 * test, never by timers. `started(n)` resolves once n calls have begun.
 */
function heldCalls() {
  const held: (() => void)[] = []
  const waiters: { count: number; resolve: () => void }[] = []
  let inFlight = 0
  let peak = 0
  return {
    hold: async <T>(value: T): Promise<T> => {
      inFlight++
      peak = Math.max(peak, inFlight)
      await new Promise<void>((release) => {
        held.push(release)
        for (const w of waiters.filter((w) => held.length >= w.count)) w.resolve()
      })
      inFlight--
      return value
    },
    started: (count: number): Promise<void> =>
      new Promise((resolve) => (held.length >= count ? resolve() : waiters.push({ count, resolve }))),
    /** lets the i-th call to have started finish */
    release: (i: number): void => held[i]!(),
    get begun(): number {
      return held.length
    },
    get inFlight(): number {
      return inFlight
    },
    get peak(): number {
      return peak
    }
  }
}

describe('Semaphore and limitCalls', () => {
  test('never more than the limit in flight, every call served, in the order they queued', async () => {
    const semaphore = new Semaphore(3)
    const calls = heldCalls()
    const order: number[] = []
    const results = Promise.all(
      [5, 1, 4, 2, 3, 0, 6].map((n, i) =>
        semaphore.run(() => {
          order.push(i)
          return calls.hold(n)
        })
      )
    )
    await calls.started(3)
    expect(order).toEqual([0, 1, 2])
    // Calls finish out of turn; each one that ends lets exactly the next in the queue in.
    for (const [finished, begun] of [
      [1, 4],
      [0, 5],
      [3, 6],
      [2, 7]
    ] as const) {
      calls.release(finished)
      await calls.started(begun)
      expect(order).toEqual([0, 1, 2, 3, 4, 5, 6].slice(0, begun))
      expect(calls.inFlight).toBe(3)
    }
    for (const i of [5, 4, 6]) calls.release(i)
    await expect(results).resolves.toEqual([5, 1, 4, 2, 3, 0, 6])
    expect(calls.peak).toBe(3)
  })

  test('a failing call frees its slot', async () => {
    const semaphore = new Semaphore(1)
    await expect(semaphore.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    await expect(semaphore.run(() => Promise.resolve('next'))).resolves.toBe('next')
  })

  test('limitCalls routes every call through the semaphore', async () => {
    const calls = heldCalls()
    const api = limitCalls(
      {
        createSnapshot: () => calls.hold('id'),
        getSnapshot: (id) => calls.hold({ id, name: 'n', status: 'AVAILABLE' }),
        listSnapshots: () => calls.hold([]),
        getCluster: (id) => calls.hold({ id }),
        listClusterSnapshots: () => calls.hold([]),
        deleteSnapshot: () => calls.hold(undefined),
        getSnapshotFailure: () => calls.hold(undefined)
      },
      new Semaphore(2)
    )
    const all = Promise.all([
      api.createSnapshot({ name: 'n', clusterId: A, description: '' }),
      api.getSnapshot('s'),
      api.listSnapshots(),
      api.getCluster(A),
      api.listClusterSnapshots(A),
      api.deleteSnapshot('s'),
      api.getSnapshotFailure?.(A)
    ])
    // Each call that ends lets the next one in, and no other.
    for (let begun = 2; begun <= 7; begun++) {
      await calls.started(begun)
      expect(calls.begun).toBe(begun)
      expect(calls.inFlight).toBe(2)
      calls.release(begun - 2)
    }
    calls.release(6)
    await expect(all).resolves.toHaveLength(7)
    expect(calls.peak).toBe(2)
  })
})

describe('Throttle: one backoff for concurrent jobs', () => {
  test('a 429 in one job holds the next attempt of another until the same time', async () => {
    const clock = new FakeClock()
    const throttle = new Throttle()
    const ctx = (): RetryContext => ({
      policy: { ...DEFAULT_BACKOFF, maxAttempts: 3 },
      clock,
      log: new MemoryLog(),
      stats: { requests: 0, retries: 0 },
      random: () => 1,
      throttle
    })
    const throttled = new ApiError(DWS.listSnapshots, 429, 'APIGW.0308', 'throttled', 'r', undefined, '20')
    let first = true
    await withRetries(async () => {
      if (first) {
        first = false
        throw throttled
      }
      return 'ok'
    }, ctx())
    const start = clock.now()
    throttle.hold(start + 5_000)
    await withRetries(async () => 'other', ctx())
    expect(clock.now() - start).toBe(5_000)
    expect(clock.sleeps).toEqual([20_000, 5_000])
  })
})

describe('the fleet outputs and checks', () => {
  test('the snapshots output has one entry per cluster, the same shape whatever happened', () => {
    const outputs: Record<string, string> = {}
    const reports: ClusterReport[] = [
      {
        result: {
          clusterId: A,
          snapshotName: 'r-1-a',
          snapshotId: B,
          created: true,
          status: 'AVAILABLE',
          startedAt: 's',
          finishedAt: 'f',
          sizeGb: 2
        },
        clusterName: 'sales'
      },
      { result: { clusterId: B, snapshotName: 'r-1-b' }, error: 'Cluster not found' }
    ]
    publishFinal({ setOutput: (name, value) => (outputs[name] = value) }, reports, false)
    expect(outputs.snapshot_id).toBe('')
    expect(JSON.parse(outputs.snapshots!)).toEqual([
      {
        cluster_id: A,
        cluster_name: 'sales',
        snapshot_id: B,
        snapshot_name: 'r-1-a',
        status: 'AVAILABLE',
        created: true,
        started_at: 's',
        finished_at: 'f',
        size_gb: 2,
        error: ''
      },
      {
        cluster_id: B,
        cluster_name: '',
        snapshot_id: '',
        snapshot_name: 'r-1-b',
        status: '',
        created: null,
        started_at: '',
        finished_at: '',
        size_gb: null,
        error: 'Cluster not found'
      }
    ])
  })

  test('two clusters with one name (case ignored) is an input error naming both and suggesting a token', () => {
    expect(() =>
      checkDistinctNames([
        { name: 'Release-1', clusterId: A },
        { name: 'release-1', clusterId: B }
      ])
    ).toThrow(
      new RegExp(
        `'name': gives the same snapshot name to several clusters: 'Release-1' for ${A}, ${B}\\. .*\\{cluster_name\\} or \\{cluster_id\\}`
      )
    )
    expect(() =>
      checkDistinctNames([
        { name: 'r-a', clusterId: A },
        { name: 'r-b', clusterId: B }
      ])
    ).not.toThrow()
  })
})
