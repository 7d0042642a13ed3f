import {
  ClusterStateError,
  NameTakenByOtherClusterError,
  NameTakenError,
  obtainSnapshot,
  UnusableSnapshotError,
  type CreateContext
} from '../src/dws/create.js'
import { ClusterBusyError } from '../src/dws/busy.js'
import { OutcomeUnknownError } from '../src/dws/once.js'
import type { Cluster, Snapshot, SnapshotApi } from '../src/dws/types.js'
import { ApiError, TransportError, UnreadableAnswerError } from '../src/cloud/errors.js'
import { DEFAULT_BACKOFF } from '../src/cloud/retry.js'
import { SnapshotFailedError, waitUntilUsable, WaitTimeoutError, type WaitContext } from '../src/dws/wait.js'
import { FakeClock, MemoryLog } from './support/fakes.js'
import { DWS } from '../src/dws/operations.js'

type Step<T> = T | Error

/** A scripted DwsClient: each call takes the next scripted answer; the snapshot store is shared. */
class ScriptedClient implements SnapshotApi {
  store: Snapshot[] = []
  creates: Step<'apply' | 'reject' | 'garble'>[] = []
  details: Step<Snapshot>[] = []
  clusters: Step<Cluster>[] = [{ id: 'c-1', status: 'AVAILABLE', taskStatus: '' }]
  /** how many list calls still miss the newest snapshot (the list lags behind a create) */
  listLag = 0
  calls: string[] = []
  async listSnapshots(): Promise<Snapshot[]> {
    this.calls.push('list')
    if (this.listLag > 0) {
      this.listLag--
      return this.store.slice(0, -1)
    }
    return [...this.store]
  }
  async getCluster(): Promise<Cluster> {
    this.calls.push('cluster')
    const step = this.clusters.length > 1 ? this.clusters.shift()! : this.clusters[0]!
    if (step instanceof Error) throw step
    return step
  }
  async createSnapshot(spec: { name: string; clusterId: string }): Promise<string> {
    this.calls.push('create')
    const step = this.creates.shift() ?? 'apply'
    if (step instanceof Error) throw step
    const id = `id-${this.store.length + 1}`
    this.store.push({ id, name: spec.name, status: 'CREATING', clusterId: spec.clusterId })
    // 'reject' models an answer lost after the service applied the create; 'garble' a success whose body is unreadable.
    if (step === 'reject') throw new TransportError(DWS.createSnapshot, 'reset', 'h', true, 'connection dropped')
    if (step === 'garble') throw new UnreadableAnswerError(DWS.createSnapshot, 'the body is not JSON')
    return id
  }
  async getSnapshot(): Promise<Snapshot> {
    this.calls.push('details')
    const step = this.details.length > 1 ? this.details.shift()! : this.details[0]!
    if (step instanceof Error) throw step
    return step
  }
}

const SPEC = { name: 'Shop-Api-1', clusterId: 'c-1', description: 'd' }
const busy = () => new ApiError(DWS.createSnapshot, 409, 'DWS.0011', 'cluster busy', 'r', undefined, undefined)

type TestCreateContext = CreateContext & { clock: FakeClock; log: MemoryLog }

function createContext(client: ScriptedClient, overrides: Partial<Omit<TestCreateContext, 'log'>> = {}): TestCreateContext {
  const clock = overrides.clock ?? new FakeClock()
  return {
    client,
    ifExists: 'fail',
    deadline: clock.now() + 60 * 60_000,
    busyMaxDelayMs: 20_000,
    policy: { ...DEFAULT_BACKOFF, maxAttempts: 5 },
    log: new MemoryLog(),
    stats: { requests: 0, retries: 0 },
    random: () => 1,
    ...overrides,
    clock
  }
}

