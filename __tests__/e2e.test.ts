/**
 * End to end: the bundled dist/index.js, run as GitHub's runner runs it (INPUT_* variables,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files), against the emulator on 127.0.0.1.
 * Runs that wait or back off use the fast clock: the action and the emulator share a clock that
 * runs SCALE times faster than real time, so minutes of waiting take a fraction of a second.
 */
import { EMULATOR_DEFAULTS as D } from '../emulator/index.js'
import { calls, clock, emu, expectFailure, expectSuccess, run, SECRETS, SECURITY_TOKEN, start } from './support/e2e-harness.js'

afterEach(async () => {
  await emu?.close()
})

describe('a snapshot end to end', () => {
  test('creates, waits until AVAILABLE, and sets every output and the summary', async () => {
    await start({ fast: true })
    const r = await run()
    expectSuccess(r)
    const [snap] = emu.snapshots()
    expect(emu.snapshots()).toHaveLength(1)
    expect(snap).toMatchObject({
      status: 'AVAILABLE',
      name: expect.stringMatching(/^shop-api-\d{8}-987654321-1-[0-9a-f]{8}$/),
      cluster_id: D.clusterId
    })
    expect(snap!.name.endsWith(D.clusterId.slice(0, 8))).toBe(true)
    expect(snap!.description).toBe('Taken by acme/shop-api workflow Release run 987654321 attempt 1 at 0123456 [dws-snapshot-action]')
    expect(r.outputs).toEqual({
      snapshot_name: snap!.name,
      snapshot_id: snap!.id,
      created: 'true',
      status: 'AVAILABLE',
      started_at: snap!.started,
      finished_at: snap!.finished,
      size_gb: '1.5',
      duration_seconds: String((Date.parse(snap!.finished) - Date.parse(snap!.started)) / 1000),
      deleted_snapshots: '[]',
      snapshots: expect.any(String)
    })
    expect(JSON.parse(r.outputs.snapshots!)).toEqual([
      expect.objectContaining({
        cluster_id: D.clusterId,
        snapshot_id: snap!.id,
        snapshot_name: snap!.name,
        status: 'AVAILABLE',
        created: true,
        size_gb: 1.5,
        error: ''
      })
    ])
    expect(Number(r.outputs.duration_seconds)).toBeGreaterThanOrEqual(30)
    for (const text of ['### ✅ DWS snapshot ready', snap!.id, snap!.name, D.clusterId, '| Status | AVAILABLE |', '| Size | 1.5 GB |']) {
      expect(r.summary).toContain(text)
    }
    // Polled at the interval, not in a tight loop: 30 s of building at 20 s polls is 3 reads.
    expect(calls('details')).toBeGreaterThanOrEqual(2)
    expect(calls('details')).toBeLessThanOrEqual(4)
    expect(r.stdout).toMatch(/CREATING \d+% after 0s/)
  })

  test('every request is signed, names the action in User-Agent and carries X-Project-Id; the body is compact JSON', async () => {
    await start()
    expectSuccess(await run({ wait: 'false' }))
    const create = emu.requests.find((q) => q.route === 'create')!
    expect(create.headers['user-agent']).toBe('dws-snapshot-action/1.0.0')
    expect(create.headers['x-project-id']).toBe(D.projectId)
    expect(create.headers.authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=EMULATORACCESSKEY001, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$/
    )
    expect(create.body).toBe(JSON.stringify(JSON.parse(create.body)))
    expect(JSON.parse(create.body)).toEqual({
      snapshot: { name: expect.any(String), cluster_id: D.clusterId, description: expect.any(String) }
    })
  })

  test('wait: false returns once the service accepted the snapshot, without polling', async () => {
    await start()
    const r = await run({ wait: 'false' })
    expectSuccess(r)
    expect(r.outputs).toMatchObject({ status: 'CREATING', created: 'true', finished_at: '', size_gb: '', duration_seconds: '' })
    expect(r.outputs.snapshot_id).toBe(emu.snapshots()[0]!.id)
    expect(calls('details')).toBe(0)
    expect(r.summary).toContain('accepted by the service')
  })

  test('the project is looked up from the region through IAM when no project_id is given', async () => {
    await start()
    const r = await run({ project_id: '', iam_endpoint: emu.url, wait: 'false' })
    expectSuccess(r)
    expect(emu.requests[0]).toMatchObject({ route: 'projects', path: `/v3/projects?name=${D.region}` })
    expect(r.stdout).toContain(`Project of region ${D.region}: ${D.projectId}`)
    expect(emu.snapshots()).toHaveLength(1)
  })

  test('a region with no project of that name fails clearly', async () => {
    await start()
    const r = await run({ project_id: '', region: 'eu-west-101', iam_endpoint: emu.url })
    expectFailure(r, /Invalid input/, /project_id.*no IAM project is named 'eu-west-101'/)
    expect(emu.snapshots()).toHaveLength(0)
  })

  test('auth from the environment that huaweicloud/auth-action exports', async () => {
    await start()
    const r = await run(
      { region: '', project_id: '', access_key_id: '', secret_access_key: '', iam_endpoint: emu.url, wait: 'false' },
      {
        env: { HUAWEI_CLOUD_REGION: D.region, HUAWEI_CLOUD_ACCESS_KEY_ID: D.accessKeyId, HUAWEI_CLOUD_SECRET_ACCESS_KEY: D.secretAccessKey }
      }
    )
    expectSuccess(r)
    expect(r.stdout).toContain(`::add-mask::${D.secretAccessKey}`)
    expect(emu.snapshots()).toHaveLength(1)
  })

  test('temporary keys send and sign the security token, which is masked and never shown', async () => {
    await start()
    const r = await run({
      access_key_id: 'EMULATORTEMPKEY00001',
      secret_access_key: 'EmulatorTempSecretNotARealSecret0001',
      security_token: SECURITY_TOKEN,
      wait: 'false'
    })
    SECRETS.push('EMULATORTEMPKEY00001', 'EmulatorTempSecretNotARealSecret0001')
    expectSuccess(r)
    expect(r.stdout).toContain(`::add-mask::${SECURITY_TOKEN}`)
    expect(emu.requests.find((q) => q.route === 'create')!.headers.authorization).toContain('x-security-token')
  })

  test('an IAM token is sent as X-Auth-Token instead of a signature', async () => {
    await start()
    const r = await run({ access_key_id: '', secret_access_key: '', auth_token: D.authToken, wait: 'false' })
    expectSuccess(r)
    const create = emu.requests.find((q) => q.route === 'create')!
    expect(create.headers['x-auth-token']).toBe(D.authToken)
    expect(create.headers.authorization).toBeUndefined()
    expect(r.stdout).toContain(`::add-mask::${D.authToken}`)
  })

  test('dry run reads the cluster and the snapshot list, and creates nothing', async () => {
    await start()
    const r = await run({ dry_run: 'true', name: 'pre-migration-{run_number}' })
    expectSuccess(r)
    expect(emu.snapshots()).toHaveLength(0)
    expect(emu.requests.map((q) => q.method)).toEqual(['GET', 'GET'])
    expect(r.outputs).toMatchObject({ snapshot_name: 'pre-migration-42', created: 'false', status: '' })
    expect(r.outputs.snapshot_id).toBeUndefined()
    expect(r.annotations).toContainEqual(
      expect.objectContaining({
        level: 'notice',
        message: expect.stringMatching(/Dry run: would create snapshot 'pre-migration-42' of cluster emulator-cluster/)
      })
    )
    expect(r.summary).toContain('dry run passed')
  })

  test('a name template that needs sanitising gives a notice with the final name', async () => {
    await start()
    const r = await run({ name: '{ref_name} release/{sha7}', wait: 'false' }, { env: { GITHUB_REF_NAME: '2026.11 hotfix' } })
    expectSuccess(r)
    expect(r.outputs.snapshot_name).toBe('snap-2026-11-hotfix-release-0123456')
    expect(emu.snapshots()[0]!.name).toBe('snap-2026-11-hotfix-release-0123456')
    expect(
      r.annotations.some((a) => a.level === 'notice' && a.message.includes("made valid as 'snap-2026-11-hotfix-release-0123456'"))
    ).toBe(true)
  })

  test('{pr_number} comes from the pull request event payload', async () => {
    await start()
    const r = await run(
      { name: 'pr-{pr_number}-{run_attempt}', wait: 'false' },
      { env: { GITHUB_EVENT_NAME: 'pull_request' }, event: { pull_request: { number: 123 } } }
    )
    expectSuccess(r)
    expect(r.outputs.snapshot_name).toBe('pr-123-1')
  })
})

