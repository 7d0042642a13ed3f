/**
 * IAM v5 STS `AssumeAgencyWithOIDC`: an OIDC ID token in, temporary keys for an agency out. The call
 * is unsigned (the token is the proof). Knows nothing of where the token comes from.
 */
import { isObject, serviceTime, text, UnexpectedAnswerError } from './answers.js'
import type { CloudApi } from './api.js'
import type { Operation } from './operation.js'

export interface AssumeAgencyRequest {
  idToken: string
  providerUrn: string
  agencyUrn: string
  sessionName: string
  durationSeconds: number
}

export interface AgencySession {
  accessKeyId: string
  secretAccessKey: string
  securityToken: string
  /** ms since the epoch */
  expiresAt: number
  /** the assumed agency's URN as STS names it, cleaned; the requested URN when STS leaves it out */
  agencyUrn: string
}

/** Unsigned, and reported as a failed sign-in, never under its own title. */
const ASSUME_AGENCY: Operation = { name: 'Assume agency with OIDC' }

/**
 * `onSecrets` is told the temporary keys the moment the answer is read, before anything else
 * handles them, so they are masked before they could be printed.
 */
export async function assumeAgencyWithOidc(
  api: CloudApi,
  stsEndpoint: URL,
  request: AssumeAgencyRequest,
  onSecrets: (values: string[]) => void
): Promise<AgencySession> {
  const operation = ASSUME_AGENCY
  const answer = await api.send({
    operation,
    method: 'POST',
    base: stsEndpoint,
    path: '/v5/agencies/assume-with-oidc',
    unsigned: true,
    body: {
      id_token: request.idToken,
      provider_urn: request.providerUrn,
      agency_urn: request.agencyUrn,
      agency_session_name: request.sessionName,
      duration_seconds: request.durationSeconds
    }
  })
  const credentials = isObject(answer.body) && isObject(answer.body.credentials) ? answer.body.credentials : undefined
  const secret = (name: string): string | undefined => {
    const value = credentials?.[name]
    return typeof value === 'string' && value !== '' ? value : undefined
  }
  const accessKeyId = secret('access_key_id')
  const secretAccessKey = secret('secret_access_key')
  const securityToken = secret('security_token')
  onSecrets([accessKeyId, secretAccessKey, securityToken].filter((v): v is string => v !== undefined))
  if (!accessKeyId || !secretAccessKey || !securityToken) {
    throw new UnexpectedAnswerError(operation, 'it carries no complete credentials (access_key_id, secret_access_key, security_token)')
  }
  const expiration = serviceTime(credentials?.expiration)
  if (expiration === undefined) throw new UnexpectedAnswerError(operation, 'credentials.expiration is not a time')
  const assumed = isObject(answer.body) && isObject(answer.body.assumed_agency) ? answer.body.assumed_agency : undefined
  return {
    accessKeyId,
    secretAccessKey,
    securityToken,
    expiresAt: Date.parse(expiration),
    agencyUrn: text(assumed?.urn, api.clean) ?? request.agencyUrn
  }
}
