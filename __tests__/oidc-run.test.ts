/**
 * Keyless sign-in, the whole run in-process: run() through MemoryIO against the emulator's GitHub
 * token endpoint, STS and IAM v3, on a virtual clock the emulator shares.
 */
import { EMULATOR_DEFAULTS as D } from '../emulator/index.js'
import { emu, requestsTo, runWith, start } from './support/in-process.js'
import type { MemoryIO } from './support/memory-io.js'

afterEach(async () => {
  await emu?.close()
})

const STS = { oidc_provider_urn: D.providerUrn, agency_urn: D.agencyUrn }

/** Every secret the run held: the request token, each ID token, each minted key, security token and IAM token. */
function allSecrets(): string[] {
  const minted = emu.oidc.minted()
  return [
    D.idTokenRequestToken,
    ...minted.idTokens,
    ...minted.iamTokens,
    ...minted.accessKeys.flatMap((k) => [k.accessKeyId, k.secretAccessKey, k.securityToken ?? ''])
  ].filter((secret) => secret !== '')
}

/** A keyless step: no keys in the inputs, the runner's ID-token request variables, ID tokens from the emulator. */
async function runKeyless(inputs: Record<string, string>, env: Record<string, string> = {}, debug = false): Promise<MemoryIO> {
  const io = await runWith(
    { project_id: '', access_key_id: '', secret_access_key: '', sts_endpoint: emu.url, iam_endpoint: emu.url, ...inputs },
    {
      env: { ACTIONS_ID_TOKEN_REQUEST_URL: emu.oidc.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: D.idTokenRequestToken, ...env },
      debug,
      io: (io) => (io.idTokens = (audience) => emu.oidc.idToken(audience))
    }
  )
  expectSecretsHidden(io)
  return io
}

/** No secret the sign-in minted is shown, nor a base64 form of it (a decoded or re-encoded echo). */
function expectSecretsHidden(io: MemoryIO): void {
  for (const secret of allSecrets()) {
    expect(io.shown).not.toContain(secret)
    expect(io.shown).not.toContain(Buffer.from(secret).toString('base64').slice(4, 40))
  }
}

const routeCalls = requestsTo

