/** The emulator CLI: argument parsing (pure), and the CLI process wired to it (exit code, a scripted fault served on loopback). */
import { spawn, spawnSync } from 'node:child_process'
import { request } from 'node:http'
import { createInterface } from 'node:readline'
import { parseCliArgs, USAGE, type CliConfig } from '../emulator/cli-args.js'
import { EMULATOR_DEFAULTS } from '../emulator/index.js'
import { signRequest } from '../src/cloud/signer.js'

function config(...argv: string[]): CliConfig {
  const parsed = parseCliArgs(argv)
  if (parsed.kind !== 'run') throw new Error(`expected a run, got ${JSON.stringify(parsed)}`)
  return parsed.config
}

function error(...argv: string[]): string {
  const parsed = parseCliArgs(argv)
  if (parsed.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(parsed)}`)
  return parsed.message
}

describe('parseCliArgs', () => {
  test('no arguments: any port, the default CREATING time, nothing scripted', () => {
    expect(config()).toEqual({ port: 0, creatingMs: EMULATOR_DEFAULTS.creatingMs, faults: [], busy: undefined, options: {} })
  })

  test('-h and --help', () => {
    expect(parseCliArgs(['-h'])).toEqual({ kind: 'help' })
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' })
  })

  test('port and durations', () => {
    expect(config('--port', '8080', '--creating', '1h30m')).toMatchObject({ port: 8080, creatingMs: 5_400_000 })
    // The action's grammar, with milliseconds.
    expect(config('--creating', '2m').creatingMs).toBe(120_000)
    expect(config('--creating', '500ms').creatingMs).toBe(500)
    expect(config('--creating', '1s500ms').creatingMs).toBe(1500)
    for (const bad of ['5', '1m1h', '1d', '9'.repeat(20) + 'h']) {
      expect(parseCliArgs(['--creating', bad])).toEqual({ kind: 'error', message: `--creating '${bad}' is not a duration` })
    }
  })

  test('the real-service switches map to emulator options', () => {
    const c = config('--zoneless', '--linger', '45s', '--unknown-cluster', 'DWS.0015-403', '--end-status', 'UNAVAILABLE')
    expect(c.options).toEqual({ zonelessTimes: true, taskLingerMs: 45_000, unknownCluster: 'DWS.0015-403', snapshotOutcome: 'UNAVAILABLE' })
  })

  test('--restoring and --restore-fail: a slow restore, and restores that end FAILED', () => {
    expect(config('--restoring', '5m').options).toEqual({ restoringMs: 300_000 })
    expect(config('--restore-fail').options).toEqual({ restoreOutcome: 'FAILED' })
    expect(config('--restore-fail', '--restoring', '0ms').options).toEqual({ restoreOutcome: 'FAILED', restoringMs: 0 })
  })

  test('--busy with each --busy-code; DWS.0011 by default', () => {
    expect(config('--busy', '20s').busy).toEqual({ ms: 20_000, answer: { status: 409, code: 'DWS.0011' } })
    expect(config('--busy', '1m', '--busy-code', 'DWS.7023').busy).toEqual({ ms: 60_000, answer: { status: 403, code: 'DWS.7023' } })
    expect(config('--busy', '1s', '--busy-code', 'DWS.9999').busy).toEqual({ ms: 1000, answer: { status: 400, code: 'DWS.9999' } })
  })

  test.each<[string, object, number]>([
    ['create=503', { kind: 'status', status: 503 }, 1],
    ['create=503x3', { kind: 'status', status: 503 }, 3],
    ['list=drop', { kind: 'drop', when: 'before' }, 1],
    ['create=drop-after', { kind: 'drop', when: 'after' }, 1],
    ['details=delay2s', { kind: 'delay', ms: 2000 }, 1],
    ['details=delay500msx2', { kind: 'delay', ms: 500 }, 2],
    ['create=stall', { kind: 'stall' }, 1],
    ['details=gzip', { kind: 'encode', encoding: 'gzip' }, 1],
    ['details=deflate', { kind: 'encode', encoding: 'deflate' }, 1],
    ['details=br', { kind: 'encode', encoding: 'br' }, 1],
    ['details=x-unknownx4', { kind: 'encode', encoding: 'x-unknown' }, 4],
    ['create=mangle-empty', { kind: 'mangle', body: '{}' }, 1],
    ['create=mangle-truncated', { kind: 'mangle', body: '{"snapshot":{"id":"ab' }, 1],
    ['create=mangle-bad-id', { kind: 'mangle', body: '{"snapshot":{"id":"not-a-uuid"}}' }, 1],
    ['cluster-snapshots=500', { kind: 'status', status: 500 }, 1],
    ['restore=drop-after', { kind: 'drop', when: 'after' }, 1],
    ['delete-cluster=503x2', { kind: 'status', status: 503 }, 2],
    ['table-restore-check=gzip', { kind: 'encode', encoding: 'gzip' }, 1],
    ['table-restore=drop-after', { kind: 'drop', when: 'after' }, 1],
    ['job=stall', { kind: 'stall' }, 1]
  ])('--fault %s', (arg, fault, times) => {
    const route = arg.slice(0, arg.indexOf('='))
    expect(config('--fault', arg).faults).toEqual([{ route, fault, times }])
  })

  test('--fault mangle-html is labelled text/html', () => {
    expect(config('--fault', 'list=mangle-html').faults[0]?.fault).toMatchObject({
      kind: 'mangle',
      body: expect.stringMatching(/^<html>/),
      headers: { 'Content-Type': 'text/html; charset=utf-8' }
    })
  })

  test('--fault NNN-keystone and NNN-iam5 carry the nested and the IAM5 bodies', () => {
    expect(config('--fault', 'projects=401-keystone').faults[0]?.fault).toEqual({
      kind: 'status',
      status: 401,
      body: { error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } }
    })
    expect(config('--fault', 'create=403-iam5').faults[0]?.fault).toMatchObject({
      kind: 'status',
      status: 403,
      body: { error_code: 'APIGW.0302', encoded_authorization_message: expect.any(String) }
    })
  })

  test('--fault is repeatable and keeps its order', () => {
    const faults = config('--fault', 'create=503x2', '--fault', 'create=drop-after', '--fault', 'list=429').faults
    expect(faults.map((f) => [f.route, f.fault.kind, f.times])).toEqual([
      ['create', 'status', 2],
      ['create', 'drop', 1],
      ['list', 'status', 1]
    ])
  })

  test.each<[string[], RegExp]>([
    [['--port', 'abc'], /--port 'abc'/],
    [['--port', '70000'], /--port '70000'/],
    [['--port', ''], /--port ''/],
    [['--creating', '10'], /--creating '10' is not a duration/],
    [['--linger', 'soon'], /--linger 'soon'/],
    [['--busy', '5x'], /--busy '5x'/],
    [['--busy-code', 'DWS.0011'], /--busy-code needs --busy/],
    [['--busy', '1s', '--busy-code', 'DWS.0047'], /--busy-code 'DWS.0047' is not one of DWS.0011, DWS.7023, DWS.9999/],
    [['--end-status', 'FROZEN'], /--end-status 'FROZEN'/],
    [['--unknown-cluster', 'DWS.0047-500'], /--unknown-cluster 'DWS.0047-500'/],
    [['--fault', 'create'], /not ROUTE=SPEC/],
    [['--fault', 'snapshots=503'], /unknown route 'snapshots'/],
    [['--fault', 'create=teapot'], /--fault 'create=teapot': 'teapot' is not a fault/],
    [['--fault', 'create=200'], /200 is not an error status/],
    [['--fault', 'create=503x0'], /N of 1 or more/],
    [['--fault', 'create=delay'], /delay needs a duration/],
    [['--fault', 'create=delayforever'], /delay needs a duration/],
    [['--bogus'], /bogus/],
    [['stray'], /stray/],
    [['--port'], /--port/],
    [['--restoring', 'soon'], /--restoring 'soon' is not a duration/],
    [['--restore-fail=yes'], /restore-fail/]
  ])('bad arguments %j: a message saying what is wrong', (argv, message) => {
    expect(error(...argv)).toMatch(message)
  })

  test('USAGE lists every flag and route', () => {
    for (const flag of [
      '--port',
      '--creating',
      '--end-status',
      '--busy',
      '--busy-code',
      '--linger',
      '--zoneless',
      '--unknown-cluster',
      '--restoring',
      '--restore-fail',
      '--fault'
    ]) {
      expect(USAGE).toContain(flag)
    }
    for (const route of ['cluster-snapshots', 'restore', 'delete-cluster', 'table-restore-check', 'table-restore', 'job']) {
      expect(USAGE).toMatch(new RegExp(`ROUTE: .*\\b${route}\\b`))
    }
  })
})

describe('the CLI process', () => {
  const tsx = 'node_modules/.bin/tsx'
  // The test runner's NODE_OPTIONS (vm modules) are not the CLI's concern.
  const env = { ...process.env, NODE_OPTIONS: '' }

  test('bad arguments: the message and the usage on stderr, exit code 2', () => {
    const r = spawnSync(tsx, ['emulator/cli.ts', '--fault', 'create=teapot'], { env, encoding: 'utf8', timeout: 20_000 })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("--fault 'create=teapot'")
    expect(r.stderr).toContain('Usage: npm run emulator')
  })

  test('a --fault is served: the first list answers 503, the next one goes on to authentication', async () => {
    const child = spawn(tsx, ['emulator/cli.ts', '--fault', 'list=503'], { env, stdio: ['ignore', 'pipe', 'inherit'] })
    try {
      const lines = createInterface({ input: child.stdout })
      let url = ''
      for await (const line of lines) {
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)
        if (m !== null) {
          url = m[1]!
          break
        }
      }
      expect(url).not.toBe('')
      const statusOf = (): Promise<number> =>
        new Promise((resolve, reject) => {
          const req = request(`${url}/v1.0/${EMULATOR_DEFAULTS.projectId}/snapshots`, { agent: false }, (res) => {
            res.resume()
            resolve(res.statusCode ?? 0)
          })
          req.on('error', reject)
          req.end()
        })
      expect(await statusOf()).toBe(503)
      expect(await statusOf()).toBe(401) // unsigned: the fault is used up, so the gateway's auth answers
    } finally {
      child.kill('SIGTERM')
    }
  })

  test('--restore-fail --restoring 0ms --fault restore=drop-after: the banner names the snapshot; the answer is lost, the cluster exists and has FAILED', async () => {
    const child = spawn(tsx, ['emulator/cli.ts', '--restore-fail', '--restoring', '0ms', '--fault', 'restore=drop-after'], {
      env,
      stdio: ['ignore', 'pipe', 'inherit']
    })
    try {
      const banner: string[] = []
      for await (const line of createInterface({ input: child.stdout })) {
        banner.push(line)
        if (line.startsWith('Requests are logged')) break
      }
      const text = banner.join('\n')
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1] ?? ''
      expect(url).not.toBe('')
      expect(text).toContain(`snapshot_id        ${EMULATOR_DEFAULTS.snapshotId}`)
      expect(text).toContain('fault on restore x1')
      expect(text).toMatch(/stays CREATING \(task RESTORING\) for 0ms, then becomes FAILED/)
      expect(text).toContain('shop: public.orders   (dropped since')

      const P = EMULATOR_DEFAULTS.projectId
      const key = { accessKeyId: EMULATOR_DEFAULTS.accessKeyId, secretAccessKey: EMULATOR_DEFAULTS.secretAccessKey }
      const signed = (method: string, path: string, body: string): Promise<{ status: number; json: any }> =>
        new Promise((resolve, reject) => {
          const target = new URL(path, url)
          const headers: Record<string, string> = { 'Content-Type': 'application/json' }
          Object.assign(headers, signRequest({ method, url: target, headers, body }, key, new Date()), {
            'Content-Length': String(Buffer.byteLength(body))
          })
          const req = request(target, { method, headers, agent: false }, (res) => {
            let text = ''
            res.on('data', (chunk: Buffer) => (text += chunk.toString()))
            res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }))
          })
          req.on('error', reject)
          req.end(body)
        })
      const body = JSON.stringify({ restore: { name: 'from-the-cli' } })
      await expect(signed('POST', `/v1.0/${P}/snapshots/${EMULATOR_DEFAULTS.snapshotId}/actions`, body)).rejects.toThrow()
      const list = await signed('GET', `/v1.0/${P}/clusters`, '')
      expect(list.json.clusters.filter((c: any) => c.name === 'from-the-cli')).toEqual([
        expect.objectContaining({ status: 'FAILED', failed_reasons: { error_code: expect.any(String), error_msg: expect.any(String) } })
      ])
    } finally {
      child.kill('SIGTERM')
    }
  })
})
