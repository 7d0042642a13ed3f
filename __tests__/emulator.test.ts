/**
 * The emulator over real HTTP on loopback, signed with the project's own signer.
 * The emulator's clock is a variable the tests move, and its delays run on fake timers: nothing here sleeps
 * or reads the time taken.
 */
import type { IncomingHttpHeaders } from 'node:http'
import { connect } from 'node:net'
import { networkInterfaces } from 'node:os'
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'
import { jest } from '@jest/globals'
import { canonicalRequest, formatSdkDate, type AkSkCredentials } from '../src/cloud/signer.js'
import { EMULATOR_DEFAULTS, iam5Error, keystoneError, startEmulator, type BusyAnswer, type RecordedRequest } from '../emulator/index.js'
import { useEmulator, type Answer, type CallOptions } from './support/emulator-calls.js'

const T0 = Date.parse('2025-06-01T08:00:00Z')
const P = EMULATOR_DEFAULTS.projectId
const C = EMULATOR_DEFAULTS.clusterId
const KEY: AkSkCredentials = {
  accessKeyId: EMULATOR_DEFAULTS.accessKeyId,
  secretAccessKey: EMULATOR_DEFAULTS.secretAccessKey
}
const SNAPSHOTS = `/v1.0/${P}/snapshots`
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const t = useEmulator(T0)
const { start, prepare, open, call } = t

const create = (snapshot: object, options: CallOptions = {}): Promise<Answer> => call('POST', SNAPSHOTS, { ...options, body: { snapshot } })
const details = (id: string): Promise<Answer> => call('GET', `${SNAPSHOTS}/${id}`)
const cluster = (id: string = C): Promise<Answer> => call('GET', `/v1.0/${P}/clusters/${id}`)

function expectError(a: Answer, status: number, code: string): void {
  expect({ status: a.status, code: a.json?.error_code }).toEqual({ status, code })
  expect(typeof a.json.error_msg).toBe('string')
}

/**
 * Resolves with the next request the emulator records. It records a request as soon as it has read it,
 * and then routes it and starts any scripted delay in the same turn, so by the time this resolves a delay's
 * timer is running.
 */
function nextRecorded(): Promise<RecordedRequest> {
  const { requests } = t.emu
  const push = requests.push.bind(requests)
  return new Promise((resolve) => {
    requests.push = (...items: RecordedRequest[]): number => {
      requests.push = push
      const length = push(...items)
      resolve(items[0]!)
      return length
    }
  })
}

/** Fake timers for the emulator's own waits (delays); the clock, I/O callbacks and microtasks stay real. */
function useFakeTimers(): void {
  jest.useFakeTimers({
    doNotFake: ['Date', 'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate']
  })
}
afterEach(() => jest.useRealTimers())

describe('AK/SK signature', () => {
  test('a correctly signed request is accepted', async () => {
    const a = await call('GET', SNAPSHOTS)
    expect(a.status).toBe(200)
    expect(a.json).toEqual({ snapshots: [], count: 0 })
  })

  test('a signed query string and body are verified too', async () => {
    expect((await call('GET', '/v3/projects?name=cn-north-4&x=a%20b')).status).toBe(200)
    expect((await create({ name: 'signed-body', cluster_id: C })).status).toBe(200)
  })

  test('wrong SK: 401 APIGW.0301 echoing the canonical request with | for newlines, and request_id', async () => {
    const p = prepare('GET', SNAPSHOTS, { credentials: { ...KEY, secretAccessKey: 'not-the-secret' } })
    const res = await call('GET', SNAPSHOTS, { credentials: { ...KEY, secretAccessKey: 'not-the-secret' } })
    expectError(res, 401, 'APIGW.0301')
    const expected = canonicalRequest(
      'GET',
      p.url,
      {
        'content-type': 'application/json',
        host: p.url.host,
        'x-project-id': P,
        'x-sdk-date': formatSdkDate(new Date(t.clock))
      },
      ''
    )
    expect(res.json.error_msg).toContain('verify aksk signature fail')
    expect(res.json.error_msg).toContain(`canonicalRequest: ${expected.replace(/\n/g, '|')}`)
    expect(res.json.error_msg).toContain(`GET|${SNAPSHOTS}/||`)
    expect(res.json.request_id).toBe(res.headers['x-request-id'])
  })

  test('unknown AK: 401 APIGW.0301', async () => {
    const res = await call('GET', SNAPSHOTS, { credentials: { ...KEY, accessKeyId: 'UNKNOWNACCESSKEY0000' } })
    expectError(res, 401, 'APIGW.0301')
    expect(res.json.error_msg).toContain('canonicalRequest: GET|')
  })

  test('a header changed after signing breaks the signature', async () => {
    const res = await call('GET', SNAPSHOTS, { after: (h) => (h['X-Project-Id'] = 'tampered') })
    expectError(res, 401, 'APIGW.0301')
  })

  test('the clock window is 15 minutes either way, on the emulator clock', async () => {
    const min = 60_000
    expect((await call('GET', SNAPSHOTS, { date: new Date(t.clock - 14 * min) })).status).toBe(200)
    expect((await call('GET', SNAPSHOTS, { date: new Date(t.clock + 14 * min) })).status).toBe(200)
    expectError(await call('GET', SNAPSHOTS, { date: new Date(t.clock - 16 * min) }), 401, 'APIGW.0303')
    expectError(await call('GET', SNAPSHOTS, { date: new Date(t.clock + 16 * min) }), 401, 'APIGW.0303')
  })

  test('missing or malformed X-Sdk-Date: 401 APIGW.0303', async () => {
    expectError(await call('GET', SNAPSHOTS, { after: (h) => delete h['X-Sdk-Date'] }), 401, 'APIGW.0303')
    expectError(await call('GET', SNAPSHOTS, { after: (h) => (h['X-Sdk-Date'] = '2025-06-01T08:00:00Z') }), 401, 'APIGW.0303')
    expectError(await call('GET', SNAPSHOTS, { after: (h) => (h['X-Sdk-Date'] = '20251301T080000Z') }), 401, 'APIGW.0303')
  })

  test.each(['host', 'x-sdk-date'])('%s must be signed', async (name) => {
    const res = await call('GET', SNAPSHOTS, {
      after: (h) => {
        h['Authorization'] = (h['Authorization'] ?? '').replace(
          /SignedHeaders=([^,]+)/,
          (_, list: string) =>
            `SignedHeaders=${list
              .split(';')
              .filter((n) => n !== name)
              .join(';')}`
        )
      }
    })
    expectError(res, 401, 'APIGW.0301')
    expect(res.json.error_msg).toContain('host and x-sdk-date')
  })

  test('a malformed Authorization header: 401 APIGW.0301', async () => {
    expectError(await call('GET', SNAPSHOTS, { after: (h) => (h['Authorization'] = 'Basic Zm9vOmJhcg==') }), 401, 'APIGW.0301')
  })

  test('no authentication at all: 401 APIGW.0301', async () => {
    expectError(await call('GET', SNAPSHOTS, { auth: 'none' }), 401, 'APIGW.0301')
  })

  describe('temporary credentials', () => {
    const TEMP = { accessKeyId: 'EMULATORTEMPKEY00001', secretAccessKey: 'TempSecret', securityToken: 'temp-security-token' }
    beforeEach(() => start({ accessKeys: [TEMP] }))

    test('accepted with the matching signed X-Security-Token', async () => {
      expect((await call('GET', SNAPSHOTS, { credentials: TEMP })).status).toBe(200)
    })

    test('refused without the token, or with another one', async () => {
      const { securityToken: _, ...withoutToken } = TEMP
      expectError(await call('GET', SNAPSHOTS, { credentials: withoutToken }), 401, 'APIGW.0301')
      expectError(await call('GET', SNAPSHOTS, { credentials: { ...TEMP, securityToken: 'other' } }), 401, 'APIGW.0301')
    })
  })
})

