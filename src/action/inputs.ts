/**
 * Inputs and their env fallbacks → one validated Config. Pure: the caller passes a reader for
 * inputs and the environment, so tests need no runner. Every error names the input to fix.
 */
import { PROJECT_ID_PATTERN } from '../cloud/answers.js'
import type { SignInConfig } from '../auth/select.js'
import type { Credentials } from '../cloud/credentials.js'
import { dwsEndpointFor, iamEndpointFor } from '../cloud/endpoints.js'
import type { IfExists } from '../dws/create.js'
import { sanitisedPrefix } from '../dws/names.js'
import type { RetentionRule } from '../dws/retention.js'
import { quoteInput } from '../sanitize.js'
import { parseBaseUrl } from './base-url.js'
import { parseClusterIds, parseClusterNames } from './cluster-list.js'
import { parseDuration } from './duration.js'
import { emptyInputHint } from './empty-input.js'
import { InputError } from './input-error.js'
import type { Env } from './io.js'
import { literalPrefix } from './template.js'
import { chooseKeyless, readOidcInputs, type OidcInputs } from './oidc-inputs.js'

/** Where the credentials were read: the action's inputs, one family of environment variables, or a keyless sign-in. */
export type CredentialSource = 'input' | 'HUAWEI_CLOUD_*' | 'HUAWEICLOUD_SDK_*' | 'oidc-sts' | 'oidc-iam'

/** How this run signs in; the STS way still holds its session name template (expanded with the workflow run). */
export type SignInInputs = Exclude<SignInConfig, { way: 'oidc-sts' }> | OidcInputs

/** The clusters a step snapshots: by id, or by name (resolved with one listing of the project's clusters). */
export type ClusterSelection = { by: 'id'; ids: string[] } | { by: 'name'; names: string[] }

export interface Config {
  clusters: ClusterSelection
  /** how many clusters' jobs run at once */
  maxParallel: number
  nameTemplate: string
  descriptionTemplate: string
  region: string | undefined
  /** undefined: look it up from the region through IAM */
  projectId: string | undefined
  dwsEndpoint: URL
  /** set whenever projectId must be looked up */
  iamEndpoint: URL | undefined
  signIn: SignInInputs
  /** for 401 hints and debug logs: which inputs or env variables to check */
  credentialSource: CredentialSource
  /** env variables holding keys that a keyless sign-in made this run ignore (for a debug line) */
  ignoredEnvKeys: string[]
  dryRun: boolean
  wait: boolean
  waitTimeoutMs: number
  pollIntervalMs: number
  maxAttempts: number
  ifExists: IfExists
  requestTimeoutMs: number
  /** undefined: no pruning (neither keep_last nor keep_within is set) */
  retention: RetentionRule | undefined
}

/** The defaults of action.yml, applied here too because a runner-less `node dist/index.js` gets none. */
export const DEFAULTS = {
  name: '{repo}-{date}-{run_id}-{run_attempt}-{cluster_short}',
  description: 'Taken by {repository} workflow {workflow} run {run_id} attempt {run_attempt} at {sha7}',
  dry_run: 'false',
  wait: 'true',
  wait_timeout: '1h',
  poll_interval: '20s',
  max_attempts: '5',
  if_exists: 'fail',
  request_timeout: '30s',
  max_parallel: '5',
  oidc_audience: 'sts.huaweicloud.com',
  session_name: 'github-{run_id}-{run_attempt}',
  session_duration: '1h'
} as const

const SECOND = 1000
const LIMITS = {
  pollIntervalMinMs: 5 * SECOND,
  waitTimeoutMaxMs: 72 * 3600 * SECOND,
  requestTimeoutMinMs: 1 * SECOND,
  requestTimeoutMaxMs: 600 * SECOND,
  maxAttemptsMax: 20,
  maxParallelMax: 20
}

/** Region names become host names: letters, digits and dashes, nothing narrower (eu-west-101, eu-de, ...). */
const REGION = /^[a-z0-9]+(-[a-z0-9]+)+$/

export type InputReader = (name: string) => string

