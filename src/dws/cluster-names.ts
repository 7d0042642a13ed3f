/**
 * Cluster names → clusters, from one listing of the project's clusters. Pure. An unknown name is
 * reported with the closest existing names, a name several clusters share with their ids.
 */
import { closestMatches } from '../kernel/did-you-mean.js'
import { quoteInput } from '../kernel/sanitize.js'
import type { Cluster } from './types.js'

export interface UnknownClusterName {
  name: string
  closest: string[]
}

export interface AmbiguousClusterName {
  name: string
  ids: string[]
}

/** Some names do not pick exactly one cluster; the action reports it as an error in the `cluster_name` input. */
export class ClusterNameError extends Error {
  constructor(
    readonly unknown: readonly UnknownClusterName[],
    readonly ambiguous: readonly AmbiguousClusterName[]
  ) {
    const parts = [
      ...unknown.map(
        (u) =>
          `no cluster is named ${quoteInput(u.name)}${u.closest.length > 0 ? ` (closest: ${u.closest.map((c) => `'${c}'`).join(', ')})` : ''}`
      ),
      ...ambiguous.map((a) => `${a.ids.length} clusters are named '${a.name}' (ids ${a.ids.join(', ')}): give cluster_id instead`)
    ]
    super(parts.join('; '))
    this.name = 'ClusterNameError'
  }
}

export function resolveClusterNames(names: readonly string[], clusters: readonly Cluster[]): Cluster[] {
  const unknown: UnknownClusterName[] = []
  const ambiguous: AmbiguousClusterName[] = []
  const found: Cluster[] = []
  for (const name of names) {
    const matches = clusters.filter((c) => c.name === name)
    if (matches.length === 1) found.push(matches[0] as Cluster)
    else if (matches.length === 0)
      unknown.push({
        name,
        closest: closestMatches(
          name,
          clusters.flatMap((c) => (c.name ? [c.name] : [])),
          { most: 3 }
        )
      })
    else ambiguous.push({ name, ids: matches.map((c) => c.id) })
  }
  if (unknown.length > 0 || ambiguous.length > 0) throw new ClusterNameError(unknown, ambiguous)
  return found
}
