/**
 * Which files to validate and how each is read: files named action.y(a)ml are actions, the rest
 * workflows. Problems come back in the order of the files given.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, join, relative, resolve } from 'node:path'
import { validateAction } from './action-yml.js'
import type { Problem, Report } from './types.js'
import { validateWorkflow } from './workflows.js'

/** action.yml and .github/workflows/*.y(a)ml under `root`. */
export function defaultFiles(root: string): string[] {
  const files = [join(root, 'action.yml')]
  const dir = join(root, '.github', 'workflows')
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).sort()) if (/\.ya?ml$/.test(f)) files.push(join(dir, f))
  }
  return files
}

export async function validateFiles(paths: string[], cwd = process.cwd()): Promise<Report> {
  const report: Report = { problems: [], actions: [], workflows: [] }
  for (const p of paths) {
    const abs = resolve(cwd, p)
    const shown = relative(cwd, abs) || abs
    let content: string
    try {
      content = readFileSync(abs, 'utf8')
    } catch (e) {
      report.problems.push({ file: shown, check: 'parse', message: `cannot read: ${(e as Error).message}` })
      continue
    }
    if (/^action\.ya?ml$/.test(basename(abs))) {
      const r = validateAction(shown, content)
      report.problems.push(...r.problems)
      if (r.facts) report.actions.push(r.facts)
    } else {
      const r = await validateWorkflow(shown, content)
      report.problems.push(...r.problems)
      if (r.facts) report.workflows.push(r.facts)
    }
  }
  return report
}

/** `file:line:col: [check] message`, as compilers print them (editors link it). */
export function formatProblem(p: Problem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}:${p.col ?? 1}` : p.file
  return `${where}: [${p.check}] ${p.message}`
}