describe('token authentication', () => {
  test('a known X-Auth-Token is accepted', async () => {
    expect((await call('GET', SNAPSHOTS, { auth: 'token' })).status).toBe(200)
  })

  test('an unknown token: 401 APIGW.0307', async () => {
    expectError(await call('GET', SNAPSHOTS, { auth: 'token', token: 'expired-token' }), 401, 'APIGW.0307')
  })
})

describe('IAM project lookup', () => {
  test('by region name: the matching project', async () => {
    const a = await call('GET', '/v3/projects?name=cn-north-4')
    expect(a.status).toBe(200)
    expect(a.json.projects).toHaveLength(1)
    expect(a.json.projects[0]).toMatchObject({ id: P, name: 'cn-north-4' })
  })

  test('no project for another region: an empty list', async () => {
    const a = await call('GET', '/v3/projects?name=eu-west-101')
    expect(a.status).toBe(200)
    expect(a.json).toEqual({ projects: [] })
  })

  test('configured projects are all listed without a filter', async () => {
    await start({
      projects: [
        { id: 'p1', name: 'cn-north-4' },
        { id: 'p2', name: 'cn-north-4_sub' }
      ]
    })
    const a = await call('GET', '/v3/projects')
    expect(a.json.projects.map((p: { id: string }) => p.id)).toEqual(['p1', 'p2'])
  })
})

