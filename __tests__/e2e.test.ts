/**
 * The smoke set: the bundled action, built fresh from src/, run as GitHub's runner runs it (INPUT_*
 * variables, the GITHUB_* context and the event file, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files,
 * workflow commands on stdout, signals), against the emulator on 127.0.0.1. Only what a real process
 * can prove is here: the runner protocol, masking, keyless sign-in through the runner's token
 * endpoint, a fleet, and a cancellation. The behaviour itself is tested in-process (run*.test.ts).
 * Runs that wait use the fast clock: the action and the emulator share a clock SCALE times faster.
 */
import { EMULATOR_DEFAULTS as D } from '../emulator/index.js'
import type { ActionResult } from '../scripts/run-bundle.js'
import { clock, emu, errors, expectFailure, expectSuccess, run, SECRETS, SECURITY_TOKEN, shownText, start } from './support/e2e-harness.js'
import { expectAvailableOutputs, TEMP_KEY } from './support/step.js'

afterEach(async () => {
  await emu?.close()
})

/** Every line that would be a workflow command, but for our own ::add-mask:: and ::debug:: lines. */
function commandLines(r: ActionResult): string[] {
  return r.stdout.split('\n').filter((line) => /^\s*::/.test(line) && !/^::(add-mask|debug)::/.test(line))
}

test('a snapshot: INPUT_* in; it waits until AVAILABLE; every output in GITHUB_OUTPUT, the job summary, exit 0', async () => {
  await start({ fast: true })
  const r = await run()
  expectSuccess(r)
  const [snap] = emu.snapshots()
  expect(emu.snapshots()).toHaveLength(1)
  expect(snap).toMatchObject({
    status: 'AVAILABLE',
    name: expect.stringMatching(/^shop-api-\d{8}-987654321-1-e0000000$/),
    cluster_id: D.clusterId,
    description: 'Taken by acme/shop-api workflow Release run 987654321 attempt 1 at 0123456 [dws-snapshot-action]'
  })
  expectAvailableOutputs(r.outputs, snap!)
  expect(Number(r.outputs.duration_seconds)).toBeGreaterThanOrEqual(30)
  for (const text of ['### ✅ DWS snapshot ready', snap!.id, snap!.name, '| Status | AVAILABLE |', '| Size | 1.5 GB |']) {
    expect(r.summary).toContain(text)
  }
  expect(r.stdout).toMatch(/CREATING \d+% after 0s/)
})

test("a failed call: one ::error command with the escaped title, the service's hostile text on one line of it; exit 1", async () => {
  await start()
  const hostile = 'boom\n::warning title=x::pwned\r\n::add-mask::EmulatorSecret\n::stop-commands::abc\n::error::second'
  emu.inject('list', { kind: 'status', status: 400, body: { error_code: 'DWS.0001\n::notice::x', error_msg: hostile } })
  const r = await run()
  const message = expectFailure(r, /^List snapshots failed$/, /boom\\n::warning title=x::pwned\\r\\n::add-mask::/)
  expect(commandLines(r)).toHaveLength(1)
  expect(commandLines(r)[0]).toMatch(/^::error title=DWS snapshot%3A List snapshots failed::List snapshots failed: .*%0ATroubleshooting: /)
  expect(message).toMatch(/\nTroubleshooting: docs\/TROUBLESHOOTING\.md, section 'List snapshots failed'/)
  expect(r.stdout).not.toMatch(/^::(warning|notice|stop-commands)/m)
  expect(r.summary).toContain('### ❌ DWS snapshot failed: List snapshots failed')
})

