/**
 * The whole run in-process, tried as a hostile server and a flaky network would: what the service
 * says never commands the runner, secrets never show in any form, exactly one snapshot of this
 * cluster is reported whatever fails, and waiting survives blips within its deadline.
 */
import { EMULATOR_DEFAULTS as D, type RecordedRequest } from '../emulator/index.js'
import { calls, clock, emu, expectFailure, expectSuccess, logOf, runCancelled, runWith, start, warnings } from './support/in-process.js'
import type { MemoryIO } from './support/memory-io.js'

afterEach(async () => {
  await emu?.close()
})

const OTHER_CLUSTER = 'e0000000-0000-4000-8000-000000000002'
const CLUSTERS = [
  { id: D.clusterId, name: D.clusterName },
  { id: OTHER_CLUSTER, name: 'other-cluster' }
]
const SEEDED_ID = '5f0a3c1e-9b7d-4e2a-8c6f-1d2e3f4a5b6c'
const HOUR = 3_600_000

const b64 = (s: string) => Buffer.from(s).toString('base64')

/**
 * Text that would become a workflow command on the runner: a line of the log, or a line inside an
 * annotation or the summary, that starts with `::`. (@actions/core escapes the line breaks inside an
 * annotation too; the action must not count on it.)
 */
function commandLike(io: MemoryIO): string[] {
  const texts = [...io.lines, ...io.annotations.map((a) => a.message), io.summary, ...Object.values(io.outputs)]
  return texts.flatMap((t) => t.split(/\r?\n|\r/)).filter((line) => /^\s*::/.test(line))
}