describe('bad input is refused before any request', () => {
  test.each([
    ['cluster_id', { cluster_id: 'prod-cluster' }, /'cluster_id': 'prod-cluster' is not a cluster ID/],
    ['endpoint', { endpoint: 'http://dws.example.com' }, /'endpoint'.*only https/],
    ['credentials', { access_key_id: '', secret_access_key: '' }, /'access_key_id': no credentials/],
    ['both auths', { auth_token: 'x' }, /'auth_token': give either/],
    ['poll_interval', { poll_interval: '1s' }, /'poll_interval': must be at least 5s/],
    ['wait_timeout', { wait_timeout: '1 hour' }, /'wait_timeout'/],
    ['if_exists', { if_exists: 'overwrite' }, /'if_exists'/],
    ['unknown token', { name: 'snap-{branch}' }, /'name'.*\{branch\}.*Valid tokens: .*\{ref_name\}/],
    ['missing token value', { name: 'snap-{pr_number}' }, /'name'.*\{pr_number\}/],
    ['nothing left after sanitising', { name: '%%%' }, /'name': '%%%' gives '' after sanitising, which is shorter than the 4 characters/]
  ])('%s', async (_label, change, message) => {
    await start()
    const r = await run(change)
    expectFailure(r, /^Invalid input$/, message)
    expect(emu.requests).toHaveLength(0)
  })
})

