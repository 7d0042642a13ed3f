import { InputError } from '../src/action/inputs/input-error.js'
import { readSnapshotConfig } from '../src/action/inputs/snapshot.js'
import type { Env } from '../src/action/runner/io.js'
import { inputErrorOf, SNAPSHOT_METADATA, snapshotInputs } from './support/inputs.js'

const DEFAULTS = SNAPSHOT_METADATA.defaults

const CLUSTER = '8d4a8c21-0b5e-4f3a-9c1d-2e7f6a5b4c3d'
const BASE: Record<string, string> = {
  cluster_id: CLUSTER,
  region: 'cn-north-4',
  project_id: '0123456789abcdef0123456789abcdef',
  access_key_id: 'AKTEST',
  secret_access_key: 'SKTEST'
}

function read(inputs: Record<string, string>, env: Env = {}) {
  const config = readSnapshotConfig(snapshotInputs(inputs), env)
  // The keys or token of a run that signs in with them (the keyless ways are tested in oidc-inputs.test.ts).
  return { ...config, ...config.cloud, credentials: config.cloud.signIn.way === 'static' ? config.cloud.signIn.credentials : undefined }
}

function errorOf(inputs: Record<string, string>, env: Env = {}): InputError {
  return inputErrorOf(() => read(inputs, env))
}

