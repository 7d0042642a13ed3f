/** Which clusters this step snapshots, with their names where the step needs them. */
import { withRetries, type RetryContext } from '../cloud/retry.js'
import type { DwsClient } from '../dws/client.js'
import { ClusterNameError, resolveClusterNames } from '../dws/cluster-names.js'
import type { Config } from './inputs.js'
import { InputError } from './input-error.js'
import type { ClusterTokens } from './template.js'

/** One listing of the project's clusters, only when names are given or a template uses `{cluster_name}`. */
export async function resolveTargets(config: Config, needNames: boolean, client: DwsClient, retry: RetryContext): Promise<ClusterTokens[]> {
  const selection = config.clusters
  if (selection.by === 'id' && !needNames) return selection.ids.map((id) => ({ id }))
  const clusters = await withRetries(() => client.listClusters(), retry)
  if (selection.by === 'id') return selection.ids.map((id) => ({ id, name: clusters.find((c) => c.id === id)?.name }))
  try {
    return resolveClusterNames(selection.names, clusters).map((c) => ({ id: c.id, name: c.name }))
  } catch (error) {
    if (error instanceof ClusterNameError) throw new InputError('cluster_name', error.message)
    throw error
  }
}
