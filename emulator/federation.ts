/**
 * Keyless sign-in, emulated: GitHub's ID-token endpoint and JWKS, IAM v5 STS AssumeAgencyWithOIDC and
 * IAM v3 federation with an ID token. Every exchange verifies the token (signature, iss, aud, exp)
 * and a trust condition on `sub`, then mints credentials whose expiry the gateway enforces.
 * Error codes and wording of STS are made up (no source documents them); tests must not pin them.
 */
import { randomBytes } from 'node:crypto'
import { GitHubOidc, stringMatch, type Claims, type TokenProblem } from './github-oidc.js'
import { isoSeconds } from '../src/kernel/time.js'
import { json, type Reply } from './responses.js'
import type { AccessKey, OidcOptions, ProjectConfig } from './types.js'

/** Credentials minted by the exchanges; the gateway looks them up like configured ones. */
export interface MintedCredentials {
  accessKeys: AccessKey[]
  /** IAM token → expiry (ms) */
  tokens: Map<string, number>
  /** every ID token the GitHub endpoint issued */
  idTokens: string[]
}

export interface FederationSettings {
  oidc: GitHubOidc
  options: Required<Omit<OidcOptions, 'claims' | 'idTokenTtlMs' | 'issuer'>>
  requestToken: string
  projects: readonly ProjectConfig[]
  now: () => number
  minted: MintedCredentials
}

const PROBLEM_MESSAGES: Record<TokenProblem, string> = {
  malformed: 'The ID token is not a JWT.',
  signature: 'The ID token signature cannot be verified with the JWKS of the OIDC provider.',
  issuer: 'The iss of the ID token does not match the OIDC provider.',
  audience: 'The aud of the ID token is not a client ID of the OIDC provider.',
  expired: 'The ID token has expired.',
  'not yet valid': 'The ID token is not valid yet.'
}

const SESSION_NAME = /^[A-Za-z0-9_+=,.@-]{2,128}$/

function stsError(status: number, code: string, message: string): Reply {
  return { status, body: { error_code: code, error_msg: message, request_id: randomBytes(16).toString('hex') } }
}

function iamError(status: number, code: string, message: string): Reply {
  return { status, body: { error_msg: message, error_code: code } }
}

function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body)
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

const randomText = (bytes: number): string => randomBytes(bytes).toString('base64url')

/** GET /oidc/token?audience=…, with the runner's bearer request token → `{value: <JWT>}`. */
export function issueIdToken(settings: FederationSettings, query: URLSearchParams, headers: Record<string, string>): Reply {
  if (headers['authorization'] !== `Bearer ${settings.requestToken}`) {
    return { status: 401, body: { message: 'Bad credentials: the request token is missing or wrong.' } }
  }
  const token = settings.oidc.issue(query.get('audience') ?? undefined, settings.now())
  settings.minted.idTokens.push(token)
  return json(200, { value: token })
}