describe('keyless sign-in through STS', () => {
  test('exchanges an ID token for temporary keys, signs DWS calls with them, and says who it is', async () => {
    await start()
    const io = await runKeyless({ ...STS, project_id: D.projectId })
    expect(io.errors).toEqual([])
    expect(io.exitCode).toBe(0)
    expect(io.idTokenAudiences).toEqual(['sts.huaweicloud.com'])
    const [exchange] = routeCalls('sts')
    expect(exchange!.headers['authorization']).toBeUndefined()
    expect(JSON.parse(exchange!.body)).toMatchObject({
      provider_urn: D.providerUrn,
      agency_urn: D.agencyUrn,
      agency_session_name: 'github-987654321-1',
      duration_seconds: 3600
    })
    const [key] = emu.oidc.minted().accessKeys
    const create = routeCalls('create')[0]!
    expect(create.headers['authorization']).toContain(`Access=${key!.accessKeyId}`)
    expect(create.headers['x-security-token']).toBe(key!.securityToken)
    const signedIn = io.lines.filter((l) => l.startsWith('Signed in'))
    expect(signedIn).toEqual([
      expect.stringMatching(
        /^Signed in as sts::e0+2:assumed-agency:dws-snapshot\/github-987654321-1, expiring at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/
      )
    ])
    expect(io.summary).toMatch(/\| Signed in as \| sts::e0+2:assumed-agency:dws-snapshot\/github-987654321-1, until /)
    // The JWT, the request token and all three parts of the temporary credentials were masked the moment they existed.
    expect(io.secrets).toEqual(expect.arrayContaining(allSecrets()))
  })

  test('keys left in the environment are ignored (and the debug log says so); the project is looked up with the temporary keys', async () => {
    await start()
    const io = await runKeyless(STS, { HUAWEI_CLOUD_ACCESS_KEY_ID: D.accessKeyId, HUAWEI_CLOUD_SECRET_ACCESS_KEY: D.secretAccessKey }, true)
    expect(io.exitCode).toBe(0)
    expect(io.lines).toContain(
      'debug: Keyless sign-in chosen by the inputs: ignoring the keys in env HUAWEI_CLOUD_ACCESS_KEY_ID, HUAWEI_CLOUD_SECRET_ACCESS_KEY'
    )
    expect(io.outputs).toMatchObject({ status: 'AVAILABLE', created: 'true' })
    expect(io.secrets).not.toContain(D.secretAccessKey)
    expect(routeCalls('projects')).toHaveLength(1)
    const lookup = routeCalls('projects')[0]!
    expect(lookup.headers['authorization']).toContain(`Access=${emu.oidc.minted().accessKeys[0]!.accessKeyId}`)
  })

  test('a 2-hour wait with a 15-minute session signs in again before the keys expire, every time', async () => {
    await start({ creatingMs: 2 * 3600_000 })
    const io = await runKeyless({ ...STS, project_id: D.projectId, session_duration: '15m', wait_timeout: '3h', poll_interval: '5m' })
    expect(io.errors).toEqual([])
    expect(io.outputs.status).toBe('AVAILABLE')
    const exchanges = routeCalls('sts').length
    // Renewed 5 minutes before each expiry: every 10 minutes of the 2 hours.
    expect(exchanges).toBeGreaterThanOrEqual(12)
    expect(exchanges).toBeLessThanOrEqual(14)
    // A fresh ID token for every exchange, and no DWS call was refused.
    expect(emu.oidc.minted().idTokens).toHaveLength(exchanges)
    expect(emu.requests.filter((q) => q.status === 401)).toEqual([])
    expect(io.lines.filter((l) => l.startsWith('Signed in again'))).toHaveLength(exchanges - 1)
    expect(io.summary).toMatch(new RegExp(`signed in ${exchanges} times`))
    // Every key, token and ID token of every sign-in was masked, and none shown.
    expect(allSecrets().length).toBeGreaterThanOrEqual(4 * exchanges)
    expect(io.secrets).toEqual(expect.arrayContaining(allSecrets()))
  })

  test('a 401 saying the credentials expired signs in again and sends the call once more', async () => {
    await start()
    emu.inject('details', {
      kind: 'status',
      status: 401,
      body: { error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information: the security token has expired.' }
    })
    const io = await runKeyless({ ...STS, project_id: D.projectId })
    expect(io.errors).toEqual([])
    expect(routeCalls('sts')).toHaveLength(2)
    const details = routeCalls('details')
    expect(details[1]!.headers['authorization']).toContain(`Access=${emu.oidc.minted().accessKeys[1]!.accessKeyId}`)
  })

  test('transient exchange failures are retried like any call', async () => {
    await start()
    emu.inject('sts', { kind: 'status', status: 503 }, 2)
    const io = await runKeyless({ ...STS, project_id: D.projectId, wait: 'false' })
    expect(io.errors).toEqual([])
    expect(routeCalls('sts').map((q) => q.status)).toEqual([503, 503, 200])
  })

  test('a trust policy that does not match: one annotation with the status, code, request id, the claims and the condition to check', async () => {
    await start({ oidc: { subject: 'repo:acme/shop-api:environment:production' } })
    const io = await runKeyless({ ...STS, project_id: D.projectId })
    expect(io.exitCode).toBe(1)
    expect(io.errors).toHaveLength(1)
    const [error] = io.errors
    expect(error!.title).toBe('DWS snapshot: Keyless sign-in failed')
    expect(error!.message).toMatch(/HTTP 403 STS5\.\d+: .*trust policy.* \(request id [0-9a-f]{32}\)/)
    expect(error!.message).toContain(
      'claims: iss=https://token.actions.githubusercontent.com, aud=sts.huaweicloud.com, sub=repo:acme/shop-api:ref:refs/heads/main, repository=acme/shop-api, ref=refs/heads/main, job_workflow_ref=acme/shop-api/.github/workflows/release.yml@refs/heads/main'
    )
    expect(error!.message).toMatch(/Hint: Condition oidc:sub/)
    expect(routeCalls('create')).toHaveLength(0)
    expect(io.summary).toContain('Keyless sign-in failed')
  })

  test('an ID token that expired before it reached STS is named, with a hint about the clock', async () => {
    await start({ oidc: { idTokenTtlMs: 0 } })
    const io = await runKeyless({ ...STS, project_id: D.projectId })
    expect(io.errors[0]!.message).toMatch(/HTTP 401 .*ID token has expired/)
    expect(io.errors[0]!.message).toMatch(/Hint: The ID token had expired/)
  })

  test('an audience the provider does not know names oidc:aud', async () => {
    await start()
    const io = await runKeyless({ ...STS, project_id: D.projectId, oidc_audience: 'someone-else' })
    expect(io.idTokenAudiences).toEqual(['someone-else'])
    expect(io.errors[0]!.message).toMatch(/aud=someone-else/)
    expect(io.errors[0]!.message).toMatch(/Hint: Condition oidc:aud/)
  })

  test('without id-token: write the runner gives no token: one clear error before any request', async () => {
    await start()
    const io = await runKeyless(
      { ...STS, project_id: D.projectId },
      { ACTIONS_ID_TOKEN_REQUEST_URL: '', ACTIONS_ID_TOKEN_REQUEST_TOKEN: '' }
    )
    expect(io.errors).toEqual([
      {
        level: 'error',
        title: 'DWS snapshot: No GitHub ID token',
        message: expect.stringMatching(
          /ACTIONS_ID_TOKEN_REQUEST_URL.*\n+Hint: Add `permissions: id-token: write` to the job.*forks get no ID token/s
        )
      }
    ])
    expect(emu.requests).toHaveLength(0)
  })

  test('a runner that fails to issue the token is retried, then reported', async () => {
    await start()
    let calls = 0
    const io = await runWith(
      { ...STS, access_key_id: '', secret_access_key: '', sts_endpoint: emu.url },
      {
        env: { ACTIONS_ID_TOKEN_REQUEST_URL: emu.oidc.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: D.idTokenRequestToken },
        io: (io) =>
          (io.idTokens = () => {
            calls++
            throw new Error('Error message: Failed to get ID Token. \n Error Code : 503\n Error Message: Service Unavailable')
          })
      }
    )
    expect(calls).toBe(3)
    expect(io.errors[0]).toMatchObject({
      title: 'DWS snapshot: No GitHub ID token',
      message: expect.stringMatching(/3 attempts.*Error Code : 503/)
    })
  })

  test('a session longer than the agency allows: HTTP 400 and a hint naming session_duration', async () => {
    await start({ oidc: { maxSessionSeconds: 3600 } })
    const io = await runKeyless({ ...STS, project_id: D.projectId, session_duration: '2h' })
    expect(io.errors[0]!.message).toMatch(/HTTP 400 .*duration_seconds.*Hint: .*session_duration is at most the agency’s maximum/s)
  })

  test('DWS refusing the keyless credentials for another reason: not renewed, and the hint is about the agency', async () => {
    await start()
    emu.inject('create', {
      kind: 'status',
      status: 401,
      body: { error_code: 'APIGW.0301', error_msg: 'Incorrect IAM authentication information: signature mismatch' }
    })
    const io = await runKeyless({ ...STS, project_id: D.projectId })
    expect(routeCalls('sts')).toHaveLength(1)
    expect(io.errors[0]!.message).toMatch(/Hint: The credentials from the keyless sign-in were refused/)
  })

  test('dry_run performs the exchange and the read-only checks', async () => {
    await start()
    const io = await runKeyless({ ...STS, project_id: D.projectId, dry_run: 'true' })
    expect(io.exitCode).toBe(0)
    expect(routeCalls('sts')).toHaveLength(1)
    expect(routeCalls('cluster')).toHaveLength(1)
    expect(emu.snapshots()).toHaveLength(0)
    expect(io.summary).toContain('dry run passed')
    expect(io.summary).toContain('Signed in as')
  })
})

describe('keyless sign-in through an IAM v3 identity provider', () => {
  test('a project-scoped token, sent as X-Auth-Token; the project comes with it (no lookup)', async () => {
    await start()
    const io = await runKeyless({ idp_id: D.idpId })
    expect(io.errors).toEqual([])
    const [exchange] = routeCalls('iam-token')
    expect(exchange!.headers['x-idp-id']).toBe(D.idpId)
    expect(JSON.parse(exchange!.body)).toMatchObject({ auth: { scope: { project: { name: D.region } } } })
    expect(routeCalls('projects')).toHaveLength(0)
    const [token] = emu.oidc.minted().iamTokens
    expect(routeCalls('create')[0]!.headers['x-auth-token']).toBe(token)
    expect(io.lines).toContainEqual(
      expect.stringMatching(/^Signed in as FederationUser \(identity provider github-actions\), expiring at /)
    )
    expect(io.secrets).toEqual(expect.arrayContaining(allSecrets()))
  })

  test('scoped by project id when it is known; a token shorter than the wait is renewed', async () => {
    await start({ creatingMs: 3600_000, oidc: { iamTokenTtlMs: 20 * 60_000 } })
    const io = await runKeyless({ idp_id: D.idpId, project_id: D.projectId, wait_timeout: '2h', poll_interval: '5m' })
    expect(io.errors).toEqual([])
    expect(JSON.parse(routeCalls('iam-token')[0]!.body)).toMatchObject({ auth: { scope: { project: { id: D.projectId } } } })
    expect(routeCalls('iam-token').length).toBeGreaterThanOrEqual(4)
    expect(emu.requests.filter((q) => q.status === 401)).toEqual([])
  })

  test('mapping rules that do not match: the claims and a hint about the mapping', async () => {
    await start({ oidc: { subject: 'repo:other/repo:*' } })
    const io = await runKeyless({ idp_id: D.idpId })
    expect(io.errors[0]).toMatchObject({
      title: 'DWS snapshot: Keyless sign-in failed',
      message: expect.stringMatching(
        /IAM v3 identity provider failed: .*HTTP 401 IAM\.0001.*sub=repo:acme\/shop-api:ref:refs\/heads\/main.*Hint: The identity provider’s mapping rules/s
      )
    })
  })

  test('an unknown identity provider is named', async () => {
    await start()
    const io = await runKeyless({ idp_id: 'nope' })
    expect(io.errors[0]!.message).toMatch(/HTTP 404 IAM\.0004.*Hint: No identity provider has this idp_id/s)
  })
})
