/**
 * Where the step works and as whom, the part of the inputs both actions share: region, project,
 * endpoints, the way of signing in, and how requests are made. Pure: every error names the input.
 */
import type { SignInConfig } from '../../auth/select.js'
import { PROJECT_ID_PATTERN } from '../../cloud/answers.js'
import { dwsEndpointFor, iamEndpointFor } from '../../cloud/endpoints.js'
import { quoteInput } from '../../kernel/sanitize.js'
import type { Env } from '../runner/io.js'
import { parseBaseUrl } from './base-url.js'
import { envKeysPresent, readCredentials, type CredentialSource } from './credentials.js'
import { InputError } from './input-error.js'
import { chooseKeyless, readKeylessInputs, type OidcInputs } from './keyless.js'
import type { Inputs } from './reader.js'

/** How this run signs in; the STS way still holds its session name template (expanded with the workflow run). */
export type SignInInputs = Exclude<SignInConfig, { way: 'oidc-sts' }> | OidcInputs

export interface CloudConfig {
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
  requestTimeoutMs: number
  maxAttempts: number
}

/** Region names become host names: letters, digits and dashes, nothing narrower (eu-west-101, eu-de, ...). */
const REGION = /^[a-z0-9]+(-[a-z0-9]+)+$/

const REQUEST_TIMEOUT = { min: { ms: 1000, text: '1s' }, max: { ms: 600_000, text: '10m' } }
const MAX_ATTEMPTS = 20

export function readCloudConfig(inputs: Inputs, env: Env): CloudConfig {
  // Keyless inputs choose the way before any key is looked for: keys left in the environment are then ignored.
  const keyless = chooseKeyless(inputs)
  const sourced = keyless ? undefined : readCredentials(inputs, env)

  const region = inputs.get('region') || env.HUAWEI_CLOUD_REGION?.trim() || undefined
  if (region !== undefined && !REGION.test(region)) {
    throw new InputError('region', `${quoteInput(region)} is not a region name; expected e.g. cn-north-4 or eu-west-101`)
  }
  const endpointInput = inputs.get('endpoint')
  let dwsEndpoint: URL
  if (endpointInput) dwsEndpoint = parseBaseUrl(endpointInput, 'endpoint')
  else if (region) dwsEndpoint = parseBaseUrl(dwsEndpointFor(region), 'region')
  else throw new InputError('region', 'a region (or an endpoint) is required; it may also come from env HUAWEI_CLOUD_REGION')

  const projectId = inputs.get('project_id') || env.HUAWEI_CLOUD_PROJECT_ID?.trim() || env.HUAWEICLOUD_SDK_PROJECT_ID?.trim() || undefined
  if (projectId !== undefined && !PROJECT_ID_PATTERN.test(projectId)) {
    throw new InputError(
      'project_id',
      `${quoteInput(projectId)} is not a project ID; expected 32 hex digits (letters, digits, - and _, at most 64)`
    )
  }
  const iamInput = inputs.get('iam_endpoint')
  let iamEndpoint: URL | undefined
  if (iamInput) iamEndpoint = parseBaseUrl(iamInput, 'iam_endpoint')
  else if (projectId === undefined && region) iamEndpoint = parseBaseUrl(iamEndpointFor(region), 'region')
  if (projectId === undefined && !region) {
    throw new InputError('project_id', 'is required when no region is given: the project is looked up by region name')
  }
  const signIn: SignInInputs = sourced
    ? { way: 'static', credentials: sourced.credentials }
    : readKeylessInputs(inputs, env, { region, projectId, iamEndpoint: iamInput ? iamEndpoint : undefined })

  return {
    region,
    projectId,
    dwsEndpoint,
    iamEndpoint,
    signIn,
    credentialSource: sourced?.source ?? (signIn.way === 'static' ? 'input' : signIn.way),
    ignoredEnvKeys: sourced ? [] : envKeysPresent(env),
    requestTimeoutMs: inputs.duration('request_timeout', REQUEST_TIMEOUT),
    maxAttempts: inputs.integer('max_attempts', 1, MAX_ATTEMPTS)
  }
}
