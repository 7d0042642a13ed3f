/**
 * The whole run in-process: run() through an in-memory ActionIO against the emulator on 127.0.0.1,
 * on a virtual clock the emulator shares (so waiting takes no real time and signatures stay valid).
 */
import { run } from '../src/main.js'
import { EMULATOR_DEFAULTS as D, startEmulator, type Emulator, type EmulatorOptions } from '../emulator/index.js'
import { FakeClock } from './support/fakes.js'
import { MemoryIO } from './support/memory-io.js'
import { useWorkflowEnv } from './support/workflow-env.js'

useWorkflowEnv()
const ENV = { GITHUB_REPOSITORY: 'acme/shop-api', GITHUB_REF_NAME: 'main' }
const SECRETS = [D.accessKeyId, D.secretAccessKey, D.authToken]

let emu: Emulator
let clock: FakeClock

async function start(options: EmulatorOptions = {}): Promise<void> {
  clock = new FakeClock(Date.now())
  emu = await startEmulator({ creatingMs: 30_000, now: () => clock.now(), ...options })
}

afterEach(async () => {
  await emu?.close()
})

async function runWith(overrides: Record<string, string> = {}, debug = false): Promise<MemoryIO> {
  const io = new MemoryIO(
    {
      cluster_id: D.clusterId,
      region: D.region,
      project_id: D.projectId,
      endpoint: emu.url,
      access_key_id: D.accessKeyId,
      secret_access_key: D.secretAccessKey,
      ...overrides
    },
    ENV,
    debug
  )
  const code = await run(io, { clock, random: () => 0.5 })
  expect(io.exitCode).toBe(code)
  for (const secret of SECRETS) expect(io.shown).not.toContain(secret)
  return io
}

