/** IAM over the cloud API: the project of a region, and a federated token for an OIDC ID token (IAM v3). */
import { PROJECT_ID_PATTERN, UnexpectedAnswerError, isObject, serviceTime, text } from './answers.js'
import type { CloudApi } from './api.js'
import type { Operation } from './operation.js'

/** No project, or several, are named like the region: the caller must name one. */
export class ProjectLookupError extends Error {
  constructor(
    readonly region: string,
    readonly matches: number
  ) {
    super(
      matches === 0
        ? `no IAM project is named '${region}' for these credentials: check region, or set project_id`
        : `${matches} IAM projects are named '${region}': set project_id to choose one`
    )
    this.name = 'ProjectLookupError'
  }
}

/** IAM's own calls. The sign-in exchange is unsigned and reported as a failed sign-in, never under its own title. */
export const LOOK_UP_PROJECT: Operation = { name: 'Look up project', permission: 'iam:projects:listProjects' }
export const FEDERATED_TOKEN: Operation = { name: 'Get IAM token with OIDC' }

/** The project named exactly like the region (IAM `GET /v3/projects?name=`). */
export async function lookupProjectId(api: CloudApi, iamEndpoint: URL, region: string): Promise<string> {
  const operation = LOOK_UP_PROJECT
  const body = await api.call({ operation, method: 'GET', base: iamEndpoint, path: '/v3/projects', query: { name: region } })
  const projects: unknown = isObject(body) ? (body.projects ?? []) : []
  if (!Array.isArray(projects)) throw new UnexpectedAnswerError(operation, '"projects" is not a list')
  const matches = projects.filter((p) => isObject(p) && p.name === region)
  const ids = matches.map((p) => (p as { id?: unknown }).id)
  if (ids.some((id) => typeof id !== 'string' || !PROJECT_ID_PATTERN.test(id))) {
    throw new UnexpectedAnswerError(operation, `the project named '${region}' has no valid id`)
  }
  if (ids.length !== 1) throw new ProjectLookupError(region, ids.length)
  return ids[0] as string
}

export interface FederatedTokenRequest {
  /** the identity provider's id, sent as X-Idp-Id */
  idpId: string
  idToken: string
  /** the project the token is scoped to: by id when known, else by name (the region's name) */
  project: { id: string } | { name: string }
}

export interface FederatedToken {
  token: string
  /** ms since the epoch */
  expiresAt: number
  /** the federated user's name and its identity provider, cleaned, e.g. 'FederationUser (github-actions)' */
  user: string
  /** the scoped project's id, when the answer names a valid one */
  projectId: string | undefined
}

/**
 * IAM v3 `POST /v3.0/OS-AUTH/id-token/tokens`: a project-scoped token for the federated user the
 * identity provider's mapping makes of the ID token. Unsigned. `onSecret` is told the token the
 * moment it is read from the X-Subject-Token header.
 */
export async function federatedToken(
  api: CloudApi,
  iamEndpoint: URL,
  request: FederatedTokenRequest,
  onSecret: (value: string) => void
): Promise<FederatedToken> {
  const operation = FEDERATED_TOKEN
  const answer = await api.send({
    operation,
    method: 'POST',
    base: iamEndpoint,
    path: '/v3.0/OS-AUTH/id-token/tokens',
    headers: { 'X-Idp-Id': request.idpId },
    unsigned: true,
    body: { auth: { id_token: { id: request.idToken }, scope: { project: request.project } } }
  })
  const header = answer.headers['x-subject-token']
  const token = Array.isArray(header) ? header[0] : header
  if (token) onSecret(token)
  if (!token) throw new UnexpectedAnswerError(operation, 'it carries no X-Subject-Token header')
  const body = isObject(answer.body) && isObject(answer.body.token) ? answer.body.token : undefined
  const expiresAt = serviceTime(body?.expires_at)
  if (expiresAt === undefined) throw new UnexpectedAnswerError(operation, 'token.expires_at is not a time')
  const user = isObject(body?.user) ? body.user : undefined
  const federation = isObject(user?.['OS-FEDERATION']) ? user['OS-FEDERATION'] : undefined
  const provider = isObject(federation?.identity_provider) ? text(federation.identity_provider.id, api.clean) : undefined
  const name = text(user?.name, api.clean) ?? 'a federated user'
  const projectId = isObject(body?.project) ? body.project.id : undefined
  return {
    token,
    expiresAt: Date.parse(expiresAt),
    user: provider ? `${name} (identity provider ${provider})` : name,
    projectId: typeof projectId === 'string' && PROJECT_ID_PATTERN.test(projectId) ? projectId : undefined
  }
}