export function readConfig(input: InputReader, env: Env): Config {
  const get = (name: string): string => input(name).trim()
  const orDefault = (name: keyof typeof DEFAULTS): string => get(name) || DEFAULTS[name]

  const clusters = readClusters(get, env)

  // Keyless inputs choose the way before any key is looked for: keys left in the environment are then ignored.
  const keyless = chooseKeyless(get)
  const sourced = keyless ? undefined : readCredentials(get, env)

  const region = get('region') || env.HUAWEI_CLOUD_REGION?.trim() || undefined
  if (region !== undefined && !REGION.test(region)) {
    throw new InputError('region', `${quoteInput(region)} is not a region name; expected e.g. cn-north-4 or eu-west-101`)
  }
  const endpointInput = get('endpoint')
  let dwsEndpoint: URL
  if (endpointInput) dwsEndpoint = parseBaseUrl(endpointInput, 'endpoint')
  else if (region) dwsEndpoint = parseBaseUrl(dwsEndpointFor(region), 'region')
  else throw new InputError('region', 'a region (or an endpoint) is required; it may also come from env HUAWEI_CLOUD_REGION')

  const projectId = get('project_id') || env.HUAWEI_CLOUD_PROJECT_ID?.trim() || env.HUAWEICLOUD_SDK_PROJECT_ID?.trim() || undefined
  if (projectId !== undefined && !PROJECT_ID_PATTERN.test(projectId)) {
    throw new InputError(
      'project_id',
      `${quoteInput(projectId)} is not a project ID; expected 32 hex digits (letters, digits, - and _, at most 64)`
    )
  }
  const iamInput = get('iam_endpoint')
  let iamEndpoint: URL | undefined
  if (iamInput) iamEndpoint = parseBaseUrl(iamInput, 'iam_endpoint')
  else if (projectId === undefined && region) iamEndpoint = parseBaseUrl(iamEndpointFor(region), 'region')
  if (projectId === undefined && !region) {
    throw new InputError('project_id', 'is required when no region is given: the project is looked up by region name')
  }
  const signIn: SignInInputs = sourced
    ? { way: 'static', credentials: sourced.credentials }
    : readOidcInputs(get, env, DEFAULTS, { region, projectId, iamEndpoint: iamInput ? iamEndpoint : undefined })

  const pollIntervalMs = parseDuration(orDefault('poll_interval'), 'poll_interval')
  if (pollIntervalMs < LIMITS.pollIntervalMinMs) {
    throw new InputError('poll_interval', `must be at least 5s (got ${quoteInput(orDefault('poll_interval'))})`)
  }
  const waitTimeoutMs = parseDuration(orDefault('wait_timeout'), 'wait_timeout')
  if (waitTimeoutMs < SECOND || waitTimeoutMs > LIMITS.waitTimeoutMaxMs) {
    throw new InputError('wait_timeout', `must be between 1s and 72h (got ${quoteInput(orDefault('wait_timeout'))})`)
  }
  const requestTimeoutMs = parseDuration(orDefault('request_timeout'), 'request_timeout')
  if (requestTimeoutMs < LIMITS.requestTimeoutMinMs || requestTimeoutMs > LIMITS.requestTimeoutMaxMs) {
    throw new InputError('request_timeout', `must be between 1s and 10m (got ${quoteInput(orDefault('request_timeout'))})`)
  }

  const nameTemplate = orDefault('name')
  const wait = readBoolean(orDefault('wait'), 'wait')
  const retention = readRetention(get, nameTemplate)
  if (retention && !wait) {
    throw new InputError(
      'wait',
      "must be true when keep_last or keep_within is set: older snapshots are deleted only after this run's snapshot is AVAILABLE"
    )
  }

  return {
    clusters,
    maxParallel: readInteger(orDefault('max_parallel'), 'max_parallel', 1, LIMITS.maxParallelMax),
    nameTemplate,
    descriptionTemplate: orDefault('description'),
    region,
    projectId,
    dwsEndpoint,
    iamEndpoint,
    signIn,
    credentialSource: sourced?.source ?? (signIn.way === 'static' ? 'input' : signIn.way),
    ignoredEnvKeys: sourced ? [] : envKeysPresent(env),
    dryRun: readBoolean(orDefault('dry_run'), 'dry_run'),
    wait,
    waitTimeoutMs,
    pollIntervalMs,
    maxAttempts: readInteger(orDefault('max_attempts'), 'max_attempts', 1, LIMITS.maxAttemptsMax),
    ifExists: readChoice(orDefault('if_exists'), 'if_exists', ['fail', 'reuse'] as const),
    requestTimeoutMs,
    retention
  }
}

