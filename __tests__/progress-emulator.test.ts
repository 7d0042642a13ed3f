/**
 * Progress and failed snapshot tasks, from the emulator through DwsClient: the shapes the waiting is
 * tested against, the cluster's action_progress, and SNAPSHOTTING_FAILED with its doubly encoded detail.
 */
import { staticCredentials } from '../src/auth/static.js'
import { CloudApi } from '../src/cloud/api.js'
import { ApiError } from '../src/cloud/errors.js'
import { createTransport, type ClosableTransport } from '../src/cloud/transport.js'
import { readSnapshotFailure } from '../src/dws/answers.js'
import { DwsClient } from '../src/dws/client.js'
import { SecretRegistry } from '../src/kernel/redact.js'
import { MemoryLog } from './support/fakes.js'
import { serverText } from '../src/kernel/sanitize.js'
import { EMULATOR_DEFAULTS as D, startEmulator, type Emulator, type EmulatorOptions } from '../emulator/index.js'

let clock = Date.parse('2026-11-28T12:00:00Z')
let emu: Emulator
let transport: ClosableTransport
let dws: DwsClient

async function start(options: EmulatorOptions = {}): Promise<void> {
  emu = await startEmulator({ creatingMs: 100_000, now: () => clock, ...options })
  const registry = new SecretRegistry([D.secretAccessKey])
  transport = createTransport('test')
  const api = new CloudApi({
    credentials: staticCredentials({ kind: 'aksk', accessKeyId: D.accessKeyId, secretAccessKey: D.secretAccessKey }, (v) =>
      registry.add(v)
    ),
    userAgent: 'test',
    requestTimeoutMs: 5_000,
    transport,
    retry: { clock: { now: () => clock, sleep: () => Promise.resolve() }, log: new MemoryLog() },
    redact: registry.redact
  })
  dws = new DwsClient(api, new URL(emu.url), D.projectId)
}

afterEach(async () => {
  transport.close()
  await emu.close()
})

/** The snapshot's and the cluster's progress at each of `offsets` (ms after the create). */
async function progressAt(offsets: number[]): Promise<{ own?: string; cluster?: string }[]> {
  const start = clock
  const id = await dws.createSnapshot({ name: `p-${start}`, clusterId: D.clusterId, description: '' })
  const seen: { own?: string; cluster?: string }[] = []
  for (const offset of offsets) {
    clock = start + offset
    seen.push({ own: (await dws.getSnapshot(id)).progress, cluster: (await dws.getCluster(D.clusterId)).snapshotProgress })
  }
  return seen
}

describe('progress shapes', () => {
  test('linear (the default): NN% on the snapshot and the cluster alike, never 100% while CREATING', async () => {
    await start()
    expect(await progressAt([0, 45_000, 99_999])).toEqual([
      { own: '0%', cluster: '0%' },
      { own: '45%', cluster: '45%' },
      { own: '99%', cluster: '99%' }
    ])
  })

  test('steps: 10 % at a time; stuck: 99 % for the last quarter; none: nowhere', async () => {
    await start({ progress: 'steps' })
    expect((await progressAt([38_000, 59_000])).map((p) => p.own)).toEqual(['30%', '50%'])
    await emu.close()
    await start({ progress: 'stuck' })
    expect((await progressAt([30_000, 80_000, 99_000])).map((p) => p.own)).toEqual(['40%', '99%', '99%'])
    await emu.close()
    await start({ progress: 'none' })
    expect(await progressAt([50_000])).toEqual([{ own: undefined, cluster: undefined }])
  })

  test('noisy: close to the line, not on it', async () => {
    await start({ progress: 'noisy' })
    const offsets = Array.from({ length: 20 }, (_, i) => 5_000 + i * 4_000)
    const seen = (await progressAt(offsets)).map((p) => Number(p.own!.slice(0, -1)))
    const off = seen.map((value, i) => value - Math.floor(offsets[i]! / 1_000))
    expect(Math.max(...off.map(Math.abs))).toBeLessThanOrEqual(6)
    expect(off.some((d) => d !== 0)).toBe(true)
  })

  test('progressOnDetails false: only the cluster shows it; a plan sets the shape of one snapshot', async () => {
    await start({ progressOnDetails: false })
    emu.nextSnapshot({ progress: 'steps' })
    expect(await progressAt([47_000])).toEqual([{ own: undefined, cluster: '40%' }])
  })
})

describe('SNAPSHOTTING_FAILED', () => {
  test("a snapshot that ended UNAVAILABLE: its task's failed step and error, read through /v1", async () => {
    await start()
    emu.nextSnapshot({ outcome: 'UNAVAILABLE', failure: { failedStep: 'BACKUP', errorCode: 'GS.42', errorMsg: 'disk full on dn_6001' } })
    expect(await dws.getSnapshotFailure(D.clusterId)).toBeUndefined()
    await dws.createSnapshot({ name: 'doomed-1', clusterId: D.clusterId, description: '' })
    clock += 100_000
    expect(await dws.getSnapshotFailure(D.clusterId)).toEqual({
      failedStep: 'BACKUP',
      errorCode: 'GS.42',
      errorMsg: 'disk full on dn_6001'
    })
    const request = emu.requests.at(-1)!
    expect(request.path).toBe(`/v1/${D.projectId}/clusters/${D.clusterId}/actions/SNAPSHOTTING_FAILED`)
  })

  test('the emulator checks the cluster id and the task name', async () => {
    await start()
    await expect(dws.getSnapshotFailure('e0000000-0000-4000-8000-00000000ffff')).rejects.toMatchObject({
      status: 404,
      errorCode: 'DWS.0047'
    })
    expect(emu.requests.at(-1)!.route).toBe('cluster-action')
    await expect(dws.getSnapshotFailure('not-a-uuid')).rejects.toBeInstanceOf(ApiError)
  })
})

describe('readSnapshotFailure', () => {
  const clean = (text: string) => serverText(text)
  const detail = (info: object | string) => JSON.stringify({ progressInfo: typeof info === 'string' ? info : JSON.stringify(info) })

  test('decodes detail and progressInfo, each JSON text, and cleans what it keeps', () => {
    const body = {
      items: [
        { item_name: 'a', sub_items: [{ detail: detail({ failedStep: '', errorMsg: '' }) }] },
        { item_name: 'b', sub_items: [{ detail: detail({ failedStep: 'INIT', errorCode: '', errorMsg: 'host-1\n::error::x' }) }] }
      ]
    }
    expect(readSnapshotFailure(body, clean)).toEqual({ failedStep: 'INIT', errorCode: undefined, errorMsg: 'host-1\\n::error::x' })
  })

  test('accepts objects where text was expected', () => {
    const body = { items: [{ sub_items: [{ detail: { progressInfo: { failedStep: 'BACKUP' } } }] }] }
    expect(readSnapshotFailure(body, clean)).toEqual({ failedStep: 'BACKUP', errorCode: undefined, errorMsg: undefined })
  })

  test.each([
    ['no items', {}],
    ['items not a list', { items: 'x' }],
    ['detail not JSON', { items: [{ sub_items: [{ detail: '{oops' }] }] }],
    ['progressInfo not JSON', { items: [{ sub_items: [{ detail: detail('nope') }] }] }],
    ['sub_items missing', { items: [{}, null] }]
  ])('%s: undefined', (_name, body) => {
    expect(readSnapshotFailure(body, clean)).toBeUndefined()
  })
})
