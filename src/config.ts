/**
 * Inputs and their env fallbacks → one validated Config. Pure: the caller passes a reader for
 * inputs and the environment, so tests need no runner. Every error names the input to fix.
 */
import type { Credentials } from './dws-client.js'
import { parseDuration } from './duration.js'
import { dwsEndpointFor, iamEndpointFor, parseBaseUrl } from './endpoints.js'
import { InputError } from './input-error.js'

export type IfExists = 'fail' | 'reuse'

export interface Config {
  clusterId: string
  nameTemplate: string
  descriptionTemplate: string
  region: string | undefined
  /** undefined: look it up from the region through IAM */
  projectId: string | undefined
  dwsEndpoint: URL
  /** set whenever projectId must be looked up */
  iamEndpoint: URL | undefined
  credentials: Credentials
  dryRun: boolean
  wait: boolean
  waitTimeoutMs: number
  pollIntervalMs: number
  maxAttempts: number
  ifExists: IfExists
  requestTimeoutMs: number
}

/** The defaults of action.yml, applied here too because a runner-less `node dist/index.js` gets none. */
export const DEFAULTS = {
  name: '{repo}-{run_id}-{run_attempt}-{cluster_id}',
  description: 'Taken by {repository} workflow {workflow} run {run_id} attempt {run_attempt} at {sha7}',
  dry_run: 'false',
  wait: 'true',
  wait_timeout: '1h',
  poll_interval: '20s',
  max_attempts: '5',
  if_exists: 'fail',
  request_timeout: '30s'
} as const

