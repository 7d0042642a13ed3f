import { asUuid, parseJson, readErrorBody, serviceTime, shallowJson, UnexpectedAnswerError } from '../src/cloud/answers.js'
import { listReader } from '../src/cloud/json-reader.js'
import { listItems, readCluster, readCreatedId, readSnapshot, snapshotSelection } from '../src/dws/answers.js'
import type { Snapshot } from '../src/dws/types.js'
import { serverText } from '../src/kernel/sanitize.js'
import { DWS } from '../src/dws/operations.js'

const clean = (text: string) => serverText(text)
const ID = '5f0a3c1e-9b7d-4e2a-8c6f-1d2e3f4a5b6c'
const CLUSTER = '8d4a8c21-0b5e-4f3a-9c1d-2e7f6a5b4c3d'

describe('serviceTime', () => {
  test.each([
    ['2026-11-28T05:47:35Z', '2026-11-28T05:47:35Z'],
    ['2026-11-28T05:47:35', '2026-11-28T05:47:35Z'],
    ['2026-11-28T05:47:35.123', '2026-11-28T05:47:35Z'],
    ['2026-11-28 05:47:35', '2026-11-28T05:47:35Z'],
    ['2026-11-28T13:47:35+08:00', '2026-11-28T05:47:35Z'],
    ['2026-11-28T13:47:35+0800', '2026-11-28T05:47:35Z'],
    ['', undefined],
    ['yesterday', undefined],
    ['2026-13-40T99:00:00', undefined],
    [1700000000, undefined]
  ])('%j → %j', (value, expected) => {
    expect(serviceTime(value)).toBe(expected)
  })
})

describe('readSnapshot', () => {
  test('validates and lower-cases ids, normalises times, cleans text', () => {
    const s = readSnapshot(
      {
        id: ID.toUpperCase(),
        name: 'n\n::warning::x',
        status: 'AVAILABLE',
        cluster_id: CLUSTER,
        started: '2026-11-28T05:47:35',
        finished: '2026-11-28T06:00:00',
        size: '12.5',
        progress: 40,
        cluster_task_status: 'SNAPSHOTTING'
      },
      DWS.getSnapshot,
      clean
    )
    expect(s).toEqual({
      id: ID,
      name: 'n\\n::warning::x',
      status: 'AVAILABLE',
      clusterId: CLUSTER,
      started: '2026-11-28T05:47:35Z',
      finished: '2026-11-28T06:00:00Z',
      size: 12.5,
      progress: '40%',
      clusterTaskStatus: 'SNAPSHOTTING'
    })
  })

  test.each([[null], ['x'], [{ id: 'not-a-uuid' }], [{ id: `${ID}\n` }], [{}]])('%j is an unexpected shape', (value) => {
    expect(() => readSnapshot(value, DWS.getSnapshot, clean)).toThrow(UnexpectedAnswerError)
  })

  test('an invalid cluster id is dropped rather than trusted', () => {
    expect(readSnapshot({ id: ID, cluster_id: '../../x' }, DWS.getSnapshot, clean).clusterId).toBeUndefined()
  })
})

/** The list answer as the client reads it: streamed through the reader with the snapshot selection, then its shape checked. */
function readSnapshotList(body: unknown, names?: string[]): Snapshot[] {
  const list = snapshotSelection(DWS.listSnapshots, clean, names && new Set(names))
  const reader = listReader({ list, maxItemBytes: 1 << 20, maxScalarBytes: 1 << 16 })
  reader.write(Buffer.from(JSON.stringify(body)))
  return listItems<Snapshot>(reader.end(), list.key, DWS.listSnapshots)
}

describe('readSnapshotList', () => {
  test('a list that is not an array, or has null entries, is an unexpected shape with a plain message', () => {
    expect(() => readSnapshotList({ snapshots: { a: 1 } })).toThrow(
      'List snapshots: the service\'s answer had an unexpected shape: "snapshots" is not a list'
    )
    expect(() => readSnapshotList({ snapshots: [null] })).toThrow(/unexpected shape: a snapshot is not an object/)
    expect(() => readSnapshotList('x')).toThrow(/not a JSON object/)
  })
  test('a missing list is empty', () => {
    expect(readSnapshotList({})).toEqual([])
  })
})

describe('readCreatedId', () => {
  test.each([
    [{ snapshot: { id: ID } }, ID],
    [{ snapshot: { id: ID.toUpperCase() } }, ID],
    [{}, undefined],
    [{ snapshot: { id: 'abc' } }, undefined],
    [{ snapshot: null }, undefined],
    [undefined, undefined]
  ])('%j → %j', (body, id) => {
    expect(readCreatedId(body)).toBe(id)
  })
})

