/** The create body's rules, as documented for the service; each violation is one readable message. */

export interface CreateInput {
  name: string
  clusterId: string
  description: string
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]{3,63}$/
const FORBIDDEN_IN_DESCRIPTION = /[!<>'=&"]/
export const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Either the parsed input or the message of a 400 DWS.0001. */
export function validateCreateBody(raw: string): { input: CreateInput } | { error: string } {
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    return { error: 'The request body is not valid JSON.' }
  }
  if (!isObject(parsed) || !isObject(parsed.snapshot)) {
    return { error: 'The request body must be {"snapshot":{"name":...,"cluster_id":...}}.' }
  }
  const { name, cluster_id: clusterId, description } = parsed.snapshot
  if (typeof name !== 'string' || name === '') return { error: 'snapshot.name is required.' }
  if (!NAME.test(name)) {
    return {
      error: `snapshot.name '${name}' is invalid: it must start with a letter and be 4 to 64 characters of letters, digits, '-' and '_'.`
    }
  }
  if (typeof clusterId !== 'string' || clusterId === '') return { error: 'snapshot.cluster_id is required.' }
  if (!UUID.test(clusterId)) return { error: `snapshot.cluster_id '${clusterId}' is not a UUID.` }
  if (description !== undefined && description !== null) {
    if (typeof description !== 'string') return { error: 'snapshot.description must be a string.' }
    if (description.length > 256) {
      return { error: `snapshot.description is ${description.length} characters long; at most 256 are allowed.` }
    }
    if (FORBIDDEN_IN_DESCRIPTION.test(description)) {
      return { error: `snapshot.description must not contain any of the characters ! < > ' = & ".` }
    }
  }
  return { input: { name, clusterId, description: typeof description === 'string' ? description : '' } }
}