describe('obtainSnapshot', () => {
  test('with the project listed once for the step, the first name check makes no call of its own', async () => {
    const client = new ScriptedClient()
    const known = [{ id: 'old-1', name: 'SHOP-API-1', status: 'AVAILABLE', clusterId: 'c-1' }]
    await expect(obtainSnapshot(SPEC, createContext(client, { ifExists: 'reuse', knownSnapshots: known }))).resolves.toMatchObject({
      id: 'old-1'
    })
    await expect(obtainSnapshot({ ...SPEC, name: 'other' }, createContext(client, { knownSnapshots: known }))).resolves.toMatchObject({
      created: true
    })
    expect(client.calls).toEqual(['create'])
  })

  test('creates when no snapshot has the name', async () => {
    const client = new ScriptedClient()
    const ctx = createContext(client)
    await expect(obtainSnapshot(SPEC, ctx)).resolves.toEqual({ id: 'id-1', created: true })
    expect(client.calls).toEqual(['list', 'create'])
  })

  test("refuses a name that exists in another case when if_exists is 'fail', naming its id, status and start", async () => {
    const client = new ScriptedClient()
    client.store.push({ id: 'old-1', name: 'shop-api-1', status: 'AVAILABLE', started: '2026-01-02T03:04:05Z', clusterId: 'c-1' })
    const error = await obtainSnapshot(SPEC, createContext(client)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NameTakenError)
    expect((error as Error).message).toMatch(/id old-1, status AVAILABLE, started 2026-01-02T03:04:05Z/)
    expect(client.calls).toEqual(['list'])
  })

  test("adopts it with created=false when if_exists is 'reuse'", async () => {
    const client = new ScriptedClient()
    const existing = { id: 'old-1', name: 'SHOP-API-1', status: 'CREATING', clusterId: 'c-1' }
    client.store.push(existing)
    await expect(obtainSnapshot(SPEC, createContext(client, { ifExists: 'reuse' }))).resolves.toEqual({
      id: 'old-1',
      created: false,
      found: existing
    })
    expect(client.calls).toEqual(['list'])
  })

  test('after an answer lost once the create was applied, finds it by name instead of creating a second', async () => {
    const client = new ScriptedClient()
    client.creates = ['reject']
    const ctx = createContext(client)
    await expect(obtainSnapshot(SPEC, ctx)).resolves.toMatchObject({ id: 'id-1', created: true })
    expect(client.store).toHaveLength(1)
    expect(client.calls).toEqual(['list', 'create', 'list'])
    expect(ctx.log.text).toMatch(/adopting snapshot 'Shop-Api-1' \(id id-1\)/)
  })

  test('a refused connection is retried without a lookup (the request never left)', async () => {
    const client = new ScriptedClient()
    client.creates = [new TransportError(DWS.createSnapshot, 'refused', 'h', false, 'refused')]
    await expect(obtainSnapshot(SPEC, createContext(client))).resolves.toEqual({ id: 'id-1', created: true })
    expect(client.calls).toEqual(['list', 'create', 'create'])
  })

  test('a 5xx on create is looked up before retrying; not found, the create is repeated', async () => {
    const client = new ScriptedClient()
    client.creates = [new ApiError(DWS.createSnapshot, 502, 'APIGW.0201', 'backend', 'r', undefined, undefined)]
    await expect(obtainSnapshot(SPEC, createContext(client))).resolves.toEqual({ id: 'id-1', created: true })
    expect(client.calls).toEqual(['list', 'create', 'list', 'create'])
  })

  test('keeps trying while the cluster is busy, with delays growing to the poll interval, then creates', async () => {
    const client = new ScriptedClient()
    client.creates = [busy(), busy(), busy(), busy()]
    const ctx = createContext(client)
    await expect(obtainSnapshot(SPEC, ctx)).resolves.toEqual({ id: 'id-1', created: true })
    expect(ctx.clock.sleeps).toEqual([5000, 10000, 20000, 20000])
    expect(ctx.log.lines.filter((l) => /The cluster is busy \(DWS\.0011: cluster busy\)/.test(l))).toHaveLength(4)
  })

  test('gives up on a busy cluster when the waiting budget would run out', async () => {
    const client = new ScriptedClient()
    client.creates = Array.from({ length: 50 }, busy)
    const clock = new FakeClock()
    const ctx = createContext(client, { clock, deadline: clock.now() + 60_000 })
    const error = await obtainSnapshot(SPEC, ctx).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ClusterBusyError)
    expect((error as Error).message).toMatch(/stayed busy for 55s.*DWS\.0011/)
    expect(clock.now() - Date.UTC(2026, 10, 28, 12)).toBeLessThanOrEqual(60_000)
  })

  test('a busy cluster is read once, and the busy log says what blocks it', async () => {
    const client = new ScriptedClient()
    client.creates = [busy(), busy()]
    client.clusters = [{ id: 'c-1', status: 'AVAILABLE', taskStatus: 'RESTORING' }]
    const ctx = createContext(client)
    await obtainSnapshot(SPEC, ctx)
    expect(client.calls.filter((c) => c === 'cluster')).toHaveLength(1)
    expect(ctx.log.text).toMatch(/busy \(DWS\.0011: cluster busy\); it is AVAILABLE, task RESTORING/)
  })

  test('fails fast when the cluster is in a state that can never take a snapshot', async () => {
    const client = new ScriptedClient()
    client.creates = Array.from({ length: 50 }, busy)
    client.clusters = [{ id: 'c-1', name: 'dw', status: 'FROZEN', taskStatus: '' }]
    const ctx = createContext(client)
    const error = await obtainSnapshot(SPEC, ctx).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ClusterStateError)
    expect((error as Error).message).toMatch(/Cluster dw \(c-1\) is FROZEN: a snapshot can only be taken while the cluster is Available/)
    expect(client.calls.filter((c) => c === 'create')).toHaveLength(1)
  })

  test('DWS.9999 naming DWS.7023 is busy, not an internal error', async () => {
    const client = new ScriptedClient()
    client.creates = [
      new ApiError(DWS.createSnapshot, 400, 'DWS.9999', 'DWS.7023: cluster status does not allow', 'r', undefined, undefined)
    ]
    const ctx = createContext(client)
    await expect(obtainSnapshot(SPEC, ctx)).resolves.toEqual({ id: 'id-1', created: true })
    expect(ctx.clock.sleeps).toEqual([5000])
  })
})

