/**
 * The emulator's keyless sign-in against the cloud layer's exchange calls, over HTTP on 127.0.0.1:
 * GitHub's token endpoint and JWKS, STS AssumeAgencyWithOIDC, IAM v3 federation, the expiry of what
 * they mint, and the cloud API's one renewal after an expired 401.
 */
import { createPublicKey, createVerify } from 'node:crypto'
import { staticCredentials } from '../src/auth/static.js'
import { CloudApi } from '../src/cloud/api.js'
import type { CredentialProvider, Credentials } from '../src/cloud/credentials.js'
import { ApiError } from '../src/cloud/errors.js'
import type { CallStats } from '../src/cloud/retry.js'
import { federatedToken, FEDERATED_TOKEN } from '../src/cloud/iam.js'
import { assumeAgencyWithOidc } from '../src/cloud/sts.js'
import { createTransport } from '../src/cloud/transport.js'
import { DwsClient } from '../src/dws/client.js'
import { SecretRegistry } from '../src/kernel/redact.js'
import { MemoryLog } from './support/fakes.js'
import {
  EMULATOR_DEFAULTS as D,
  GITHUB_ISSUER,
  startEmulator,
  stringMatch,
  type Emulator,
  type EmulatorOptions
} from '../emulator/index.js'

/** A fixed instant, not the wall clock: the emulator and the cloud layer share this injected clock. */
const T0 = Date.parse('2025-06-01T08:00:00Z')
let emu: Emulator
let now: number
async function start(options: EmulatorOptions = {}): Promise<void> {
  now = T0
  emu = await startEmulator({ now: () => now, ...options })
}
afterEach(async () => {
  await emu?.close()
})

function api(credentials?: CredentialProvider, stats: CallStats = { requests: 0, retries: 0 }): CloudApi {
  const registry = new SecretRegistry()
  return new CloudApi({
    credentials,
    userAgent: 'dws-snapshot-action/test',
    requestTimeoutMs: 5_000,
    transport: createTransport('dws-snapshot-action/test'),
    retry: { clock: { now: () => now, sleep: () => Promise.resolve() }, log: new MemoryLog(), stats },
    redact: registry.redact
  })
}

const claimsOf = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>

const stsRequest = (idToken: string, overrides: object = {}) => ({
  idToken,
  providerUrn: D.providerUrn,
  agencyUrn: D.agencyUrn,
  sessionName: 'github-1-1',
  durationSeconds: 900,
  ...overrides
})

describe("GitHub's token endpoint", () => {
  test('issues an RS256 JWT for the audience, with real claims, verifiable with the JWKS; only with the bearer request token', async () => {
    await start()
    const url = `${emu.oidc.requestUrl}&audience=${encodeURIComponent('sts.huaweicloud.com')}`
    const refused = await fetch(url, { headers: { Authorization: 'Bearer wrong' } })
    expect(refused.status).toBe(401)
    const answer = (await (await fetch(url, { headers: { Authorization: `Bearer ${emu.oidc.requestToken}` } })).json()) as { value: string }
    const [header, payload, signature] = answer.value.split('.')
    const head = JSON.parse(Buffer.from(header!, 'base64url').toString('utf8')) as { alg: string; kid: string }
    expect(head.alg).toBe('RS256')
    expect(claimsOf(answer.value)).toMatchObject({
      iss: GITHUB_ISSUER,
      aud: 'sts.huaweicloud.com',
      sub: 'repo:acme/shop-api:ref:refs/heads/main',
      repository: 'acme/shop-api',
      exp: Math.floor((now + 300_000) / 1000)
    })
    const jwks = (await (await fetch(`${emu.url}/oidc/.well-known/jwks`)).json()) as {
      keys: (import('node:crypto').JsonWebKey & { kid: string })[]
    }
    const key = createPublicKey({ key: jwks.keys.find((k) => k.kid === head.kid)!, format: 'jwk' })
    const verifier = createVerify('RSA-SHA256').update(`${header}.${payload}`)
    expect(verifier.verify(key, Buffer.from(signature!, 'base64url'))).toBe(true)
    expect(emu.oidc.minted().idTokens).toEqual([answer.value])
  })

  test('StringMatch: * and ? as IAM reads them, everything else literal', () => {
    expect(stringMatch('repo:acme/shop-api:*', 'repo:acme/shop-api:ref:refs/heads/main')).toBe(true)
    expect(stringMatch('repo:acme/shop-api:ref:refs/heads/ma?n', 'repo:acme/shop-api:ref:refs/heads/main')).toBe(true)
    expect(stringMatch('repo:acme/shop.api:*', 'repo:acme/shopXapi:x')).toBe(false)
    expect(stringMatch('repo:acme/shop-api:environment:prod', 'repo:acme/shop-api:ref:refs/heads/main')).toBe(false)
  })
})