describe('errors say what to fix', () => {
  test('401: a wrong secret key is summarised as a signature mismatch; the canonical-request echo is not printed', async () => {
    await start()
    const r = await run({
      access_key_id: 'EMULATORTEMPKEY00001',
      secret_access_key: 'WrongSecretKeyValue000000000000000000000',
      security_token: SECURITY_TOKEN
    })
    SECRETS.push('WrongSecretKeyValue000000000000000000000')
    const message = expectFailure(
      r,
      /List snapshots failed/,
      /HTTP 401 APIGW\.0301: .*signature mismatch \(request id [0-9a-f]+\)\nHint: Signature mismatch with the credentials from the inputs/
    )
    expect(r.stdout).not.toMatch(/canonical/i)
    expect(message).not.toContain('x-security-token')
    expect(emu.snapshots()).toHaveLength(0)
  })

  test('401: an expired token', async () => {
    await start()
    const r = await run({ access_key_id: '', secret_access_key: '', auth_token: 'stale-token-value-123' })
    SECRETS.push('stale-token-value-123')
    expectFailure(r, /List snapshots failed/, /HTTP 401 APIGW\.0307.*Hint: The IAM token has expired/s)
  })

  test('403: a missing permission names dws:cluster:createSnapshot', async () => {
    await start()
    emu.inject('create', {
      kind: 'status',
      status: 403,
      body: { error_code: 'APIGW.0302', error_msg: 'The IAM user is not authorized to access the API.' }
    })
    const r = await run()
    expectFailure(
      r,
      /^Create snapshot failed$/,
      /HTTP 403 APIGW\.0302: The IAM user is not authorized.*\nHint: .*dws:cluster:createSnapshot/
    )
    expect(calls('create')).toBe(1)
  })

  test('404 DWS.0047: an unknown cluster is named with its region, not blamed on the credentials', async () => {
    await start()
    const r = await run({ cluster_id: '00000000-0000-4000-8000-000000000000' })
    expectFailure(
      r,
      /^Cluster not found$/,
      /Cluster 00000000-0000-4000-8000-000000000000 was not found in project \w+, region cn-north-4, or these credentials have no permission for it \(.*HTTP 404 DWS\.0047.*\nHint: Check cluster_id/
    )
    expect(calls('create')).toBe(1)
  })

  test('400 about the name points at the name rules', async () => {
    await start()
    emu.inject('create', { kind: 'status', status: 400, body: { error_code: 'DWS.0001', error_msg: 'Invalid snapshot name.' } })
    expectFailure(
      await run(),
      /^Create snapshot failed$/,
      /HTTP 400 DWS\.0001: Invalid snapshot name\..*\nHint: Snapshot names must be unique, 4-64 characters/
    )
  })

  test("a proxy's HTML page: status and a short, safe excerpt", async () => {
    await start()
    emu.inject('list', {
      kind: 'status',
      status: 403,
      body: '<html><head><title>Proxy</title><script>var x=1</script></head><body><h1>403 Forbidden by policy</h1></body></html>'
    })
    const message = expectFailure(
      await run(),
      /List snapshots failed/,
      /HTTP 403; the answer was not the service's JSON: "Proxy 403 Forbidden by policy"/
    )
    expect(message).not.toContain('<')
    expect(message).not.toContain('var x')
  })

  test('an unreachable host names the host, after bounded retries', async () => {
    await start({ fast: true })
    const url = emu.url
    await emu.close()
    const r = await run({ endpoint: url })
    expectFailure(
      r,
      /List snapshots kept failing/,
      new RegExp(`connection to ${url.slice(7)} refused.*gave up after 5 attempts.*\\nHint: Could not reach ${url.slice(7)}`)
    )
  })
})

describe('transient faults are ridden out', () => {
  test('503 with Retry-After, then success: one snapshot', async () => {
    await start({ fast: true })
    emu.inject('create', { kind: 'status', status: 503, headers: { 'Retry-After': '2' } })
    const r = await run()
    expectSuccess(r)
    expect(r.stdout).toMatch(/HTTP 503 \(service unavailable\) APIGW\.0613.*attempt 1 of 5, trying again in 2s \(as Retry-After asks\)/)
    expect(emu.snapshots()).toHaveLength(1)
    expect(r.outputs.created).toBe('true')
    expect(r.summary).toMatch(/<summary>API requests: \d+ \(1 retried\)<\/summary>/)
  })

  test('429 throttling on polls is retried', async () => {
    await start({ fast: true })
    emu.inject('details', { kind: 'status', status: 429 }, 2)
    const r = await run()
    expectSuccess(r)
    expect(r.outputs.status).toBe('AVAILABLE')
    expect(r.stdout.match(/HTTP 429 \(too many requests\) APIGW\.0308/g)).toHaveLength(2)
  })

  test('connection dropped before the create is applied: retried, one snapshot', async () => {
    await start({ fast: true })
    emu.inject('create', { kind: 'drop', when: 'before' })
    const r = await run()
    expectSuccess(r)
    expect(emu.snapshots()).toHaveLength(1)
    expect(calls('create')).toBe(2)
  })

  test('connection dropped after the create was applied: the name is looked up and the snapshot adopted, never duplicated', async () => {
    await start({ fast: true })
    emu.inject('create', { kind: 'drop', when: 'after' })
    const r = await run()
    expectSuccess(r)
    expect(emu.snapshots()).toHaveLength(1)
    expect(calls('create')).toBe(1)
    expect(r.outputs).toMatchObject({ snapshot_id: emu.snapshots()[0]!.id, created: 'true', status: 'AVAILABLE' })
    expect(r.stdout).toMatch(/adopting snapshot '.*' \(id [0-9a-f-]+\) instead of creating another/)
  })

  test('a create answer that stalls past the deadline: found by name, not created twice', async () => {
    await start({ fast: true })
    emu.inject('create', { kind: 'stall' })
    const r = await run({ request_timeout: '30s' })
    expectSuccess(r)
    expect(emu.snapshots()).toHaveLength(1)
    expect(r.stdout).toMatch(/Create snapshot failed: no complete answer .* within 30s/)
  })

  test('a slow create answer past the deadline: one snapshot whatever the order', async () => {
    await start({ fast: true })
    emu.inject('create', { kind: 'delay', ms: 800 })
    const r = await run({ request_timeout: '10s' })
    expectSuccess(r)
    await new Promise((resolve) => setTimeout(resolve, 900))
    expect(emu.snapshots()).toHaveLength(1)
  })

  test('a stalled poll is cut off by the deadline and polled again', async () => {
    await start({ fast: true })
    emu.inject('details', { kind: 'stall' })
    const r = await run({ request_timeout: '30s' })
    expectSuccess(r)
    expect(r.outputs.status).toBe('AVAILABLE')
  })

  test('5xx on every attempt: fails after max_attempts, naming the attempts and the last answer', async () => {
    await start({ fast: true })
    emu.inject('list', { kind: 'status', status: 500, body: { error_code: 'DWS.9999', error_msg: 'internal error' } }, 3)
    const r = await run({ max_attempts: '3' })
    expectFailure(
      r,
      /List snapshots kept failing/,
      /HTTP 500 \(internal server error\) DWS\.9999: internal error \(request id \w+\) \(gave up after 3 attempts\)\nHint: The service had an internal error.*max_attempts: 3/
    )
    expect(calls('list')).toBe(3)
    expect(emu.snapshots()).toHaveLength(0)
  })

  test('5xx on create: each retry first looks the name up; one snapshot in the end', async () => {
    await start({ fast: true })
    emu.inject('create', { kind: 'status', status: 502, body: '<html>Bad Gateway</html>' }, 2)
    const r = await run()
    expectSuccess(r)
    expect(emu.requests.map((q) => q.route).slice(0, 6)).toEqual(['list', 'create', 'list', 'create', 'list', 'create'])
    expect(emu.snapshots()).toHaveLength(1)
  })
})

describe('a busy cluster', () => {
  test.each([
    [409, 'DWS.0011'],
    [403, 'DWS.7023']
  ] as const)('%i %s: waits until the cluster accepts, then creates one snapshot', async (status, code) => {
    await start({ fast: true })
    emu.setClusterBusy(D.clusterId, clock!.now() + 40_000, { status, code } as never)
    const r = await run()
    expectSuccess(r)
    expect(r.stdout).toMatch(new RegExp(`The cluster is busy \\(${code.replace('.', '\\.')}`))
    expect(emu.snapshots()).toHaveLength(1)
    expect(calls('create')).toBeGreaterThanOrEqual(2)
  })

  test('busy for longer than wait_timeout: fails saying so, nothing created', async () => {
    await start({ fast: true })
    emu.setClusterBusy(D.clusterId, clock!.now() + 3_600_000)
    const r = await run({ wait_timeout: '1m' })
    expectFailure(r, /^Cluster busy$/, /stayed busy for \d+s.*DWS\.0011.*\nHint: The cluster is running another operation/)
    expect(emu.snapshots()).toHaveLength(0)
  })
})

describe('waiting ends in failure or timeout, and the snapshot is still reported', () => {
  test('a snapshot that ends UNAVAILABLE fails the step with the cluster failed_reasons; snapshot_id is set', async () => {
    await start({ fast: true })
    emu.nextSnapshot({ outcome: 'UNAVAILABLE' })
    emu.setFailedReasons(D.clusterId, { error_code: 'DWS.6001', error_msg: 'disk full on dn_6001' })
    const r = await run()
    expectFailure(r, /^Snapshot failed on the service$/, /ended UNAVAILABLE.*The cluster reports: .*disk full on dn_6001/)
    expect(r.outputs).toMatchObject({ snapshot_id: emu.snapshots()[0]!.id, status: 'UNAVAILABLE', created: 'true' })
    expect(r.summary).toContain(emu.snapshots()[0]!.id)
  })

  test('a snapshot slower than wait_timeout: fails saying it goes on, with its id and how to wait longer', async () => {
    await start({ fast: true })
    emu.nextSnapshot({ creatingMs: 3_600_000 })
    const r = await run({ wait_timeout: '2m' })
    const id = emu.snapshots()[0]!.id
    expectFailure(
      r,
      /^Snapshot not ready in time$/,
      new RegExp(`Snapshot ${id} is still CREATING after waiting 1m\\d+s: the service goes on building it\\. Raise wait_timeout`)
    )
    expect(r.outputs).toMatchObject({ snapshot_id: id, status: 'CREATING', finished_at: '' })
    expect(emu.snapshots()).toHaveLength(1)
  })

  test('cancelled by the runner while waiting: says the snapshot continues, with its id', async () => {
    await start({ fast: true })
    emu.nextSnapshot({ creatingMs: 3_600_000 })
    const r = await run({}, { killWhen: (out) => /: CREATING \d+% after/.test(out) })
    const id = emu.snapshots()[0]!.id
    expect(r.stdout).toContain(`Cancelled (SIGTERM): snapshot ${id}`)
    expect(r.stdout).toMatch(/continues on the service; it is not deleted/)
    expect(r.outputs.snapshot_id).toBe(id)
    expect(r.summary).toContain('Cancelled')
    expect(r.code).toBe(1)
  })
})

describe('never two snapshots for one name', () => {
  test("if_exists 'fail' (default): refuses, naming the existing snapshot's id, status and start", async () => {
    await start()
    const old = emu.addSnapshot({ name: 'pre-release-42', status: 'AVAILABLE' })
    const r = await run({ name: 'PRE-release-{run_number}' })
    expectFailure(
      r,
      /Snapshot name already taken/,
      new RegExp(`id ${old.id}, status AVAILABLE, started ${old.started}.*if_exists.*\\nHint: .*if_exists: reuse`)
    )
    expect(emu.snapshots()).toHaveLength(1)
    expect(calls('create')).toBe(0)
  })

  test("if_exists 'reuse': adopts it with created=false and waits for it", async () => {
    await start({ fast: true })
    const old = emu.addSnapshot({ name: 'pre-release-42', status: 'CREATING', creatingMs: 30_000 })
    const r = await run({ name: 'pre-release-{run_number}', if_exists: 'reuse' })
    expectSuccess(r)
    expect(r.outputs).toMatchObject({ snapshot_id: old.id, created: 'false', status: 'AVAILABLE' })
    expect(emu.snapshots()).toHaveLength(1)
    expect(calls('create')).toBe(0)
    expect(r.summary).toContain('no (reused)')
  })

  test('a re-run of the same attempt finds its own snapshot and does not create another', async () => {
    await start()
    expectSuccess(await run({ wait: 'false', if_exists: 'reuse' }))
    expectSuccess(await run({ wait: 'false', if_exists: 'reuse' }))
    expect(emu.snapshots()).toHaveLength(1)
    expect(calls('create')).toBe(1)
  })
})