describe('snapshots: create, details, list, delete, cluster', () => {
  test('full round trip with the lifecycle driven by the clock', async () => {
    const created = await create({ name: 'Release-42', cluster_id: C, description: 'before migration' })
    expect(created.status).toBe(200)
    expect(created.headers['content-type']).toBe('application/json')
    expect(Object.keys(created.json)).toEqual(['snapshot'])
    const id: string = created.json.snapshot.id
    expect(id).toMatch(UUID)

    let d = await details(id)
    expect(d.status).toBe(200)
    expect(d.json.snapshot).toEqual({
      id,
      name: 'Release-42',
      description: 'before migration',
      started: '2025-06-01T08:00:00Z',
      finished: '',
      size: 0,
      status: 'CREATING',
      type: 'MANUAL',
      cluster_id: C,
      progress: '0%'
    })
    expect((await cluster()).json.cluster).toMatchObject({ id: C, task_status: 'SNAPSHOTTING' })

    t.clock += 24_000
    d = await details(id)
    expect(d.json.snapshot).toMatchObject({ status: 'CREATING', progress: '40%' })

    const list = await call('GET', SNAPSHOTS)
    expect(list.json.count).toBe(1)
    expect(list.json.snapshots[0]).toMatchObject({ id, name: 'Release-42', status: 'CREATING' })
    expect(list.json.snapshots[0]).not.toHaveProperty('progress')

    t.clock += 36_000
    d = await details(id)
    expect(d.json.snapshot).toMatchObject({ status: 'AVAILABLE', finished: '2025-06-01T08:01:00Z', size: 1.5 })
    expect(d.json.snapshot).not.toHaveProperty('progress')
    expect((await cluster()).json.cluster.task_status).toBe('')

    const del = await call('DELETE', `${SNAPSHOTS}/${id}`)
    expect(del.status).toBe(202)
    expect(del.text).toBe('')
    expect(del.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/)
    expectError(await details(id), 400, 'DWS.5149')
    // A repeated delete is answered as the service does: 400 DWS.0001.
    expectError(await call('DELETE', `${SNAPSHOTS}/${id}`), 400, 'DWS.0001')
    expect(t.emu.snapshots()).toEqual([])
  })

  test('a snapshot that ends UNAVAILABLE, and the plan applies to one snapshot only', async () => {
    t.emu.nextSnapshot({ creatingMs: 10_000, outcome: 'UNAVAILABLE' })
    const first = (await create({ name: 'doomed-1', cluster_id: C })).json.snapshot.id as string
    t.clock += 9_999
    expect((await details(first)).json.snapshot.status).toBe('CREATING')
    t.clock += 1
    expect((await details(first)).json.snapshot).toMatchObject({ status: 'UNAVAILABLE', size: 0, finished: '2025-06-01T08:00:10Z' })

    const second = (await create({ name: 'fine-2', cluster_id: C })).json.snapshot.id as string
    t.clock += 60_000
    expect((await details(second)).json.snapshot.status).toBe('AVAILABLE')
  })

  test('seeded snapshots show in list and snapshots(); only manual, finished ones can be deleted', async () => {
    const seeded = t.emu.addSnapshot({ name: 'old-one', startedMs: T0 - 3_600_000 })
    const auto = t.emu.addSnapshot({ name: 'auto-one', type: 'AUTOMATED', status: 'AVAILABLE' })
    const frozen = t.emu.addSnapshot({ name: 'frozen-one', status: 'FROZEN' })
    expect(seeded).toMatchObject({ status: 'AVAILABLE', started: '2025-06-01T07:00:00Z', project_id: P, cluster_id: C })
    const list = await call('GET', SNAPSHOTS)
    expect(list.json.count).toBe(3)
    expect((await details(frozen.id)).json.snapshot.status).toBe('FROZEN')
    expectError(await call('DELETE', `${SNAPSHOTS}/${auto.id}`), 400, 'DWS.0001')
    expectError(await call('DELETE', `${SNAPSHOTS}/${frozen.id}`), 403, 'DWS.0015')
    const police = t.emu.addSnapshot({ name: 'police-one', status: 'POLICE_FROZEN' })
    expectError(await call('DELETE', `${SNAPSHOTS}/${police.id}`), 403, 'DWS.0015')

    const running = t.emu.addSnapshot({ name: 'running-one', status: 'CREATING', creatingMs: 1000 })
    expectError(await call('DELETE', `${SNAPSHOTS}/${running.id}`), 409, 'DWS.0011')
    t.clock += 1000
    expect((await call('DELETE', `${SNAPSHOTS}/${running.id}`)).status).toBe(202)
  })

  test("the cluster's list names automated snapshots AUTO (the project list AUTOMATED), and only this cluster's", async () => {
    const other = '11111111-2222-4333-8444-555555555555'
    await start({
      clusters: [
        { id: C, name: 'c' },
        { id: other, name: 'o' }
      ]
    })
    t.emu.addSnapshot({ name: 'auto-one', type: 'AUTOMATED' })
    t.emu.addSnapshot({ name: 'mine-one' })
    t.emu.addSnapshot({ name: 'theirs-one', clusterId: other })
    const list = await call('GET', `/v1.0/${P}/clusters/${C}/snapshots`)
    expect(list.json).toMatchObject({ project_id: P, cluster_id: C, count: 2 })
    expect(list.json.snapshots.map((s: { name: string; type: string }) => [s.name, s.type])).toEqual([
      ['auto-one', 'AUTO'],
      ['mine-one', 'MANUAL']
    ])
    expect((await call('GET', SNAPSHOTS)).json.snapshots[0].type).toBe('AUTOMATED')
  })

  test.each<['page' | 'record', string, string[]]>([
    ['page', 'limit=2&offset=1', ['s2', 's3']],
    ['page', 'limit=2&offset=2', ['s4']],
    ['record', 'limit=2&offset=1', ['s1', 's2']],
    ['record', 'limit=2&offset=4', ['s4']],
    ['record', 'limit=2&offset=9', []]
  ])("the cluster's list pages with offset as a %s index: %s", async (offsetReading, query, names) => {
    await start({ offsetReading })
    for (let i = 0; i < 5; i++) t.emu.addSnapshot({ name: `s${i}`, startedMs: T0 + i })
    const page = await call('GET', `/v1.0/${P}/clusters/${C}/snapshots?${query}`)
    expect(page.json.snapshots.map((s: { name: string }) => s.name)).toEqual(names)
    expect(page.json.count).toBe(5)
    expect((await call('GET', `/v1.0/${P}/clusters/${C}/snapshots`)).json.snapshots).toHaveLength(5)
    expectError(await call('GET', `/v1.0/${P}/clusters/${C}/snapshots?limit=x`), 400, 'DWS.0001')
  })

  test('with a delete lag, a deleted snapshot still shows for a while; deleting it again is 400 DWS.0001', async () => {
    await start({ deleteLagMs: 10_000 })
    const s = t.emu.addSnapshot({ name: 'going-1' })
    expect((await call('DELETE', `${SNAPSHOTS}/${s.id}`)).status).toBe(202)
    expect(t.emu.snapshots()).toEqual([])
    expect((await details(s.id)).json.snapshot.name).toBe('going-1')
    expect((await call('GET', `/v1.0/${P}/clusters/${C}/snapshots`)).json.count).toBe(1)
    expectError(await call('DELETE', `${SNAPSHOTS}/${s.id}`), 400, 'DWS.0001')
    t.clock += 10_000
    expectError(await details(s.id), 400, 'DWS.5149')
    expect((await call('GET', SNAPSHOTS)).json.count).toBe(0)
    await expect(startEmulator({ deleteLagMs: -1 })).rejects.toThrow(/deleteLagMs/)
  })

  test('zone-less times in the lists and the details', async () => {
    await start({ zonelessTimes: true })
    t.emu.addSnapshot({ name: 'plain-1', startedMs: T0 })
    const [listed] = (await call('GET', `/v1.0/${P}/clusters/${C}/snapshots`)).json.snapshots
    expect(listed.started).toBe('2025-06-01T08:00:00')
  })

  test('cluster details: failed_reasons when set', async () => {
    expect((await cluster()).json.cluster).not.toHaveProperty('failed_reasons')
    const reasons = { error_code: 'DWS.6000', error_msg: 'disk full' }
    t.emu.setFailedReasons(C, reasons)
    expect((await cluster()).json.cluster.failed_reasons).toEqual(reasons)
    await start({ clusters: [{ id: C, name: 'c', failedReasons: reasons }] })
    expect((await cluster()).json.cluster.failed_reasons).toEqual(reasons)
  })
})

