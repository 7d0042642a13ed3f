/**
 * End to end, tried as a hostile server and a flaky network would: what the service says never
 * commands the runner, secrets never show in any form, exactly one snapshot of this cluster is
 * reported whatever fails, and waiting survives blips within its deadline.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EMULATOR_DEFAULTS as D, iam5Error, keystoneError } from '../emulator/index.js'
import type { ActionResult } from '../scripts/run-bundle.js'
import { calls, clock, emu, errors, expectFailure, expectSuccess, run, SECRETS, shownText, start } from './support/e2e-harness.js'

afterEach(async () => {
  await emu?.close()
})

const OTHER_CLUSTER = 'e0000000-0000-4000-8000-000000000002'
const CLUSTERS = [
  { id: D.clusterId, name: D.clusterName },
  { id: OTHER_CLUSTER, name: 'other-cluster' }
]
const SEEDED_ID = '5f0a3c1e-9b7d-4e2a-8c6f-1d2e3f4a5b6c'

/**
 * Every line that would be a workflow command, but for our own ::add-mask:: and ::debug:: lines
 * (core.debug escapes line breaks, so a debug line is always one command).
 */
function commandLines(r: ActionResult): string[] {
  return r.stdout.split('\n').filter((line) => /^\s*::/.test(line) && !/^::(add-mask|debug)::/.test(line))
}

const b64 = (s: string) => Buffer.from(s).toString('base64')