const SECOND = 1000
const LIMITS = {
  pollIntervalMinMs: 5 * SECOND,
  waitTimeoutMaxMs: 72 * 3600 * SECOND,
  requestTimeoutMinMs: 1 * SECOND,
  requestTimeoutMaxMs: 600 * SECOND,
  maxAttemptsMax: 20
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Region names become host names: letters, digits and dashes, nothing narrower (eu-west-101, eu-de, ...). */
const REGION = /^[a-z0-9]+(-[a-z0-9]+)+$/
/** Project ids are 32 hex digits on Huawei Cloud; accept any id that is safe in a URL path. */
const PROJECT_ID = /^[A-Za-z0-9_-]{1,64}$/

export type InputReader = (name: string) => string
export type Env = Record<string, string | undefined>

export function readConfig(input: InputReader, env: Env): Config {
  const get = (name: string): string => input(name).trim()
  const orDefault = (name: keyof typeof DEFAULTS): string => get(name) || DEFAULTS[name]

  const clusterId = get('cluster_id')
  if (!clusterId) throw new InputError('cluster_id', 'is required: the ID (UUID) of the DWS cluster to snapshot')
  if (!UUID.test(clusterId)) {
    throw new InputError('cluster_id', `'${clusterId}' is not a cluster ID; expected a UUID like 8d4a8c21-0b5e-4f3a-9c1d-2e7f6a5b4c3d`)
  }

  const credentials = readCredentials(get, env)

  const region = get('region') || env.HUAWEI_CLOUD_REGION?.trim() || undefined
  if (region !== undefined && !REGION.test(region)) {
    throw new InputError('region', `'${region}' is not a region name; expected e.g. cn-north-4 or eu-west-101`)
  }
  const endpointInput = get('endpoint')
  if (!endpointInput && !region) {
    throw new InputError('region', 'a region (or an endpoint) is required; it may also come from env HUAWEI_CLOUD_REGION')
  }
  const dwsEndpoint = parseBaseUrl(endpointInput || dwsEndpointFor(region!), endpointInput ? 'endpoint' : 'region')

  const projectId =
    get('project_id') || env.HUAWEI_CLOUD_PROJECT_ID?.trim() || env.HUAWEICLOUD_SDK_PROJECT_ID?.trim() || undefined
  if (projectId !== undefined && !PROJECT_ID.test(projectId)) {
    throw new InputError('project_id', `'${projectId}' is not a project ID; expected 32 hex digits`)
  }
  const iamInput = get('iam_endpoint')
  let iamEndpoint: URL | undefined
  if (iamInput) iamEndpoint = parseBaseUrl(iamInput, 'iam_endpoint')
  else if (projectId === undefined && region) iamEndpoint = parseBaseUrl(iamEndpointFor(region), 'region')
  if (projectId === undefined && !region) {
    throw new InputError('project_id', 'is required when no region is given: the project is looked up by region name')
  }

  const pollIntervalMs = parseDuration(orDefault('poll_interval'), 'poll_interval')
  if (pollIntervalMs < LIMITS.pollIntervalMinMs) {
    throw new InputError('poll_interval', `must be at least 5s (got '${orDefault('poll_interval')}')`)
  }
  const waitTimeoutMs = parseDuration(orDefault('wait_timeout'), 'wait_timeout')
  if (waitTimeoutMs < SECOND || waitTimeoutMs > LIMITS.waitTimeoutMaxMs) {
    throw new InputError('wait_timeout', `must be between 1s and 72h (got '${orDefault('wait_timeout')}')`)
  }
  const requestTimeoutMs = parseDuration(orDefault('request_timeout'), 'request_timeout')
  if (requestTimeoutMs < LIMITS.requestTimeoutMinMs || requestTimeoutMs > LIMITS.requestTimeoutMaxMs) {
    throw new InputError('request_timeout', `must be between 1s and 10m (got '${orDefault('request_timeout')}')`)
  }

  return {
    clusterId,
    nameTemplate: orDefault('name'),
    descriptionTemplate: orDefault('description'),
    region,
    projectId,
    dwsEndpoint,
    iamEndpoint,
    credentials,
    dryRun: readBoolean(orDefault('dry_run'), 'dry_run'),
    wait: readBoolean(orDefault('wait'), 'wait'),
    waitTimeoutMs,
    pollIntervalMs,
    maxAttempts: readInteger(orDefault('max_attempts'), 'max_attempts', 1, LIMITS.maxAttemptsMax),
    ifExists: readChoice(orDefault('if_exists'), 'if_exists', ['fail', 'reuse'] as const),
    requestTimeoutMs
  }
}

/**
 * Explicit inputs win over the environment, and a key pair is only ever taken from one place:
 * an access key from one source with a secret from another would fail as a confusing 401.
 */
function readCredentials(get: (name: string) => string, env: Env): Credentials {
  const token = get('auth_token')
  const ak = get('access_key_id')
  const sk = get('secret_access_key')
  const securityTokenInput = get('security_token')
  if (token) {
    if (ak || sk) {
      throw new InputError('auth_token', 'give either auth_token or access_key_id/secret_access_key, not both')
    }
    if (securityTokenInput) {
      throw new InputError('security_token', 'goes with temporary access keys, not with auth_token')
    }
    return { kind: 'token', token }
  }
  const securityToken = securityTokenInput || env.HUAWEI_CLOUD_SECURITY_TOKEN?.trim() || undefined
  const withToken = (pair: { accessKeyId: string; secretAccessKey: string }): Credentials =>
    securityToken ? { kind: 'aksk', ...pair, securityToken } : { kind: 'aksk', ...pair }

  if (ak || sk) {
    if (!ak) throw new InputError('access_key_id', 'is required when secret_access_key is given')
    if (!sk) throw new InputError('secret_access_key', 'is required when access_key_id is given')
    return withToken({ accessKeyId: ak, secretAccessKey: sk })
  }
  for (const [akVar, skVar] of [
    ['HUAWEI_CLOUD_ACCESS_KEY_ID', 'HUAWEI_CLOUD_SECRET_ACCESS_KEY'],
    ['HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK']
  ] as const) {
    const envAk = env[akVar]?.trim()
    const envSk = env[skVar]?.trim()
    if (envAk && envSk) return withToken({ accessKeyId: envAk, secretAccessKey: envSk })
    if (envAk || envSk) {
      throw new InputError(envAk ? 'secret_access_key' : 'access_key_id', `env ${envAk ? akVar : skVar} is set but ${envAk ? skVar : akVar} is empty`)
    }
  }
  throw new InputError(
    'access_key_id',
    'no credentials: set access_key_id and secret_access_key (or run huaweicloud/auth-action before this step), or auth_token'
  )
}

function readBoolean(value: string, input: string): boolean {
  // The YAML 1.2 core-schema spellings, as @actions/core's getBooleanInput accepts them.
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(input, `'${value}' is not a boolean; use true or false`)
}

function readInteger(value: string, input: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new InputError(input, `'${value}' must be a whole number from ${min} to ${max}`)
  }
  return Number(value)
}

function readChoice<T extends string>(value: string, input: string, choices: readonly T[]): T {
  const found = choices.find((c) => c === value.toLowerCase())
  if (!found) throw new InputError(input, `'${value}' is not one of: ${choices.join(', ')}`)
  return found
}

/** The values to mask and to scrub from every message: only non-empty secrets, never ids or the region. */
export function secretsOf(credentials: Credentials): string[] {
  const values =
    credentials.kind === 'token'
      ? [credentials.token]
      : [credentials.accessKeyId, credentials.secretAccessKey, credentials.securityToken ?? '']
  return values.filter((v) => v !== '')
}
