/**
 * The whole run in-process: run() through an in-memory ActionIO against the emulator on 127.0.0.1,
 * on a virtual clock the emulator shares (so waiting takes no real time and signatures stay valid).
 */
import { EMULATOR_DEFAULTS as D, iam5Error, keystoneError } from '../emulator/index.js'
import {
  calls,
  clock,
  emu,
  expectFailure,
  expectSuccess,
  logOf,
  notices,
  requestsTo,
  runWith,
  SECURITY_TOKEN,
  start,
  TEMP_KEY
} from './support/in-process.js'
import { expectAvailableOutputs } from './support/step.js'

afterEach(async () => {
  await emu?.close()
})

describe('a snapshot, in-process', () => {
  test('creates, waits until AVAILABLE, and sets every output and the summary', async () => {
    await start()
    const io = await runWith()
    expectSuccess(io)
    const [snap] = emu.snapshots()
    expect(emu.snapshots()).toHaveLength(1)
    expect(snap).toMatchObject({
      status: 'AVAILABLE',
      name: expect.stringMatching(/^shop-api-\d{8}-987654321-1-[0-9a-f]{8}$/),
      cluster_id: D.clusterId
    })
    expect(snap!.name.endsWith(D.clusterId.slice(0, 8))).toBe(true)
    expect(snap!.description).toBe('Taken by acme/shop-api workflow Release run 987654321 attempt 1 at 0123456 [dws-snapshot-action]')
    expectAvailableOutputs(io.outputs, snap!)
    expect(io.outputs.duration_seconds).toBe('30')
    expect(io.secrets).toEqual([D.accessKeyId, D.secretAccessKey])
    for (const text of ['### ✅ DWS snapshot ready', snap!.id, snap!.name, D.clusterId, '| Status | AVAILABLE |', '| Size | 1.5 GB |']) {
      expect(io.summary).toContain(text)
    }
    // Polled at the interval, not in a tight loop: 30 s of building at 20 s polls is 3 reads.
    expect(calls('details')).toBeGreaterThanOrEqual(2)
    expect(calls('details')).toBeLessThanOrEqual(4)
    expect(logOf(io)).toMatch(/CREATING 0% after 0s/)
  })

  test('every request is signed, names the action in User-Agent and carries X-Project-Id; the body is compact JSON', async () => {
    await start()
    expectSuccess(await runWith({ wait: 'false' }))
    const [create] = requestsTo('create')
    expect(create!.headers['user-agent']).toBe('dws-snapshot-action/1.0.0')
    expect(create!.headers['x-project-id']).toBe(D.projectId)
    expect(create!.headers.authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=EMULATORACCESSKEY001, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$/
    )
    expect(create!.body).toBe(JSON.stringify(JSON.parse(create!.body)))
    expect(JSON.parse(create!.body)).toEqual({
      snapshot: { name: expect.any(String), cluster_id: D.clusterId, description: expect.any(String) }
    })
  })

  test('wait: false returns once the service accepted the snapshot, without polling, over one kept connection', async () => {
    await start()
    const io = await runWith({ wait: 'false' })
    expectSuccess(io)
    expect(io.outputs).toMatchObject({ status: 'CREATING', created: 'true', finished_at: '', size_gb: '', duration_seconds: '' })
    expect(io.outputs.snapshot_id).toBe(emu.snapshots()[0]!.id)
    expect(emu.requests.map((q) => q.route)).toEqual(['list', 'create'])
    expect(emu.connections()).toBe(1)
    expect(io.summary).toContain('accepted by the service')
  })

  test('the project is looked up from the region through IAM when no project_id is given', async () => {
    await start()
    const io = await runWith({ project_id: '', iam_endpoint: emu.url, wait: 'false' })
    expectSuccess(io)
    expect(emu.requests[0]).toMatchObject({ route: 'projects', path: `/v3/projects?name=${D.region}` })
    expect(io.lines).toContain(`Project of region ${D.region}: ${D.projectId}`)
    expect(io.outputs.status).toBe('CREATING')
    expect(emu.snapshots()).toHaveLength(1)
  })

  test('a region with no project of that name fails clearly, on project_id', async () => {
    await start()
    const io = await runWith({ project_id: '', region: 'eu-west-101', iam_endpoint: emu.url })
    expectFailure(io, /^Invalid input$/, /'project_id': is empty and no IAM project is named 'eu-west-101'/)
    expect(emu.snapshots()).toHaveLength(0)
  })

  test('auth from the environment that huaweicloud/auth-action exports', async () => {
    await start()
    const io = await runWith(
      { region: '', project_id: '', access_key_id: '', secret_access_key: '', iam_endpoint: emu.url, wait: 'false' },
      {
        env: { HUAWEI_CLOUD_REGION: D.region, HUAWEI_CLOUD_ACCESS_KEY_ID: D.accessKeyId, HUAWEI_CLOUD_SECRET_ACCESS_KEY: D.secretAccessKey }
      }
    )
    expectSuccess(io)
    expect(io.secrets).toContain(D.secretAccessKey)
    expect(emu.snapshots()).toHaveLength(1)
  })

  test('temporary keys send and sign the security token, which is masked and never shown', async () => {
    await start()
    const io = await runWith({
      access_key_id: TEMP_KEY.accessKeyId,
      secret_access_key: TEMP_KEY.secretAccessKey,
      security_token: SECURITY_TOKEN,
      wait: 'false'
    })
    expectSuccess(io)
    expect(io.secrets).toContain(SECURITY_TOKEN)
    expect(requestsTo('create')[0]!.headers.authorization).toContain('x-security-token')
  })

  test('an IAM token is sent as X-Auth-Token instead of a signature, and masked', async () => {
    await start()
    const io = await runWith({ access_key_id: '', secret_access_key: '', auth_token: D.authToken, wait: 'false' })
    expectSuccess(io)
    expect(io.secrets).toEqual([D.authToken])
    const [create] = requestsTo('create')
    expect(create!.headers['x-auth-token']).toBe(D.authToken)
    expect(create!.headers.authorization).toBeUndefined()
  })

  test('dry run reads the cluster and the snapshot list, creates nothing, and says so', async () => {
    await start()
    const io = await runWith({ dry_run: 'true', name: 'pre-migration-{run_number}' })
    expectSuccess(io)
    expect(emu.snapshots()).toHaveLength(0)
    expect(emu.requests.map((q) => q.method)).toEqual(['GET', 'GET'])
    expect(io.outputs).toMatchObject({ snapshot_name: 'pre-migration-42', created: 'false', status: '' })
    expect(io.outputs.snapshot_id).toBeUndefined()
    expect(io.annotations[0]).toMatchObject({
      level: 'notice',
      message: expect.stringMatching(/^Dry run: would create snapshot 'pre-migration-42' of cluster emulator-cluster/)
    })
    expect(io.summary).toContain('dry run passed')
  })

  test('a name template that needs sanitising gives a notice with the final name', async () => {
    await start()
    const io = await runWith({ name: '{ref_name} release/{sha7}', wait: 'false' }, { env: { GITHUB_REF_NAME: '2026.11 hotfix' } })
    expectSuccess(io)
    expect(io.outputs.snapshot_name).toBe('snap-2026-11-hotfix-release-0123456')
    expect(emu.snapshots()[0]!.name).toBe('snap-2026-11-hotfix-release-0123456')
    expect(notices(io).some((a) => a.message.includes("made valid as 'snap-2026-11-hotfix-release-0123456'"))).toBe(true)
  })

  test('{pr_number} comes from the pull request event payload', async () => {
    await start()
    const io = await runWith(
      { name: 'pr-{pr_number}-{run_attempt}', wait: 'false' },
      { env: { GITHUB_EVENT_NAME: 'pull_request' }, event: { pull_request: { number: 123 } } }
    )
    expectSuccess(io)
    expect(io.outputs.snapshot_name).toBe('pr-123-1')
  })

  test('an upper-case cluster id is used in lower case', async () => {
    await start()
    const io = await runWith({ cluster_id: D.clusterId.toUpperCase(), wait: 'false' })
    expectSuccess(io)
    expect(emu.snapshots()[0]!.cluster_id).toBe(D.clusterId)
  })

  test('a project with 50 000 snapshots of real size: the name check works', async () => {
    await start()
    const description = 'Taken by acme/shop-api workflow Release run 987654321 attempt 1 at 0123456 '.repeat(3)
    for (let i = 0; i < 50_000; i++) emu.addSnapshot({ name: `old-snapshot-${i}`, description, startedMs: clock.now() - i * 1000 })
    expectSuccess(await runWith({ wait: 'false' }))
    expect(emu.snapshots()).toHaveLength(50_001)
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
    const io = await runWith(change)
    expectFailure(io, /^Invalid input$/, message)
    expect(io.summary).toContain('DWS snapshot failed: Invalid input')
    expect(emu.requests).toHaveLength(0)
  })
})