describe('readSnapshotConfig', () => {
  test('applies the defaults of action.yml when inputs are empty', () => {
    const config = read(BASE)
    expect(config).toMatchObject({
      clusters: { by: 'id', ids: [CLUSTER] },
      maxParallel: 5,
      nameTemplate: DEFAULTS.name,
      descriptionTemplate: DEFAULTS.description,
      dryRun: false,
      wait: true,
      waitTimeoutMs: 3_600_000,
      pollIntervalMs: 20_000,
      maxAttempts: 5,
      ifExists: 'fail',
      requestTimeoutMs: 30_000
    })
    expect(config.dwsEndpoint.href).toBe('https://dws.cn-north-4.myhuaweicloud.com/')
    expect(config.iamEndpoint).toBeUndefined()
  })

  test.each([
    ['cluster_id', { cluster_id: '' }, /required/],
    ['cluster_id', { cluster_id: 'my-cluster' }, /not a cluster ID/],
    ['cluster_id', { cluster_id: `${CLUSTER}x` }, /not a cluster ID/],
    ['region', { region: 'cn north 4' }, /not a region name/],
    ['region', { region: '', endpoint: '' }, /region \(or an endpoint\) is required/],
    ['endpoint', { endpoint: 'http://dws.example.com' }, /only https/],
    ['endpoint', { endpoint: 'ftp://127.0.0.1' }, /must start with https/],
    ['endpoint', { endpoint: 'not a url' }, /not a URL/],
    ['endpoint', { endpoint: 'https://user:pw@dws.example.com' }, /without credentials/],
    ['iam_endpoint', { project_id: '', iam_endpoint: 'http://iam.example.com' }, /only https/],
    ['project_id', { project_id: '../../x' }, /not a project ID/],
    ['project_id', { project_id: '', region: '', endpoint: 'https://dws.example.com' }, /required when no region/],
    ['poll_interval', { poll_interval: '4s' }, /at least 5s/],
    ['poll_interval', { poll_interval: '20' }, /poll_interval/],
    ['wait_timeout', { wait_timeout: '0s' }, /between 1s and 72h/],
    ['wait_timeout', { wait_timeout: '73h' }, /between 1s and 72h/],
    ['request_timeout', { request_timeout: '11m' }, /between 1s and 10m/],
    ['max_attempts', { max_attempts: '0' }, /whole number from 1 to 20/],
    ['max_attempts', { max_attempts: '2.5' }, /whole number/],
    ['if_exists', { if_exists: 'skip' }, /not one of: fail, reuse/],
    ['dry_run', { dry_run: 'yes' }, /not a boolean/],
    ['wait', { wait: 'no' }, /not a boolean/],
    ['auth_token', { auth_token: 'tok' }, /either auth_token or access_key_id/],
    ['security_token', { access_key_id: '', secret_access_key: '', auth_token: 'tok', security_token: 'st' }, /not with auth_token/],
    ['access_key_id', { access_key_id: '' }, /required when secret_access_key/],
    ['secret_access_key', { secret_access_key: '' }, /required when access_key_id/],
    ['access_key_id', { access_key_id: '', secret_access_key: '' }, /no credentials/]
  ])('%s: %j is refused', (input, change, message) => {
    const error = errorOf({ ...BASE, ...change })
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
    expect(error.message).toContain(`'${input}'`)
  })

  test('region and project fall back to the env that huaweicloud/auth-action exports', () => {
    const config = read(
      { cluster_id: CLUSTER },
      {
        HUAWEI_CLOUD_REGION: 'eu-west-101',
        HUAWEI_CLOUD_PROJECT_ID: 'feedfeedfeedfeedfeedfeedfeedfeed',
        HUAWEI_CLOUD_ACCESS_KEY_ID: 'ENVAK',
        HUAWEI_CLOUD_SECRET_ACCESS_KEY: 'ENVSK',
        HUAWEI_CLOUD_SECURITY_TOKEN: 'ENVST'
      }
    )
    expect(config.region).toBe('eu-west-101')
    expect(config.dwsEndpoint.href).toBe('https://dws.eu-west-101.myhuaweicloud.eu/')
    expect(config.projectId).toBe('feedfeedfeedfeedfeedfeedfeedfeed')
    expect(config.credentials).toEqual({ kind: 'aksk', accessKeyId: 'ENVAK', secretAccessKey: 'ENVSK', securityToken: 'ENVST' })
  })

  test('HUAWEICLOUD_SDK_* come after HUAWEI_CLOUD_*, and a pair is never mixed across sources', () => {
    const env = { HUAWEICLOUD_SDK_AK: 'SDKAK', HUAWEICLOUD_SDK_SK: 'SDKSK', HUAWEICLOUD_SDK_PROJECT_ID: 'abcabcabcabcabcabcabcabcabcabcab' }
    const config = read({ cluster_id: CLUSTER, region: 'cn-north-4' }, env)
    expect(config.credentials).toEqual({ kind: 'aksk', accessKeyId: 'SDKAK', secretAccessKey: 'SDKSK' })
    expect(config.projectId).toBe('abcabcabcabcabcabcabcabcabcabcab')
    expect(read(BASE, env).credentials).toMatchObject({ accessKeyId: 'AKTEST' })
    const half = errorOf({ cluster_id: CLUSTER, region: 'cn-north-4' }, { HUAWEI_CLOUD_ACCESS_KEY_ID: 'AK', ...env })
    expect(half.message).toMatch(/HUAWEI_CLOUD_SECRET_ACCESS_KEY is empty/)
  })

  test('an explicit auth_token wins over keys in the environment', () => {
    const config = read(
      { ...BASE, access_key_id: '', secret_access_key: '', auth_token: 'tok' },
      { HUAWEI_CLOUD_ACCESS_KEY_ID: 'A', HUAWEI_CLOUD_SECRET_ACCESS_KEY: 'S' }
    )
    expect(config.credentials).toEqual({ kind: 'token', token: 'tok' })
  })

  test('without a project id, the IAM endpoint is derived from the region, or taken from iam_endpoint', () => {
    expect(read({ ...BASE, project_id: '' }).iamEndpoint?.href).toBe('https://iam.cn-north-4.myhuaweicloud.com/')
    expect(read({ ...BASE, project_id: '', region: 'eu-de' }).iamEndpoint?.href).toBe('https://iam.eu-de.otc.t-systems.com/')
    expect(read({ ...BASE, project_id: '', iam_endpoint: 'http://127.0.0.1:8080/' }).iamEndpoint?.href).toBe('http://127.0.0.1:8080/')
  })

  test('an endpoint override may be http only on loopback; the region then is optional when project_id is set', () => {
    const config = read({ ...BASE, region: '', endpoint: 'http://127.0.0.1:9999/' })
    expect(config.dwsEndpoint.href).toBe('http://127.0.0.1:9999/')
    expect(read({ ...BASE, endpoint: 'http://localhost:1' }).dwsEndpoint.host).toBe('localhost:1')
    expect(read({ ...BASE, endpoint: 'https://dws.internal.example.com/' }).dwsEndpoint.href).toBe('https://dws.internal.example.com/')
  })

  test('inputs are trimmed and choices and booleans accept the YAML spellings', () => {
    const config = read({
      ...BASE,
      cluster_id: ` ${CLUSTER}\n`,
      if_exists: 'REUSE',
      wait: 'False',
      dry_run: 'TRUE',
      max_attempts: '1',
      wait_timeout: '1h30m'
    })
    expect(config).toMatchObject({
      clusters: { by: 'id', ids: [CLUSTER] },
      maxParallel: 5,
      ifExists: 'reuse',
      wait: false,
      dryRun: true,
      maxAttempts: 1,
      waitTimeoutMs: 5_400_000
    })
  })
})