describe('create validation: 400 DWS.0001 saying what is wrong', () => {
  const long = 'a'.repeat(257)
  test.each<[string, string | object, RegExp]>([
    ['body is not JSON', '{"snapshot":', /not valid JSON/],
    ['body is not an object', '[1]', /"snapshot"/],
    ['no snapshot object', { name: 'abcd', cluster_id: C }, /"snapshot"/],
    ['no name', { snapshot: { cluster_id: C } }, /name is required/],
    ['name starting with a digit', { snapshot: { name: '1abc', cluster_id: C } }, /name '1abc' is invalid/],
    ['name of 3 characters', { snapshot: { name: 'abc', cluster_id: C } }, /4 to 64/],
    ['name of 65 characters', { snapshot: { name: `a${'b'.repeat(64)}`, cluster_id: C } }, /4 to 64/],
    ['name with a dot', { snapshot: { name: 'snap.1', cluster_id: C } }, /is invalid/],
    ['name not a string', { snapshot: { name: 42, cluster_id: C } }, /name is required/],
    ['no cluster_id', { snapshot: { name: 'abcd' } }, /cluster_id is required/],
    ['cluster_id not a UUID', { snapshot: { name: 'abcd', cluster_id: 'my-cluster' } }, /not a UUID/],
    ['description of 257 characters', { snapshot: { name: 'abcd', cluster_id: C, description: long } }, /at most 256/],
    ['description not a string', { snapshot: { name: 'abcd', cluster_id: C, description: 5 } }, /must be a string/],
    ...Array.from(`!<>'=&"`).map((ch): [string, object, RegExp] => [
      `description containing ${ch}`,
      { snapshot: { name: 'abcd', cluster_id: C, description: `a ${ch} b` } },
      /must not contain/
    ])
  ])('%s', async (_, body, message) => {
    const a = await call('POST', SNAPSHOTS, { body })
    expectError(a, 400, 'DWS.0001')
    expect(a.json.error_msg).toMatch(message)
    expect(t.emu.snapshots()).toHaveLength(0)
  })

  test('limits are inclusive: 4 and 64 character names, a 256 character description', async () => {
    expect((await create({ name: 'a_-1', cluster_id: C })).status).toBe(200)
    t.clock += 60_000
    const desc = 'x'.repeat(256)
    expect((await create({ name: `Z${'9'.repeat(63)}`, cluster_id: C, description: desc })).status).toBe(200)
  })
})

