/**
 * The emulator's gateway checks AK/SK signatures with Huawei's official SDK signer, not the action's.
 * Every request the action sends is signed three ways and sent over loopback: by the SDK itself, by the
 * action's signer, and by a deliberately broken copy of the action's signer; signed requests are then
 * tampered with. The last test breaks the action's signer module itself and shows the emulator does not notice.
 */
import { createHash } from 'node:crypto'
import { jest } from '@jest/globals'
import * as actionSigner from '../src/cloud/signer.js'
import { EMULATOR_DEFAULTS, type AccessKey } from '../emulator/index.js'
import { useEmulator, type Answer } from './support/emulator-calls.js'
import { sdkRequest, signWithSdk } from './support/sdk-signer.js'

const T0 = Date.parse('2025-06-01T08:00:00Z')
const P = EMULATOR_DEFAULTS.projectId
const C = EMULATOR_DEFAULTS.clusterId
const KEY: AccessKey = { accessKeyId: EMULATOR_DEFAULTS.accessKeyId, secretAccessKey: EMULATOR_DEFAULTS.secretAccessKey }
const TEMP: AccessKey = {
  accessKeyId: 'EMULATORTEMPKEY00001',
  secretAccessKey: 'TemporarySecretAccessKeyNotARealSecret01',
  securityToken: 'temporary-security-token-not-a-real-one'
}
const SNAPSHOT_ID = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9'

const t = useEmulator(T0, { accessKeys: [KEY, TEMP] })
const { start } = t

/** A request as the action's cloud layer makes it: JSON content type, X-Project-Id on DWS calls. */
interface ActionCall {
  label: string
  method: 'GET' | 'POST' | 'DELETE'
  path: string
  query?: Record<string, string>
  body?: object
  dws: boolean
}

/** The request on the wire, to tamper with after signing. */
interface Outgoing {
  method: string
  target: string
  headers: Record<string, string>
  body: string
}

type Signer = (call: ActionCall, key: AccessKey) => Record<string, string>

const targetOf = (call: ActionCall): string => call.path + (call.query ? `?${new URLSearchParams(call.query).toString()}` : '')
const bodyOf = (call: ActionCall): string => (call.body === undefined ? '' : JSON.stringify(call.body))
const actionHeaders = (call: ActionCall): Record<string, string> => ({
  'Content-Type': 'application/json',
  ...(call.dws ? { 'X-Project-Id': P } : {})
})
/** Written out here rather than taken from either signer under test. */
const sdkDate = (ms = t.clock): string =>
  new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '')

/** Signed by the official SDK, stated as an SDK user would: the path as it is, the query as name -> value, the body as a JSON value. */
const bySdk: Signer = (call, key) => {
  const headers: Record<string, string> = { ...actionHeaders(call), 'X-Sdk-Date': sdkDate() }
  if (key.securityToken !== undefined) headers['X-Security-Token'] = key.securityToken
  const req = sdkRequest({ method: call.method, endpoint: t.emu.url + call.path, headers, queryParams: call.query, data: call.body })
  return signWithSdk(req, key.accessKeyId, key.secretAccessKey)
}

/** Signed by the action's signer, as src/cloud/api.ts calls it. */
const byAction: Signer = (call, key) => {
  const headers = actionHeaders(call)
  const url = new URL(targetOf(call), t.emu.url)
  return { ...headers, ...actionSigner.signRequest({ method: call.method, url, headers, body: bodyOf(call) }, key, new Date(t.clock)) }
}

/** The action's canonical request with one step done wrong: the canonical URI without its trailing '/'. */
function brokenCanonicalRequest(...args: Parameters<typeof actionSigner.canonicalRequest>): string {
  const lines = actionSigner.canonicalRequest(...args).split('\n')
  lines[1] = lines[1]!.replace(/\/$/, '')
  return lines.join('\n')
}

/** A copy of the action's signer that signs the broken canonical form; otherwise the same steps. */
const byBrokenCopy: Signer = (call, key) => {
  const url = new URL(targetOf(call), t.emu.url)
  const date = sdkDate()
  const sent: Record<string, string> = { ...actionHeaders(call), 'X-Sdk-Date': date }
  if (key.securityToken !== undefined) sent['X-Security-Token'] = key.securityToken
  const signed: Record<string, string> = { host: url.host }
  for (const [name, value] of Object.entries(sent)) signed[name.toLowerCase()] = value
  const canonical = brokenCanonicalRequest(call.method, url, signed, bodyOf(call))
  const signature = actionSigner.signature(actionSigner.stringToSign(canonical, date), key.secretAccessKey)
  const names = Object.keys(signed).sort().join(';')
  return { ...sent, Authorization: `SDK-HMAC-SHA256 Access=${key.accessKeyId}, SignedHeaders=${names}, Signature=${signature}` }
}

