import { ClusterBusyError, NameTakenError, obtainSnapshot, type CreateContext } from '../src/create.js'
import type { DwsClient, Snapshot } from '../src/dws-client.js'
import { ApiError, TransportError } from '../src/errors.js'
import { DEFAULT_BACKOFF } from '../src/retry.js'
import { SnapshotFailedError, waitUntilUsable, WaitTimeoutError, type WaitContext } from '../src/wait.js'
import { FakeClock, MemoryLog } from './support/fakes.js'

type Step<T> = T | Error

/** A scripted DwsClient: each call takes the next scripted answer; the snapshot store is shared. */
class ScriptedClient {
  store: Snapshot[] = []
  creates: Step<'apply' | 'reject'>[] = []
  details: Step<Snapshot>[] = []
  calls: string[] = []
  async listSnapshots(): Promise<Snapshot[]> {
    this.calls.push('list')
    return [...this.store]
  }
  async createSnapshot(spec: { name: string }): Promise<string> {
    this.calls.push('create')
    const step = this.creates.shift() ?? 'apply'
    if (step instanceof Error) throw step
    const id = `id-${this.store.length + 1}`
    this.store.push({ id, name: spec.name, status: 'CREATING' })
    // 'reject' models an answer lost after the service applied the create.
    if (step === 'reject') throw new TransportError('Create snapshot', 'reset', 'h', true, 'connection dropped')
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
const busy = () => new ApiError('Create snapshot', 409, 'DWS.0011', 'cluster busy', 'r', undefined, undefined)

function createContext(client: ScriptedClient, overrides: Partial<CreateContext> = {}): CreateContext & { clock: FakeClock; log: MemoryLog } {
  const clock = new FakeClock()
  return {
    client: client as unknown as DwsClient,
    ifExists: 'fail',
    deadline: clock.now() + 60 * 60_000,
    busyMaxDelayMs: 20_000,
    policy: { ...DEFAULT_BACKOFF, maxAttempts: 5 },
    clock,
    log: new MemoryLog(),
    stats: { requests: 0, retries: 0 },
    random: () => 1,
    ...overrides
  } as CreateContext & { clock: FakeClock; log: MemoryLog }
}

describe('obtainSnapshot', () => {
  test('creates when no snapshot has the name', async () => {
    const client = new ScriptedClient()
    const ctx = createContext(client)
    await expect(obtainSnapshot(SPEC, ctx)).resolves.toEqual({ id: 'id-1', created: true })
    expect(client.calls).toEqual(['list', 'create'])
  })

  test("refuses a name that exists in another case when if_exists is 'fail', naming its id, status and start", async () => {
    const client = new ScriptedClient()
    client.store.push({ id: 'old-1', name: 'shop-api-1', status: 'AVAILABLE', started: '2026-01-02T03:04:05Z' })
    const error = await obtainSnapshot(SPEC, createContext(client)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NameTakenError)
    expect((error as Error).message).toMatch(/id old-1, status AVAILABLE, started 2026-01-02T03:04:05Z/)
    expect(client.calls).toEqual(['list'])
  })

  test("adopts it with created=false when if_exists is 'reuse'", async () => {
    const client = new ScriptedClient()
    const existing = { id: 'old-1', name: 'SHOP-API-1', status: 'CREATING' }
    client.store.push(existing)
    await expect(obtainSnapshot(SPEC, createContext(client, { ifExists: 'reuse' }))).resolves.toEqual({ id: 'old-1', created: false, found: existing })
    expect(client.calls).toEqual(['list'])
  })

  test('after an answer lost once the create was applied, finds it by name instead of creating a second', async () => {
    const client = new ScriptedClient()
    client.creates = ['reject']
    const ctx = createContext(client)
    await expect(obtainSnapshot(SPEC, ctx)).resolves.toEqual({ id: 'id-1', created: true })
    expect(client.store).toHaveLength(1)
    expect(client.calls).toEqual(['list', 'create', 'list'])
    expect(ctx.log.text).toMatch(/adopting snapshot 'Shop-Api-1' \(id id-1\)/)
  })

  test('a refused connection is retried without a lookup (the request never left)', async () => {
    const client = new ScriptedClient()
    client.creates = [new TransportError('Create snapshot', 'refused', 'h', false, 'refused')]
    await expect(obtainSnapshot(SPEC, createContext(client))).resolves.toEqual({ id: 'id-1', created: true })
    expect(client.calls).toEqual(['list', 'create', 'create'])
  })

  test('a 5xx on create is looked up before retrying; not found, the create is repeated', async () => {
    const client = new ScriptedClient()
    client.creates = [new ApiError('Create snapshot', 502, 'APIGW.0201', 'backend', 'r', undefined, undefined)]
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
})

describe('waitUntilUsable', () => {
  function waitContext(client: ScriptedClient, pollIntervalMs = 20_000, budgetMs = 3_600_000) {
    const clock = new FakeClock()
    const updates: Snapshot[] = []
    const ctx: WaitContext & { clock: FakeClock; log: MemoryLog } = {
      client: client as unknown as DwsClient,
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
  const snap = (status: string, progress?: string): Snapshot => ({ id: 's1', name: 'n', status, progress })

  test.each(['AVAILABLE', 'RESTORING'])('returns once the snapshot is %s, polling at the interval', async (final) => {
    const client = new ScriptedClient()
    client.details = [snap('CREATING'), snap('CREATING'), snap(final)]
    const { ctx, updates } = waitContext(client)
    await expect(waitUntilUsable('s1', ctx)).resolves.toMatchObject({ status: final })
    expect(ctx.clock.sleeps).toEqual([20000, 20000])
    expect(updates.map((u) => u.status)).toEqual(['CREATING', 'CREATING', final])
  })

  test.each(['UNAVAILABLE', 'FROZEN', 'POLICE_FROZEN'])('fails when the snapshot is %s', async (status) => {
    const client = new ScriptedClient()
    client.details = [snap('CREATING'), snap(status)]
    const { ctx } = waitContext(client)
    const error = await waitUntilUsable('s1', ctx).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SnapshotFailedError)
    expect((error as Error).message).toMatch(new RegExp(`ended ${status}`))
  })

  test('stops at the deadline with a message that says the service goes on and how to wait longer', async () => {
    const client = new ScriptedClient()
    client.details = [snap('CREATING', '10%')]
    const { ctx } = waitContext(client, 20_000, 50_000)
    const error = await waitUntilUsable('s1', ctx).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(WaitTimeoutError)
    expect((error as Error).message).toMatch(/s1 is still CREATING after waiting 50s: the service goes on building it\. Raise wait_timeout/)
    expect(ctx.clock.sleeps).toEqual([20000, 20000, 10000])
  })

  test('logs status changes and about once a minute, not once per poll, with progress', async () => {
    const client = new ScriptedClient()
    client.details = [...Array.from({ length: 30 }, (_, i) => snap('CREATING', `${i * 3}%`)), snap('AVAILABLE')]
    const { ctx } = waitContext(client, 5_000)
    await waitUntilUsable('s1', ctx)
    const lines = ctx.log.lines.filter((l) => l.includes('Snapshot s1'))
    expect(client.calls).toHaveLength(31)
    expect(lines.length).toBeGreaterThanOrEqual(4)
    expect(lines.length).toBeLessThanOrEqual(5)
    expect(lines[0]).toMatch(/CREATING, progress 0% after 0s/)
    expect(lines[1]).toMatch(/still CREATING, progress \d+%, 1m elapsed/)
    expect(lines.at(-1)).toMatch(/AVAILABLE after 2m30s/)
  })

  test('a poll interval over a minute still logs every minute between polls', async () => {
    const client = new ScriptedClient()
    client.details = [snap('CREATING'), snap('AVAILABLE')]
    const { ctx } = waitContext(client, 150_000)
    await waitUntilUsable('s1', ctx)
    expect(ctx.clock.sleeps).toEqual([60000, 60000, 30000])
    expect(ctx.log.lines.filter((l) => /at the last check, \dm elapsed/.test(l))).toHaveLength(2)
  })

  test('an unknown status is logged and waited on', async () => {
    const client = new ScriptedClient()
    client.details = [snap('COPYING'), snap('AVAILABLE')]
    const { ctx } = waitContext(client)
    await waitUntilUsable('s1', ctx)
    expect(ctx.log.text).toMatch(/COPYING after 0s \(a status this action does not know/)
  })

  test('transient errors while polling are retried; the snapshot is still awaited', async () => {
    const client = new ScriptedClient()
    client.details = [new TransportError('Get snapshot', 'timeout', 'h', true, 'deadline'), snap('AVAILABLE')]
    const { ctx } = waitContext(client)
    await expect(waitUntilUsable('s1', ctx)).resolves.toMatchObject({ status: 'AVAILABLE' })
    expect(ctx.stats.retries).toBe(1)
  })
})