describe('server text never commands the runner', () => {
  test('an error message full of workflow commands stays on one line inside the one annotation', async () => {
    await start()
    const hostile = 'boom\n::warning title=x::pwned\r\n::add-mask::EmulatorSecret\n::stop-commands::abc\n::error::second'
    emu.inject('list', { kind: 'status', status: 400, body: { error_code: 'DWS.0001\n::notice::x', error_msg: hostile } })
    const io = await runWith()
    expectFailure(io, /^List snapshots failed$/, /boom\\n::warning title=x::pwned\\r\\n::add-mask::/)
    expect(io.annotations).toHaveLength(1)
    expect(commandLike(io)).toEqual([])
  })

  test('progress and status of a snapshot carry no command into the log, the outputs or the summary', async () => {
    await start({ clusters: CLUSTERS })
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
    const io = await runWith({ name: 'pre-release-{run_number}', if_exists: 'reuse' })
    expectSuccess(io)
    expect(commandLike(io)).toEqual([])
    expect(logOf(io)).toContain('CREATING\\n::set-output name=status::AVAILABLE')
    expect(io.outputs.status).toBe('AVAILABLE')
    expect(io.summary).not.toMatch(/\n::/)
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
    const io = await runWith()
    expectFailure(io, /List snapshots failed/, /Hacked/)
    expect(io.summary).toContain('\\[click\\](http://evil.example)')
    expect(io.summary).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(io.summary).not.toMatch(/<img|\n# Hacked/)
    expect(io.summary.split('\n').filter((l) => l.startsWith('#'))).toHaveLength(1)
  })

  test('a success whose id is not a UUID is not published: the snapshot is found by name and its real id is the output', async () => {
    await start()
    emu.inject('create', { kind: 'mangle', body: '{"snapshot":{"id":"../../x\\n::warning::y"}}' })
    const io = await runWith()
    expectSuccess(io)
    expect(emu.snapshots()).toHaveLength(1)
    expect(calls('create')).toBe(1)
    expect(io.outputs.snapshot_id).toBe(emu.snapshots()[0]!.id)
    expect(logOf(io)).toMatch(/adopting snapshot/)
  })

  test('an answer of an unexpected shape is reported as such, never as a JavaScript error', async () => {
    await start()
    emu.inject('list', { kind: 'mangle', body: `{"snapshots":${'['.repeat(200_000)}${']'.repeat(200_000)}}` })
    const io = await runWith()
    expectFailure(
      io,
      /List snapshots failed/,
      /the service's answer had an unexpected shape: the answer nests arrays and objects more than 64 deep/
    )
    expect(io.shown).not.toMatch(/is not a function|Maximum call stack|TypeError|undefined/)
  })

  test('a list whose entries are null is an unexpected shape', async () => {
    await start()
    emu.inject('list', { kind: 'mangle', body: '{"snapshots":[null]}' })
    expectFailure(await runWith(), /List snapshots failed/, /unexpected shape/)
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
    const io = await runWith({ security_token: token }, { secrets: [token] })
    expectFailure(io, /List snapshots failed/, /echo/)
    for (const form of echoed) expect(io.shown).not.toContain(form)
    expect(io.shown.match(/\*\*\*/g)!.length).toBeGreaterThanOrEqual(2 * echoed.length)
  })

  test('a long answer with the secret key at the cut is scrubbed before it is cut: no part leaks', async () => {
    await start()
    const sk = D.secretAccessKey
    emu.inject('list', { kind: 'status', status: 400, body: { error_code: 'DWS.0001', error_msg: `${'y'.repeat(280)}${sk}` } })
    const io = await runWith()
    expectFailure(io, /List snapshots failed/, /y{50}/)
    expect(io.shown).not.toContain(sk.slice(0, 12))
  })

  test('a line break pasted into security_token is refused before any request, naming the input and not its value', async () => {
    await start()
    const io = await runWith({ security_token: 'Token-part-one\nToken-part-two' })
    const message = expectFailure(io, /^Invalid input$/, /'security_token'.*line break/)
    expect(message).not.toContain('Token-part')
    expect(emu.requests).toHaveLength(0)
  })

  test('an endpoint with a password in it is refused without echoing the password', async () => {
    await start()
    const io = await runWith({ endpoint: 'https://admin:Hunter2Password@dws.example.com' })
    const message = expectFailure(io, /^Invalid input$/, /'endpoint'/)
    expect(message).not.toMatch(/Hunter2Password|admin:/)
    expect(io.shown).not.toContain('Hunter2Password')
  })

  test('a stale HUAWEI_CLOUD_SECURITY_TOKEN in the environment is not signed with input keys', async () => {
    await start()
    const io = await runWith({ wait: 'false' }, { env: { HUAWEI_CLOUD_SECURITY_TOKEN: 'StaleSecurityTokenFromAnEarlierStep01' } })
    expectSuccess(io)
    for (const q of emu.requests) expect(q.headers['x-security-token']).toBeUndefined()
  })
})

describe('exactly one snapshot of this cluster, always reported', () => {
  test('connection dropped before the create is applied: retried, one snapshot', async () => {
    await start()
    emu.inject('create', { kind: 'drop', when: 'before' })
    const io = await runWith()
    expectSuccess(io)
    expect(emu.snapshots()).toHaveLength(1)
    expect(calls('create')).toBe(2)
  })

  test('connection dropped after the create was applied: the name is looked up and the snapshot adopted, never duplicated', async () => {
    await start()
    emu.inject('create', { kind: 'drop', when: 'after' })
    const io = await runWith()
    expectSuccess(io)
    expect(emu.snapshots()).toHaveLength(1)
    expect(calls('create')).toBe(1)
    expect(io.outputs).toMatchObject({ snapshot_id: emu.snapshots()[0]!.id, created: 'true', status: 'AVAILABLE' })
    expect(logOf(io)).toMatch(/adopting snapshot '.*' \(id [0-9a-f-]+\) instead of creating another/)
  })

  test('a connection dropped after the create, with max_attempts 1: looked up before giving up', async () => {
    await start()
    emu.inject('create', { kind: 'drop', when: 'after' })
    const io = await runWith({ max_attempts: '1' })
    expectSuccess(io)
    expect(emu.snapshots()).toHaveLength(1)
    expect(io.outputs.snapshot_id).toBe(emu.snapshots()[0]!.id)
  })

  test.each([
    ['empty {}', '{}'],
    ['cut short', '{"snapshot":{"id":"ab'],
    ['HTML', '<html><body>OK</body></html>']
  ])('a success with an unreadable body (%s) is looked up by name, also with max_attempts 1', async (_label, body) => {
    await start()
    emu.inject('create', { kind: 'mangle', body })
    const io = await runWith({ max_attempts: '1' })
    expectSuccess(io)
    expect(emu.snapshots()).toHaveLength(1)
    expect(calls('create')).toBe(1)
    expect(io.outputs).toMatchObject({ snapshot_id: emu.snapshots()[0]!.id, created: 'true', status: 'AVAILABLE' })
  })

  test('a compressed success the action cannot decode is looked up by name, not created twice', async () => {
    await start()
    emu.inject('create', { kind: 'encode', encoding: 'x-unknown' })
    expectSuccess(await runWith())
    expect(emu.snapshots()).toHaveLength(1)
    expect(calls('create')).toBe(1)
  })

  test('a create answer that stalls past the deadline: found by name, not created twice', async () => {
    await start()
    emu.inject('create', { kind: 'stall' })
    const io = await runWith({ request_timeout: '1s' })
    expectSuccess(io)
    expect(emu.snapshots()).toHaveLength(1)
    expect(logOf(io)).toMatch(/Create snapshot failed: no complete answer .* within 1s/)
  })

  test('a create answer that comes after the deadline, once the step has created its snapshot again: one snapshot', async () => {
    let lateCreate!: (request: RecordedRequest) => void
    const answeredLate = new Promise<RecordedRequest>((resolve) => (lateCreate = resolve))
    await start({ onRequest: (q) => q.fault === 'delay' && lateCreate(q) })
    // Longer than request_timeout: the step gives up on it, finds no snapshot by that name, and creates.
    emu.inject('create', { kind: 'delay', ms: 1_500 })
    const io = await runWith({ request_timeout: '1s' })
    expectSuccess(io)
    expect(calls('create')).toBe(2)
    // The late create reaches the service only now: it is refused, the name being taken.
    const late = await answeredLate
    expect(late.status).toBe(400)
    expect(emu.snapshots()).toHaveLength(1)
    expect(io.outputs.snapshot_id).toBe(emu.snapshots()[0]!.id)
  })

  test('5xx on create: each retry first looks the name up; one snapshot in the end', async () => {
    await start()
    emu.inject('create', { kind: 'status', status: 502, body: '<html>Bad Gateway</html>' }, 2)
    expectSuccess(await runWith())
    expect(emu.requests.map((q) => q.route).slice(0, 6)).toEqual(['list', 'create', 'list', 'create', 'list', 'create'])
    expect(emu.snapshots()).toHaveLength(1)
  })

  test("after a lost create, the cluster answers busy because of this step's own snapshot: it is found, not waited for", async () => {
    await start({ taskLingerMs: 0 })
    emu.inject('create', { kind: 'drop', when: 'after' })
    emu.inject('list', { kind: 'mangle', body: '{"snapshots":[]}' }, 2) // the list lags behind the create
    const io = await runWith()
    expectSuccess(io)
    expect(emu.snapshots()).toHaveLength(1)
    expect(io.outputs.created).toBe('true')
    expect(calls('create')).toBe(2)
  })

  test("if_exists 'fail' (default): refuses, naming the existing snapshot's id, status and start", async () => {
    await start()
    const old = emu.addSnapshot({ name: 'pre-release-42', status: 'AVAILABLE' })
    const io = await runWith({ name: 'PRE-release-{run_number}' })
    expectFailure(
      io,
      /Snapshot name already taken/,
      new RegExp(`id ${old.id}, status AVAILABLE, started ${old.started}.*if_exists.*\\nHint: .*if_exists: reuse`)
    )
    expect(emu.snapshots()).toHaveLength(1)
    expect(calls('create')).toBe(0)
  })

  test("if_exists 'reuse': adopts it with created=false and waits for it", async () => {
    await start()
    const old = emu.addSnapshot({ name: 'pre-release-42', status: 'CREATING', creatingMs: 30_000 })
    const io = await runWith({ name: 'pre-release-{run_number}', if_exists: 'reuse' })
    expectSuccess(io)
    expect(io.outputs).toMatchObject({ snapshot_id: old.id, created: 'false', status: 'AVAILABLE' })
    expect(calls('details')).toBeGreaterThanOrEqual(2)
    expect(emu.snapshots()).toHaveLength(1)
    expect(calls('create')).toBe(0)
    expect(io.summary).toContain('no (reused)')
  })

  test('a reused snapshot shows its age in the log and the summary', async () => {
    await start()
    emu.addSnapshot({ name: 'pre-release-42', startedMs: clock.now() - 2 * HOUR - 5 * 60_000 })
    const io = await runWith({ name: 'pre-release-{run_number}', if_exists: 'reuse' })
    expectSuccess(io)
    expect(logOf(io)).toMatch(/Reusing the existing snapshot 'pre-release-42' \(id [0-9a-f-]+, status AVAILABLE, taken 2h5m ago\)/)
    expect(io.summary).toMatch(/^### ♻️ Reused an existing DWS snapshot, taken 2h5m ago\n/)
    expect(io.summary).toMatch(/\| Age \| 2h5m/)
  })

  test('if_exists reuse: a same-named snapshot of another cluster is an error naming that cluster', async () => {
    await start({ clusters: CLUSTERS })
    emu.addSnapshot({ name: 'pre-release-42', clusterId: OTHER_CLUSTER })
    const io = await runWith({ name: 'pre-release-{run_number}', if_exists: 'reuse' })
    expectFailure(io, /^Snapshot name taken by another cluster$/, new RegExp(`of cluster ${OTHER_CLUSTER}.*not of cluster ${D.clusterId}`))
    expect(io.outputs.snapshot_id).toBeUndefined()
    expect(calls('create')).toBe(0)
  })

  test.each(['UNAVAILABLE', 'FROZEN', 'POLICE_FROZEN'])(
    'if_exists reuse does not reuse a %s snapshot, also with wait: false',
    async (status) => {
      await start()
      emu.addSnapshot({ name: 'pre-release-42', status })
      const io = await runWith({ name: 'pre-release-{run_number}', if_exists: 'reuse', wait: 'false' })
      expectFailure(io, /^Existing snapshot unusable$/, new RegExp(`is ${status}: it cannot be used`))
    }
  )

  test('a re-run of the same attempt finds its own snapshot and does not create another', async () => {
    await start()
    expectSuccess(await runWith({ wait: 'false', if_exists: 'reuse' }))
    expectSuccess(await runWith({ wait: 'false', if_exists: 'reuse' }))
    expect(emu.snapshots()).toHaveLength(1)
    expect(calls('create')).toBe(1)
  })
})

describe('outputs that cannot be written, and a cancelled step, still name the snapshot', () => {
  test('a GITHUB_OUTPUT broken from the start: the run goes on, and one error annotation names the snapshot', async () => {
    await start()
    const io = await runWith({}, { io: (io) => (io.outputError = new Error('EISDIR: illegal operation on a directory')) })
    expect(io.exitCode).toBe(1)
    expect(emu.snapshots()).toHaveLength(1)
    expect(io.errors).toEqual([
      {
        level: 'error',
        title: 'DWS snapshot: Outputs not written',
        message: expect.stringMatching(new RegExp(`EISDIR.*Snapshot ${emu.snapshots()[0]!.id}`))
      }
    ])
  })

  test('a GITHUB_OUTPUT that breaks after the create still names the snapshot, with one error annotation', async () => {
    await start()
    let broken = false
    const io = await runWith(
      {},
      {
        io: (io) => {
          io.onInfo = (line) => {
            if (broken || !/created for cluster/.test(line)) return
            broken = true
            io.outputError = new Error('EISDIR: illegal operation on a directory, open')
          }
        }
      }
    )
    const id = emu.snapshots()[0]!.id
    expect(broken).toBe(true)
    expect(io.exitCode).toBe(1)
    expect(io.errors).toHaveLength(1)
    expect(io.errors[0]).toMatchObject({ title: 'DWS snapshot: Outputs not written' })
    expect(io.errors[0]!.message).toMatch(new RegExp(`Snapshot ${id} .* was created by this step`))
  })

  test('cancelled by the runner while waiting: the log and the summary say the snapshot continues, with its id', async () => {
    await start()
    emu.nextSnapshot({ creatingMs: 3_600_000 })
    const { io, exit } = await runCancelled({}, /: CREATING \d+% after/)
    const id = emu.snapshots()[0]!.id
    expect(exit?.code).toBe(1)
    expect(exit?.lines).toContain(
      `Cancelled (SIGTERM): snapshot ${id} ('${io.outputs.snapshot_name}') continues on the service; it is not deleted.`
    )
    expect(exit?.summary).toMatch(/Cancelled/)
    expect(exit?.summary).toContain(id)
    expect(io.outputs.snapshot_id).toBe(id)
  })

  test('cancelled with an unwritable summary file: a warning says so, no stack trace', async () => {
    await start()
    emu.nextSnapshot({ creatingMs: 3_600_000 })
    const { io, exit } = await runCancelled({}, /: CREATING \d+% after/, {
      io: (io) => (io.summaryError = new Error("EISDIR: illegal operation on a directory, open '/tmp/summary'"))
    })
    expect(exit?.code).toBe(1)
    expect(exit?.lines).toContainEqual(expect.stringMatching(/^Cancelled \(SIGTERM\): snapshot [0-9a-f-]+/))
    expect(warnings(io)[0]!.message).toMatch(/^Could not write the job summary: EISDIR/)
  })
})

describe('waiting survives blips and honours the deadline', () => {
  test('a 40-second API outage while waiting is ridden out past max_attempts', async () => {
    await start()
    emu.nextSnapshot({ creatingMs: 120_000 })
    emu.inject('details', { kind: 'status', status: 503 }, 8)
    const io = await runWith({ max_attempts: '2', poll_interval: '5s' })
    expectSuccess(io)
    expect(io.outputs.status).toBe('AVAILABLE')
    expect(logOf(io)).toMatch(/until wait_timeout/)
  })

  test('a Retry-After longer than what is left of wait_timeout is not slept through', async () => {
    await start()
    emu.inject('list', { kind: 'status', status: 429, headers: { 'Retry-After': '50' } })
    const started = clock.now()
    const io = await runWith({ wait_timeout: '30s' })
    expectFailure(io, /List snapshots kept failing/, /gave up after 1 attempt, as the step reached wait_timeout/)
    expect(clock.sleeps.filter((ms) => ms >= 50_000)).toEqual([])
    expect(clock.now() - started).toBeLessThanOrEqual(30_000)
  })

  test('a stalled poll is cut off by the deadline and polled again', async () => {
    await start()
    emu.inject('details', { kind: 'stall' })
    const io = await runWith({ request_timeout: '1s' })
    expectSuccess(io)
    expect(io.outputs.status).toBe('AVAILABLE')
    expect(calls('details')).toBeGreaterThanOrEqual(2)
  })

  test('after AVAILABLE the step waits until the cluster has left its snapshot task', async () => {
    await start({ taskLingerMs: 60_000 })
    const io = await runWith()
    expectSuccess(io)
    expect(logOf(io)).toMatch(/waiting for the cluster to finish its snapshot task/)
    expect(logOf(io)).toMatch(/The cluster has left its snapshot task after/)
    expect(calls('cluster')).toBeGreaterThanOrEqual(2)
  })
})