describe('obtainSnapshot: exactly one snapshot of this cluster', () => {
  test('a same-named snapshot of another cluster is never reused, and the error names that cluster', async () => {
    const client = new ScriptedClient()
    client.store.push({ id: 'other-1', name: 'shop-api-1', status: 'AVAILABLE', clusterId: 'c-2' })
    for (const ifExists of ['fail', 'reuse'] as const) {
      const error = await obtainSnapshot(SPEC, createContext(client, { ifExists })).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(NameTakenByOtherClusterError)
      expect((error as Error).message).toMatch(/already exists of cluster c-2 \(id other-1\), not of cluster c-1/)
    }
    expect(client.calls).not.toContain('create')
  })

  test('the list may leave the cluster out: the details decide', async () => {
    const client = new ScriptedClient()
    client.store.push({ id: 'old-1', name: 'shop-api-1', status: 'AVAILABLE' })
    client.details = [{ id: 'old-1', name: 'shop-api-1', status: 'AVAILABLE', clusterId: 'c-2' }]
    const error = await obtainSnapshot(SPEC, createContext(client, { ifExists: 'reuse' })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NameTakenByOtherClusterError)
    expect(client.calls).toEqual(['list', 'details'])
  })

  test.each(['UNAVAILABLE', 'FROZEN', 'POLICE_FROZEN'])('a %s snapshot is not reused', async (status) => {
    const client = new ScriptedClient()
    client.store.push({ id: 'old-1', name: 'shop-api-1', status, clusterId: 'c-1' })
    const error = await obtainSnapshot(SPEC, createContext(client, { ifExists: 'reuse' })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnusableSnapshotError)
    expect((error as Error).message).toMatch(new RegExp(`is ${status}: it cannot be used`))
  })

  test('a reused snapshot is logged with its age', async () => {
    const client = new ScriptedClient()
    client.store.push({ id: 'old-1', name: 'shop-api-1', status: 'AVAILABLE', clusterId: 'c-1', started: '2026-11-28T10:30:00Z' })
    const ctx = createContext(client, { ifExists: 'reuse' })
    await obtainSnapshot(SPEC, ctx)
    expect(ctx.log.text).toMatch(/Reusing the existing snapshot 'shop-api-1' \(id old-1, status AVAILABLE, taken 1h30m ago\)/)
  })

  test.each([1, 5])('a success with an unreadable body is looked up by name, also with max_attempts %i', async (maxAttempts) => {
    const client = new ScriptedClient()
    client.creates = ['garble']
    const ctx = createContext(client, { policy: { ...DEFAULT_BACKOFF, maxAttempts } })
    await expect(obtainSnapshot(SPEC, ctx)).resolves.toMatchObject({ id: 'id-1', created: true })
    expect(client.store).toHaveLength(1)
    expect(client.calls.filter((c) => c === 'create')).toHaveLength(1)
  })

  test('with max_attempts 1, a lost create is looked up before the step gives up', async () => {
    const client = new ScriptedClient()
    client.creates = ['reject']
    const ctx = createContext(client, { policy: { ...DEFAULT_BACKOFF, maxAttempts: 1 } })
    await expect(obtainSnapshot(SPEC, ctx)).resolves.toMatchObject({ id: 'id-1', created: true })
    expect(client.calls).toEqual(['list', 'create', 'list'])
  })

  test('a lost create not found by name fails naming the snapshot to look for', async () => {
    const client = new ScriptedClient()
    client.creates = [new TransportError(DWS.createSnapshot, 'timeout', 'h', true, 'no answer')]
    const ctx = createContext(client, { policy: { ...DEFAULT_BACKOFF, maxAttempts: 1 } })
    const error = await obtainSnapshot(SPEC, ctx).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OutcomeUnknownError)
    expect((error as Error).message).toMatch(/no snapshot named 'Shop-Api-1' was found yet/)
  })

  test('after a lost create, every busy answer looks the name up again until the lagging list shows it', async () => {
    const client = new ScriptedClient()
    client.creates = ['reject', busy(), busy(), busy()]
    client.listLag = 3
    const ctx = createContext(client)
    await expect(obtainSnapshot(SPEC, ctx)).resolves.toMatchObject({ id: 'id-1', created: true })
    expect(client.store).toHaveLength(1)
    expect(client.calls.filter((c) => c === 'list').length).toBeGreaterThanOrEqual(4)
  })

  test('a name taken between check and create: reuse adopts the winner of the same cluster', async () => {
    const client = new ScriptedClient()
    const taken = new ApiError(DWS.createSnapshot, 400, 'DWS.0001', 'The snapshot name already exists', 'r', undefined, undefined)
    client.creates = [taken]
    client.listLag = 1
    client.store.push({ id: 'winner-1', name: 'Shop-Api-1', status: 'CREATING', clusterId: 'c-1' })
    const ctx = createContext(client, { ifExists: 'reuse' })
    await expect(obtainSnapshot(SPEC, ctx)).resolves.toMatchObject({ id: 'winner-1', created: false })
  })

  test("a name taken between check and create by another cluster's snapshot is an error naming it", async () => {
    const client = new ScriptedClient()
    client.creates = [new ApiError(DWS.createSnapshot, 400, 'DWS.0001', 'The snapshot name already exists', 'r', undefined, undefined)]
    client.listLag = 1
    client.store.push({ id: 'winner-1', name: 'Shop-Api-1', status: 'CREATING', clusterId: 'c-9' })
    const error = await obtainSnapshot(SPEC, createContext(client, { ifExists: 'reuse' })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NameTakenByOtherClusterError)
    expect((error as Error).message).toMatch(/cluster c-9/)
  })
})