describe('create conflicts and unknown resources', () => {
  test('a duplicate name, compared case-insensitively: 400 DWS.0001 "already exists"', async () => {
    expect((await create({ name: 'Nightly-1', cluster_id: C })).status).toBe(200)
    t.clock += 60_000
    const dup = await create({ name: 'nightly-1', cluster_id: C })
    expectError(dup, 400, 'DWS.0001')
    expect(dup.json.error_msg).toMatch(/already exists/)

    t.emu.addSnapshot({ name: 'Release_2' })
    expectError(await create({ name: 'RELEASE_2', cluster_id: C }), 400, 'DWS.0001')
    expect(t.emu.snapshots()).toHaveLength(2)
  })

  test('unknown cluster: 404 DWS.0047 on create and on cluster details', async () => {
    const other = '11111111-2222-4333-8444-555555555555'
    expectError(await create({ name: 'abcd', cluster_id: other }), 404, 'DWS.0047')
    expectError(await cluster(other), 404, 'DWS.0047')
  })

  test('unknown snapshot id: 400 DWS.5149', async () => {
    expectError(await details('00000000-0000-4000-8000-000000000000'), 400, 'DWS.5149')
  })

  test('unknown project id, route or method: 404 APIGW.0101 with request_id', async () => {
    const a = await call('GET', '/v1.0/ffffffffffffffffffffffffffffffff/snapshots')
    expectError(a, 404, 'APIGW.0101')
    expect(a.json.request_id).toBe(a.headers['x-request-id'])
    expectError(await call('PUT', SNAPSHOTS, { body: '{}' }), 404, 'APIGW.0101')
    expectError(await call('GET', `/v1.0/${P}/nothing`), 404, 'APIGW.0101')
    expectError(await call('GET', `${SNAPSHOTS}/`), 404, 'APIGW.0101')
    expectError(await call('GET', '/v3/projects', { auth: 'none', headers: {} }), 401, 'APIGW.0301')
  })

  test('another snapshot CREATING on the cluster: 409 DWS.0011 until it finishes', async () => {
    t.emu.addSnapshot({ name: 'automated-1', type: 'AUTOMATED', status: 'CREATING', creatingMs: 5_000 })
    expectError(await create({ name: 'mine-1', cluster_id: C }), 409, 'DWS.0011')
    t.clock += 5_000
    expect((await create({ name: 'mine-1', cluster_id: C })).status).toBe(200)
  })

  test.each<BusyAnswer>([
    { status: 409, code: 'DWS.0011' },
    { status: 403, code: 'DWS.7023' }
  ])('a busy cluster answers $status $code until the clock reaches untilMs', async (answer) => {
    const { status, code } = answer
    t.emu.setClusterBusy(C, t.clock + 30_000, answer)
    expectError(await create({ name: 'busy-1', cluster_id: C }), status, code)
    t.clock += 29_999
    expectError(await create({ name: 'busy-1', cluster_id: C }), status, code)
    t.clock += 1
    expect((await create({ name: 'busy-1', cluster_id: C })).status).toBe(200)
    expect(t.emu.snapshots()).toHaveLength(1)
  })

  test('setClusterBusy defaults to 409 DWS.0011', async () => {
    t.emu.setClusterBusy(C, t.clock + 1)
    expectError(await create({ name: 'busy-2', cluster_id: C }), 409, 'DWS.0011')
  })
})

describe('fault injection', () => {
  test('status fault with Retry-After: answered instead of handling, once by default', async () => {
    t.emu.inject('create', { kind: 'status', status: 503, headers: { 'Retry-After': '7' } })
    const a = await create({ name: 'after-503', cluster_id: C })
    expectError(a, 503, 'APIGW.0613')
    expect(a.headers['retry-after']).toBe('7')
    expect(a.json.request_id).toBe(a.headers['x-request-id'])
    expect(t.emu.snapshots()).toHaveLength(0)
    expect((await create({ name: 'after-503', cluster_id: C })).status).toBe(200)
  })

  test('times, queue order, per route; default bodies for 429 and 500', async () => {
    t.emu.inject('list', { kind: 'status', status: 429 }, 2)
    t.emu.inject('list', { kind: 'status', status: 500, body: { error_code: 'DWS.0005', error_msg: 'try later' } })
    expect((await details('00000000-0000-4000-8000-000000000000')).status).toBe(400) // other route untouched
    expectError(await call('GET', SNAPSHOTS), 429, 'APIGW.0308')
    expectError(await call('GET', SNAPSHOTS), 429, 'APIGW.0308')
    const a = await call('GET', SNAPSHOTS)
    expect(a.status).toBe(500)
    expect(a.json).toEqual({ error_code: 'DWS.0005', error_msg: 'try later' })
    expect((await call('GET', SNAPSHOTS)).status).toBe(200)
  })

  test('a non-JSON body, as from a proxy', async () => {
    const html = '<html><body><h1>502 Bad Gateway</h1></body></html>'
    t.emu.inject('details', { kind: 'status', status: 502, body: html })
    const a = await details('00000000-0000-4000-8000-000000000000')
    expect(a.status).toBe(502)
    expect(a.headers['content-type']).toMatch(/^text\/html/)
    expect(a.text).toBe(html)
    expect(a.headers['x-request-id']).toBeDefined()
  })

  test('delay: held on a timer of that length, then answered normally', async () => {
    useFakeTimers()
    t.emu.inject('list', { kind: 'delay', ms: 60_000 })
    const arrived = nextRecorded()
    const answer = call('GET', SNAPSHOTS)
    const record = await arrived
    await jest.advanceTimersByTimeAsync(59_999)
    expect(record).toMatchObject({ route: 'list', fault: 'delay', status: 'pending' })
    await jest.advanceTimersByTimeAsync(1)
    expect((await answer).status).toBe(200)
    expect(record.status).toBe(200)
  })

  test('drop before: the connection closes with no answer and no snapshot is created', async () => {
    t.emu.inject('create', { kind: 'drop', when: 'before' })
    await expect(create({ name: 'dropped-1', cluster_id: C })).rejects.toThrow(/socket hang up|ECONNRESET/)
    expect(t.emu.snapshots()).toHaveLength(0)
    expect(t.emu.requests.at(-1)).toMatchObject({ route: 'create', status: 'dropped', fault: 'drop' })
  })

  test('drop after: the snapshot is created but the answer never comes', async () => {
    t.emu.inject('create', { kind: 'drop', when: 'after' })
    await expect(create({ name: 'dropped-2', cluster_id: C })).rejects.toThrow(/socket hang up|ECONNRESET/)
    expect(t.emu.snapshots()).toMatchObject([{ name: 'dropped-2', status: 'CREATING' }])
    expect(t.emu.requests.at(-1)?.status).toBe('dropped')
  })

  test('stall: headers and the first half of the body, never the rest; close() ends it unfinished', async () => {
    t.emu.inject('create', { kind: 'stall' })
    const res = await open(prepare('POST', SNAPSHOTS, { body: { snapshot: { name: 'stalled-1', cluster_id: C } } }))
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/)
    let received = ''
    let ended = false
    const firstChunk = new Promise<void>((resolve) => res.once('data', () => resolve()))
    const closed = new Promise<void>((resolve) => res.on('close', resolve))
    res.on('error', () => undefined)
    res.on('data', (chunk: Buffer) => (received += chunk.toString()))
    res.on('end', () => (ended = true))
    await firstChunk
    expect(t.emu.snapshots()).toHaveLength(1) // the create was applied
    expect(t.emu.requests.at(-1)).toMatchObject({ route: 'create', status: 200, fault: 'stall' })

    await t.emu.close()
    await closed
    expect(ended).toBe(false)
    const whole = JSON.stringify({ snapshot: { id: t.emu.snapshots()[0]?.id } })
    expect(received).toBe(whole.slice(0, Math.ceil(whole.length / 2)))
  })

  test('close() cuts a pending delay short: its timer is cleared and the request hung up unanswered', async () => {
    useFakeTimers()
    t.emu.inject('list', { kind: 'delay', ms: 60_000 })
    const arrived = nextRecorded()
    const pending = call('GET', SNAPSHOTS).then(
      () => 'answered',
      (error: unknown) => (error as Error).message
    )
    const record = await arrived
    expect(jest.getTimerCount()).toBe(1)
    await t.emu.close()
    expect(jest.getTimerCount()).toBe(0)
    expect(await pending).toMatch(/socket hang up|ECONNRESET/)
    expect(record.status).toBe('pending')
  })
})