/** Every kind of request the action sends, in an order the emulator answers with 2xx. */
function actionCalls(snapshotId: string): ActionCall[] {
  const dws = `/v1.0/${P}`
  return [
    { label: 'project lookup', method: 'GET', path: '/v3/projects', query: { name: 'cn-north-4' }, dws: false },
    { label: 'list clusters', method: 'GET', path: `${dws}/clusters`, dws: true },
    { label: 'get cluster', method: 'GET', path: `${dws}/clusters/${C}`, dws: true },
    {
      label: 'create',
      method: 'POST',
      path: `${dws}/snapshots`,
      body: { snapshot: { name: 'signed-1', cluster_id: C, description: 'before migration' } },
      dws: true
    },
    { label: 'get snapshot', method: 'GET', path: `${dws}/snapshots/${snapshotId}`, dws: true },
    { label: 'list snapshots', method: 'GET', path: `${dws}/snapshots`, dws: true },
    {
      label: "list the cluster's snapshots",
      method: 'GET',
      path: `${dws}/clusters/${C}/snapshots`,
      query: { limit: '100', offset: '0' },
      dws: true
    },
    { label: 'snapshot task', method: 'GET', path: `/v1/${P}/clusters/${C}/actions/SNAPSHOTTING_FAILED`, dws: true },
    { label: 'delete', method: 'DELETE', path: `${dws}/snapshots/${snapshotId}`, dws: true }
  ]
}
const call = (label: string, snapshotId = SNAPSHOT_ID): ActionCall => actionCalls(snapshotId).find((c) => c.label === label)!

/** Sent as it stands: nothing added to the headers, so only what the signer wrote is signed. */
const send = (out: Outgoing): Promise<Answer> =>
  t.send({ url: new URL(out.target, t.emu.url), method: out.method, headers: out.headers, body: out.body })

function signedRequest(c: ActionCall, signer: Signer, key: AccessKey = KEY): Outgoing {
  return { method: c.method, target: targetOf(c), headers: signer(c, key), body: bodyOf(c) }
}

/** Signs, lets `tamper` change the request, sends it. */
function sendSigned(c: ActionCall, signer: Signer, key: AccessKey = KEY, tamper?: (out: Outgoing) => void): Promise<Answer> {
  const out = signedRequest(c, signer, key)
  tamper?.(out)
  return send(out)
}

