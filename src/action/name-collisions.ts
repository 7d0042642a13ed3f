/** Several clusters in one step need distinct snapshot names (names are unique per project). Pure. */
import { InputError } from './input-error.js'

/** Throws when two clusters would get the same name (compared as the service does, without case). */
export function checkDistinctNames(specs: readonly { name: string; clusterId: string }[]): void {
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