export function assumeAgencyWithOidc(settings: FederationSettings, body: string): Reply {
  const { options } = settings
  const request = parseJsonObject(body)
  if (request === undefined) return stsError(400, 'STS5.0011', 'The request body is not a JSON object.')
  const { id_token: idToken, provider_urn: providerUrn, agency_urn: agencyUrn, agency_session_name: session } = request
  const duration = request.duration_seconds ?? 3600
  if (typeof idToken !== 'string' || idToken.length < 4 || idToken.length > 20000) {
    return stsError(400, 'STS5.0011', 'id_token is required: 4 to 20000 characters.')
  }
  if (typeof session !== 'string' || !SESSION_NAME.test(session)) {
    return stsError(400, 'STS5.0011', 'agency_session_name must be 2 to 128 of letters, digits and _+=,.@-.')
  }
  if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 900 || duration > options.maxSessionSeconds) {
    return stsError(400, 'STS5.0011', `duration_seconds must be from 900 to the agency's maximum session of ${options.maxSessionSeconds}.`)
  }
  if (providerUrn !== options.providerUrn) return stsError(404, 'STS5.0404', 'The OIDC provider does not exist.')
  if (agencyUrn !== options.agencyUrn) return stsError(404, 'STS5.0404', 'The agency does not exist.')
  const verdict = settings.oidc.check(idToken, options.audiences, settings.now())
  if ('problem' in verdict) return stsError(verdict.problem === 'audience' ? 403 : 401, 'STS5.0401', PROBLEM_MESSAGES[verdict.problem])
  const subject = String(verdict.claims.sub ?? '')
  if (!stringMatch(options.subject, subject)) {
    return stsError(403, 'STS5.1001', 'The ID token does not meet the conditions of the trust policy of the agency.')
  }
  const now = settings.now()
  const expiresAtMs = now + duration * 1000
  const key: AccessKey = {
    accessKeyId: `EMUSTS${randomBytes(7).toString('hex').toUpperCase()}`,
    secretAccessKey: randomText(30),
    securityToken: `emu-sts-${randomText(150)}`,
    expiresAtMs
  }
  settings.minted.accessKeys.push(key)
  const [, account = '', , agencyName = ''] = options.agencyUrn.split(':').filter((part) => part !== '')
  return json(200, {
    credentials: {
      access_key_id: key.accessKeyId,
      secret_access_key: key.secretAccessKey,
      security_token: key.securityToken,
      expiration: isoSeconds(expiresAtMs)
    },
    assumed_agency: { urn: `sts::${account}:assumed-agency:${agencyName}/${session}`, id: `${randomBytes(8).toString('hex')}:${session}` },
    audience: verdict.claims.aud,
    provider: options.providerUrn,
    subject_from_id_token: subject,
    source_identity: ''
  })
}

/** POST /v3.0/OS-AUTH/id-token/tokens with X-Idp-Id → 201, the token in X-Subject-Token. */
export function federatedToken(settings: FederationSettings, headers: Record<string, string>, body: string): Reply {
  const { options } = settings
  if (headers['x-idp-id'] !== options.idpId) {
    return iamError(404, 'IAM.0004', `Could not find identity provider: ${headers['x-idp-id'] ?? ''}.`)
  }
  const request = parseJsonObject(body)
  const auth = request?.auth as { id_token?: { id?: unknown }; scope?: { project?: { id?: unknown; name?: unknown } } } | undefined
  const idToken = auth?.id_token?.id
  if (typeof idToken !== 'string') return iamError(400, 'IAM.0011', 'Request body is invalid.')
  const scope = auth?.scope?.project
  const project = settings.projects.find((p) => p.id === scope?.id || p.name === scope?.name)
  if (scope !== undefined && project === undefined) return iamError(404, 'IAM.0004', 'Could not find project.')
  const verdict = settings.oidc.check(idToken, options.audiences, settings.now())
  if ('problem' in verdict)
    return iamError(401, 'IAM.0001', `The request you have made requires authentication. ${PROBLEM_MESSAGES[verdict.problem]}`)
  if (!mappingMatches(options.subject, verdict.claims)) {
    return iamError(401, 'IAM.0001', 'The request you have made requires authentication. No mapping rule matches the ID token.')
  }
  const token = `emu-iam-${randomText(120)}`
  const expiresAtMs = settings.now() + options.iamTokenTtlMs
  settings.minted.tokens.set(token, expiresAtMs)
  return {
    status: 201,
    headers: { 'X-Subject-Token': token },
    body: {
      token: {
        expires_at: new Date(expiresAtMs).toISOString().replace('Z', '000Z'),
        issued_at: new Date(settings.now()).toISOString().replace('Z', '000Z'),
        methods: ['mapped'],
        user: {
          id: randomBytes(16).toString('hex'),
          name: 'FederationUser',
          domain: { id: 'e0000000000000000000000000000002', name: 'emulator-account' },
          'OS-FEDERATION': { identity_provider: { id: options.idpId }, protocol: { id: 'oidc' }, groups: [] }
        },
        ...(project ? { project: { id: project.id, name: project.name, domain: { id: 'e0000000000000000000000000000002' } } } : {})
      }
    }
  }
}

/** The identity provider's mapping: one rule whose remote condition is `sub` any_one_of the pattern. */
function mappingMatches(subject: string, claims: Claims): boolean {
  return stringMatch(subject, String(claims.sub ?? ''))
}
