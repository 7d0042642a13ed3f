/**
 * The restore action's bundles, run as GitHub's runner runs them: the main step (dist/restore/index.js),
 * then the post step (dist/restore/post/index.js) with the state the main step saved, against the
 * emulator on 127.0.0.1, on the fast clock.
 */
import { EMULATOR_DEFAULTS as D } from '../emulator/index.js'
import type { ActionResult, RunOptions } from '../scripts/run-bundle.js'
import { clock, emu, errors, expectNoSecrets, runBundle, start } from './support/e2e-harness.js'

const MAIN = 'dist/restore/index.js'
const POST = 'dist/restore/post/index.js'
const TITLE = 'DWS restore: '

/** The emulator on the fast clock, with an AVAILABLE snapshot of its cluster; restores take 2 minutes of its time. */
async function withSnapshot(): Promise<string> {
  await start({ fast: true, restoringMs: 120_000, deletingMs: 30_000 })
  return emu.addSnapshot({ name: 'pre-release-42', startedMs: (clock?.now() ?? Date.now()) - 3_600_000 }).id
}

afterEach(async () => {
  await emu?.close()
})

const given = (inputs: Record<string, string>): Record<string, string> => ({
  region: D.region,
  project_id: D.projectId,
  endpoint: emu.url,
  access_key_id: D.accessKeyId,
  secret_access_key: D.secretAccessKey,
  // The fast clock makes request timeouts fire sooner: a generous one.
  request_timeout: '2m',
  poll_interval: '5s',
  ...inputs
})

const restore = (inputs: Record<string, string>, options: RunOptions = {}) => runBundle(given(inputs), { ...options, bundle: MAIN })
/** The post step of the same job: the same inputs, and the state the main step saved. */
const post = (main: ActionResult, inputs: Record<string, string>) => runBundle(given(inputs), { bundle: POST, state: main.state })
const writes = () => emu.requests.filter((r) => r.method !== 'GET')
const restoredClusters = () => emu.clusters().filter((c) => c.id !== D.clusterId)

function expectOneError(r: ActionResult, title: string, message: RegExp): void {
  expect(r.code).toBe(1)
  expect(errors(r).map((e) => e.title)).toEqual([`${TITLE}${title}`])
  expect(errors(r)[0]!.message).toMatch(message)
  expect(r.stdout).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/)
  expectNoSecrets(r)
}

describe('restore into a new cluster, end to end', () => {
  test('waits until the cluster is usable: outputs and summary; keep: false saves it, and the post step deletes it', async () => {
    const snapshotId = await withSnapshot()
    const main = await restore({ snapshot_id: snapshotId, keep: 'false' })
    expect(errors(main)).toEqual([])
    expect(main.code).toBe(0)
    expectNoSecrets(main)
    const [cluster] = restoredClusters()
    expect(main.outputs).toMatchObject({
      cluster_id: cluster!.id,
      cluster_name: 'pre-release-42-r987654321',
      status: 'AVAILABLE',
      private_endpoint: 'pre-release-42-r987654321.dws.myhuaweicloud.com:8000'
    })
    expect(main.summary).toMatch(/^### ✅ DWS cluster restored and ready/)
    expect(JSON.parse(main.state.cluster!)).toEqual({ id: cluster!.id, name: 'pre-release-42-r987654321', adopted: false })
    const end = await post(main, { snapshot_id: snapshotId, keep: 'false' })
    expect(errors(end)).toEqual([])
    expect(end.code).toBe(0)
    expect(emu.clusters().find((c) => c.id === cluster!.id)?.status).toBe('DELETED')
    expect(end.summary).toMatch(/preview cluster .* deleted/)
  })

  test('without waiting: the cluster is asked for, the step ends, nothing is read back', async () => {
    const snapshotId = await withSnapshot()
    const r = await restore({ snapshot_id: snapshotId, wait: 'false' })
    expect(r.code).toBe(0)
    expect(r.outputs).toMatchObject({ cluster_id: restoredClusters()[0]!.id, status: '' })
    expect(emu.requests.filter((q) => q.route === 'cluster')).toHaveLength(0)
    expect(r.state).toEqual({})
  })

  test('a name already taken: one input error, nothing sent that changes anything', async () => {
    const snapshotId = await withSnapshot()
    const r = await restore({ snapshot_id: snapshotId, cluster_name: D.clusterName })
    expectOneError(r, 'Invalid input', /^Input 'cluster_name': cluster 'emulator-cluster' .* already has the name/)
    expect(writes()).toEqual([])
  })

  test('a lost answer: the cluster is adopted, never a second one, and the post step does not delete it', async () => {
    const snapshotId = await withSnapshot()
    emu.inject('restore', { kind: 'drop', when: 'after' })
    const main = await restore({ snapshot_id: snapshotId, keep: 'false' })
    expect(main.code).toBe(0)
    expect(restoredClusters()).toHaveLength(1)
    expect(main.stdout).toMatch(/The lost restore did reach the service: adopting cluster/)
    const end = await post(main, { snapshot_id: snapshotId, keep: 'false' })
    expect(end.annotations).toEqual([expect.objectContaining({ level: 'warning', title: `${TITLE}Cluster not deleted` })])
    expect(emu.requests.filter((q) => q.route === 'delete-cluster')).toHaveLength(0)
    expect(restoredClusters()[0]!.status).not.toBe('DELETED')
  })

  test('a restore that fails on the service: its reasons in the one annotation', async () => {
    const snapshotId = await withSnapshot()
    emu.nextRestore({ outcome: 'CREATE_FAILED', failedReasons: { error_code: 'DWS.6010', error_msg: 'no resources in the zone' } })
    const r = await restore({ snapshot_id: snapshotId })
    expectOneError(r, 'Restore failed on the service', /ended CREATE_FAILED on the service.*no resources in the zone/)
    expect(r.outputs.status).toBe('CREATE_FAILED')
  })

  test('dry run: reads only', async () => {
    const snapshotId = await withSnapshot()
    const r = await restore({ snapshot_id: snapshotId, dry_run: 'true', keep: 'false' })
    expect(r.code).toBe(0)
    expect(writes()).toEqual([])
    expect(r.annotations.filter((a) => a.level === 'notice')[0]!.message).toMatch(/^Dry run: would restore snapshot/)
  })
})

describe('restore tables, end to end', () => {
  const tables = { mode: 'tables', database: 'shop', tables: 'public.orders\nsales.invoices -> sales.invoices_restored' }

  test('a name the service’s check rejects: nothing restored', async () => {
    const snapshotId = await withSnapshot()
    const r = await restore({ snapshot_id: snapshotId, ...tables, tables: 'public.nosuch' })
    expectOneError(r, 'Tables rejected', /not restorable from the snapshot: public\.nosuch/)
    expect(emu.requests.filter((q) => q.route === 'table-restore')).toHaveLength(0)
  })

  test('a job that fails, and then one that succeeds: restored_tables only for the success', async () => {
    const snapshotId = await withSnapshot()
    emu.nextTableRestore({ outcome: 'FAIL', failedCode: 'DWS.8901', failedDetail: 'restore of public.orders failed' })
    const failed = await restore({ snapshot_id: snapshotId, ...tables })
    expectOneError(failed, 'Table restore failed', /ended FAIL: DWS\.8901/)
    expect(failed.outputs.restored_tables).toBe('[]')
    const done = await restore({ snapshot_id: snapshotId, ...tables })
    expect(done.code).toBe(0)
    expect(JSON.parse(done.outputs.restored_tables!)).toHaveLength(2)
    expect(done.outputs.job_id).toBe(emu.tableRestores()[1]!.jobId)
  })
})