describe('STS AssumeAgencyWithOIDC', () => {
  test('temporary keys that sign DWS calls until they expire, then a 401 that says so', async () => {
    await start()
    const registered: string[] = []
    const session = await assumeAgencyWithOidc(api(), new URL(emu.url), stsRequest(emu.oidc.idToken('sts.huaweicloud.com')), (v) =>
      registered.push(...v)
    )
    expect(registered).toEqual([session.accessKeyId, session.secretAccessKey, session.securityToken])
    expect(session.expiresAt).toBe(Math.floor(now / 1000) * 1000 + 900_000)
    expect(session.agencyUrn).toBe('sts::e0000000000000000000000000000002:assumed-agency:dws-snapshot/github-1-1')
    const credentials: Credentials = { kind: 'aksk', ...session }
    const dws = new DwsClient(api(staticCredentials(credentials, () => undefined)), new URL(emu.url), D.projectId)
    await expect(dws.listSnapshots()).resolves.toEqual([])
    now += 900_000
    const expired = await dws.listSnapshots().catch((e: unknown) => e)
    expect(expired).toBeInstanceOf(ApiError)
    expect((expired as ApiError).message).toMatch(/HTTP 401 APIGW\.0301: .*security token has expired/)
  })

  test.each<[string, (idToken: string) => object, number, RegExp]>([
    ['an unknown provider', (t) => stsRequest(t, { providerUrn: 'iam::1:oidcProvider:x' }), 404, /OIDC provider does not exist/],
    ['an unknown agency', (t) => stsRequest(t, { agencyUrn: 'iam::1:agency:x' }), 404, /agency does not exist/],
    ['a session over the agency maximum', (t) => stsRequest(t, { durationSeconds: 50_000 }), 400, /duration_seconds/],
    ['a bad session name', (t) => stsRequest(t, { sessionName: 'a b' }), 400, /agency_session_name/],
    ['a token that is not a JWT', () => stsRequest('abcdef'), 401, /not a JWT/],
    ['a token signed by someone else', (t) => stsRequest(`${t.split('.').slice(0, 2).join('.')}.AAAA`), 401, /signature/]
  ])('%s is refused', async (_what, request, status, message) => {
    await start()
    const error = await assumeAgencyWithOidc(
      api(),
      new URL(emu.url),
      request(emu.oidc.idToken('sts.huaweicloud.com')) as never,
      () => undefined
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status, message: expect.stringMatching(message) })
    expect((error as ApiError).requestId).toMatch(/^[0-9a-f]{32}$/)
  })

  test('issuer, audience and expiry of the token are checked', async () => {
    await start({ oidc: { issuer: 'https://evil.example.com' } })
    const sts = (aud: string) => assumeAgencyWithOidc(api(), new URL(emu.url), stsRequest(emu.oidc.idToken(aud)), () => undefined)
    await expect(sts('sts.huaweicloud.com')).rejects.toThrow(/iss of the ID token/)
    await emu.close()
    await start()
    await expect(sts('other')).rejects.toThrow(/HTTP 403 .*aud of the ID token/)
    const token = emu.oidc.idToken('sts.huaweicloud.com')
    now += 300_000
    await expect(assumeAgencyWithOidc(api(), new URL(emu.url), stsRequest(token), () => undefined)).rejects.toThrow(/has expired/)
  })
})

