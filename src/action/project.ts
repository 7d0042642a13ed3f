/** The project of the region, when the inputs do not name it. */
import type { CloudApi } from '../cloud/api.js'
import { lookupProjectId } from '../cloud/iam.js'
import { withRetries, type RetryContext } from '../cloud/retry.js'
import type { Log } from '../log.js'
import type { Config } from './inputs.js'

export async function lookUpProject(api: CloudApi, config: Config, retry: RetryContext, log: Log): Promise<string> {
  const { iamEndpoint, region } = config
  // readConfig guarantees a region and an IAM endpoint whenever the project is not given.
  if (!iamEndpoint || !region) throw new Error('internal error: no region or IAM endpoint to look the project up with')
  const projectId = await withRetries(() => lookupProjectId(api, iamEndpoint, region), retry)
  log.info(`Project of region ${region}: ${projectId}`)
  return projectId
}
