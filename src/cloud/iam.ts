/** IAM over the cloud API: the project of a region (later: the OIDC exchanges). */
import { PROJECT_ID_PATTERN, UnexpectedAnswerError, isObject } from './answers.js'
import type { CloudApi } from './api.js'

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

/** The project named exactly like the region (IAM `GET /v3/projects?name=`). */
export async function lookupProjectId(api: CloudApi, iamEndpoint: URL, region: string): Promise<string> {
  const operation = 'Look up project'
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
