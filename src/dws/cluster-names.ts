/**
 * Cluster names → clusters, from one listing of the project's clusters. Pure. An unknown name is
 * reported with the closest existing names, a name several clusters share with their ids.
 */
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
        (u) => `no cluster is named '${u.name}'${u.closest.length > 0 ? ` (closest: ${u.closest.map((c) => `'${c}'`).join(', ')})` : ''}`
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
        closest: closestNames(
          name,
          clusters.flatMap((c) => (c.name ? [c.name] : []))
        )
      })
    else ambiguous.push({ name, ids: matches.map((c) => c.id) })
  }
  if (unknown.length > 0 || ambiguous.length > 0) throw new ClusterNameError(unknown, ambiguous)
  return found
}

/** Up to three names within a third of the name's length in edits (at least 2), closest first. */
export function closestNames(name: string, candidates: readonly string[]): string[] {
  const limit = Math.max(2, Math.ceil(name.length / 3))
  return [...new Set(candidates)]
    .map((candidate) => ({ candidate, distance: editDistance(name.toLowerCase(), candidate.toLowerCase()) }))
    .filter((c) => c.distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map((c) => c.candidate)
}

/** Levenshtein distance, one row at a time. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost))
    }
    previous = row
  }
  return previous[b.length] ?? 0
}
