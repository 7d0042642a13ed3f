/**
 * Inputs given to the step that action.yml does not declare: `wait-timeout: 2h` or `clusterid: ...`
 * would otherwise be ignored, leaving the default or an empty input in place. The runner warns too,
 * but among its own messages; this names the input to use instead. Pure.
 */
import { quoteInput } from '../sanitize.js'
import type { Env } from './io.js'
import { KNOWN_INPUTS } from './known-inputs.js'

export interface UnknownInput {
  /** the name as the runner passes it (lower case: it upper-cases INPUT_* names) */
  name: string
  /** the declared input it most likely meant, if any is close */
  suggestion?: string
}

const PREFIX = 'INPUT_'

/** The runner's env name of an input: INPUT_ and the name upper-cased, spaces as '_' (as @actions/core reads it). */
const envName = (input: string): string => PREFIX + input.replace(/ /g, '_').toUpperCase()

/** Every INPUT_* variable that is not a declared input, with the closest declared name. */
export function unknownInputs(env: Env, known: readonly string[] = KNOWN_INPUTS): UnknownInput[] {
  const declared = new Set(known.map(envName))
  return Object.keys(env)
    .filter((key) => key.startsWith(PREFIX) && key.length > PREFIX.length && !declared.has(key))
    .sort()
    .map((key) => {
      const name = key.slice(PREFIX.length).toLowerCase()
      const suggestion = closestInput(name, known)
      return suggestion === undefined ? { name } : { name, suggestion }
    })
}

/** The warning for one unknown input. */
export function unknownInputMessage(input: UnknownInput, known: readonly string[] = KNOWN_INPUTS): string {
  const what = `Input ${quoteInput(input.name)} is not an input of this action, so its value is ignored`
  return input.suggestion !== undefined
    ? `${what}: did you mean '${input.suggestion}'? Rename it in the step's with:.`
    : `${what}. The inputs are: ${known.join(', ')}.`
}

/**
 * The declared input nearest to `name`, ignoring case and '-' versus '_', when it is near enough to be
 * a slip (a few edits, fewer than a third of the name) rather than another word.
 */
export function closestInput(name: string, known: readonly string[] = KNOWN_INPUTS): string | undefined {
  const normal = (s: string): string => s.toLowerCase().replace(/[-\s]/g, '_')
  const wanted = normal(name)
  let best: { input: string; distance: number } | undefined
  for (const input of known) {
    const distance = editDistance(wanted, normal(input))
    if (best === undefined || distance < best.distance) best = { input, distance }
  }
  if (best === undefined) return undefined
  const allowed = Math.min(3, Math.max(1, Math.floor(wanted.length / 3)))
  return best.distance <= allowed ? best.input : undefined
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours each cost 1. */
export function editDistance(a: string, b: string): number {
  const cols = b.length + 1
  // One row-major table; row 0 and column 0 hold the distances from the empty string.
  const d = Array.from({ length: (a.length + 1) * cols }, (_, k) => (k < cols ? k : k % cols === 0 ? k / cols : 0))
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, at(i - 2, j - 2) + 1)
      d[i * cols + j] = value
    }
  }
  return at(a.length, b.length)
}