test('inputs the action does not know, in a dry run: ::warning commands with escaped titles, then a ::notice; exit 0', async () => {
  await start()
  const r = await run({ 'wait-timeout': '2h', clusterid: D.clusterId, dry_run: 'true', name: 'pre-migration-{run_number}' })
  expectSuccess(r)
  expect(commandLines(r)).toEqual([
    expect.stringMatching(/^::warning title=DWS snapshot%3A Unknown input::Input 'clusterid' .*did you mean 'cluster_id'\?/),
    expect.stringMatching(/^::warning title=DWS snapshot%3A Unknown input::Input 'wait-timeout' .*did you mean 'wait_timeout'\?/),
    expect.stringMatching(/^::notice::Dry run: would create snapshot 'pre-migration-42' of cluster emulator-cluster/)
  ])
  expect(r.outputs).toMatchObject({ snapshot_name: 'pre-migration-42', created: 'false', status: '' })
  expect(emu.snapshots()).toHaveLength(0)
  expect(r.summary).toContain('dry run passed')
})

test('masking: ::add-mask:: for every credential before anything else is printed; no secret shown, not even in an echoed canonical request', async () => {
  await start()
  const wrong = 'AnotherWrongSecretKey0000000000000000000'
  SECRETS.push(TEMP_KEY.accessKeyId, wrong)
  const r = await run(
    { access_key_id: TEMP_KEY.accessKeyId, secret_access_key: wrong, security_token: SECURITY_TOKEN },
    { env: { RUNNER_DEBUG: '1' } }
  )
  expectFailure(r, /List snapshots failed/, /signature mismatch/)
  const lines = r.stdout.split('\n')
  const masks = lines.filter((l) => l.startsWith('::add-mask::'))
  expect(masks).toEqual(
    expect.arrayContaining([`::add-mask::${TEMP_KEY.accessKeyId}`, `::add-mask::${wrong}`, `::add-mask::${SECURITY_TOKEN}`])
  )
  expect(lines.slice(0, masks.length)).toEqual(masks)
  // Debug mode prints the service's 401 with its canonical request, scrubbed.
  expect(r.stdout).toMatch(/^::debug::The service said: .*canonicalRequest: GET.*x-security-token:\*\*\*/m)
  expect(r.stdout).not.toMatch(/Signature=[0-9a-f]/)
})

test("keyless: the ID token from the runner's ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN, exchanged through STS; every minted secret masked", async () => {
  await start({ fast: true })
  const r = await run(
    {
      access_key_id: '',
      secret_access_key: '',
      project_id: '',
      oidc_provider_urn: D.providerUrn,
      agency_urn: D.agencyUrn,
      sts_endpoint: emu.url,
      iam_endpoint: emu.url
    },
    { env: { ACTIONS_ID_TOKEN_REQUEST_URL: emu.oidc.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: D.idTokenRequestToken } }
  )
  expectSuccess(r)
  expect(r.outputs).toMatchObject({ status: 'AVAILABLE', created: 'true' })
  expect(r.stdout).toMatch(/^Signed in as sts::e0+2:assumed-agency:dws-snapshot\/github-987654321-1, expiring at \S+Z$/m)
  const tokenRequests = emu.requests.filter((q) => q.route === 'oidc-token')
  expect(tokenRequests).toHaveLength(1)
  expect(tokenRequests[0]!.path).toMatch(/&audience=sts\.huaweicloud\.com$/)
  const minted = emu.oidc.minted()
  const secrets = [
    D.idTokenRequestToken,
    ...minted.idTokens,
    ...minted.accessKeys.flatMap((k) => [k.accessKeyId, k.secretAccessKey, k.securityToken ?? ''])
  ].filter((s) => s !== '')
  expect(secrets).toHaveLength(5)
  const masks = r.stdout.split('\n').filter((l) => l.startsWith('::add-mask::'))
  for (const secret of secrets) {
    expect(masks).toContain(`::add-mask::${secret}`)
    for (const text of shownText(r)) {
      expect(text).not.toContain(secret)
      expect(text).not.toContain(Buffer.from(secret).toString('base64').slice(4, 40))
    }
  }
})