describe('server text never commands the runner', () => {
  test('an error message full of workflow commands stays on one line inside the one annotation', async () => {
    await start()
    const hostile = 'boom\n::warning title=x::pwned\r\n::add-mask::EmulatorSecret\n::stop-commands::abc\n::error::second'
    emu.inject('list', { kind: 'status', status: 400, body: { error_code: 'DWS.0001\n::notice::x', error_msg: hostile } })
    const r = await run()
    expectFailure(r, /^List snapshots failed$/, /boom\\n::warning title=x::pwned\\r\\n::add-mask::/)
    expect(commandLines(r)).toHaveLength(1)
    expect(commandLines(r)[0]).toMatch(/^::error title=DWS snapshot%3A List snapshots failed::/)
    expect(r.stdout).not.toMatch(/^::(warning|notice|stop-commands)/m)
  })

  test('progress and status of a snapshot carry no command into the log, the outputs or the summary', async () => {
    await start({ fast: true, clusters: CLUSTERS })
    emu.addSnapshot({ id: SEEDED_ID, name: 'pre-release-42', status: 'CREATING', creatingMs: 20_000 })
    const injected = JSON.stringify({
      snapshot: {
        id: SEEDED_ID,
        name: 'pre-release-42',
        status: 'CREATING\n::set-output name=status::AVAILABLE',
        cluster_id: D.clusterId,
        progress: '5%\n::warning::x'
      }
    })
    emu.inject('details', { kind: 'mangle', body: injected })
    const r = await run({ name: 'pre-release-{run_number}', if_exists: 'reuse' })
    expectSuccess(r)
    expect(commandLines(r)).toEqual([])
    expect(r.stdout).toContain('CREATING\\n::set-output name=status::AVAILABLE')
    expect(r.outputs.status).toBe('AVAILABLE')
    expect(r.summary).not.toMatch(/\n::/)
  })

  test('the summary shows hostile text as text: no link, image, HTML or extra row', async () => {
    await start()
    emu.inject('list', {
      kind: 'status',
      status: 400,
      body: {
        error_code: 'DWS.0001',
        error_msg: '# Hacked\n[click](http://evil.example) ![x](http://evil.example/i.png) <img src=x onerror=alert(1)> | a | b |'
      }
    })
    const r = await run()
    expectFailure(r, /List snapshots failed/, /Hacked/)
    expect(r.summary).toContain('\\[click\\](http://evil.example)')
    expect(r.summary).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(r.summary).not.toMatch(/<img|\n# Hacked/)
    expect(r.summary.split('\n').filter((l) => l.startsWith('#'))).toHaveLength(1)
  })

  test('a success whose id is not a UUID is not published: the snapshot is found by name and its real id is the output', async () => {
    await start({ fast: true })
    emu.inject('create', { kind: 'mangle', body: '{"snapshot":{"id":"../../x\\n::warning::y"}}' })
    const r = await run()
    expectSuccess(r)
    expect(emu.snapshots()).toHaveLength(1)
    expect(calls('create')).toBe(1)
    expect(r.outputs.snapshot_id).toBe(emu.snapshots()[0]!.id)
    expect(r.stdout).toMatch(/adopting snapshot/)
  })

  test('an answer of an unexpected shape is reported as such, never as a JavaScript error', async () => {
    await start()
    emu.inject('list', { kind: 'mangle', body: `{"snapshots":${'['.repeat(200_000)}${']'.repeat(200_000)}}` })
    const r = await run()
    expectFailure(r, /List snapshots failed/, /the service's answer had an unexpected shape: a snapshot is not an object/)
    expect(r.stdout).not.toMatch(/is not a function|Maximum call stack|TypeError|undefined/)
  })

  test('a list whose entries are null is an unexpected shape', async () => {
    await start()
    emu.inject('list', { kind: 'mangle', body: '{"snapshots":[null]}' })
    expectFailure(await run(), /List snapshots failed/, /unexpected shape/)
  })
})

describe('secrets never show, in any encoding', () => {
  test('a service that echoes a token percent-encoded, form-encoded, base64, JSON- and HTML-escaped: all masked', async () => {
    await start()
    const token = `Tok/en+with=special<chars>&"x'(1)`
    const echoed = [
      encodeURIComponent(token),
      encodeURIComponent(token).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
      new URLSearchParams({ t: token }).toString().slice(2),
      b64(token),
      Buffer.from(token).toString('base64url'),
      b64(`xy${token}`),
      JSON.stringify(token).slice(1, -1).replace(/\//g, '\\/'),
      JSON.stringify(token)
        .slice(1, -1)
        .replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`),
      token.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
    ]
    emu.inject('list', { kind: 'status', status: 400, body: { error_code: 'DWS.0001', error_msg: `echo ${echoed.join(' ')}` } })
    const r = await run({ security_token: token })
    SECRETS.push(token)
    expectFailure(r, /List snapshots failed/, /echo/)
    for (const form of echoed) expect(shownText(r).join('\n')).not.toContain(form)
    expect(
      shownText(r)
        .join('\n')
        .match(/\*\*\*/g)!.length
    ).toBeGreaterThanOrEqual(2 * echoed.length)
  })

  test('a long answer with the secret key at the cut is scrubbed before it is cut: no part leaks', async () => {
    await start()
    const sk = D.secretAccessKey
    emu.inject('list', { kind: 'status', status: 400, body: { error_code: 'DWS.0001', error_msg: `${'y'.repeat(280)}${sk}` } })
    const r = await run()
    expectFailure(r, /List snapshots failed/, /y{50}/)
    expect(shownText(r).join('\n')).not.toContain(sk.slice(0, 12))
  })

  test('debug mode prints the canonical-request echo of a 401 scrubbed, with each request and the credential source', async () => {
    const securityToken = 'EmulatorSecurityTokenNotARealSecret-xyz'
    await start()
    const r = await run(
      {
        access_key_id: 'EMULATORTEMPKEY00001',
        secret_access_key: 'AnotherWrongSecretKey0000000000000000000',
        security_token: securityToken
      },
      { env: { RUNNER_DEBUG: '1' } }
    )
    SECRETS.push('AnotherWrongSecretKey0000000000000000000')
    expectFailure(r, /List snapshots failed/, /signature mismatch/)
    expect(r.stdout).toMatch(/::debug::The service said: .*canonicalRequest: GET.*x-security-token:\*\*\*/)
    expect(r.stdout).toMatch(/::debug::DWS endpoint http:\/\/127\.0\.0\.1:\d+; .*credentials: access key pair from input/)
    expect(r.stdout).toMatch(
      /::debug::List snapshots: GET http:\/\/127\.0\.0\.1:\d+\/v1\.0\/\w+\/snapshots → HTTP 401 in \d+ ms, request id \w+/
    )
    expect(r.stdout).toMatch(/::debug::Not retried \(permanent\)/)
    expect(r.stdout).not.toMatch(/Signature=[0-9a-f]/)
  })

  test('a line break pasted into security_token is refused before any request, naming the input and not its value', async () => {
    await start()
    const r = await run({ security_token: 'Token-part-one\nToken-part-two' })
    const message = expectFailure(r, /^Invalid input$/, /'security_token'.*line break/)
    expect(message).not.toContain('Token-part')
    expect(emu.requests).toHaveLength(0)
  })

  test('an endpoint with a password in it is refused without echoing the password', async () => {
    await start()
    const r = await run({ endpoint: 'https://admin:Hunter2Password@dws.example.com' })
    const message = expectFailure(r, /^Invalid input$/, /'endpoint'/)
    expect(message).not.toMatch(/Hunter2Password|admin:/)
  })

  test('a stale HUAWEI_CLOUD_SECURITY_TOKEN in the environment is not signed with input keys', async () => {
    await start()
    const r = await run({ wait: 'false' }, { env: { HUAWEI_CLOUD_SECURITY_TOKEN: 'StaleSecurityTokenFromAnEarlierStep01' } })
    expectSuccess(r)
    for (const q of emu.requests) expect(q.headers['x-security-token']).toBeUndefined()
  })
})

describe('exactly one snapshot of this cluster, always reported', () => {
  test.each([
    ['empty {}', '{}'],
    ['cut short', '{"snapshot":{"id":"ab'],
    ['HTML', '<html><body>OK</body></html>']
  ])('a success with an unreadable body (%s) is looked up by name, also with max_attempts 1', async (_label, body) => {
    await start({ fast: true })
    emu.inject('create', { kind: 'mangle', body })
    const r = await run({ max_attempts: '1' })
    expectSuccess(r)
    expect(emu.snapshots()).toHaveLength(1)
    expect(calls('create')).toBe(1)
    expect(r.outputs).toMatchObject({ snapshot_id: emu.snapshots()[0]!.id, created: 'true', status: 'AVAILABLE' })
  })

  test('a compressed success the action cannot decode is looked up by name, not created twice', async () => {
    await start({ fast: true })
    emu.inject('create', { kind: 'encode', encoding: 'x-unknown' })
    const r = await run()
    expectSuccess(r)
    expect(emu.snapshots()).toHaveLength(1)
    expect(calls('create')).toBe(1)
  })

  test('a connection dropped after the create, with max_attempts 1: looked up before giving up', async () => {
    await start({ fast: true })
    emu.inject('create', { kind: 'drop', when: 'after' })
    const r = await run({ max_attempts: '1' })
    expectSuccess(r)
    expect(emu.snapshots()).toHaveLength(1)
    expect(r.outputs.snapshot_id).toBe(emu.snapshots()[0]!.id)
  })

  test("after a lost create, the cluster answers busy because of this step's own snapshot: it is found, not waited for", async () => {
    await start({ fast: true, taskLingerMs: 0 })
    emu.inject('create', { kind: 'drop', when: 'after' })
    emu.inject('list', { kind: 'mangle', body: '{"snapshots":[]}' }, 2) // the list lags behind the create
    const r = await run()
    expectSuccess(r)
    expect(emu.snapshots()).toHaveLength(1)
    expect(r.outputs.created).toBe('true')
    expect(calls('create')).toBe(2)
  })

  test('if_exists reuse: a same-named snapshot of another cluster is an error naming that cluster', async () => {
    await start({ clusters: CLUSTERS })
    emu.addSnapshot({ name: 'pre-release-42', clusterId: OTHER_CLUSTER })
    const r = await run({ name: 'pre-release-{run_number}', if_exists: 'reuse' })
    expectFailure(r, /^Snapshot name taken by another cluster$/, new RegExp(`of cluster ${OTHER_CLUSTER}.*not of cluster ${D.clusterId}`))
    expect(r.outputs.snapshot_id).toBeUndefined()
    expect(calls('create')).toBe(0)
  })

  test.each(['UNAVAILABLE', 'FROZEN', 'POLICE_FROZEN'])(
    'if_exists reuse does not reuse a %s snapshot, also with wait: false',
    async (status) => {
      await start()
      emu.addSnapshot({ name: 'pre-release-42', status })
      const r = await run({ name: 'pre-release-{run_number}', if_exists: 'reuse', wait: 'false' })
      expectFailure(r, /^Existing snapshot unusable$/, new RegExp(`is ${status}: it cannot be used`))
    }
  )

  test('a reused snapshot shows its age in the log and the summary', async () => {
    await start()
    emu.addSnapshot({ name: 'pre-release-42', startedMs: Date.now() - 2 * 3600_000 - 5 * 60_000 })
    const r = await run({ name: 'pre-release-{run_number}', if_exists: 'reuse' })
    expectSuccess(r)
    expect(r.stdout).toMatch(/Reusing the existing snapshot 'pre-release-42' \(id [0-9a-f-]+, status AVAILABLE, taken 2h5m\d*s? ago\)/)
    expect(r.summary).toMatch(/^### ♻️ Reused an existing DWS snapshot, taken 2h5m\d*s? ago\n/)
    expect(r.summary).toMatch(/\| Age \| 2h5m/)
  })

  test('every failure after the snapshot exists names its id in the annotation', async () => {
    await start({ fast: true })
    emu.nextSnapshot({ creatingMs: 3_600_000 })
    const r = await run({ wait_timeout: '1m' })
    const id = emu.snapshots()[0]!.id
    expectFailure(
      r,
      /^Snapshot not ready in time$/,
      new RegExp(`Snapshot ${id} \\('.*'\\) was created by this step and still exists on the service`)
    )
  })

  test('a GITHUB_OUTPUT that breaks after the create still names the snapshot, with one error annotation', async () => {
    await start({ fast: true })
    const dir = mkdtempSync(join(tmpdir(), 'dws-output-'))
    const outputFile = join(dir, 'output')
    writeFileSync(outputFile, '')
    let broken = false
    let seen = ''
    try {
      const r = await run(
        {},
        {
          env: { GITHUB_OUTPUT: outputFile },
          onStdout: (chunk) => {
            seen += chunk
            if (broken || !/created for cluster/.test(seen)) return
            broken = true
            rmSync(outputFile)
            mkdirSync(outputFile) // appending to a directory fails
          }
        }
      )
      const id = emu.snapshots()[0]!.id
      expect(broken).toBe(true)
      expect(r.code).toBe(1)
      expect(errors(r)).toHaveLength(1)
      expect(errors(r)[0]).toMatchObject({ title: 'DWS snapshot: Outputs not written' })
      expect(errors(r)[0]!.message).toMatch(new RegExp(`Snapshot ${id} .* was created by this step`))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('cancelled with an unwritable summary file: exits cleanly, no stack trace', async () => {
    await start({ fast: true })
    emu.nextSnapshot({ creatingMs: 3_600_000 })
    const dir = mkdtempSync(join(tmpdir(), 'dws-summary-'))
    try {
      const r = await run({}, { env: { GITHUB_STEP_SUMMARY: dir }, killWhen: (out) => /: CREATING \d+% after/.test(out) })
      expect(r.code).toBe(1)
      expect(r.stdout).toMatch(/Cancelled \(SIGTERM\): snapshot [0-9a-f-]+/)
      expect(r.stderr).not.toMatch(/\n\s+at /)
      expect(r.stdout).not.toMatch(/\n\s+at .+:\d+:\d+/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('an upper-case cluster id is used in lower case', async () => {
    await start()
    const r = await run({ cluster_id: D.clusterId.toUpperCase(), wait: 'false' })
    expectSuccess(r)
    expect(emu.snapshots()[0]!.cluster_id).toBe(D.clusterId)
  })
})

describe('waiting survives blips and honours the deadline', () => {
  test('a 40-second API outage while waiting is ridden out past max_attempts', async () => {
    await start({ fast: true })
    emu.nextSnapshot({ creatingMs: 120_000 })
    emu.inject('details', { kind: 'status', status: 503 }, 8)
    const r = await run({ max_attempts: '2', poll_interval: '5s' })
    expectSuccess(r)
    expect(r.outputs.status).toBe('AVAILABLE')
    expect(r.stdout).toMatch(/until wait_timeout/)
  })

  test('a Retry-After longer than what is left of wait_timeout is not slept through', async () => {
    await start({ fast: true })
    emu.inject('list', { kind: 'status', status: 429, headers: { 'Retry-After': '50' } })
    const r = await run({ wait_timeout: '30s' })
    expectFailure(r, /List snapshots kept failing/, /gave up after 1 attempt, as the step reached wait_timeout/)
    expect(r.realMs).toBeLessThan(15_000)
  })

  test('after AVAILABLE the step waits until the cluster has left its snapshot task', async () => {
    await start({ fast: true, taskLingerMs: 60_000 })
    const r = await run()
    expectSuccess(r)
    expect(r.stdout).toMatch(/waiting for the cluster to finish its snapshot task/)
    expect(r.stdout).toMatch(/The cluster has left its snapshot task after/)
    expect(emu.requests.filter((q) => q.route === 'cluster').length).toBeGreaterThanOrEqual(2)
  })
})

describe('like the real service', () => {
  test('zone-less times become UTC with Z in the outputs; duration stays right', async () => {
    await start({ fast: true, zonelessTimes: true })
    const r = await run()
    expectSuccess(r)
    expect(r.outputs.started_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(r.outputs.finished_at).toMatch(/Z$/)
    expect(r.outputs.started_at).toBe(`${emu.snapshots()[0]!.started}Z`)
    expect(Number(r.outputs.duration_seconds)).toBe(30)
  })

  test.each(['DWS.0047-401', 'DWS.0015-403'] as const)(
    'unknown cluster answered %s: "not found in this project/region, or no permission"',
    async (answer) => {
      await start({ unknownCluster: answer })
      const r = await run({ cluster_id: '00000000-0000-4000-8000-000000000000' })
      const message = expectFailure(
        r,
        /^Cluster not found$/,
        /Cluster 00000000-0000-4000-8000-000000000000 was not found in project \w+, region cn-north-4, or these credentials have no permission for it/
      )
      expect(message).not.toMatch(/Hint: .*(secret_access_key|Signature mismatch)/)
    }
  )

  test('DWS.9999 whose message names DWS.7023 is a busy cluster: waited for, then one snapshot', async () => {
    await start({ fast: true })
    emu.setClusterBusy(D.clusterId, clock!.now() + 30_000, { status: 400, code: 'DWS.9999' })
    const r = await run()
    expectSuccess(r)
    expect(r.stdout).toMatch(/The cluster is busy \(DWS\.9999/)
    expect(emu.snapshots()).toHaveLength(1)
  })

  test('a cluster whose state can never take a snapshot fails fast, saying what blocks it', async () => {
    await start({ fast: true })
    emu.setClusterStatus(D.clusterId, 'FROZEN')
    const r = await run()
    expectFailure(r, /^Cluster cannot take a snapshot$/, /is FROZEN: a snapshot can only be taken while the cluster is Available/)
    expect(calls('create')).toBe(1)
  })

  test('a Keystone-shaped error body is read', async () => {
    await start()
    emu.inject('list', { kind: 'status', ...keystoneError(403, 'You are not authorized to perform the requested action.', 'Forbidden') })
    expectFailure(await run(), /List snapshots failed/, /HTTP 403 403: You are not authorized.*\nHint: .*dws:cluster:listSnapshot/)
  })

  test('an IAM5 denial with an encoded authorization message says how to decode it', async () => {
    await start()
    emu.inject('list', { kind: 'status', ...iam5Error(403, 'DWS.0015', 'Denied by policy.', 'req-77', 'ZW5jb2RlZA') })
    const message = expectFailure(
      await run(),
      /List snapshots failed/,
      /Denied by policy\. \(request id \w+\).*decode-authorization-message/s
    )
    expect(message).not.toContain('ZW5jb2RlZA')
  })

  test('a gzip-compressed answer is decoded', async () => {
    await start()
    emu.inject('list', { kind: 'encode', encoding: 'gzip' })
    expectSuccess(await run({ wait: 'false' }))
  })

  test('a proxy that asks for authentication (407) is named as such and not retried', async () => {
    await start()
    emu.inject('list', { kind: 'status', status: 407, body: '<html>Proxy Authentication Required</html>' })
    const r = await run()
    expectFailure(r, /List snapshots failed/, /the proxy requires authentication.*\nHint: The proxy requires authentication/)
    expect(calls('list')).toBe(1)
  })

  test('a project with 50 000 snapshots of real size: the name check works', async () => {
    await start()
    const description = 'Taken by acme/shop-api workflow Release run 987654321 attempt 1 at 0123456 '.repeat(3)
    for (let i = 0; i < 50_000; i++) emu.addSnapshot({ name: `old-snapshot-${i}`, description, startedMs: Date.now() - i * 1000 })
    const r = await run({ wait: 'false' })
    expectSuccess(r)
    expect(emu.snapshots()).toHaveLength(50_001)
  })
})