describe('credentials', () => {
  const SECRET_PART = 'SecretPart9'
  const KEYLESS = { ...BASE, access_key_id: '', secret_access_key: '' }

  test.each([
    ['security_token', 'a line break', `${SECRET_PART}\n${SECRET_PART}`, 12],
    ['security_token', 'a line break', `${SECRET_PART}\r\n${SECRET_PART}`, 12],
    ['access_key_id', 'a space', `AK ${SECRET_PART}`, 3],
    ['secret_access_key', 'a non-ASCII character (U+00E9)', `${SECRET_PART}é`, 12],
    ['secret_access_key', 'a non-ASCII character (U+00A0)', `${SECRET_PART}\u00a0x`, 12],
    ['auth_token', 'a tab', `${SECRET_PART}\tx`, 12],
    ['auth_token', 'a control character (U+001B)', `\u001b${SECRET_PART}`, 1]
  ])('%s holding %s is refused without quoting the value', (input, problem, value, position) => {
    const inputs = input === 'auth_token' ? { ...KEYLESS, auth_token: value } : { ...BASE, [input]: value }
    const error = errorOf(inputs)
    expect(error.input).toBe(input)
    expect(error.message).toContain(`contains ${problem} at position ${position}`)
    expect(error.message).not.toContain(SECRET_PART)
  })

  test('surrounding whitespace, such as a pasted trailing newline, is trimmed, not refused', () => {
    expect(read({ ...BASE, security_token: `  ST-1+/=\n` }).credentials).toMatchObject({ securityToken: 'ST-1+/=' })
  })

  test('a bad env credential names the env variable, not its value', () => {
    const error = errorOf(KEYLESS, {
      HUAWEI_CLOUD_ACCESS_KEY_ID: 'AK',
      HUAWEI_CLOUD_SECRET_ACCESS_KEY: 'SK',
      HUAWEI_CLOUD_SECURITY_TOKEN: `${SECRET_PART}\n`.repeat(2)
    })
    expect(error.input).toBe('security_token')
    expect(error.message).toContain('env HUAWEI_CLOUD_SECURITY_TOKEN contains a line break at position 12')
    expect(error.message).not.toContain(SECRET_PART)
    expect(errorOf(KEYLESS, { HUAWEICLOUD_SDK_AK: 'A K', HUAWEICLOUD_SDK_SK: 'SK' }).message).toContain(
      'env HUAWEICLOUD_SDK_AK contains a space'
    )
  })

  test('a security token is only used with the keys from its own source', () => {
    const staleEnv = { HUAWEI_CLOUD_SECURITY_TOKEN: 'STALE', HUAWEICLOUD_SDK_SECURITY_TOKEN: 'SDKSTALE' }
    const fromInputs = read(BASE, staleEnv)
    expect(fromInputs.credentials).toEqual({ kind: 'aksk', accessKeyId: 'AKTEST', secretAccessKey: 'SKTEST' })
    expect(fromInputs.credentialSource).toBe('input')
    expect(read({ ...BASE, security_token: 'INPUTST' }, staleEnv).credentials).toMatchObject({ securityToken: 'INPUTST' })

    const huaweiCloud = read(KEYLESS, { ...staleEnv, HUAWEI_CLOUD_ACCESS_KEY_ID: 'ENVAK', HUAWEI_CLOUD_SECRET_ACCESS_KEY: 'ENVSK' })
    expect(huaweiCloud.credentials).toEqual({ kind: 'aksk', accessKeyId: 'ENVAK', secretAccessKey: 'ENVSK', securityToken: 'STALE' })
    expect(huaweiCloud.credentialSource).toBe('HUAWEI_CLOUD_*')

    const sdk = read(KEYLESS, { ...staleEnv, HUAWEICLOUD_SDK_AK: 'SDKAK', HUAWEICLOUD_SDK_SK: 'SDKSK' })
    expect(sdk.credentials).toEqual({ kind: 'aksk', accessKeyId: 'SDKAK', secretAccessKey: 'SDKSK', securityToken: 'SDKSTALE' })
    expect(sdk.credentialSource).toBe('HUAWEICLOUD_SDK_*')
    const sdkWithoutItsToken = read(KEYLESS, {
      HUAWEI_CLOUD_SECURITY_TOKEN: 'STALE',
      HUAWEICLOUD_SDK_AK: 'SDKAK',
      HUAWEICLOUD_SDK_SK: 'SDKSK'
    })
    expect(sdkWithoutItsToken.credentials).toEqual({ kind: 'aksk', accessKeyId: 'SDKAK', secretAccessKey: 'SDKSK' })
  })

  test('input security_token without input keys is refused, even when keys are in the environment', () => {
    const error = errorOf(
      { ...KEYLESS, security_token: 'ST' },
      { HUAWEI_CLOUD_ACCESS_KEY_ID: 'ENVAK', HUAWEI_CLOUD_SECRET_ACCESS_KEY: 'ENVSK' }
    )
    expect(error.input).toBe('security_token')
    expect(error.message).toMatch(/without access_key_id and secret_access_key/)
  })

  test('an auth_token comes from the inputs', () => {
    expect(read({ ...KEYLESS, auth_token: 'tok' }).credentialSource).toBe('input')
  })
})

describe('input values quoted in errors', () => {
  test('an upper-case cluster ID is accepted and written in lower case, as the service does', () => {
    expect(read({ ...BASE, cluster_id: CLUSTER.toUpperCase() }).clusters).toEqual({ by: 'id', ids: [CLUSTER] })
  })

  const HUGE = 'x'.repeat(5000)
  test.each([
    'cluster_id',
    'region',
    'project_id',
    'poll_interval',
    'wait_timeout',
    'request_timeout',
    'max_attempts',
    'if_exists',
    'dry_run',
    'wait'
  ])('a 5000-character %s is quoted capped, with its length noted', (input) => {
    const error = errorOf({ ...BASE, [input]: HUGE })
    expect(error.input).toBe(input)
    expect(error.message).toContain(`'${'x'.repeat(200)}… (5000 characters in all)'`)
    expect(error.message.length).toBeLessThan(input === 'cluster_id' ? 350 : 400)
  })

  test('a line break in a quoted value is shown as an escape, keeping the message on one line', () => {
    const error = errorOf({ ...BASE, region: 'cn-north-4\n::error::x' })
    expect(error.message).toContain(`'cn-north-4\\n::error::x'`)
    expect(error.message).not.toContain('\n')
  })
})