describe('plumbing', () => {
  test('every answer carries X-Request-Id; requests are recorded with route, status and headers', async () => {
    const answers = [
      await call('GET', SNAPSHOTS),
      await call('GET', SNAPSHOTS, { auth: 'none' }),
      await call('GET', '/nowhere'),
      await details('00000000-0000-4000-8000-000000000000')
    ]
    const ids = answers.map((a) => a.headers['x-request-id'])
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/)
    expect(new Set(ids).size).toBe(4)
    expect(t.emu.requests.map((r) => [r.method, r.path, r.route, r.status])).toEqual([
      ['GET', SNAPSHOTS, 'list', 200],
      ['GET', SNAPSHOTS, 'list', 401],
      ['GET', '/nowhere', undefined, 404],
      ['GET', `${SNAPSHOTS}/00000000-0000-4000-8000-000000000000`, 'details', 400]
    ])
    expect(t.emu.requests[0]?.headers['x-project-id']).toBe(P)
    expect(t.emu.requests[0]?.requestId).toBe(ids[0])
  })

  test('listens on 127.0.0.1 only', async () => {
    expect(t.emu.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((i) => i !== undefined && !i.internal)
      .map((i) => i!.address)
    for (const host of ['::1', ...others]) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect({ host, port: t.emu.port })
        socket.once('connect', () => {
          socket.destroy()
          resolve('connected')
        })
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
      })
      expect({ host, outcome }).not.toEqual({ host, outcome: 'connected' })
    }
  })
})

/** The body exactly as sent, for answers the `call` helper would decode as text. */
async function rawCall(
  method: string,
  path: string,
  options: CallOptions = {}
): Promise<{ status: number; headers: IncomingHttpHeaders; bytes: Buffer }> {
  const res = await open(prepare(method, path, options))
  const chunks: Buffer[] = []
  for await (const chunk of res) chunks.push(chunk as Buffer)
  return { status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }
}

const OTHER_CLUSTER = '11111111-2222-4333-8444-555555555555'
const clusterSnapshots = (id: string = C): Promise<Answer> => call('GET', `/v1.0/${P}/clusters/${id}/snapshots`)