/** Names are 4-64 letters, digits, '-' and '_': a pattern with anything else could never match. */
const KEEP_MATCH = /^[A-Za-z0-9_*-]{1,64}$/
const KEEP_LAST_MAX = 10_000

function readRetention(get: (name: string) => string, nameTemplate: string): RetentionRule | undefined {
  const keepLastInput = get('keep_last')
  const keepWithinInput = get('keep_within')
  if (!keepLastInput && !keepWithinInput) return undefined
  const keepLast = keepLastInput ? readInteger(keepLastInput, 'keep_last', 1, KEEP_LAST_MAX) : undefined
  let keepWithinMs: number | undefined
  if (keepWithinInput) {
    keepWithinMs = parseDuration(keepWithinInput, 'keep_within', { days: true })
    if (keepWithinMs < SECOND) throw new InputError('keep_within', `must be at least 1s (got ${quoteInput(keepWithinInput)})`)
  }
  const matchInput = get('keep_match')
  let match: string
  if (matchInput) {
    if (!KEEP_MATCH.test(matchInput)) {
      throw new InputError(
        'keep_match',
        `${quoteInput(matchInput)} is not a name pattern: use letters, digits, '-', '_' and '*' (any run of characters), at most 64`
      )
    }
    match = matchInput
  } else {
    const prefix = sanitisedPrefix(literalPrefix(nameTemplate))
    if (!prefix) {
      throw new InputError(
        'keep_match',
        `is required with keep_last or keep_within when the name template starts with a token (${quoteInput(nameTemplate)}): ` +
          "give a pattern such as 'release-*' that matches only the snapshots this workflow makes"
      )
    }
    match = `${prefix}*`
  }
  return { keepLast, keepWithinMs, match }
}

/** Exactly one of cluster_id and cluster_name, each one or more clusters. */
function readClusters(get: (name: string) => string, env: Env): ClusterSelection {
  const ids = get('cluster_id')
  const names = get('cluster_name')
  if (ids && names) throw new InputError('cluster_name', 'give either cluster_id or cluster_name, not both')
  if (names) return { by: 'name', names: parseClusterNames(names) }
  if (!ids) {
    throw new InputError(
      'cluster_id',
      'is required but empty: give the ID (UUID) of the DWS cluster to snapshot (or several, one per line), or cluster_name',
      emptyInputHint(env, 'cluster_id', ['cluster_id', 'cluster_name'])
    )
  }
  return { by: 'id', ids: parseClusterIds(ids) }
}

/** Each environment family: a key pair and the security token issued with it, never mixed with another family. */
const ENV_FAMILIES = [
  {
    source: 'HUAWEI_CLOUD_*',
    accessKeyId: 'HUAWEI_CLOUD_ACCESS_KEY_ID',
    secretAccessKey: 'HUAWEI_CLOUD_SECRET_ACCESS_KEY',
    securityToken: 'HUAWEI_CLOUD_SECURITY_TOKEN'
  },
  {
    // The names Huawei's SDKs read (e.g. the Java SDK's EnvCredentialProvider).
    source: 'HUAWEICLOUD_SDK_*',
    accessKeyId: 'HUAWEICLOUD_SDK_AK',
    secretAccessKey: 'HUAWEICLOUD_SDK_SK',
    securityToken: 'HUAWEICLOUD_SDK_SECURITY_TOKEN'
  }
] as const

interface SourcedCredentials {
  credentials: Credentials
  source: CredentialSource
}

/**
 * Explicit inputs win over the environment, and credentials are only ever taken from one place:
 * an access key from one source with a secret from another would fail as a confusing 401, and a
 * security token left in the environment by an earlier step must not be signed with other keys.
 */