test('a fleet: one fine, one busy then fine, one unknown, one UNAVAILABLE — an ::error per failed cluster, every snapshot in the JSON', async () => {
  const FINE = { id: 'e0000000-0000-4000-8000-00000000000a', name: 'sales-dw' }
  const BUSY = { id: 'e0000000-0000-4000-8000-00000000000b', name: 'finance-dw' }
  const FAILS = { id: 'e0000000-0000-4000-8000-00000000000c', name: 'hr-dw', snapshotOutcome: 'UNAVAILABLE' as const }
  const UNKNOWN = 'e0000000-0000-4000-8000-0000000000ff'
  await start({ fast: true, clusters: [FINE, BUSY, FAILS] })
  emu.setClusterBusy(BUSY.id, clock!.now() + 40_000)
  const r = await run({ cluster_id: `${FINE.id}\n${BUSY.id}\n${UNKNOWN}\n${FAILS.id}`, name: 'rel-{run_id}-{cluster_id}' })
  expect(r.code).toBe(1)
  expect(r.signal).toBeNull()
  expect(errors(r).map((e) => e.title)).toEqual([
    `DWS snapshot: Cluster not found (${UNKNOWN})`,
    `DWS snapshot: Snapshot failed on the service (${FAILS.name})`
  ])
  const snapshots = JSON.parse(r.outputs.snapshots!) as { cluster_id: string; snapshot_id: string; status: string }[]
  expect(snapshots.map((s) => [s.cluster_id, s.status])).toEqual([
    [FINE.id, 'AVAILABLE'],
    [BUSY.id, 'AVAILABLE'],
    [UNKNOWN, ''],
    [FAILS.id, 'UNAVAILABLE']
  ])
  expect(
    snapshots
      .map((s) => s.snapshot_id)
      .filter((id) => id !== '')
      .sort()
  ).toEqual(
    emu
      .snapshots()
      .map((s) => s.id)
      .sort()
  )
  expect(r.outputs.snapshot_id).toBe('')
  expect(r.summary).toMatch(/2 of 4 clusters failed/)
})

test('cancelled by the runner (SIGTERM) while waiting: the log and the summary say the snapshot continues, with its id', async () => {
  await start({ fast: true })
  emu.nextSnapshot({ creatingMs: 3_600_000 })
  const r = await run({}, { killWhen: (out) => /: CREATING \d+% after/.test(out) })
  const id = emu.snapshots()[0]!.id
  expect(r.stdout).toContain(`Cancelled (SIGTERM): snapshot ${id}`)
  expect(r.stdout).toMatch(/continues on the service; it is not deleted/)
  expect(r.outputs.snapshot_id).toBe(id)
  expect(r.summary).toContain('Cancelled')
  expect(r.summary).toContain(id)
  expect(r.code).toBe(1)
})

test('retention, loaded on the runs that keep snapshots by a rule: keep_last 1 deletes the older one, and the summary says so', async () => {
  await start({ fast: true })
  // Made by this action (its marker in the description): retention deletes nothing else.
  const older = emu.addSnapshot({ name: 'release-1', startedMs: clock!.now() - 86_400_000, description: 'v1 [dws-snapshot-action]' })
  const r = await run({ name: 'release-{run_id}', keep_last: '1', keep_match: 'release-*' })
  expectSuccess(r)
  expect(emu.snapshots().map((s) => s.id)).toEqual([r.outputs.snapshot_id])
  expect(r.outputs.deleted_snapshots).toContain(older.id)
  expect(r.summary).toMatch(/Deleted 1 snapshot; 1 kept/)
})

test('the event file and the GITHUB_* context name the snapshot; wait: false sends two requests over one connection', async () => {
  await start()
  const r = await run(
    { name: 'pr-{pr_number}-{run_attempt}-{ref_name}', wait: 'false' },
    { env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF_NAME: '17/merge' }, event: { pull_request: { number: 123 } } }
  )
  expectSuccess(r)
  expect(r.outputs).toMatchObject({ snapshot_name: 'pr-123-1-17-merge', status: 'CREATING', created: 'true' })
  expect(emu.requests.map((q) => q.route)).toEqual(['list', 'create'])
  expect(emu.connections()).toBe(1)
})