function expectRefused(a: Answer, code: string, detail: RegExp): void {
  expect({ status: a.status, code: a.json?.error_code }).toEqual({ status: 401, code })
  expect(a.json.error_msg).toMatch(detail)
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')

describe('every request the action sends', () => {
  test.each([
    { by: 'the official SDK', signer: bySdk, keyKind: 'a permanent key', key: KEY },
    { by: 'the official SDK', signer: bySdk, keyKind: 'a temporary key', key: TEMP },
    { by: "the action's signer", signer: byAction, keyKind: 'a permanent key', key: KEY },
    { by: "the action's signer", signer: byAction, keyKind: 'a temporary key', key: TEMP }
  ])('signed by $by with $keyKind, passes the gateway and is answered', async ({ signer, key }) => {
    const answered: Array<[string, number]> = []
    let snapshotId = ''
    for (const { label } of actionCalls('')) {
      if (label === 'delete') t.clock += 60_000 // the snapshot is AVAILABLE by then, so it may be deleted
      const a = await sendSigned(call(label, snapshotId), signer, key)
      if (label === 'create') snapshotId = a.json.snapshot.id
      answered.push([label, a.status])
    }
    expect(answered).toEqual([
      ['project lookup', 200],
      ['list clusters', 200],
      ['get cluster', 200],
      ['create', 200],
      ['get snapshot', 200],
      ['list snapshots', 200],
      ["list the cluster's snapshots", 200],
      ['snapshot task', 200],
      ['delete', 202]
    ])
  })

  test("the SDK and the action's signer write the same X-Sdk-Date, X-Security-Token and Authorization for each", () => {
    for (const key of [KEY, TEMP]) {
      for (const c of actionCalls(SNAPSHOT_ID)) {
        const sdk = bySdk(c, key)
        const ours = byAction(c, key)
        const pick = (h: Record<string, string>) => [h['X-Sdk-Date'], h['X-Security-Token'], h['Authorization']]
        expect([c.label, ...pick(ours)]).toEqual([c.label, ...pick(sdk)])
      }
    }
  })

  test.each(actionCalls(SNAPSHOT_ID).map((c) => [c.label, c] as const))(
    'signed by a broken copy of the signer: %s is refused with 401 APIGW.0301 and the echo',
    async (_label, c) => {
      const a = await sendSigned(c, byBrokenCopy)
      expectRefused(a, 'APIGW.0301', /signature mismatch, canonicalRequest: /)
      // The echo shows the canonical URI the gateway signed, with its trailing '/'.
      expect(a.json.error_msg).toContain(`canonicalRequest: ${c.method}|${c.path}/|`)
      expect(t.emu.snapshots()).toEqual([])
    }
  )
})

describe('tampered after signing by the SDK: 401 APIGW.0301, nothing applied', () => {
  const other = '0f1f2d3c-4b5a-4978-8695-a4b3c2d1e0f9'
  test.each<[string, string, (out: Outgoing) => void]>([
    ['the body', 'create', (out) => (out.body = out.body.replace('signed-1', 'signed-2'))],
    ['one byte of whitespace added to the body', 'create', (out) => (out.body = `${out.body} `)],
    ['the path', 'delete', (out) => (out.target = out.target.replace(SNAPSHOT_ID, other))],
    ['the query', "list the cluster's snapshots", (out) => (out.target = out.target.replace('offset=0', 'offset=100'))],
    ['the method', 'get snapshot', (out) => (out.method = 'DELETE')],
    ['a signed header', 'create', (out) => (out.headers['X-Project-Id'] = 'e0000000000000000000000000000009')],
    ['X-Sdk-Date, by one second', 'create', (out) => (out.headers['X-Sdk-Date'] = sdkDate(t.clock + 1000))],
    [
      'the Signature, one digit',
      'create',
      (out) => (out.headers['Authorization'] = out.headers['Authorization']!.replace(/.$/, (d) => (d === '0' ? '1' : '0')))
    ]
  ])('%s (%s)', async (_what, label, tamper) => {
    const before = [t.emu.addSnapshot({ id: SNAPSHOT_ID, name: 'seeded-1' }), t.emu.addSnapshot({ id: other, name: 'seeded-2' })]
    const a = await sendSigned(call(label), bySdk, KEY, tamper)
    expectRefused(a, 'APIGW.0301', /verify aksk signature fail, error: signature mismatch, canonicalRequest: /)
    expect(t.emu.snapshots()).toEqual(before)
  })

  test('an unsigned header added after signing changes nothing: only SignedHeaders count', async () => {
    const a = await sendSigned(call('create'), bySdk, KEY, (out) => (out.headers['X-Trace'] = 'added-later'))
    expect(a.status).toBe(200)
  })

  test('the echo is the canonical request the SDK builds, with | for line breaks', async () => {
    const c = call("list the cluster's snapshots")
    const a = await sendSigned(c, bySdk, { ...KEY, secretAccessKey: 'not-the-secret' })
    expectRefused(a, 'APIGW.0301', /signature mismatch/)
    const canonical = [
      'GET',
      `/v1.0/${P}/clusters/${C}/snapshots/`,
      'limit=100&offset=0',
      'content-type:application/json',
      `host:127.0.0.1:${t.emu.port}`,
      `x-project-id:${P}`,
      'x-sdk-date:20250601T080000Z',
      '',
      'content-type;host;x-project-id;x-sdk-date',
      sha256('')
    ]
    expect(a.json.error_msg).toBe(
      `Incorrect IAM authentication information: verify aksk signature fail, error: signature mismatch, canonicalRequest: ${canonical.join('|')}`
    )

    const created = await sendSigned(call('create'), bySdk, { ...KEY, secretAccessKey: 'not-the-secret' })
    expect(created.json.error_msg).toContain(
      `canonicalRequest: POST|/v1.0/${P}/snapshots/||content-type:application/json|host:127.0.0.1:${t.emu.port}|` +
        `x-project-id:${P}|x-sdk-date:20250601T080000Z||content-type;host;x-project-id;x-sdk-date|${sha256(bodyOf(call('create')))}`
    )
  })
})

describe('keys', () => {
  test('a wrong secret: signature mismatch; an unknown access key: access key not found', async () => {
    expectRefused(
      await sendSigned(call('list snapshots'), bySdk, { ...KEY, secretAccessKey: `${KEY.secretAccessKey}x` }),
      'APIGW.0301',
      /signature mismatch/
    )
    const unknown = await sendSigned(call('list snapshots'), bySdk, { ...KEY, accessKeyId: 'UNKNOWNACCESSKEY0000' })
    expectRefused(unknown, 'APIGW.0301', /access key not found, canonicalRequest: GET\|/)
  })

  test('a temporary key needs its X-Security-Token, sent and signed', async () => {
    const { securityToken: _, ...withoutToken } = TEMP
    const c = call('list snapshots')
    expectRefused(await sendSigned(c, bySdk, withoutToken), 'APIGW.0301', /temporary: a matching X-Security-Token/)
    // Sent but not signed.
    const unsigned = await sendSigned(c, bySdk, withoutToken, (out) => (out.headers['X-Security-Token'] = TEMP.securityToken!))
    expectRefused(unsigned, 'APIGW.0301', /temporary/)
    expectRefused(await sendSigned(c, bySdk, { ...TEMP, securityToken: 'another-token' }), 'APIGW.0301', /temporary/)
    expect((await sendSigned(c, bySdk, TEMP)).status).toBe(200)
  })

  test('a key that expires is refused from its expiry on, on the emulator clock', async () => {
    await start({ accessKeys: [{ ...TEMP, expiresAtMs: T0 + 60_000 }] })
    t.clock = T0 + 59_999
    expect((await sendSigned(call('list snapshots'), bySdk, TEMP)).status).toBe(200)
    t.clock = T0 + 60_000
    expectRefused(await sendSigned(call('list snapshots'), bySdk, TEMP), 'APIGW.0301', /expired/)
  })

  test('an X-Sdk-Date more than 15 minutes from the emulator clock: 401 APIGW.0303', async () => {
    const signedAt = t.clock
    const out = signedRequest(call('list snapshots'), bySdk)
    t.clock = signedAt + 15 * 60_000
    expect((await send(out)).status).toBe(200)
    t.clock = signedAt + 15 * 60_000 + 1000
    expectRefused(await send(out), 'APIGW.0303', /more than 15 minutes/)
  })
})

describe('where the Node SDK and the gateway read a path differently', () => {
  // The SDK escapes the path it is given without decoding it; a path that arrives escaped is decoded first,
  // as the gateway and Huawei's other signers do. The action's paths have nothing to escape.
  test("an escaped path: the action's signature (decoded, then escaped once) passes; the SDK's own (escaped twice) does not", async () => {
    const c: ActionCall = { label: 'odd id', method: 'GET', path: `/v1.0/${P}/snapshots/a b`, dws: true }
    const ours = await sendSigned(c, byAction)
    expect({ status: ours.status, code: ours.json.error_code }).toEqual({ status: 400, code: 'DWS.5149' }) // past the gateway: no such snapshot
    const sdk = await sendSigned(c, bySdk)
    expectRefused(sdk, 'APIGW.0301', /signature mismatch/)
    expect(sdk.json.error_msg).toContain(`GET|/v1.0/${P}/snapshots/a%20b/|`)
  })
})

describe("independent of the action's signer", () => {
  test("with the action's canonicalRequest broken in its own module, the emulator still refuses the broken signature and accepts the SDK's", async () => {
    jest.resetModules()
    jest.unstable_mockModule('../src/cloud/signer.js', () => ({ ...actionSigner, canonicalRequest: brokenCanonicalRequest }))
    const fresh = await import('../emulator/index.js')
    await t.emu.close()
    t.emu = await fresh.startEmulator({ now: () => t.clock, accessKeys: [KEY] })
    const c = call("list the cluster's snapshots")
    expectRefused(await sendSigned(c, byBrokenCopy), 'APIGW.0301', /signature mismatch/)
    expect((await sendSigned(c, bySdk)).status).toBe(200)
  })
})
