import { asUuid, parseJson, readErrorBody, serviceTime, shallowJson, UnexpectedAnswerError } from '../src/cloud/answers.js'
import { readCluster, readCreatedId, readSnapshot, readSnapshotList } from '../src/dws/answers.js'
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

describe('readSnapshotList', () => {
  test('a list that is not an array, or has null entries, is an unexpected shape with a plain message', () => {
    expect(() => readSnapshotList({ snapshots: { a: 1 } }, DWS.listSnapshots, clean)).toThrow(
      'List snapshots: the service\'s answer had an unexpected shape: "snapshots" is not a list'
    )
    expect(() => readSnapshotList({ snapshots: [null] }, DWS.listSnapshots, clean)).toThrow(/unexpected shape: a snapshot is not an object/)
    expect(() => readSnapshotList('x', DWS.listSnapshots, clean)).toThrow(/not a JSON object/)
  })
  test('a missing list is empty', () => {
    expect(readSnapshotList({}, DWS.listSnapshots, clean)).toEqual([])
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
      failedReasons: '{"a":{"error_code":"X","error_msg":"m"}}'
    })
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
    expect(readSnapshotList(body, DWS.listSnapshots, clean, 'pre-release-1').map((s) => s.name)).toEqual(['Pre-Release-1'])
    expect(() => readSnapshotList(body, DWS.listSnapshots, clean)).toThrow(UnexpectedAnswerError)
  })

  test('an item that is not a snapshot object still fails the list', () => {
    expect(() => readSnapshotList({ snapshots: [item('x'), 'junk'] }, DWS.listSnapshots, clean, 'x')).toThrow(UnexpectedAnswerError)
  })
})
