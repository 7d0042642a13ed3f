/**
 * The snapshots a run asks for: which clusters (by id, or by name through one listing of the
 * project's clusters), and for each the name and description templates expanded with the workflow
 * run and the cluster, made acceptable to DWS. The listing is made only when names are given or a
 * template uses `{cluster_name}`; otherwise every name is built, and refused, before any request.
 */
import { ClusterNameError, resolveClusterNames } from '../../dws/cluster-names.js'
import { DwsNameError, toDescription, toDwsName } from '../../dws/names.js'
import type { Cluster, SnapshotSpec } from '../../dws/types.js'
import type { Log } from '../../kernel/log.js'
import { quoteInput } from '../../kernel/sanitize.js'
import type { Clock } from '../../kernel/time.js'
import { InputError } from '../inputs/input-error.js'
import type { SnapshotConfig } from '../inputs/snapshot.js'
import { expandTemplate, tokenValues, usesToken, type ClusterTokens, type WorkflowContext } from '../inputs/template.js'

export interface SnapshotPlan {
  /** the clusters, in the order given, with their names where the run knows them */
  targets: ClusterTokens[]
  /** one per cluster, in the same order */
  specs: SnapshotSpec[]
}

export async function planSnapshots(
  config: SnapshotConfig,
  workflow: WorkflowContext,
  clock: Clock,
  log: Log,
  listClusters: () => Promise<Cluster[]>
): Promise<SnapshotPlan> {
  const targets = await clusterTargets(config, listClusters)
  const now = new Date(clock.now())
  const specs = targets.map((cluster) => {
    const values = tokenValues(workflow, cluster, now)
    const forCluster = targets.length > 1 ? ` (cluster ${cluster.name ?? cluster.id})` : ''
    const expandedName = expandTemplate(config.nameTemplate, values, 'name')
    const name = validName(expandedName)
    if (name.changes.length > 0) {
      log.notice(`Snapshot name ${quoteInput(expandedName)} was made valid as '${name.value}'${forCluster}: ${name.changes.join('; ')}.`)
    }
    const description = toDescription(expandTemplate(config.descriptionTemplate, values, 'description'))
    if (description.changes.length > 0) log.notice(`Snapshot description changed${forCluster}: ${description.changes.join('; ')}.`)
    return { name: name.value, clusterId: cluster.id, description: description.value }
  })
  checkDistinctNames(specs)
  return { targets, specs }
}

async function clusterTargets(config: SnapshotConfig, listClusters: () => Promise<Cluster[]>): Promise<ClusterTokens[]> {
  const selection = config.clusters
  const needNames = [config.nameTemplate, config.descriptionTemplate].some((template, i) =>
    usesToken(template, 'cluster_name', i === 0 ? 'name' : 'description')
  )
  if (selection.by === 'id' && !needNames) return selection.ids.map((id) => ({ id }))
  const clusters = await listClusters()
  if (selection.by === 'id') return selection.ids.map((id) => ({ id, name: clusters.find((c) => c.id === id)?.name }))
  try {
    return resolveClusterNames(selection.names, clusters).map((c) => ({ id: c.id, name: c.name }))
  } catch (error) {
    if (error instanceof ClusterNameError) throw new InputError('cluster_name', error.message)
    throw error
  }
}

/**
 * A fleet given by ids: the names of the clusters its jobs did not learn (one that failed, or was
 * not waited for), for their annotations' titles and the `snapshots` output. One listing, and only
 * then; reading it needs its own permission, so a failure only leaves the names out.
 */
export async function nameTheClusters(
  plan: SnapshotPlan,
  learnt: (clusterId: string) => string | undefined,
  listClusters: () => Promise<Cluster[]>,
  log: Log
): Promise<void> {
  const unnamed = plan.targets.filter((t) => t.name === undefined && learnt(t.id) === undefined)
  if (plan.targets.length < 2 || unnamed.length === 0) return
  try {
    const clusters = await listClusters()
    for (const target of unnamed) target.name = clusters.find((c) => c.id === target.id)?.name
  } catch (error) {
    log.debug(`Could not read the clusters' names: ${(error as Error).message}`)
  }
}

function validName(expanded: string): ReturnType<typeof toDwsName> {
  try {
    return toDwsName(expanded)
  } catch (error) {
    if (error instanceof DwsNameError) throw new InputError('name', error.message)
    throw error
  }
}

/** Names are unique per project, compared as the service does, without case: several clusters need distinct ones. */
export function checkDistinctNames(specs: readonly Pick<SnapshotSpec, 'name' | 'clusterId'>[]): void {
  const byName = new Map<string, { name: string; clusterIds: string[] }>()
  for (const spec of specs) {
    const key = spec.name.toLowerCase()
    const entry = byName.get(key) ?? { name: spec.name, clusterIds: [] }
    entry.clusterIds.push(spec.clusterId)
    byName.set(key, entry)
  }
  const collisions = [...byName.values()].filter((entry) => entry.clusterIds.length > 1)
  if (collisions.length === 0) return
  throw new InputError(
    'name',
    `gives the same snapshot name to several clusters: ${collisions.map((c) => `'${c.name}' for ${c.clusterIds.join(', ')}`).join('; ')}. ` +
      'Snapshot names are unique per project: put {cluster_name} or {cluster_id} in the name template.'
  )
}
