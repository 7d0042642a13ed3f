/** DwsClient and the cloud API in-process against the emulator on 127.0.0.1: addressing, signing, answers and errors. */
import { readFileSync } from 'node:fs'
import { staticCredentials } from '../src/auth/static.js'
import { CloudApi } from '../src/cloud/api.js'
import type { Credentials } from '../src/cloud/credentials.js'
import { ApiError, UnreadableAnswerError } from '../src/cloud/errors.js'
import { lookupProjectId, ProjectLookupError } from '../src/cloud/iam.js'
import { createTransport } from '../src/cloud/transport.js'
import { DwsClient } from '../src/dws/client.js'
import { SecretRegistry } from '../src/kernel/redact.js'
import { systemClock } from '../src/kernel/time.js'
import { MemoryLog } from './support/fakes.js'
import { EMULATOR_DEFAULTS as D, keystoneError, startEmulator, type Emulator } from '../emulator/index.js'

const KEYS: Credentials = { kind: 'aksk', accessKeyId: D.accessKeyId, secretAccessKey: D.secretAccessKey }

let emu: Emulator
beforeEach(async () => {
  emu = await startEmulator({ creatingMs: 30_000 })
})
afterEach(async () => {
  await emu.close()
})

function api(credentials: Credentials = KEYS, secrets: string[] = []): CloudApi {
  const registry = new SecretRegistry(secrets)
  return new CloudApi({
    credentials: staticCredentials(credentials, (value) => registry.add(value)),
    userAgent: 'dws-snapshot-action/test',
    requestTimeoutMs: 5_000,
    transport: createTransport('dws-snapshot-action/test'),
    retry: { clock: systemClock, log: new MemoryLog() },
    redact: registry.redact
  })
}

const client = (cloud = api()) => new DwsClient(cloud, new URL(emu.url), D.projectId)

