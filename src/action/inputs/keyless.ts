/**
 * The keyless sign-in inputs → the STS or IAM v3 way, validated before any request. Pure. Which
 * way runs is chosen by which inputs are set: exactly one way of signing in per run.
 */
import type { OidcIamConfig } from '../../auth/oidc-iam.js'
import { iamEndpointFor, stsEndpointFor, STS_REGIONS } from '../../cloud/endpoints.js'
import { quoteInput } from '../../kernel/sanitize.js'
import type { Env } from '../runner/io.js'
import { parseBaseUrl } from './base-url.js'
import { InputError } from './input-error.js'
import type { Inputs } from './reader.js'

/** The STS way, before the session name template is expanded with the workflow run. */
export interface OidcStsInputs {
  way: 'oidc-sts'
  stsEndpoint: URL
  providerUrn: string
  agencyUrn: string
  audience: string
  sessionNameTemplate: string
  durationSeconds: number
}

export type OidcInputs = OidcStsInputs | OidcIamConfig

/** The ways of signing in and the inputs that choose each. */
const WAYS = [
  { way: 'an access key pair', inputs: ['access_key_id', 'secret_access_key', 'security_token'], keyless: false },
  { way: 'an IAM token', inputs: ['auth_token'], keyless: false },
  { way: 'keyless sign-in through STS', inputs: ['oidc_provider_urn', 'agency_urn'], keyless: true },
  { way: 'keyless sign-in through an IAM v3 identity provider', inputs: ['idp_id'], keyless: true }
] as const

/** URNs as IAM v5 writes them: `iam::<account id>:oidcProvider:<name>`, `iam::<account id>:agency:<name>`. */
const PROVIDER_URN = /^iam::[A-Za-z0-9]{1,64}:oidcProvider:[A-Za-z0-9_-]{1,64}$/
const AGENCY_URN = /^iam::[A-Za-z0-9]{1,64}:agency:[A-Za-z0-9_+=,.@-]{1,64}$/
const IDP_ID = /^[A-Za-z0-9_-]{1,64}$/
/** An OIDC client id: printable ASCII without spaces (it travels in a URL query and a JWT claim). */
const AUDIENCE = /^[\x21-\x7e]{1,255}$/

const MINUTE = 60_000
const SESSION = { min: { ms: 15 * MINUTE, text: '15m' }, max: { ms: 12 * 60 * MINUTE, text: '12h' } }

/**
 * Refuses two explicit ways at once, naming both. Returns whether a keyless way is chosen (keys
 * found only in the environment do not count as a way: keyless inputs win over them).
 */
export function chooseKeyless(inputs: Inputs): boolean {
  const get = (name: string): string => inputs.get(name)
  const chosen = WAYS.filter((w) => w.inputs.some((input) => get(input) !== ''))
  const keyless = chosen.some((w) => w.keyless)
  const [first, second] = chosen
  // Keys together with a token are readCredentials' to refuse, with its own words.
  if (keyless && first && second) {
    const named = (w: (typeof WAYS)[number]): string => `${w.way} (${w.inputs.filter((i) => get(i) !== '').join(', ')})`
    throw new InputError(
      second.inputs.find((i) => get(i) !== '') ?? second.inputs[0],
      `give one way of signing in, not two: ${named(first)} or ${named(second)}`
    )
  }
  return keyless
}

export interface Place {
  region: string | undefined
  projectId: string | undefined
  /** the iam_endpoint input, parsed, when given */
  iamEndpoint: URL | undefined
}

export function readKeylessInputs(inputs: Inputs, env: Env, place: Place): OidcInputs {
  const get = (name: string): string => inputs.get(name)
  const audience = inputs.orDefault('oidc_audience')
  if (!AUDIENCE.test(audience)) {
    throw new InputError('oidc_audience', `${quoteInput(audience)} is not an audience: printable ASCII without spaces, at most 255`)
  }
  const idpId = get('idp_id')
  if (idpId) {
    if (!IDP_ID.test(idpId)) {
      throw new InputError('idp_id', `${quoteInput(idpId)} is not an identity provider id: 1-64 letters, digits, - and _`)
    }
    return { way: 'oidc-iam', iamEndpoint: iamEndpointOf(place), idpId, audience, project: projectScope(place) }
  }
  const providerUrn = get('oidc_provider_urn')
  const agencyUrn = get('agency_urn')
  if (!providerUrn) throw new InputError('oidc_provider_urn', 'is required with agency_urn: iam::<account-id>:oidcProvider:<name>')
  if (!agencyUrn) throw new InputError('agency_urn', 'is required with oidc_provider_urn: iam::<account-id>:agency:<name>')
  if (!PROVIDER_URN.test(providerUrn)) {
    throw new InputError('oidc_provider_urn', `${quoteInput(providerUrn)} is not iam::<account-id>:oidcProvider:<name>`)
  }
  if (!AGENCY_URN.test(agencyUrn)) {
    throw new InputError('agency_urn', `${quoteInput(agencyUrn)} is not iam::<account-id>:agency:<name>`)
  }
  const durationMs = inputs.duration('session_duration', SESSION)
  return {
    way: 'oidc-sts',
    stsEndpoint: stsEndpointOf(get, env, place.region),
    providerUrn,
    agencyUrn,
    audience,
    sessionNameTemplate: inputs.orDefault('session_name'),
    durationSeconds: Math.round(durationMs / 1000)
  }
}

function stsEndpointOf(get: (name: string) => string, env: Env, region: string | undefined): URL {
  const given = get('sts_endpoint')
  if (given) return parseBaseUrl(given, 'sts_endpoint')
  const fromEnv = env.HUAWEICLOUD_SDK_STS_ENDPOINT?.trim()
  if (fromEnv) return parseBaseUrl(fromEnv, 'sts_endpoint')
  const derived = region === undefined ? undefined : stsEndpointFor(region)
  if (derived) return parseBaseUrl(derived, 'region')
  // Never another region's STS: the credentials, and the traffic, would belong elsewhere.
  throw new InputError(
    'sts_endpoint',
    `${region ? `region ${region} has no known STS endpoint` : 'no region is given to derive the STS endpoint from'} ` +
      `(STS is known in ${[...STS_REGIONS].join(', ')}); set sts_endpoint (or env HUAWEICLOUD_SDK_STS_ENDPOINT), ` +
      'or sign in through an IAM v3 identity provider with idp_id'
  )
}

function iamEndpointOf(place: Place): URL {
  if (place.iamEndpoint) return place.iamEndpoint
  if (place.region) return parseBaseUrl(iamEndpointFor(place.region), 'region')
  throw new InputError('iam_endpoint', 'is required with idp_id when no region is given')
}

function projectScope(place: Place): OidcIamConfig['project'] {
  if (place.projectId) return { id: place.projectId }
  if (place.region) return { name: place.region }
  throw new InputError('project_id', 'is required with idp_id when no region is given: the IAM token is scoped to a project')
}
