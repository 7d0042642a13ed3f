/**
 * An action's inputs as its action.yml declares them: their names (to warn about an input given
 * that the action does not have) and their defaults (applied here too, because a runner-less
 * `node dist/index.js` gets none). Read from the file itself, so the list exists once. The bundle
 * carries its action.yml as an asset (ncc copies what `new URL(..., import.meta.url)` names; the build
 * renames it action-inputs.yml, so nothing under dist/ reads as an action of its own).
 *
 * Only the subset of YAML our action.yml files use is read: under `inputs:`, each input a key
 * indented by two spaces, its `default:` by four, as a plain or single-quoted scalar. A test
 * checks the result against a full YAML parser for every action.yml of the repository.
 */
import { readFileSync } from 'node:fs'

export interface ActionMetadata {
  /** in the order action.yml declares them */
  inputs: readonly string[]
  defaults: Readonly<Record<string, string>>
}

export function readActionMetadata(file: URL): ActionMetadata {
  return parseActionInputs(readFileSync(file, 'utf8'))
}

export function parseActionInputs(yaml: string): ActionMetadata {
  const inputs: string[] = []
  const defaults: Record<string, string> = {}
  let inInputs = false
  let current: string | undefined
  for (const line of yaml.split(/\r?\n/)) {
    if (/^\S/.test(line)) {
      inInputs = /^inputs:\s*$/.test(line)
      current = undefined
      continue
    }
    if (!inInputs) continue
    const input = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line)
    if (input?.[1] !== undefined) {
      current = input[1]
      inputs.push(current)
      continue
    }
    const value = /^ {4}default:\s*(.*?)\s*$/.exec(line)?.[1]
    if (current !== undefined && value !== undefined) defaults[current] = scalar(value, current)
  }
  return { inputs, defaults }
}

/** A plain or single-quoted YAML scalar (`''` stands for one quote). */
function scalar(text: string, input: string): string {
  if (text.startsWith("'")) {
    if (!/^'(?:[^']|'')*'$/.test(text)) throw new Error(`internal error: action.yml: the default of ${input} is not one quoted string`)
    return text.slice(1, -1).replace(/''/g, "'")
  }
  if (/^["|>&*!%@`{[]/.test(text)) throw new Error(`internal error: action.yml: write the default of ${input} in single quotes`)
  return text
}