describe('waitUntilUsable', () => {
  function waitContext(client: ScriptedClient, pollIntervalMs = 20_000, budgetMs = 3_600_000) {
    const clock = new FakeClock()
    const updates: Snapshot[] = []
    const ctx: WaitContext & { clock: FakeClock; log: MemoryLog } = {
      client,
      pollIntervalMs,
      deadline: clock.now() + budgetMs,
      onUpdate: (s) => updates.push(s),
      policy: { ...DEFAULT_BACKOFF, maxAttempts: 5 },
      clock,
      log: new MemoryLog(),
      stats: { requests: 0, retries: 0 },
      random: () => 0
    }
    return { ctx, updates }
  }
  const snap = (status: string, progress?: string): Snapshot => ({ id: 's1', name: 'n', status, progress, clusterTaskStatus: '' })

  test.each(['AVAILABLE', 'RESTORING'])('returns once the snapshot is %s, polling at the interval', async (final) => {
    const client = new ScriptedClient()
    client.details = [snap('CREATING'), snap('CREATING'), snap(final)]
    const { ctx, updates } = waitContext(client)
    await expect(waitUntilUsable('s1', 'c-1', ctx)).resolves.toMatchObject({ status: final })
    expect(ctx.clock.sleeps).toEqual([20000, 20000])
    expect(updates.map((u) => u.status)).toEqual(['CREATING', 'CREATING', final])
  })

  test.each(['UNAVAILABLE', 'FROZEN', 'POLICE_FROZEN'])('fails when the snapshot is %s', async (status) => {
    const client = new ScriptedClient()
    client.details = [snap('CREATING'), snap(status)]
    const { ctx } = waitContext(client)
    const error = await waitUntilUsable('s1', 'c-1', ctx).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SnapshotFailedError)
    expect((error as Error).message).toMatch(new RegExp(`ended ${status}`))
  })

  test('stops at the deadline with a message that says the service goes on and how to wait longer', async () => {
    const client = new ScriptedClient()
    client.details = [snap('CREATING', '10%')]
    const { ctx } = waitContext(client, 20_000, 50_000)
    const error = await waitUntilUsable('s1', 'c-1', ctx).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect((error as Error).message).toMatch(/s1 is still CREATING after waiting 50s: the service goes on building it\. Raise wait_timeout/)
    expect(ctx.clock.sleeps).toEqual([20000, 20000, 10000])
  })

  test('logs status changes and about once a minute, not once per poll', async () => {
    const client = new ScriptedClient()
    client.details = [...Array.from({ length: 30 }, () => snap('CREATING')), snap('AVAILABLE')]
    const { ctx } = waitContext(client, 5_000)
    await waitUntilUsable('s1', 'c-1', ctx)
    const lines = ctx.log.lines.filter((l) => l.startsWith('info: Snapshot s1'))
    expect(client.calls.filter((c) => c === 'details')).toHaveLength(31)
    expect(lines.length).toBeGreaterThanOrEqual(4)
    expect(lines.length).toBeLessThanOrEqual(5)
    expect(lines[0]).toMatch(/CREATING after 0s$/)
    expect(lines[1]).toMatch(/CREATING after 1m$/)
    expect(lines.at(-1)).toMatch(/AVAILABLE after 2m30s/)
  })

  test('a poll interval over a minute still logs every minute between polls', async () => {
    const client = new ScriptedClient()
    client.details = [snap('CREATING'), snap('AVAILABLE')]
    const { ctx } = waitContext(client, 150_000)
    await waitUntilUsable('s1', 'c-1', ctx)
    expect(ctx.clock.sleeps).toEqual([60000, 60000, 30000])
    expect(ctx.log.lines.filter((l) => /at the last check, \dm elapsed/.test(l))).toHaveLength(2)
  })

  test('an unknown status is logged and waited on', async () => {
    const client = new ScriptedClient()
    client.details = [snap('COPYING'), snap('AVAILABLE')]
    const { ctx } = waitContext(client)
    await waitUntilUsable('s1', 'c-1', ctx)
    expect(ctx.log.text).toMatch(/COPYING after 0s \(a status this action does not know/)
  })

  test('transient errors while polling are retried; the snapshot is still awaited', async () => {
    const client = new ScriptedClient()
    client.details = [new TransportError(DWS.getSnapshot, 'timeout', 'h', true, 'deadline'), snap('AVAILABLE')]
    const { ctx } = waitContext(client)
    await expect(waitUntilUsable('s1', 'c-1', ctx)).resolves.toMatchObject({ status: 'AVAILABLE' })
    expect(ctx.stats.retries).toBe(1)
  })

  test('a 30-second outage during a long wait is ridden out past max_attempts, pauses capped at the poll interval', async () => {
    const client = new ScriptedClient()
    const outage = Array.from(
      { length: 12 },
      () => new ApiError(DWS.getSnapshot, 503, 'APIGW.0613', 'unavailable', 'r', undefined, undefined)
    )
    client.details = [snap('CREATING'), ...outage, snap('AVAILABLE')]
    const { ctx } = waitContext(client, 5_000)
    ctx.random = () => 1
    await expect(waitUntilUsable('s1', 'c-1', ctx)).resolves.toMatchObject({ status: 'AVAILABLE' })
    expect(ctx.stats.retries).toBe(12)
    expect(Math.max(...ctx.clock.sleeps)).toBeLessThanOrEqual(5_000)
  })

  test('failed status reads stop at the deadline, with no pause past it', async () => {
    const client = new ScriptedClient()
    client.details = [snap('CREATING'), new ApiError(DWS.getSnapshot, 503, 'APIGW.0613', 'unavailable', 'r', undefined, undefined)]
    const { ctx } = waitContext(client, 20_000, 60_000)
    ctx.random = () => 1
    const error = await waitUntilUsable('s1', 'c-1', ctx).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/as the step reached wait_timeout/)
    expect(ctx.clock.now() - Date.UTC(2026, 10, 28, 12)).toBeLessThanOrEqual(60_000)
  })

  test('after AVAILABLE, waits until the cluster has left its snapshot task', async () => {
    const client = new ScriptedClient()
    client.details = [{ ...snap('AVAILABLE'), clusterTaskStatus: 'SNAPSHOTTING' }]
    client.clusters = [
      { id: 'c-1', status: 'AVAILABLE', taskStatus: 'SNAPSHOTTING' },
      { id: 'c-1', status: 'AVAILABLE', taskStatus: 'SNAPSHOTTING' },
      { id: 'c-1', status: 'AVAILABLE', taskStatus: '' }
    ]
    const { ctx } = waitContext(client)
    await waitUntilUsable('s1', 'c-1', ctx)
    expect(client.calls).toEqual(['details', 'cluster', 'cluster', 'cluster'])
    expect(ctx.log.text).toMatch(/waiting for the cluster to finish its snapshot task/)
  })

  test('a lingering cluster task at the deadline only warns: the snapshot is usable', async () => {
    const client = new ScriptedClient()
    client.details = [{ ...snap('AVAILABLE'), clusterTaskStatus: 'SNAPSHOTTING' }]
    client.clusters = [{ id: 'c-1', status: 'AVAILABLE', taskStatus: 'SNAPSHOTTING' }]
    const { ctx } = waitContext(client, 20_000, 50_000)
    await expect(waitUntilUsable('s1', 'c-1', ctx)).resolves.toMatchObject({ status: 'AVAILABLE' })
    expect(ctx.log.text).toMatch(/warning: .*still reports the task SNAPSHOTTING at wait_timeout/)
  })

  test('a snapshot whose details do not say the cluster task reads the cluster once', async () => {
    const client = new ScriptedClient()
    client.details = [{ id: 's1', name: 'n', status: 'AVAILABLE' }]
    const { ctx } = waitContext(client)
    await waitUntilUsable('s1', 'c-1', ctx)
    expect(client.calls).toEqual(['details', 'cluster'])
  })
})
