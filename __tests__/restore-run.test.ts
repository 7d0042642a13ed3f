/**
 * The restore action in-process: runRestore() and runRestorePost() through an in-memory ActionIO
 * against the emulator on 127.0.0.1, on a virtual clock the emulator shares.
 */
import { EMULATOR_DEFAULTS as D, type EmulatorOptions } from '../emulator/index.js'
import { runRestore, runRestorePost } from '../src/restore.js'
import { clock, emu, runAction, start as startEmulator, type RunSetUp } from './support/in-process.js'
import type { MemoryIO } from './support/memory-io.js'

const TITLE = 'DWS restore: '

/** The emulator, with one AVAILABLE snapshot of its cluster to restore from, taken an hour ago. */
async function start(options: EmulatorOptions = {}): Promise<string> {
  await startEmulator({ creatingMs: 60_000, restoringMs: 600_000, ...options })
  return emu.addSnapshot({ name: 'pre-release-42', startedMs: clock.now() - 3_600_000 }).id
}

afterEach(async () => {
  await emu?.close()
})

const cloudInputs = (): Record<string, string> => ({
  region: D.region,
  project_id: D.projectId,
  endpoint: emu.url,
  access_key_id: D.accessKeyId,
  secret_access_key: D.secretAccessKey
})

function restoreWith(inputs: Record<string, string>, setUp: RunSetUp = {}): Promise<MemoryIO> {
  return runAction(runRestore, { ...cloudInputs(), ...inputs }, setUp)
}

/** The post step of the same job: the same inputs, and the state the main step saved. */
function postAfter(main: MemoryIO | { state: Record<string, string> }, inputs: Record<string, string> = {}): Promise<MemoryIO> {
  return runAction(runRestorePost, { ...cloudInputs(), ...inputs }, { io: (io) => Object.assign(io.state, main.state) })
}

const restores = () => emu.requests.filter((r) => r.route === 'restore')
const newClusters = () => emu.clusters().filter((c) => c.id !== D.clusterId)
const errorTitles = (io: MemoryIO) => io.errors.map((e) => e.title)