describe('DwsClient', () => {
  test('creates, reads, lists and reads the cluster, each signed and addressed to its project', async () => {
    const dws = client()
    const id = await dws.createSnapshot({ name: 'pre-release-1', clusterId: D.clusterId, description: 'd' })
    expect(await dws.getSnapshot(id)).toMatchObject({ id, name: 'pre-release-1', status: 'CREATING', clusterId: D.clusterId })
    expect((await dws.listSnapshots()).map((s) => s.id)).toEqual([id])
    expect(await dws.getCluster(D.clusterId)).toMatchObject({ id: D.clusterId, name: D.clusterName, taskStatus: 'SNAPSHOTTING' })
    for (const q of emu.requests) {
      expect(q.path.startsWith(`/v1.0/${D.projectId}/`)).toBe(true)
      expect(q.headers['x-project-id']).toBe(D.projectId)
      expect(q.headers.authorization).toMatch(/^SDK-HMAC-SHA256 Access=EMULATORACCESSKEY001, /)
    }
  })

  test('a success without a valid id is an unreadable answer (the snapshot may exist)', async () => {
    emu.inject('create', { kind: 'mangle', body: '{"snapshot":{"id":"nope"}}' })
    await expect(client().createSnapshot({ name: 'pre-release-1', clusterId: D.clusterId, description: '' })).rejects.toBeInstanceOf(
      UnreadableAnswerError
    )
    expect(emu.snapshots()).toHaveLength(1)
  })

  test('a 401 keeps the verdict in the message and the scrubbed echo for debug only', async () => {
    const token = 'TempSecurityTokenValue-0001'
    const error = (await client(api({ ...KEYS, secretAccessKey: 'wrong', securityToken: token }, [token]))
      .listSnapshots()
      .catch((e: unknown) => e)) as ApiError
    expect(error).toBeInstanceOf(ApiError)
    expect(error.message).toMatch(/HTTP 401 APIGW\.0301: .*signature mismatch \(request id \w+\)$/)
    expect(error.message).not.toMatch(/canonical/i)
    expect(error.debugDetail).toMatch(/canonicalRequest: GET\|\/v1\.0\//)
    expect(error.debugDetail).not.toContain(token)
  })

  test('a Keystone-shaped error and an HTML page are read', async () => {
    emu.inject('list', { kind: 'status', ...keystoneError(403, 'not authorized', 'Forbidden') })
    await expect(client().listSnapshots()).rejects.toMatchObject({ status: 403, errorCode: '403', errorMsg: 'not authorized' })
    emu.inject('list', { kind: 'status', status: 502, body: '<html><script>x()</script><h1>Bad Gateway</h1></html>' })
    await expect(client().listSnapshots()).rejects.toMatchObject({ status: 502, bodyExcerpt: 'Bad Gateway' })
  })

  test('a token is sent as X-Auth-Token, not signed', async () => {
    await client(api({ kind: 'token', token: D.authToken })).listSnapshots()
    expect(emu.requests[0]!.headers['x-auth-token']).toBe(D.authToken)
    expect(emu.requests[0]!.headers.authorization).toBeUndefined()
  })
})

/** The SDK's request models as wire names and JSON types: the oracle for what the restore calls send. */
const SDK_BODIES = (
  JSON.parse(readFileSync(new URL('./fixtures/sdk-dws-restore-bodies.json', import.meta.url), 'utf8')) as {
    bodies: Record<string, unknown>
  }
).bodies

/** Where `value` leaves the model: a field it does not declare, or a JSON type other than the declared one. */
function offModel(value: unknown, model: unknown, at = '$'): string[] {
  if (typeof model === 'string') return typeof value === model ? [] : [`${at}: ${typeof value}, the SDK says ${model}`]
  if (Array.isArray(model)) {
    if (!Array.isArray(value)) return [`${at}: not an array`]
    return value.flatMap((item, i) => offModel(item, model[0], `${at}[${i}]`))
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: not an object`]
  const fields = model as Record<string, unknown>
  return Object.entries(value).flatMap(([key, v]) =>
    key in fields ? offModel(v, fields[key], `${at}.${key}`) : [`${at}.${key}: not a field of the SDK's model`]
  )
}

describe('the restore calls’ bodies, against the SDK’s request models', () => {
  const sent = (route: string): unknown => JSON.parse(emu.requests.find((q) => q.route === route)!.body)

  test('the oracle catches a field the model lacks and a wrong type', () => {
    expect(offModel({ restore: { name: 'x', port: '8000', vpc: 'y' } }, SDK_BODIES['restore-cluster'])).toEqual([
      '$.restore.port: string, the SDK says number',
      "$.restore.vpc: not a field of the SDK's model"
    ])
  })

  test('a restore into a new cluster with every setting, and the delete of that cluster', async () => {
    const snapshot = emu.addSnapshot({ name: 'before-release' })
    const dws = client()
    const id = await dws.restoreCluster({
      snapshotId: snapshot.id,
      clusterName: 'copy-1',
      vpcId: D.clusterId,
      subnetId: D.clusterId,
      securityGroupId: D.clusterId,
      availabilityZone: 'cn-north-4a',
      port: 8100,
      publicIp: { bind: 'bind_existing', eipId: D.clusterId },
      enterpriseProjectId: '0'
    })
    expect(Object.keys((sent('restore') as { restore: object }).restore)).toHaveLength(8)
    expect(offModel(sent('restore'), SDK_BODIES['restore-cluster'])).toEqual([])
    await dws.deleteCluster(id)
    expect(offModel(sent('delete-cluster'), SDK_BODIES['delete-cluster'])).toEqual([])
  })

  test('the table restore’s check and the restore itself', async () => {
    const snapshot = emu.addSnapshot({ name: 'before-release' })
    const request = {
      snapshotId: snapshot.id,
      database: 'shop',
      caseSensitive: true,
      tables: [{ source: { schema: 'public', table: 'orders' }, target: { schema: 'public', table: 'orders_before' } }]
    }
    const dws = client()
    await dws.checkTableRestore(request)
    await dws.restoreTables(request)
    expect(offModel(sent('table-restore-check'), SDK_BODIES['check-table-restore'])).toEqual([])
    expect(offModel(sent('table-restore'), SDK_BODIES['restore-tables'])).toEqual([])
    expect(Object.keys(sent('table-restore') as object).sort()).toEqual(Object.keys(SDK_BODIES['restore-tables'] as object).sort())
  })
})

describe('lookupProjectId', () => {
  test('finds the project named like the region', async () => {
    await expect(lookupProjectId(api(), new URL(emu.url), D.region)).resolves.toBe(D.projectId)
  })
  test('none named so is a ProjectLookupError', async () => {
    await expect(lookupProjectId(api(), new URL(emu.url), 'eu-west-101')).rejects.toBeInstanceOf(ProjectLookupError)
  })
  test('a project without a valid id is an unexpected shape', async () => {
    emu.inject('projects', { kind: 'mangle', body: `{"projects":[{"name":"${D.region}","id":"../x"}]}` })
    await expect(lookupProjectId(api(), new URL(emu.url), D.region)).rejects.toThrow(
      /unexpected shape: the project named 'cn-north-4' has no valid id/
    )
  })
})

describe('staticCredentials', () => {
  test('registers every secret value at once, and hands the same credentials to every request', async () => {
    const registered: string[] = []
    const provider = staticCredentials({ ...KEYS, securityToken: 'ST' }, (value) => registered.push(value))
    expect(registered).toEqual([D.accessKeyId, D.secretAccessKey, 'ST'])
    await expect(provider.get()).resolves.toMatchObject({ kind: 'aksk', securityToken: 'ST' })
    const token: string[] = []
    staticCredentials({ kind: 'token', token: 'TOK' }, (value) => token.push(value))
    expect(token).toEqual(['TOK'])
  })
})
