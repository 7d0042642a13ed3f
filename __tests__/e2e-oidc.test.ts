/**
 * Keyless sign-in end to end: the bundle run as the runner runs it, getting its ID token from the
 * emulator's GitHub endpoint (ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN as the runner sets them with
 * `id-token: write`), exchanging it through STS or IAM v3, and signing DWS calls with the result.
 */
import { EMULATOR_DEFAULTS as D } from '../emulator/index.js'
import type { ActionResult } from '../scripts/run-bundle.js'
import { emu, errors, expectFailure, run, shownText, start } from './support/e2e-harness.js'

afterEach(async () => {
  await emu?.close()
})

const STS = { oidc_provider_urn: D.providerUrn, agency_urn: D.agencyUrn }

function keyless(inputs: Record<string, string>, env: Record<string, string> = idTokenEnv(), timeoutMs?: number): Promise<ActionResult> {
  return run({ access_key_id: '', secret_access_key: '', sts_endpoint: emu.url, iam_endpoint: emu.url, ...inputs }, { env, timeoutMs })
}

function idTokenEnv(): Record<string, string> {
  return { ACTIONS_ID_TOKEN_REQUEST_URL: emu.oidc.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: D.idTokenRequestToken }
}

/** Every secret of the run: masked on the runner (::add-mask::), and nowhere else in anything it wrote. */
function expectSecretsHidden(r: ActionResult, atLeast: number): void {
  const minted = emu.oidc.minted()
  const secrets = [
    D.idTokenRequestToken,
    ...minted.idTokens,
    ...minted.iamTokens,
    ...minted.accessKeys.flatMap((k) => [k.accessKeyId, k.secretAccessKey, k.securityToken ?? ''])
  ]
  expect(secrets.length).toBeGreaterThanOrEqual(atLeast)
  const masks = r.stdout.split('\n').filter((l) => l.startsWith('::add-mask::'))
  const shown = shownText(r)
  for (const secret of secrets) {
    expect(masks).toContain(`::add-mask::${secret}`)
    for (const text of shown) expect(text).not.toContain(secret)
    // Nor any base64 form of it (a decoded or re-encoded echo).
    for (const text of shown) expect(text).not.toContain(Buffer.from(secret).toString('base64').slice(4, 40))
  }
}

const routeCalls = (route: string) => emu.requests.filter((q) => q.route === route)

describe('keyless sign-in end to end', () => {
  test('through STS: the ID token from the runner, temporary keys, a snapshot, who signed in in the log and the summary', async () => {
    await start({ fast: true })
    const r = await keyless({ oidc_provider_urn: D.providerUrn, agency_urn: D.agencyUrn, project_id: '' })
    expect(errors(r)).toEqual([])
    expect(r.code).toBe(0)
    expect(r.outputs).toMatchObject({ status: 'AVAILABLE', created: 'true' })
    expect(r.stdout).toMatch(/^Signed in as sts::e0+2:assumed-agency:dws-snapshot\/github-987654321-1, expiring at \S+Z$/m)
    expect(r.summary).toMatch(/\| Signed in as \| sts::e0+2:assumed-agency:dws-snapshot\/github-987654321-1, until /)
    expect(routeCalls('oidc-token')).toHaveLength(1)
    expect(routeCalls('oidc-token')[0]!.path).toMatch(/&audience=sts\.huaweicloud\.com$/)
    expect(routeCalls('projects')).toHaveLength(1)
    expectSecretsHidden(r, 5)
  })

  test('through an IAM v3 identity provider: a project-scoped token, no project lookup', async () => {
    await start({ fast: true })
    const r = await keyless({ idp_id: D.idpId, project_id: '' })
    expect(errors(r)).toEqual([])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Signed in as FederationUser \(identity provider github-actions\), expiring at /m)
    expect(routeCalls('projects')).toHaveLength(0)
    expect(routeCalls('create')[0]!.headers['x-auth-token']).toBe(emu.oidc.minted().iamTokens[0])
    expectSecretsHidden(r, 3)
  })

  test('a 2-hour wait with a 15-minute session: signed in again before every expiry, never refused', async () => {
    // 500× time: two hours of emulated waiting in about 15 s.
    await start({ fast: true, scale: 500, creatingMs: 2 * 3600_000 })
    const r = await keyless(
      {
        ...STS,
        sts_endpoint: emu.url,
        project_id: D.projectId,
        session_duration: '15m',
        wait_timeout: '3h',
        poll_interval: '4m',
        request_timeout: '10m'
      },
      idTokenEnv(),
      90_000
    )
    expect(errors(r)).toEqual([])
    expect(r.outputs.status).toBe('AVAILABLE')
    const exchanges = routeCalls('sts').length
    // Renewed at the first poll past each 10-minute mark (4-minute polls): every 10 to 14 minutes of the 2 hours.
    expect(exchanges).toBeGreaterThanOrEqual(8)
    expect(exchanges).toBeLessThanOrEqual(13)
    expect(routeCalls('oidc-token')).toHaveLength(exchanges)
    expect(emu.requests.filter((q) => q.status === 401)).toEqual([])
    expect(r.stdout.match(/^Signed in again as /gm)).toHaveLength(exchanges - 1)
    expectSecretsHidden(r, 4 * exchanges)
  }, 120_000)

  test('without id-token: write (no ACTIONS_ID_TOKEN_REQUEST_*): one clear error, no request', async () => {
    await start()
    const r = await keyless({ ...STS, sts_endpoint: emu.url }, {})
    const message = expectFailure(r, /^No GitHub ID token$/, /ACTIONS_ID_TOKEN_REQUEST_URL/)
    expect(message).toMatch(/Hint: Add `permissions: id-token: write` to the job/)
    expect(emu.requests).toHaveLength(0)
  })

  test('a trust policy for another subject: the annotation shows the claims and names oidc:sub', async () => {
    await start({ oidc: { subject: 'repo:acme/shop-api:environment:production' } })
    const r = await keyless({ ...STS, sts_endpoint: emu.url, project_id: D.projectId })
    const message = expectFailure(r, /^Keyless sign-in failed$/, /HTTP 403 STS5\.\d+: .* \(request id [0-9a-f]{32}\)/)
    expect(message).toContain('sub=repo:acme/shop-api:ref:refs/heads/main')
    expect(message).toContain('aud=sts.huaweicloud.com')
    expect(message).toMatch(/Hint: Condition oidc:sub/)
    expect(routeCalls('create')).toHaveLength(0)
    expectSecretsHidden(r, 2)
  })

  test('an ID token already expired when it reaches STS', async () => {
    await start({ oidc: { idTokenTtlMs: 0 } })
    const r = await keyless({ ...STS, sts_endpoint: emu.url, project_id: D.projectId })
    expectFailure(r, /^Keyless sign-in failed$/, /ID token has expired[\s\S]*Hint: The ID token had expired/)
    expectSecretsHidden(r, 2)
  })
})