describe('readCluster', () => {
  test('reads status, task and failed reasons as one short cleaned line', () => {
    const c = readCluster(
      {
        cluster: {
          id: CLUSTER,
          name: 'dw',
          status: 'AVAILABLE',
          sub_status: 'NORMAL',
          task_status: 'SNAPSHOTTING',
          failed_reasons: { a: { error_code: 'X', error_msg: 'm' } }
        }
      },
      DWS.getCluster,
      clean
    )
    expect(c).toEqual({
      id: CLUSTER,
      name: 'dw',
      status: 'AVAILABLE',
      subStatus: 'NORMAL',
      taskStatus: 'SNAPSHOTTING',
      actionProgress: {},
      failedReasons: '{"a":{"error_code":"X","error_msg":"m"}}'
    })
  })

  test('the running tasks with their progress, and the endpoints only when they are host:port', () => {
    const read = (extra: object) => readCluster({ cluster: { id: CLUSTER, ...extra } }, DWS.getCluster, clean)
    const restoring = read({ action_progress: { RESTORING: '37%', 'bad key': '1%', SNAPSHOTTING: 12 } })
    expect(restoring.actionProgress).toEqual({ RESTORING: '37%', SNAPSHOTTING: '12%' })
    const ready = read({
      endpoints: [{ connect_info: 'dw-r1.dws.myhuaweicloud.com:8000', jdbc_url: 'x' }],
      public_endpoints: [{ public_connect_info: '203.0.113.10:8000' }]
    })
    expect(ready).toMatchObject({ privateEndpoint: 'dw-r1.dws.myhuaweicloud.com:8000', publicEndpoint: '203.0.113.10:8000' })
    expect(read({ endpoints: [{ connect_info: '[fd00::1]:8000' }] }).privateEndpoint).toBe('[fd00::1]:8000')
    for (const hostile of ['x:8000\n::error::y', 'host', 'a b:1', '::add-mask::x:1', 'h:123456']) {
      expect(read({ endpoints: [{ connect_info: hostile }] }).privateEndpoint).toBeUndefined()
    }
    expect(read({ endpoints: 'nope', public_endpoints: [null] })).toMatchObject({ privateEndpoint: undefined, publicEndpoint: undefined })
  })
})

describe('shallowJson', () => {
  test('a value nested past any stack is rendered shallowly, never with a stack overflow', () => {
    const deep = parseJson({ name: 'x' }, `${'['.repeat(200_000)}${']'.repeat(200_000)}`)
    expect(shallowJson(deep)).toBe('[[[…]]]')
  })
})

describe('readErrorBody', () => {
  test.each([
    [
      { error_code: 'DWS.0015', error_msg: 'no permission' },
      { code: 'DWS.0015', message: 'no permission' }
    ],
    [
      { errCode: 'DWS.7023', externalMessage: 'status does not allow' },
      { code: 'DWS.7023', message: 'status does not allow' }
    ],
    [{ error: { code: 403, message: 'not authorized', title: 'Forbidden' } }, { code: '403', message: 'not authorized' }],
    [
      { error_code: 'IAM.0003', error_msg: 'denied', request_id: 'r1', encoded_authorization_message: 'ZW5j' },
      { code: 'IAM.0003', message: 'denied', requestId: 'r1', encodedAuthorizationMessage: true }
    ],
    ['html', {}]
  ])('%j', (body, expected) => {
    expect(readErrorBody(body, clean)).toEqual(expect.objectContaining(expected))
  })
})

describe('asUuid and parseJson', () => {
  test('only UUIDs pass', () => {
    expect(asUuid(ID)).toBe(ID)
    expect(asUuid(`x${ID}`)).toBeUndefined()
    expect(asUuid(42)).toBeUndefined()
  })
  test('non-JSON is an unexpected shape; empty is undefined', () => {
    expect(parseJson({ name: 'x' }, '  ')).toBeUndefined()
    expect(() => parseJson(DWS.getSnapshot, '<html>')).toThrow(/the body is not JSON/)
  })
})

describe('readSnapshotList with a name', () => {
  const item = (name: string, id = ID) => ({ id, name, status: 'AVAILABLE' })
  test('reads only the items of that name, without regard to case, leaving the others unread', () => {
    const body = { snapshots: [item('other', 'not-a-uuid'), item('Pre-Release-1'), item('another')] }
    expect(readSnapshotList(body, ['pre-release-1']).map((s) => s.name)).toEqual(['Pre-Release-1'])
    expect(() => readSnapshotList(body)).toThrow(UnexpectedAnswerError)
  })

  test('an item that is not a snapshot object still fails the list', () => {
    expect(() => readSnapshotList({ snapshots: [item('x'), 'junk'] }, ['x'])).toThrow(UnexpectedAnswerError)
  })

  test('several names: the snapshots of any of them, and a null list is empty', () => {
    const body = { snapshots: [item('a-1'), item('b-2', '6f7c0a3e-1b2d-4c5e-8f90-123456789abc'), item('c-3')] }
    expect(readSnapshotList(body, ['b-2', 'a-1']).map((s) => s.name)).toEqual(['a-1', 'b-2'])
    expect(readSnapshotList({ snapshots: null, count: 0 })).toEqual([])
  })
})
