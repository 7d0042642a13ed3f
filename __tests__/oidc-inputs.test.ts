/** Choosing the way of signing in, and the keyless inputs, validated before any request. */
import { InputError } from '../src/action/inputs/input-error.js'
import { readSnapshotConfig } from '../src/action/inputs/snapshot.js'
import type { Env } from '../src/action/runner/io.js'
import { inputErrorOf, snapshotInputs } from './support/inputs.js'

const CLUSTER = '8d4a8c21-0b5e-4f3a-9c1d-2e7f6a5b4c3d'
const PROVIDER = 'iam::0123456789abcdef0123456789abcdef:oidcProvider:github-actions'
const AGENCY = 'iam::0123456789abcdef0123456789abcdef:agency:dws-snapshot'
const STS: Record<string, string> = { cluster_id: CLUSTER, region: 'cn-north-4', oidc_provider_urn: PROVIDER, agency_urn: AGENCY }

const read = (inputs: Record<string, string>, env: Env = {}) => readSnapshotConfig(snapshotInputs(inputs), env).cloud

function errorOf(inputs: Record<string, string>, env: Env = {}): InputError {
  return inputErrorOf(() => read(inputs, env))
}

describe('keyless sign-in through STS', () => {
  test('both URNs choose it, with the documented defaults and the region’s STS endpoint', () => {
    const config = read(STS)
    expect(config.signIn).toEqual({
      way: 'oidc-sts',
      stsEndpoint: new URL('https://sts.cn-north-4.myhuaweicloud.com'),
      providerUrn: PROVIDER,
      agencyUrn: AGENCY,
      audience: 'sts.huaweicloud.com',
      sessionNameTemplate: 'github-{run_id}-{run_attempt}',
      durationSeconds: 3600
    })
    expect(config.credentialSource).toBe('oidc-sts')
  })

  test('audience, session name, duration and endpoint as given; env HUAWEICLOUD_SDK_STS_ENDPOINT when no input', () => {
    const given = read({
      ...STS,
      oidc_audience: 'my-client',
      session_name: 'x-{run_id}',
      session_duration: '15m',
      sts_endpoint: 'http://127.0.0.1:9'
    })
    expect(given.signIn).toMatchObject({ audience: 'my-client', sessionNameTemplate: 'x-{run_id}', durationSeconds: 900 })
    expect(given.signIn.way === 'oidc-sts' && given.signIn.stsEndpoint.href).toBe('http://127.0.0.1:9/')
    const fromEnv = read({ ...STS, region: 'eu-west-101' }, { HUAWEICLOUD_SDK_STS_ENDPOINT: 'https://sts.example.com' })
    expect(fromEnv.signIn.way === 'oidc-sts' && fromEnv.signIn.stsEndpoint.host).toBe('sts.example.com')
  })

  test('keys in the environment are ignored, and named for the debug log', () => {
    const config = read(STS, {
      HUAWEI_CLOUD_ACCESS_KEY_ID: 'AK',
      HUAWEI_CLOUD_SECRET_ACCESS_KEY: 'SK',
      HUAWEICLOUD_SDK_SECURITY_TOKEN: 'ST'
    })
    expect(config.signIn.way).toBe('oidc-sts')
    expect(config.ignoredEnvKeys).toEqual([
      'HUAWEI_CLOUD_ACCESS_KEY_ID',
      'HUAWEI_CLOUD_SECRET_ACCESS_KEY',
      'HUAWEICLOUD_SDK_SECURITY_TOKEN'
    ])
    expect(read({ ...STS, oidc_provider_urn: '', agency_urn: '', access_key_id: 'AK', secret_access_key: 'SK' }).ignoredEnvKeys).toEqual([])
  })

  test.each<[string, Record<string, string>, string, RegExp]>([
    [
      'keys and STS',
      { access_key_id: 'AK', secret_access_key: 'SK' },
      'oidc_provider_urn',
      /not two: an access key pair \(access_key_id, secret_access_key\) or keyless sign-in through STS \(oidc_provider_urn, agency_urn\)/
    ],
    ['a token and STS', { auth_token: 'tok' }, 'oidc_provider_urn', /an IAM token \(auth_token\) or keyless sign-in through STS/],
    [
      'STS and v3',
      { idp_id: 'github' },
      'idp_id',
      /keyless sign-in through STS .* or keyless sign-in through an IAM v3 identity provider \(idp_id\)/
    ],
    ['only the provider', { agency_urn: '' }, 'agency_urn', /is required with oidc_provider_urn/],
    ['only the agency', { oidc_provider_urn: '' }, 'oidc_provider_urn', /is required with agency_urn/],
    [
      'a provider URN of another shape',
      { oidc_provider_urn: 'iam::123:identityProvider:x' },
      'oidc_provider_urn',
      /is not iam::<account-id>:oidcProvider:<name>/
    ],
    ['an agency name with a space', { agency_urn: 'iam::123:agency:my agency' }, 'agency_urn', /is not iam::<account-id>:agency:<name>/],
    ['a session under 15 minutes', { session_duration: '10m' }, 'session_duration', /between 15m and 12h/],
    ['a session over 12 hours', { session_duration: '13h' }, 'session_duration', /between 15m and 12h/],
    ['a session that is no duration', { session_duration: '1 hour' }, 'session_duration', /is not a duration/],
    ['an audience with a space', { oidc_audience: 'my client' }, 'oidc_audience', /is not an audience/],
    ['an STS endpoint over http', { sts_endpoint: 'http://sts.example.com' }, 'sts_endpoint', /only https:\/\//],
    [
      'a region without STS',
      { region: 'eu-west-101' },
      'sts_endpoint',
      /region eu-west-101 has no known STS endpoint .*set sts_endpoint .*idp_id/
    ],
    [
      'no region at all',
      { region: '', endpoint: 'https://dws.example.com', project_id: '0123456789abcdef0123456789abcdef' },
      'sts_endpoint',
      /no region is given/
    ]
  ])('%s is refused, naming %s', (_what, change, input, message) => {
    const error = errorOf({ ...STS, ...change })
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
  })
})

describe('keyless sign-in through an IAM v3 identity provider', () => {
  const V3 = { cluster_id: CLUSTER, region: 'eu-west-101', idp_id: 'github-actions' }

  test('scoped to the project named like the region, at the region’s IAM endpoint', () => {
    expect(read(V3).signIn).toEqual({
      way: 'oidc-iam',
      iamEndpoint: new URL('https://iam.eu-west-101.myhuaweicloud.eu'),
      idpId: 'github-actions',
      audience: 'sts.huaweicloud.com',
      project: { name: 'eu-west-101' }
    })
  })

  test('scoped by project id when known; iam_endpoint as given', () => {
    const config = read({ ...V3, project_id: 'abc123', iam_endpoint: 'https://iam.example.com', oidc_audience: 'github' })
    expect(config.signIn).toMatchObject({ project: { id: 'abc123' }, audience: 'github' })
    expect(config.signIn.way === 'oidc-iam' && config.signIn.iamEndpoint.host).toBe('iam.example.com')
  })

  test.each<[string, Record<string, string>, string, RegExp]>([
    ['an id with a slash', { idp_id: 'a/b' }, 'idp_id', /is not an identity provider id/],
    [
      'no region and no IAM endpoint',
      { region: '', endpoint: 'https://dws.example.com', project_id: 'abc' },
      'iam_endpoint',
      /required with idp_id/
    ]
  ])('%s is refused, naming %s', (_what, change, input, message) => {
    const error = errorOf({ ...V3, ...change })
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
  })
})
