/** The clusters a step names: one per line or comma-separated, in `cluster_id` or `cluster_name`. Pure. */
import { UUID_PATTERN } from '../../cloud/answers.js'
import { quoteInput } from '../../kernel/sanitize.js'
import { InputError } from './input-error.js'
import { listEntries } from './reader.js'

export const MAX_CLUSTERS = 100

function limited<T>(values: T[], input: string): T[] {
  if (values.length > MAX_CLUSTERS) throw new InputError(input, `names ${values.length} clusters; at most ${MAX_CLUSTERS} per step`)
  return values
}

/** Cluster ids, lower-cased (the service writes them so) and without repeats, in the order given. */
export function parseClusterIds(text: string): string[] {
  const ids = listEntries(text).map((id) => {
    if (!UUID_PATTERN.test(id)) {
      throw new InputError('cluster_id', `${quoteInput(id)} is not a cluster ID; expected a UUID like 8d4a8c21-0b5e-4f3a-9c1d-2e7f6a5b4c3d`)
    }
    return id.toLowerCase()
  })
  return limited([...new Set(ids)], 'cluster_id')
}

/** Cluster names, without repeats, in the order given. */
export function parseClusterNames(text: string): string[] {
  return limited([...new Set(listEntries(text))], 'cluster_name')
}