describe('real-service variants', () => {
  test('zonelessTimes: started/finished without Z in details, list and the cluster snapshot list', async () => {
    await start({ zonelessTimes: true })
    const id: string = (await create({ name: 'zoneless-1', cluster_id: C })).json.snapshot.id
    expect((await details(id)).json.snapshot).toMatchObject({ started: '2025-06-01T08:00:00', finished: '' })
    t.clock += 60_000
    const done = { started: '2025-06-01T08:00:00', finished: '2025-06-01T08:01:00' }
    expect((await details(id)).json.snapshot).toMatchObject(done)
    expect((await call('GET', SNAPSHOTS)).json.snapshots[0]).toMatchObject(done)
    expect((await clusterSnapshots()).json.snapshots[0]).toMatchObject(done)
  })

  test("the cluster's snapshot list: only that cluster's snapshots, with project and cluster ids", async () => {
    await start({
      clusters: [
        { id: C, name: 'a' },
        { id: OTHER_CLUSTER, name: 'b' }
      ]
    })
    t.emu.addSnapshot({ name: 'on-a', clusterId: C })
    t.emu.addSnapshot({ name: 'on-b', clusterId: OTHER_CLUSTER })
    const a = await clusterSnapshots(OTHER_CLUSTER)
    expect(a.status).toBe(200)
    expect(a.json).toMatchObject({ project_id: P, cluster_id: OTHER_CLUSTER, count: 1 })
    expect(a.json.snapshots.map((s: { name: string }) => s.name)).toEqual(['on-b'])
  })

  test.each([
    ['DWS.0047-404', 404, { error_code: 'DWS.0047', error_msg: 'The cluster does not exist.' }],
    ['DWS.0047-401', 401, { error_code: 'DWS.0047', error_msg: 'The cluster does not exist.' }],
    ['DWS.0015-403', 403, { error_code: 'DWS.0015', error_msg: 'The resource does not exist or you do not have permission to access it.' }]
  ] as const)('unknownCluster %s: create, cluster details and its snapshot list answer %i', async (unknownCluster, status, body) => {
    await start({ unknownCluster })
    for (const a of [
      await create({ name: 'nowhere-1', cluster_id: OTHER_CLUSTER }),
      await cluster(OTHER_CLUSTER),
      await clusterSnapshots(OTHER_CLUSTER)
    ]) {
      expect({ status: a.status, body: a.json }).toEqual({ status, body })
    }
    expect(t.emu.snapshots()).toHaveLength(0)
  })

  test.each(['DWS.0047-404', 'DWS.0015-403'] as const)(
    'unknownCluster %s: a malformed cluster id is 400 DWS.0001 regardless',
    async (unknownCluster) => {
      await start({ unknownCluster })
      for (const a of [await cluster('my-cluster'), await clusterSnapshots('my-cluster')]) {
        expect({ status: a.status, body: a.json }).toEqual({
          status: 400,
          body: { error_code: 'DWS.0001', error_msg: 'Incorrect parameter.' }
        })
      }
      expectError(await create({ name: 'malformed-1', cluster_id: 'my-cluster' }), 400, 'DWS.0001')
    }
  )

  test('busy answer DWS.9999: 400 naming DWS.7023, with errCode and externalMessage beside error_code/error_msg', async () => {
    t.emu.setClusterBusy(C, t.clock + 1000, { status: 400, code: 'DWS.9999' })
    const a = await create({ name: 'busy-9999', cluster_id: C })
    expect(a.status).toBe(400)
    expect(a.json).toEqual({
      error_code: 'DWS.9999',
      error_msg: 'DWS.7023: The cluster status does not allow this operation.',
      errCode: 'DWS.9999',
      externalMessage: 'DWS.7023: The cluster status does not allow this operation.'
    })
    t.clock += 1000
    expect((await create({ name: 'busy-9999', cluster_id: C })).status).toBe(200)
  })

  test('every busy answer carries errCode and externalMessage: scripted, cluster snapshotting, delete while CREATING', async () => {
    t.emu.setClusterBusy(C, t.clock + 1, { status: 403, code: 'DWS.7023' })
    const scripted = await create({ name: 'busy-a', cluster_id: C })
    t.clock += 1
    const running = t.emu.addSnapshot({ name: 'running-a', status: 'CREATING' })
    const snapshotting = await create({ name: 'busy-b', cluster_id: C })
    const deleting = await call('DELETE', `${SNAPSHOTS}/${running.id}`)
    for (const [a, status, code] of [
      [scripted, 403, 'DWS.7023'],
      [snapshotting, 409, 'DWS.0011'],
      [deleting, 409, 'DWS.0011']
    ] as const) {
      expectError(a, status, code)
      expect(a.json).toMatchObject({ errCode: code, externalMessage: a.json.error_msg })
    }
  })

  test('setClusterStatus: shown by the cluster view; create answers 403 DWS.7023 unless AVAILABLE', async () => {
    expect((await cluster()).json.cluster).toMatchObject({ status: 'AVAILABLE', sub_status: 'NORMAL' })
    t.emu.setClusterStatus(C, 'UNAVAILABLE')
    expect((await cluster()).json.cluster).toMatchObject({ status: 'UNAVAILABLE', sub_status: 'NORMAL' })
    const refused = await create({ name: 'status-1', cluster_id: C })
    expectError(refused, 403, 'DWS.7023')
    expect(refused.json.error_msg).toBe('The cluster status does not allow this operation.')
    expect(t.emu.snapshots()).toHaveLength(0)
    t.emu.setClusterStatus(C, 'AVAILABLE')
    expect((await create({ name: 'status-1', cluster_id: C })).status).toBe(200)
    expect(() => t.emu.setClusterStatus(OTHER_CLUSTER, 'FROZEN')).toThrow(/unknown cluster/)
  })
})

