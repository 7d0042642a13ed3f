/**
 * The action inputs the source reads and the outputs it writes, found in the text of src/**\/*.ts,
 * wherever the modules live. The matchers know the forms the code uses: a reader called with the
 * input's name as a literal (`get('region')`, `orDefault('wait')`, `fromInput('auth_token')`,
 * `core.getInput('x')`...) and a writer called with the output's name (`setOutput('x', …)`,
 * `outputs.set('x', …)`). A new form they miss makes the comparison with action.yml fail (a declared
 * name found nowhere), never pass quietly.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Reader calls: a bare helper (not a method such as `headers.get`), the Inputs reader's methods
 * (`inputs.get`, `inputs.duration`, ...), or @actions/core's getters.
 */
const INPUT_READ =
  /(?:(?<![\w$.])(?:get|input|orDefault|fromInput|readInput)|\binputs\.(?:get|orDefault|boolean|integer|choice|duration)|\bget(?:Boolean|Multiline)?Input)\(\s*(['"`])([\w-]+)\1/g
/** Writer calls: setOutput, of @actions/core or the step's (`step.setOutput`). */
const OUTPUT_WRITE = /\bsetOutput\(\s*(['"`])([\w-]+)\1/g

export function typescriptFiles(dir: string): string[] {
  const files: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...typescriptFiles(path))
    else if (entry.name.endsWith('.ts')) files.push(path)
  }
  return files.sort()
}

export function inputsRead(source: string): string[] {
  return namesIn(source, INPUT_READ)
}

export function outputsWritten(source: string): string[] {
  return namesIn(source, OUTPUT_WRITE)
}

function namesIn(source: string, call: RegExp): string[] {
  return [...new Set([...source.matchAll(call)].map((m) => m[2]!))].sort()
}

/** Names used but not declared, and declared but never used: both must be empty. */
export function compareNames(declared: readonly string[], used: readonly string[]): { undeclared: string[]; unused: string[] } {
  return {
    undeclared: used.filter((n) => !declared.includes(n)),
    unused: declared.filter((n) => !used.includes(n))
  }
}
