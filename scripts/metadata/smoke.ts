/**
 * The smoke run of the bundles: each listed action's bundle, started as the runner starts it but
 * with no inputs at all, must load and refuse with exactly one error annotation (the title listed
 * in actions.ts) and exit code 1. A bundle that builds can still fail to load (a module left out
 * of it); this is what catches that, for every action, before a release.
 *
 *   tsx scripts/metadata/smoke.ts      from the repository root; exit code 1 when a bundle fails
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseAnnotations } from '../run-bundle.js'
import { spawnAndCollect, type Finished } from '../spawn.js'
import { ACTIONS, type ActionEntry } from './actions.js'

/** Why a run of a bundle without inputs is not the refusal expected of it; undefined when it is. */
export function refusalProblem(run: Pick<Finished, 'code' | 'signal' | 'stdout'>, title: string): string | undefined {
  if (run.signal) return `killed by ${run.signal} (did it hang?)`
  const reasons: string[] = []
  if (run.code !== 1) reasons.push(`exit code ${String(run.code)}, not 1`)
  const errors = parseAnnotations(run.stdout).filter((a) => a.level === 'error')
  if (errors.length !== 1) reasons.push(`${errors.length} error annotations, not one`)
  else if (errors[0]!.title !== title) reasons.push(`its error annotation is titled '${errors[0]!.title ?? ''}', not '${title}'`)
  return reasons.length > 0 ? reasons.join('; ') : undefined
}

export interface SmokeResult {
  entry: ActionEntry
  /** undefined when the bundle refused as expected */
  problem?: string
  /** what it printed, for the log */
  output: string
}

/** Runs each action's bundle under `root` with nothing but PATH in its environment, one after the other. */
export async function smokeBundles(root: string, actions: readonly ActionEntry[] = ACTIONS): Promise<SmokeResult[]> {
  const results: SmokeResult[] = []
  for (const entry of actions) {
    const bundle = join(root, entry.bundle)
    if (!existsSync(bundle)) {
      results.push({ entry, problem: `${entry.bundle} does not exist: run 'npm run build'`, output: '' })
      continue
    }
    const run = await spawnAndCollect(process.execPath, [bundle], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, timeoutMs: 30_000 })
    results.push({ entry, problem: refusalProblem(run, entry.refusal), output: `${run.stdout}${run.stderr}` })
  }
  return results
}

async function main(root: string): Promise<number> {
  let failed = 0
  for (const r of await smokeBundles(root)) {
    const what = `${r.entry.bundle} (${r.entry.yml})`
    if (r.problem === undefined) {
      console.log(`✓ ${what} refuses missing inputs with one '${r.entry.refusal}' annotation`)
      continue
    }
    failed++
    console.log(`${r.output.trimEnd()}\n✗ ${what}: ${r.problem}`)
    console.log(`::error title=Bundle smoke run failed::${what} run without inputs: ${r.problem}`)
  }
  return failed === 0 ? 0 : 1
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.cwd()).then(
    (code) => {
      process.exitCode = code
    },
    (e: unknown) => {
      console.error(`smoke run failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
      process.exitCode = 2
    }
  )
}