describe('cluster task: action_progress and the linger after a snapshot', () => {
  test('by default: action_progress follows the snapshot progress, then {}; the task ends with the snapshot', async () => {
    expect((await cluster()).json.cluster.action_progress).toEqual({})
    const id: string = (await create({ name: 'progress-1', cluster_id: C })).json.snapshot.id
    t.clock += 24_000
    const progress = (await details(id)).json.snapshot.progress
    expect(progress).toBe('40%')
    expect((await cluster()).json.cluster.action_progress).toEqual({ SNAPSHOTTING: progress })
    t.clock += 36_000
    expect((await cluster()).json.cluster).toMatchObject({ task_status: '', action_progress: {} })
    expect((await create({ name: 'progress-2', cluster_id: C })).status).toBe(200)
  })

  test('taskLingerMs: SNAPSHOTTING and busy for that long after AVAILABLE; snapshots carry cluster_task_status', async () => {
    await start({ taskLingerMs: 30_000 })
    const id: string = (await create({ name: 'linger-1', cluster_id: C })).json.snapshot.id
    expect((await details(id)).json.snapshot).toMatchObject({ status: 'CREATING', cluster_task_status: 'SNAPSHOTTING' })

    t.clock += 60_000
    expect((await details(id)).json.snapshot).toMatchObject({ status: 'AVAILABLE', cluster_task_status: 'SNAPSHOTTING' })
    expect((await call('GET', SNAPSHOTS)).json.snapshots[0].cluster_task_status).toBe('SNAPSHOTTING')
    expect((await cluster()).json.cluster).toMatchObject({ task_status: 'SNAPSHOTTING', action_progress: {} })
    expectError(await create({ name: 'linger-2', cluster_id: C }), 409, 'DWS.0011')

    t.clock += 29_999
    expect((await cluster()).json.cluster.task_status).toBe('SNAPSHOTTING')
    t.clock += 1
    expect((await cluster()).json.cluster.task_status).toBe('')
    expect((await details(id)).json.snapshot.cluster_task_status).toBe('')
    expect((await create({ name: 'linger-2', cluster_id: C })).status).toBe(200)
  })

  test('taskLingerMs: a seeded finished snapshot does not hold the task; an UNAVAILABLE end does', async () => {
    await start({ taskLingerMs: 30_000 })
    t.emu.addSnapshot({ name: 'old-seed' })
    expect((await cluster()).json.cluster.task_status).toBe('')
    t.emu.nextSnapshot({ creatingMs: 1000, outcome: 'UNAVAILABLE' })
    await create({ name: 'failing-1', cluster_id: C })
    t.clock += 1000
    expect((await cluster()).json.cluster.task_status).toBe('SNAPSHOTTING')
  })

  test('taskLingerMs must not be negative', async () => {
    await expect(startEmulator({ taskLingerMs: -1 })).rejects.toThrow(/taskLingerMs/)
  })

  test('snapshotOutcome: created snapshots end as configured unless a plan says otherwise', async () => {
    await start({ snapshotOutcome: 'UNAVAILABLE' })
    const first: string = (await create({ name: 'outcome-1', cluster_id: C })).json.snapshot.id
    t.clock += 60_000
    t.emu.nextSnapshot({ outcome: 'AVAILABLE' })
    const second: string = (await create({ name: 'outcome-2', cluster_id: C })).json.snapshot.id
    t.clock += 60_000
    expect((await details(first)).json.snapshot.status).toBe('UNAVAILABLE')
    expect((await details(second)).json.snapshot.status).toBe('AVAILABLE')
  })
})

describe('nested error bodies for status faults', () => {
  test('keystoneError: {"error":{"code","message","title"}} with that status', async () => {
    t.emu.inject('projects', {
      kind: 'status',
      ...keystoneError(403, 'You are not authorized to perform the requested action.', 'Forbidden')
    })
    const a = await call('GET', '/v3/projects')
    expect(a.status).toBe(403)
    expect(a.json).toEqual({ error: { code: 403, message: 'You are not authorized to perform the requested action.', title: 'Forbidden' } })
  })

  test('iam5Error: the flat body plus encoded_authorization_message', async () => {
    t.emu.inject('create', { kind: 'status', ...iam5Error(403, 'APIGW.0302', 'Not authorized.', 'req-1', 'ENCODED-BLOB') })
    const a = await create({ name: 'denied-1', cluster_id: C })
    expect(a.status).toBe(403)
    expect(a.json).toEqual({
      error_code: 'APIGW.0302',
      error_msg: 'Not authorized.',
      request_id: 'req-1',
      encoded_authorization_message: 'ENCODED-BLOB'
    })
    expect(t.emu.snapshots()).toHaveLength(0)
  })
})

describe('faults that apply the request but spoil the answer', () => {
  test.each([
    ['empty object', '{}'],
    ['cut-off JSON', '{"snapshot":{"id":"ab'],
    ['a non-UUID id', '{"snapshot":{"id":"not-a-uuid"}}']
  ])('mangle (%s): the snapshot is created, the raw body is sent as JSON with the real status', async (_, body) => {
    t.emu.inject('create', { kind: 'mangle', body })
    const a = await create({ name: 'mangled-1', cluster_id: C })
    expect({ status: a.status, text: a.text, type: a.headers['content-type'] }).toEqual({
      status: 200,
      text: body,
      type: 'application/json'
    })
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/)
    expect(t.emu.snapshots()).toMatchObject([{ name: 'mangled-1' }])
    expect(t.emu.requests.at(-1)).toMatchObject({ route: 'create', status: 200, fault: 'mangle' })
  })

  test('mangle with its own status and headers', async () => {
    const html = '<html><body>Sign in</body></html>'
    t.emu.inject('list', { kind: 'mangle', body: html, status: 203, headers: { 'content-type': 'text/html' } })
    const a = await call('GET', SNAPSHOTS)
    expect({ status: a.status, text: a.text, type: a.headers['content-type'] }).toEqual({ status: 203, text: html, type: 'text/html' })
    expect(t.emu.requests.at(-1)).toMatchObject({ status: 203, fault: 'mangle' })
  })

  test.each([
    ['gzip', gunzipSync],
    ['deflate', inflateSync],
    ['br', brotliDecompressSync],
    ['x-unknown', (bytes: Buffer) => bytes]
  ] as const)('encode %s: the real answer, compressed, with that Content-Encoding', async (encoding, decode) => {
    t.emu.inject('create', { kind: 'encode', encoding })
    const a = await rawCall('POST', SNAPSHOTS, { body: { snapshot: { name: 'encoded-1', cluster_id: C } } })
    expect(a.status).toBe(200)
    expect(a.headers['content-encoding']).toBe(encoding)
    expect(a.headers['content-length']).toBe(String(a.bytes.length))
    const body = JSON.parse(decode(a.bytes).toString('utf8'))
    expect(body).toEqual({ snapshot: { id: t.emu.snapshots()[0]?.id } })
    if (encoding !== 'x-unknown') expect(() => JSON.parse(a.bytes.toString('utf8'))).toThrow()
    expect(t.emu.requests.at(-1)).toMatchObject({ route: 'create', status: 200, fault: 'encode' })
  })
})
