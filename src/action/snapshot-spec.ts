/** The snapshots this run asks for: the templates expanded with the workflow run and each cluster, made acceptable to DWS. */
import type { Log } from '../log.js'
import { SnapshotNameError, toDescription, toSnapshotName } from '../dws/names.js'
import type { SnapshotSpec } from '../dws/types.js'
import type { Clock } from '../time.js'
import type { Config } from './inputs.js'
import { InputError } from './input-error.js'
import type { Env } from './io.js'
import { checkDistinctNames } from './name-collisions.js'
import { expandTemplate, tokenValues, type ClusterTokens } from './template.js'
import { readWorkflowContext } from './workflow-context.js'

/** Whether the templates need the clusters' names, which take one listing of the project's clusters. */
export function templatesNeedClusterNames(config: Config): boolean {
  return [config.nameTemplate, config.descriptionTemplate].some((template) => /(^|[^{])\{cluster_name\}/.test(template))
}

export async function snapshotSpecs(
  config: Config,
  clusters: readonly ClusterTokens[],
  env: Env,
  clock: Clock,
  log: Log
): Promise<SnapshotSpec[]> {
  const context = await readWorkflowContext(env)
  const now = new Date(clock.now())
  const specs = clusters.map((cluster) => {
    const values = tokenValues(context, cluster, now)
    const forCluster = clusters.length > 1 ? ` (cluster ${cluster.name ?? cluster.id})` : ''
    const expandedName = expandTemplate(config.nameTemplate, values, 'name')
    const name = validName(expandedName)
    if (name.changes.length > 0) {
      log.notice(`Snapshot name '${expandedName}' was made valid as '${name.value}'${forCluster}: ${name.changes.join('; ')}.`)
    }
    const description = toDescription(expandTemplate(config.descriptionTemplate, values, 'description'))
    if (description.changes.length > 0) log.notice(`Snapshot description changed${forCluster}: ${description.changes.join('; ')}.`)
    return { name: name.value, clusterId: cluster.id, description: description.value }
  })
  checkDistinctNames(specs)
  return specs
}

function validName(expanded: string): ReturnType<typeof toSnapshotName> {
  try {
    return toSnapshotName(expanded)
  } catch (error) {
    if (error instanceof SnapshotNameError) throw new InputError('name', error.message)
    throw error
  }
}