describe('run() in-process', () => {
  test('creates, waits until AVAILABLE, publishes every output and the summary, masks the keys', async () => {
    await start()
    const io = await runWith()
    const [snap] = emu.snapshots()
    expect(io.exitCode).toBe(0)
    expect(io.errors).toEqual([])
    expect(io.outputs).toMatchObject({
      snapshot_id: snap!.id,
      created: 'true',
      status: 'AVAILABLE',
      size_gb: '1.5',
      duration_seconds: '30'
    })
    expect(io.secrets).toEqual([D.accessKeyId, D.secretAccessKey])
    expect(io.summary).toContain('### ✅ DWS snapshot ready')
    expect(io.lines.join('\n')).toMatch(/CREATING 0% after 0s/)
  })

  test('an invalid input fails before any request with one error annotation', async () => {
    await start()
    const io = await runWith({ cluster_id: 'prod' })
    expect(io.exitCode).toBe(1)
    expect(io.errors).toEqual([
      { level: 'error', title: 'DWS snapshot: Invalid input', message: expect.stringMatching(/'cluster_id': 'prod' is not a cluster ID/) }
    ])
    expect(emu.requests).toHaveLength(0)
    expect(io.summary).toContain('DWS snapshot failed: Invalid input')
  })

  test('the project is looked up through IAM; wait: false returns once accepted', async () => {
    await start()
    const io = await runWith({ project_id: '', iam_endpoint: emu.url, wait: 'false' })
    expect(io.exitCode).toBe(0)
    expect(io.lines).toContain(`Project of region ${D.region}: ${D.projectId}`)
    expect(io.outputs.status).toBe('CREATING')
  })

  test('no project named like the region is an input error on project_id', async () => {
    await start()
    const io = await runWith({ project_id: '', region: 'eu-west-101', iam_endpoint: emu.url })
    expect(io.errors[0]).toMatchObject({
      title: 'DWS snapshot: Invalid input',
      message: expect.stringMatching(/'project_id': is empty and no IAM project is named 'eu-west-101'/)
    })
  })

  test('an IAM token is used instead of keys, and masked', async () => {
    await start()
    const io = await runWith({ access_key_id: '', secret_access_key: '', auth_token: D.authToken, wait: 'false' })
    expect(io.exitCode).toBe(0)
    expect(io.secrets).toEqual([D.authToken])
    expect(emu.requests.find((q) => q.route === 'create')!.headers['x-auth-token']).toBe(D.authToken)
  })

  test('dry run reads the cluster and the list, creates nothing, and says so', async () => {
    await start()
    const io = await runWith({ dry_run: 'true' })
    expect(io.exitCode).toBe(0)
    expect(emu.snapshots()).toHaveLength(0)
    expect(io.outputs).toMatchObject({ created: 'false', status: '' })
    expect(io.annotations[0]).toMatchObject({ level: 'notice', message: expect.stringMatching(/^Dry run: would create snapshot/) })
    expect(io.summary).toContain('dry run passed')
  })

  test('a snapshot that ends UNAVAILABLE: one annotation with the cluster reasons, naming the snapshot left behind', async () => {
    await start()
    emu.nextSnapshot({ outcome: 'UNAVAILABLE' })
    emu.setFailedReasons(D.clusterId, { error_code: 'DWS.6001', error_msg: 'disk full' })
    const io = await runWith()
    const id = emu.snapshots()[0]!.id
    expect(io.exitCode).toBe(1)
    expect(io.errors).toHaveLength(1)
    expect(io.errors[0]).toMatchObject({ title: 'DWS snapshot: Snapshot failed on the service' })
    expect(io.errors[0]!.message).toMatch(new RegExp(`disk full.*Snapshot ${id} .* was created by this step and still exists`, 's'))
    expect(io.outputs).toMatchObject({ snapshot_id: id, status: 'UNAVAILABLE' })
  })

  test('a broken GITHUB_OUTPUT: the run goes on, and one error annotation names the snapshot', async () => {
    await start()
    const io = new MemoryIO(
      {
        cluster_id: D.clusterId,
        region: D.region,
        project_id: D.projectId,
        endpoint: emu.url,
        access_key_id: D.accessKeyId,
        secret_access_key: D.secretAccessKey
      },
      ENV
    )
    io.outputError = new Error('EISDIR: illegal operation on a directory')
    expect(await run(io, { clock })).toBe(1)
    expect(emu.snapshots()).toHaveLength(1)
    expect(io.errors).toEqual([
      {
        level: 'error',
        title: 'DWS snapshot: Outputs not written',
        message: expect.stringMatching(new RegExp(`EISDIR.*Snapshot ${emu.snapshots()[0]!.id}`))
      }
    ])
  })

  test('a busy cluster is waited for, then one snapshot is made', async () => {
    await start()
    emu.setClusterBusy(D.clusterId, clock.now() + 40_000)
    const io = await runWith()
    expect(io.exitCode).toBe(0)
    expect(emu.snapshots()).toHaveLength(1)
    expect(io.lines.join('\n')).toMatch(/The cluster is busy \(DWS\.0011/)
  })

  test('if_exists reuse adopts an existing snapshot of this cluster and shows its age', async () => {
    await start()
    const old = emu.addSnapshot({ name: 'pre-release-42', startedMs: clock.now() - 3_600_000 })
    const io = await runWith({ name: 'pre-release-{run_number}', if_exists: 'reuse' })
    expect(io.outputs).toMatchObject({ snapshot_id: old.id, created: 'false' })
    expect(io.summary).toMatch(/\| Age \| 1h/)
  })

  test('debug mode logs endpoints, each exchange, and the scrubbed canonical-request echo of a 401', async () => {
    await start()
    const io = await runWith({ secret_access_key: 'WrongSecretKeyValue000000000000000000000' }, true)
    const log = io.lines.join('\n')
    expect(io.errors[0]!.message).toMatch(/signature mismatch/)
    expect(log).toMatch(/debug: DWS endpoint http:\/\/127\.0\.0\.1:\d+/)
    expect(log).toMatch(/debug: List snapshots: GET .* → HTTP 401 in \d+ ms/)
    expect(log).toMatch(/debug: The service said: .*canonicalRequest/)
    expect(io.shown).not.toContain('WrongSecretKeyValue000000000000000000000')
  })
})