describe('restore into a new cluster', () => {
  test('by id: one cluster, named after the snapshot and the run, waited for until usable, with its endpoint', async () => {
    const snapshotId = await start()
    const io = await restoreWith({ snapshot_id: snapshotId })
    expect(io.errors).toEqual([])
    const [cluster] = newClusters()
    expect(newClusters()).toHaveLength(1)
    expect(io.outputs).toMatchObject({
      snapshot_id: snapshotId,
      cluster_id: cluster!.id,
      cluster_name: 'pre-release-42-r987654321',
      status: 'AVAILABLE',
      private_endpoint: 'pre-release-42-r987654321.dws.myhuaweicloud.com:8000',
      public_endpoint: '',
      job_id: '',
      restored_tables: '[]'
    })
    // Seen done at the first read after the service's 10 minutes.
    expect(Number(io.outputs.duration_seconds)).toBeGreaterThanOrEqual(600)
    expect(Number(io.outputs.duration_seconds)).toBeLessThan(630)
    // Only the name is sent: the service takes the network from the source cluster.
    expect(JSON.parse(restores()[0]!.body)).toEqual({ restore: { name: 'pre-release-42-r987654321' } })
    expect(io.summary).toMatch(/^### ✅ DWS cluster restored and ready/)
    expect(io.summary).toContain('| Private endpoint | pre-release-42-r987654321.dws.myhuaweicloud.com:8000 |')
    expect(io.lines.join('\n')).toMatch(/Cluster [0-9a-f-]+: CREATING, RESTORING \d+%/)
    expect(io.state).toEqual({})
  })

  test('by name among the cluster’s snapshots, with a template, the network inputs and a public address', async () => {
    await start()
    const eip = '0b1e6f3a-5c2d-4e8f-9a7b-6c5d4e3f2a1b'
    const subnet = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f'
    const io = await restoreWith({
      snapshot_name: 'PRE-RELEASE-42',
      cluster_id: D.clusterId,
      cluster_name: 'preview-{snapshot_name}-{run_attempt}',
      subnet_id: subnet,
      port: '8123',
      public_ip: eip
    })
    expect(io.errors).toEqual([])
    expect(JSON.parse(restores()[0]!.body)).toEqual({
      restore: {
        name: 'preview-pre-release-42-1',
        subnet_id: subnet,
        port: 8123,
        public_ip: { public_bind_type: 'bind_existing', eip_id: eip }
      }
    })
    expect(io.outputs).toMatchObject({ cluster_name: 'preview-pre-release-42-1', public_endpoint: '203.0.113.10:8123' })
  })

  test('an unknown name is an input error naming the closest; nothing is restored', async () => {
    await start()
    const io = await restoreWith({ snapshot_name: 'pre-relase-42', cluster_id: D.clusterId })
    expect(io.exitCode).toBe(1)
    expect(errorTitles(io)).toEqual([`${TITLE}Invalid input`])
    expect(io.errors[0]!.message).toMatch(
      /^Input 'snapshot_name': cluster .* has no snapshot named 'pre-relase-42' \(closest: 'pre-release-42'\)/
    )
    expect(restores()).toHaveLength(0)
  })

  test('a snapshot that is not AVAILABLE is refused with its status, before any change', async () => {
    await start()
    const creating = emu.addSnapshot({ name: 'still-building', status: 'CREATING', creatingMs: 3_600_000 }).id
    const io = await restoreWith({ snapshot_id: creating })
    expect(errorTitles(io)).toEqual([`${TITLE}Snapshot not restorable`])
    expect(io.errors[0]!.message).toMatch(/is CREATING: only an AVAILABLE snapshot can be restored/)
    expect(restores()).toHaveLength(0)
  })

  test('a name already taken is an input error; the restore is never sent', async () => {
    const snapshotId = await start({
      clusters: [
        { id: D.clusterId, name: D.clusterName },
        { id: 'e0000000-0000-4000-8000-0000000000aa', name: 'Preview-1' }
      ]
    })
    const io = await restoreWith({ snapshot_id: snapshotId, cluster_name: 'preview-1' })
    expect(errorTitles(io)).toEqual([`${TITLE}Invalid input`])
    expect(io.errors[0]!.message).toMatch(/^Input 'cluster_name': cluster 'Preview-1' .* already has the name 'preview-1'/)
    expect(restores()).toHaveLength(0)
  })

  test('a lost answer: the cluster is found by name and adopted, never a second one; keep: false does not delete it', async () => {
    const snapshotId = await start()
    emu.inject('restore', { kind: 'drop', when: 'after' })
    const io = await restoreWith({ snapshot_id: snapshotId, keep: 'false' })
    expect(io.errors).toEqual([])
    expect(newClusters()).toHaveLength(1)
    expect(io.outputs.cluster_id).toBe(newClusters()[0]!.id)
    expect(io.lines.join('\n')).toMatch(/The lost restore did reach the service: adopting cluster 'pre-release-42-r987654321'/)
    expect(JSON.parse(io.state.cluster!)).toMatchObject({ adopted: true })
    const post = await postAfter(io)
    expect(post.annotations).toEqual([expect.objectContaining({ level: 'warning', title: `${TITLE}Cluster not deleted` })])
    expect(emu.requests.filter((r) => r.route === 'delete-cluster')).toHaveLength(0)
  })

  test('a restore that fails on the service fails the step with the cluster’s reasons, naming the cluster left behind', async () => {
    const snapshotId = await start()
    emu.nextRestore({ outcome: 'FAILED', failedReasons: { error_code: 'DWS.6010', error_msg: 'no resources in the zone' } })
    const io = await restoreWith({ snapshot_id: snapshotId })
    expect(errorTitles(io)).toEqual([`${TITLE}Restore failed on the service`])
    expect(io.errors[0]!.message).toMatch(
      /ended FAILED on the service: the restore failed\. The cluster reports: .*no resources in the zone/
    )
    expect(io.errors[0]!.message).toMatch(/was made by this step and still exists on the service; it is not deleted\./)
    expect(io.outputs.status).toBe('FAILED')
  })

  test('the project’s clusters are listed once: for the source cluster’s name and the name check alike', async () => {
    const snapshotId = await start()
    expect((await restoreWith({ snapshot_id: snapshotId })).errors).toEqual([])
    expect(emu.requests.filter((r) => r.route === 'clusters')).toHaveLength(1)
  })

  test('the new cluster gone while waited for: Cluster not found names it, not the source, and says it was deleted', async () => {
    const snapshotId = await start()
    emu.inject('cluster', { kind: 'status', status: 401, body: { error_code: 'DWS.0047', error_msg: 'cluster not found' } }, 20)
    const io = await restoreWith({ snapshot_id: snapshotId })
    expect(errorTitles(io)).toEqual([`${TITLE}Cluster not found`])
    const [cluster] = newClusters()
    expect(io.errors[0]!.message).toContain(`Cluster ${cluster!.id} was not found`)
    expect(io.errors[0]!.message).not.toContain(D.clusterId)
    expect(io.errors[0]!.message).toMatch(/The cluster this step restored is gone: .* needs dws:cluster:getDetail/)
    expect(io.errors[0]!.message).not.toMatch(/createSnapshot|Check cluster_id/)
  })

  test('wait: false returns once the service accepted it', async () => {
    const snapshotId = await start()
    const io = await restoreWith({ snapshot_id: snapshotId, wait: 'false' })
    expect(io.errors).toEqual([])
    expect(io.outputs).toMatchObject({ status: '', duration_seconds: '', cluster_name: 'pre-release-42-r987654321' })
    expect(emu.requests.filter((r) => r.route === 'cluster')).toHaveLength(0)
    expect(io.summary).toMatch(/restore accepted by the service/)
  })

  test('dry run: the snapshot and the name checked with reads only; nothing restored', async () => {
    const snapshotId = await start()
    const io = await restoreWith({ snapshot_id: snapshotId, dry_run: 'true' })
    expect(io.errors).toEqual([])
    expect(emu.requests.every((r) => r.method === 'GET')).toBe(true)
    expect(io.annotations.find((a) => a.level === 'notice')?.message).toMatch(
      /Dry run: would restore snapshot 'pre-release-42' .* named 'pre-release-42-r987654321'/
    )
    expect(io.summary).toMatch(/dry run passed: nothing was restored/)
  })
})

describe('keep: false, a preview that leaves nothing behind', () => {
  test('the main step saves its cluster; the post step deletes it and reads until it is gone', async () => {
    const snapshotId = await start({ deletingMs: 40_000 })
    const io = await restoreWith({ snapshot_id: snapshotId, keep: 'false' })
    expect(io.errors).toEqual([])
    const id = io.outputs.cluster_id!
    expect(JSON.parse(io.state.cluster!)).toEqual({ id, name: 'pre-release-42-r987654321', adopted: false })
    expect(io.summary).toContain('| At the end of the job | deleted (keep: false) |')
    const post = await postAfter(io)
    expect(post.errors).toEqual([])
    expect(emu.clusters().find((c) => c.id === id)?.status).toBe('DELETED')
    expect(JSON.parse(emu.requests.find((r) => r.route === 'delete-cluster')!.body)).toEqual({ keep_last_manual_snapshot: 0 })
    expect(post.summary).toMatch(/preview cluster pre-release-42-r987654321 .* deleted/)
  })

  test('the post step deletes nothing it did not save, and never a cluster renamed since', async () => {
    await start()
    const nothing = await postAfter({ state: {} })
    expect(nothing.errors).toEqual([])
    expect(nothing.summary).toBe('')
    const forged = { state: { cluster: JSON.stringify({ id: D.clusterId, name: 'not-its-name', adopted: false }) } }
    const post = await postAfter(forged)
    expect(errorTitles(post)).toEqual([`${TITLE}Cluster not deleted`])
    expect(post.errors[0]!.message).toMatch(/is named 'emulator-cluster', so it is not the one this step made/)
    expect(emu.requests.filter((r) => r.route === 'delete-cluster')).toHaveLength(0)
  })

  test('a delete refused for want of permission (403 DWS.0015) is reported at once, not read for 20 minutes as if it were going', async () => {
    const snapshotId = await start()
    const io = await restoreWith({ snapshot_id: snapshotId, keep: 'false' })
    const denied = { error_code: 'DWS.0015', error_msg: 'The resource does not exist or you have no permission' }
    emu.inject('delete-cluster', { kind: 'status', status: 403, body: denied })
    const readsBefore = emu.requests.filter((r) => r.route === 'cluster').length
    const post = await postAfter(io)
    expect(errorTitles(post)).toEqual([`${TITLE}Cluster not deleted`])
    expect(post.errors[0]!.message).toMatch(/was not deleted: the service refused to delete it \(.*DWS\.0015/)
    expect(post.errors[0]!.message).toMatch(/needs dws:cluster:delete/)
    // One read before the delete, one after it: the cluster still reads fine, so the refusal stands.
    expect(emu.requests.filter((r) => r.route === 'cluster').length - readsBefore).toBe(2)
    expect(newClusters()[0]!.status).toBe('AVAILABLE')
  })

  test('a delete answered "not found" for a cluster that a read then confirms gone is no error', async () => {
    const snapshotId = await start()
    const io = await restoreWith({ snapshot_id: snapshotId, keep: 'false' })
    // Another hand deleted the cluster between the post step's first read and its delete.
    emu.inject('delete-cluster', { kind: 'status', status: 403, body: { error_code: 'DWS.0015', error_msg: 'not found' } })
    emu.inject('cluster', { kind: 'delay', ms: 0 })
    emu.inject('cluster', { kind: 'status', status: 401, body: { error_code: 'DWS.0047', error_msg: 'cluster not found' } })
    const post = await postAfter(io)
    expect(post.errors).toEqual([])
    expect(post.lines.join('\n')).toMatch(/was already gone/)
  })

  test('no writable state file: refused before anything is restored', async () => {
    const snapshotId = await start()
    const io = await restoreWith(
      { snapshot_id: snapshotId, keep: 'false' },
      { io: (io) => (io.fileProblems.state = 'GITHUB_STATE (/x) cannot be written (EACCES)') }
    )
    expect(errorTitles(io)).toEqual([`${TITLE}Outputs not written`])
    expect(emu.requests).toHaveLength(0)
  })
})

describe('restore tables into the snapshot’s own cluster', () => {
  const tables = 'public.orders\nsales.invoices -> sales.invoices_restored'

  test('checked by the service, restored by a job, waited for; restored_tables lists them', async () => {
    const snapshotId = await start()
    const io = await restoreWith({ snapshot_id: snapshotId, mode: 'tables', tables, database: 'shop' })
    expect(io.errors).toEqual([])
    const [job] = emu.tableRestores()
    expect(io.outputs).toMatchObject({ job_id: job!.jobId, status: 'SUCCESS', cluster_id: D.clusterId })
    expect(JSON.parse(io.outputs.restored_tables!)).toEqual([
      { source: 'public.orders', target: 'public.orders' },
      { source: 'sales.invoices', target: 'sales.invoices_restored' }
    ])
    const check = emu.requests.find((r) => r.route === 'table-restore-check')!
    expect(JSON.parse(check.body)).toEqual({
      case_sensitive: false,
      database: 'shop',
      restore_table_list: [
        { schema_name: 'public', table_name: 'orders' },
        { schema_name: 'sales', table_name: 'invoices' }
      ],
      target_table_list: [
        { schema_name: 'public', table_name: 'orders' },
        { schema_name: 'sales', table_name: 'invoices_restored' }
      ]
    })
    expect(io.summary).toContain('| sales.invoices | sales.invoices\\_restored |')
  })

  test('a name the check rejects fails the step before anything is restored', async () => {
    const snapshotId = await start()
    const io = await restoreWith({ snapshot_id: snapshotId, mode: 'tables', tables: 'public.nosuch', database: 'shop' })
    expect(errorTitles(io)).toEqual([`${TITLE}Tables rejected`])
    expect(io.errors[0]!.message).toMatch(/not restorable from the snapshot: public\.nosuch/)
    expect(emu.requests.filter((r) => r.route === 'table-restore')).toHaveLength(0)
  })

  test('a job that fails: its code and detail in the message', async () => {
    const snapshotId = await start()
    emu.nextTableRestore({ outcome: 'FAIL', failedCode: 'DWS.8901', failedDetail: 'restore of public.orders failed' })
    const io = await restoreWith({ snapshot_id: snapshotId, mode: 'tables', tables, database: 'shop' })
    expect(errorTitles(io)).toEqual([`${TITLE}Table restore failed`])
    expect(io.errors[0]!.message).toMatch(/ended FAIL: DWS\.8901: restore of public\.orders failed/)
    expect(io.outputs.restored_tables).toBe('[]')
  })

  test('a cluster that cannot run a table restore (FROZEN) is refused before the name check: nothing sent that changes anything', async () => {
    const snapshotId = await start()
    emu.setClusterStatus(D.clusterId, 'FROZEN')
    const io = await restoreWith({ snapshot_id: snapshotId, mode: 'tables', tables, database: 'shop' })
    expect(errorTitles(io)).toEqual([`${TITLE}Cluster cannot restore tables`])
    expect(io.errors[0]!.message).toMatch(
      /Cluster 'emulator-cluster' \(id [0-9a-f-]+\) is FROZEN: tables can only be restored into a cluster that is Available/
    )
    expect(emu.requests.filter((r) => r.route?.startsWith('table-restore'))).toHaveLength(0)
  })

  test('a busy cluster (another operation running) is asked again until it accepts: one job', async () => {
    const snapshotId = await start()
    emu.setClusterBusy(D.clusterId, clock.now() + 90_000)
    const io = await restoreWith({ snapshot_id: snapshotId, mode: 'tables', tables, database: 'shop' })
    expect(io.errors).toEqual([])
    expect(emu.tableRestores()).toHaveLength(1)
    expect(emu.requests.filter((r) => r.route === 'table-restore').length).toBeGreaterThan(1)
    expect(io.lines.join('\n')).toMatch(/The cluster is busy \(DWS\.0011: .*\), often with an automated snapshot; trying again in 4s/)
  })

  test('a cluster busy past wait_timeout: Cluster busy, naming the table restore; nothing restored', async () => {
    const snapshotId = await start()
    emu.setClusterBusy(D.clusterId, clock.now() + 3_600_000)
    const io = await restoreWith({ snapshot_id: snapshotId, mode: 'tables', tables, database: 'shop', wait_timeout: '5m' })
    expect(errorTitles(io)).toEqual([`${TITLE}Cluster busy`])
    expect(io.errors[0]!.message).toMatch(/stayed busy for .* and did not accept the table restore/)
    expect(emu.tableRestores()).toHaveLength(0)
  })

  test('a lost answer to the table restore: not sent again, and the message says no job can be looked up', async () => {
    const snapshotId = await start()
    emu.inject('table-restore', { kind: 'drop', when: 'after' })
    const io = await restoreWith({ snapshot_id: snapshotId, mode: 'tables', tables, database: 'shop' })
    expect(emu.requests.filter((r) => r.route === 'table-restore')).toHaveLength(1)
    expect(io.errors[0]!.message).toMatch(
      /It is not sent again: a job cannot be looked up by name, and a second one would restore the tables over the first/
    )
    expect(io.errors[0]!.message).not.toMatch(/was found yet/)
  })

  test('inputs of the other mode are refused, naming the input', async () => {
    const snapshotId = await start()
    const io = await restoreWith({ snapshot_id: snapshotId, mode: 'tables', tables, database: 'shop', vpc_id: D.clusterId })
    expect(io.errors[0]!.message).toMatch(/^Input 'vpc_id': is not used with mode: tables; remove it, or set mode to new-cluster\n/)
    expect(emu.requests).toHaveLength(0)
  })
})