describe('errors say what to fix', () => {
  test('401: a wrong secret key is summarised as a signature mismatch; the canonical-request echo is not printed', async () => {
    await start()
    const io = await runWith(
      {
        access_key_id: TEMP_KEY.accessKeyId,
        secret_access_key: 'WrongSecretKeyValue000000000000000000000',
        security_token: SECURITY_TOKEN
      },
      { secrets: ['WrongSecretKeyValue000000000000000000000'] }
    )
    const message = expectFailure(
      io,
      /List snapshots failed/,
      /HTTP 401 APIGW\.0301: .*signature mismatch \(request id [0-9a-f]+\)\nHint: Signature mismatch with the credentials from the inputs/
    )
    expect(logOf(io)).not.toMatch(/canonical/i)
    expect(message).not.toContain('x-security-token')
    expect(emu.snapshots()).toHaveLength(0)
  })

  test('401: an expired token', async () => {
    await start()
    const io = await runWith(
      { access_key_id: '', secret_access_key: '', auth_token: 'stale-token-value-123' },
      { secrets: ['stale-token-value-123'] }
    )
    expectFailure(io, /List snapshots failed/, /HTTP 401 APIGW\.0307.*Hint: The IAM token has expired/s)
  })

  test('403: a missing permission names dws:cluster:createSnapshot', async () => {
    await start()
    emu.inject('create', {
      kind: 'status',
      status: 403,
      body: { error_code: 'APIGW.0302', error_msg: 'The IAM user is not authorized to access the API.' }
    })
    const io = await runWith()
    expectFailure(
      io,
      /^Create snapshot failed$/,
      /HTTP 403 APIGW\.0302: The IAM user is not authorized.*\nHint: .*dws:cluster:createSnapshot/
    )
    expect(calls('create')).toBe(1)
  })

  test.each([
    ['DWS.0047-404', /\(.*HTTP 404 DWS\.0047.*\nHint: Check cluster_id/],
    ['DWS.0047-401', /\(.*HTTP 401 DWS\.0047.*\nHint: Check cluster_id/],
    ['DWS.0015-403', /\(.*HTTP 403 DWS\.0015.*\nHint: Check cluster_id/]
  ] as const)('an unknown cluster answered %s is named with its project and region, not blamed on the credentials', async (answer, why) => {
    await start({ unknownCluster: answer })
    const io = await runWith({ cluster_id: '00000000-0000-4000-8000-000000000000' })
    const message = expectFailure(
      io,
      /^Cluster not found$/,
      /Cluster 00000000-0000-4000-8000-000000000000 was not found in project \w+, region cn-north-4, or these credentials have no permission for it/
    )
    expect(message).toMatch(why)
    expect(message).not.toMatch(/Hint: .*(secret_access_key|Signature mismatch)/)
    expect(calls('create')).toBe(1)
  })

  test('400 about the name points at the name rules', async () => {
    await start()
    emu.inject('create', { kind: 'status', status: 400, body: { error_code: 'DWS.0001', error_msg: 'Invalid snapshot name.' } })
    expectFailure(
      await runWith(),
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
      await runWith(),
      /List snapshots failed/,
      /HTTP 403; the answer was not the service's JSON: "Proxy 403 Forbidden by policy"/
    )
    expect(message).not.toContain('<')
    expect(message).not.toContain('var x')
  })

  test('a Keystone-shaped error body is read', async () => {
    await start()
    emu.inject('list', { kind: 'status', ...keystoneError(403, 'You are not authorized to perform the requested action.', 'Forbidden') })
    expectFailure(await runWith(), /List snapshots failed/, /HTTP 403 403: You are not authorized.*\nHint: .*dws:cluster:listSnapshot/)
  })

  test('an IAM5 denial with an encoded authorization message says how to decode it', async () => {
    await start()
    emu.inject('list', { kind: 'status', ...iam5Error(403, 'DWS.0015', 'Denied by policy.', 'req-77', 'ZW5jb2RlZA') })
    const message = expectFailure(
      await runWith(),
      /List snapshots failed/,
      /Denied by policy\. \(request id \w+\).*decode-authorization-message/s
    )
    expect(message).not.toContain('ZW5jb2RlZA')
  })

  test('a proxy that asks for authentication (407) is named as such and not retried', async () => {
    await start()
    emu.inject('list', { kind: 'status', status: 407, body: '<html>Proxy Authentication Required</html>' })
    const io = await runWith()
    expectFailure(io, /List snapshots failed/, /the proxy requires authentication.*\nHint: The proxy requires authentication/)
    expect(calls('list')).toBe(1)
  })

  test('an unreachable host names the host, after bounded retries', async () => {
    await start()
    const url = emu.url
    await emu.close()
    const io = await runWith({ endpoint: url })
    expectFailure(
      io,
      /List snapshots kept failing/,
      new RegExp(`connection to ${url.slice(7)} refused.*gave up after 5 attempts.*\\nHint: Could not reach ${url.slice(7)}`)
    )
  })
})

describe('transient faults are ridden out', () => {
  test('503 with Retry-After, then success: one snapshot', async () => {
    await start()
    emu.inject('create', { kind: 'status', status: 503, headers: { 'Retry-After': '2' } })
    const io = await runWith()
    expectSuccess(io)
    expect(logOf(io)).toMatch(/HTTP 503 \(service unavailable\) APIGW\.0613.*attempt 1 of 5, trying again in 2s \(as Retry-After asks\)/)
    expect(clock.sleeps).toContain(2000)
    expect(emu.snapshots()).toHaveLength(1)
    expect(io.outputs.created).toBe('true')
    expect(io.summary).toMatch(/<summary>API requests: \d+ \(1 retried\)<\/summary>/)
  })

  test('429 throttling on polls is retried', async () => {
    await start()
    emu.inject('details', { kind: 'status', status: 429 }, 2)
    const io = await runWith()
    expectSuccess(io)
    expect(io.outputs.status).toBe('AVAILABLE')
    expect(logOf(io).match(/HTTP 429 \(too many requests\) APIGW\.0308/g)).toHaveLength(2)
  })

  test('5xx on every attempt: fails after max_attempts, naming the attempts and the last answer', async () => {
    await start()
    emu.inject('list', { kind: 'status', status: 500, body: { error_code: 'DWS.9999', error_msg: 'internal error' } }, 3)
    const io = await runWith({ max_attempts: '3' })
    expectFailure(
      io,
      /List snapshots kept failing/,
      /HTTP 500 \(internal server error\) DWS\.9999: internal error \(request id \w+\) \(gave up after 3 attempts\)\nHint: The service had an internal error.*max_attempts: 3/
    )
    expect(calls('list')).toBe(3)
    expect(emu.snapshots()).toHaveLength(0)
  })

  test('a gzip-compressed answer is decoded', async () => {
    await start()
    emu.inject('list', { kind: 'encode', encoding: 'gzip' })
    expectSuccess(await runWith({ wait: 'false' }))
  })
})

describe('a busy cluster', () => {
  test.each([
    [409, 'DWS.0011'],
    [403, 'DWS.7023'],
    [400, 'DWS.9999']
  ] as const)('%i %s: waits until the cluster accepts, then creates one snapshot', async (status, code) => {
    await start()
    emu.setClusterBusy(D.clusterId, clock.now() + 40_000, { status, code } as never)
    const io = await runWith()
    expectSuccess(io)
    expect(logOf(io)).toMatch(new RegExp(`The cluster is busy \\(${code.replace('.', '\\.')}`))
    expect(emu.snapshots()).toHaveLength(1)
    expect(calls('create')).toBeGreaterThanOrEqual(2)
  })

  test('busy for longer than wait_timeout: fails saying so, nothing created', async () => {
    await start()
    emu.setClusterBusy(D.clusterId, clock.now() + 3_600_000)
    const io = await runWith({ wait_timeout: '1m' })
    expectFailure(io, /^Cluster busy$/, /stayed busy for \d+s.*DWS\.0011.*\nHint: The cluster is running another operation/)
    expect(emu.snapshots()).toHaveLength(0)
  })

  test('a cluster whose state can never take a snapshot fails fast, saying what blocks it', async () => {
    await start()
    emu.setClusterStatus(D.clusterId, 'FROZEN')
    const io = await runWith()
    expectFailure(io, /^Cluster cannot take a snapshot$/, /is FROZEN: a snapshot can only be taken while the cluster is Available/)
    expect(calls('create')).toBe(1)
  })
})

describe('waiting ends in failure or timeout, and the snapshot is still reported', () => {
  test('a snapshot that ends UNAVAILABLE fails the step with the cluster failed_reasons, naming the snapshot left behind', async () => {
    await start()
    emu.nextSnapshot({ outcome: 'UNAVAILABLE' })
    emu.setFailedReasons(D.clusterId, { error_code: 'DWS.6001', error_msg: 'disk full on dn_6001' })
    const io = await runWith()
    const id = emu.snapshots()[0]!.id
    const message = expectFailure(io, /^Snapshot failed on the service$/, /ended UNAVAILABLE.*The cluster reports: .*disk full on dn_6001/)
    expect(message).toMatch(new RegExp(`disk full.*Snapshot ${id} .* was created by this step and still exists`, 's'))
    expect(io.outputs).toMatchObject({ snapshot_id: id, status: 'UNAVAILABLE', created: 'true' })
    expect(io.summary).toContain(id)
  })

  test('a snapshot slower than wait_timeout: fails saying it goes on, with its id and how to wait longer', async () => {
    await start()
    emu.nextSnapshot({ creatingMs: 3_600_000 })
    const io = await runWith({ wait_timeout: '2m' })
    const id = emu.snapshots()[0]!.id
    const message = expectFailure(
      io,
      /^Snapshot not ready in time$/,
      new RegExp(`Snapshot ${id} is still CREATING after waiting 2m: the service goes on building it\\. Raise wait_timeout`)
    )
    expect(message).toMatch(new RegExp(`Snapshot ${id} \\('.*'\\) was created by this step and still exists on the service`))
    expect(io.outputs).toMatchObject({ snapshot_id: id, status: 'CREATING', finished_at: '' })
    expect(emu.snapshots()).toHaveLength(1)
  })
})

describe('like the real service', () => {
  test('zone-less times become UTC with Z in the outputs; duration stays right', async () => {
    await start({ zonelessTimes: true })
    const io = await runWith()
    expectSuccess(io)
    expect(io.outputs.started_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(io.outputs.finished_at).toMatch(/Z$/)
    expect(io.outputs.started_at).toBe(`${emu.snapshots()[0]!.started}Z`)
    expect(Number(io.outputs.duration_seconds)).toBe(30)
  })

  test('debug mode logs endpoints, credentials, each exchange, and the scrubbed canonical-request echo of a 401', async () => {
    await start()
    const wrong = 'AnotherWrongSecretKey0000000000000000000'
    const io = await runWith(
      { access_key_id: TEMP_KEY.accessKeyId, secret_access_key: wrong, security_token: SECURITY_TOKEN },
      { debug: true, secrets: [wrong] }
    )
    expectFailure(io, /List snapshots failed/, /signature mismatch/)
    const log = logOf(io)
    expect(log).toMatch(/debug: The service said: .*canonicalRequest: GET.*x-security-token:\*\*\*/)
    expect(log).toMatch(/debug: DWS endpoint http:\/\/127\.0\.0\.1:\d+; .*credentials: access key pair from input/)
    expect(log).toMatch(/debug: List snapshots: GET http:\/\/127\.0\.0\.1:\d+\/v1\.0\/\w+\/snapshots → HTTP 401 in \d+ ms, request id \w+/)
    expect(log).toMatch(/debug: Not retried \(permanent\)/)
    expect(log).not.toMatch(/Signature=[0-9a-f]/)
  })
})