function readCredentials(get: (name: string) => string, env: Env): SourcedCredentials {
  const fromInput = (name: string): string => headerSafe(get(name), name, '')
  const token = fromInput('auth_token')
  const ak = fromInput('access_key_id')
  const sk = fromInput('secret_access_key')
  const securityToken = fromInput('security_token')
  if (token) {
    if (ak || sk) {
      throw new InputError('auth_token', 'give either auth_token or access_key_id/secret_access_key, not both')
    }
    if (securityToken) {
      throw new InputError('security_token', 'goes with temporary access keys, not with auth_token')
    }
    return { credentials: { kind: 'token', token }, source: 'input' }
  }
  if (ak || sk) {
    if (!ak) throw new InputError('access_key_id', 'is required when secret_access_key is given')
    if (!sk) throw new InputError('secret_access_key', 'is required when access_key_id is given')
    return { credentials: akskCredentials(ak, sk, securityToken), source: 'input' }
  }
  if (securityToken) {
    throw new InputError(
      'security_token',
      'is given without access_key_id and secret_access_key; a security token is only valid with the temporary keys issued with it'
    )
  }
  for (const family of ENV_FAMILIES) {
    const found = readEnvFamily(env, family)
    if (found) return { credentials: found, source: family.source }
  }
  throw new InputError(
    'access_key_id',
    'no credentials: set access_key_id and secret_access_key (or run huaweicloud/auth-action before this step), or auth_token',
    emptyInputHint(env, 'a credential', ['access_key_id', 'secret_access_key', 'auth_token'])
  )
}

/** Key variables set in the environment, by name (never value). */
function envKeysPresent(env: Env): string[] {
  return ENV_FAMILIES.flatMap((f) => [f.accessKeyId, f.secretAccessKey, f.securityToken]).filter((name) => env[name]?.trim())
}

/** The family's credentials, undefined when its key pair is not set at all, or an error when only half is. */
function readEnvFamily(env: Env, family: (typeof ENV_FAMILIES)[number]): Credentials | undefined {
  const fromEnv = (name: string, input: string): string => headerSafe(env[name]?.trim() ?? '', input, `env ${name} `)
  const ak = fromEnv(family.accessKeyId, 'access_key_id')
  const sk = fromEnv(family.secretAccessKey, 'secret_access_key')
  if (!ak && !sk) return undefined
  if (!ak) throw new InputError('access_key_id', `env ${family.secretAccessKey} is set but ${family.accessKeyId} is empty`)
  if (!sk) throw new InputError('secret_access_key', `env ${family.accessKeyId} is set but ${family.secretAccessKey} is empty`)
  return akskCredentials(ak, sk, fromEnv(family.securityToken, 'security_token'))
}

function akskCredentials(accessKeyId: string, secretAccessKey: string, securityToken: string): Credentials {
  return securityToken ? { kind: 'aksk', accessKeyId, secretAccessKey, securityToken } : { kind: 'aksk', accessKeyId, secretAccessKey }
}

/** What a header value may hold: printable ASCII, no spaces, no line breaks (after trimming). */
const HEADER_SAFE = /^[\x21-\x7e]*$/

/**
 * Returns `value` if it can be sent in an HTTP header; otherwise an error that says what is wrong
 * and where, never the value: it is a secret (and a pasted line break would split the header).
 * `label` names an env variable the value came from ('' for the input itself).
 */
function headerSafe(value: string, input: string, label: string): string {
  if (HEADER_SAFE.test(value)) return value
  let position = 0
  for (const ch of value) {
    position += 1
    const problem = describeUnsafe(ch)
    if (problem) {
      throw new InputError(
        input,
        `${label}contains ${problem} at position ${position} of the trimmed value; ` +
          'credentials are printable ASCII without spaces (the value is not shown)'
      )
    }
  }
  return value
}

function describeUnsafe(ch: string): string | undefined {
  const code = ch.codePointAt(0) ?? 0
  if (code >= 0x21 && code <= 0x7e) return undefined
  if (ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029' || ch === '\u0085') return 'a line break'
  if (ch === ' ') return 'a space'
  if (ch === '\t') return 'a tab'
  // The code point of a character that cannot be part of a valid credential reveals nothing of it.
  const codePoint = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
  return code < 0x20 || code === 0x7f ? `a control character (${codePoint})` : `a non-ASCII character (${codePoint})`
}

function readBoolean(value: string, input: string): boolean {
  // The YAML 1.2 core-schema spellings, as @actions/core's getBooleanInput accepts them.
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(input, `${quoteInput(value)} is not a boolean; use true or false`)
}

function readInteger(value: string, input: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new InputError(input, `${quoteInput(value)} must be a whole number from ${min} to ${max}`)
  }
  return Number(value)
}

function readChoice<T extends string>(value: string, input: string, choices: readonly T[]): T {
  const found = choices.find((c) => c === value.toLowerCase())
  if (!found) throw new InputError(input, `${quoteInput(value)} is not one of: ${choices.join(', ')}`)
  return found
}