describe('IAM v3 federation with an ID token', () => {
  test('201 with the token in X-Subject-Token, scoped to the project by name or id; the token works until it expires', async () => {
    await start({ oidc: { iamTokenTtlMs: 60_000 } })
    const seen: string[] = []
    const token = await federatedToken(
      api(),
      new URL(emu.url),
      { idpId: D.idpId, idToken: emu.oidc.idToken('sts.huaweicloud.com'), project: { name: D.region } },
      (v) => seen.push(v)
    )
    expect(seen).toEqual([token.token])
    expect(token).toMatchObject({ projectId: D.projectId, user: 'FederationUser (identity provider github-actions)' })
    // Whole seconds: the answer's fraction is dropped where it is read.
    expect(token.expiresAt).toBe(Math.floor((now + 60_000) / 1000) * 1000)
    const byId = await federatedToken(
      api(),
      new URL(emu.url),
      { idpId: D.idpId, idToken: emu.oidc.idToken('sts.huaweicloud.com'), project: { id: D.projectId } },
      () => undefined
    )
    expect(byId.projectId).toBe(D.projectId)
    const dws = new DwsClient(api(staticCredentials({ kind: 'token', token: token.token }, () => undefined)), new URL(emu.url), D.projectId)
    await expect(dws.listSnapshots()).resolves.toEqual([])
    now += 60_000
    await expect(dws.listSnapshots()).rejects.toThrow(/HTTP 401 APIGW\.0307/)
  })

  test('unknown identity provider and unknown project are 404; a bad body 400', async () => {
    await start()
    const idToken = emu.oidc.idToken('sts.huaweicloud.com')
    const v3 = (idpId: string, project: { id: string } | { name: string }) =>
      federatedToken(api(), new URL(emu.url), { idpId, idToken, project }, () => undefined)
    await expect(v3('nope', { name: D.region })).rejects.toMatchObject({
      status: 404,
      errorCode: 'IAM.0004',
      operation: FEDERATED_TOKEN
    })
    await expect(v3(D.idpId, { name: 'xx-nowhere-1' })).rejects.toMatchObject({ status: 404, errorCode: 'IAM.0004' })
    const bad = await api()
      .send({
        operation: { name: 'x' },
        method: 'POST',
        base: new URL(emu.url),
        path: '/v3.0/OS-AUTH/id-token/tokens',
        headers: { 'X-Idp-Id': D.idpId },
        unsigned: true,
        body: {}
      })
      .catch((e: unknown) => e)
    expect(bad).toMatchObject({ status: 400, errorCode: 'IAM.0011' })
  })
})

describe('the cloud API renews expired credentials once', () => {
  const EXPIRED = { kind: 'status' as const, status: 401, body: { error_code: 'APIGW.0307', error_msg: 'The token must be updated.' } }

  test('a provider that can renew: invalidated, asked again, the call sent once more', async () => {
    await start()
    let n = 0
    const invalidated: number[] = []
    const provider: CredentialProvider = {
      get: () => Promise.resolve({ kind: 'token', token: n === 0 ? 'stale' : D.authToken }),
      invalidate: () => {
        invalidated.push(n)
        n++
      }
    }
    emu.inject('list', EXPIRED)
    const stats: CallStats = { requests: 0, retries: 0 }
    const dws = new DwsClient(api(provider, stats), new URL(emu.url), D.projectId)
    await expect(dws.listSnapshots()).resolves.toEqual([])
    expect(invalidated).toEqual([0])
    expect(emu.requests.filter((q) => q.route === 'list')).toHaveLength(2)
    // The resend after the renewal is a request of its own, and a retry: the summary counts both.
    expect(stats).toEqual({ requests: 2, retries: 1 })
  })

  test('fixed credentials are not sent again; a second expired answer is the caller’s', async () => {
    await start()
    emu.inject('list', EXPIRED, 2)
    const fixed = new DwsClient(
      api(staticCredentials({ kind: 'token', token: D.authToken }, () => undefined)),
      new URL(emu.url),
      D.projectId
    )
    await expect(fixed.listSnapshots()).rejects.toThrow(/HTTP 401 APIGW\.0307/)
    expect(emu.requests.filter((q) => q.route === 'list')).toHaveLength(1)
    emu.inject('list', EXPIRED, 2)
    let n = 0
    const renewing: CredentialProvider = {
      get: () => Promise.resolve({ kind: 'token', token: `t${n}` }),
      invalidate: () => {
        n++
      }
    }
    await expect(new DwsClient(api(renewing), new URL(emu.url), D.projectId).listSnapshots()).rejects.toThrow(/401/)
    expect(emu.requests.filter((q) => q.route === 'list')).toHaveLength(3)
  })

  test('a call that needs credentials on an API without them is a bug, said plainly', async () => {
    await start()
    await expect(new DwsClient(api(), new URL(emu.url), D.projectId).listSnapshots()).rejects.toThrow(
      /internal error: List snapshots needs credentials/
    )
  })
})
