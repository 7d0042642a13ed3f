/**
 * Which files to validate and how each is read: files named action.y(a)ml are actions, the rest
 * workflows. Paths are taken from the current directory, which is the repository root: an action's
 * bundles are looked up there. Problems come back in the order of the files given.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, join, relative, resolve, sep } from 'node:path'
import { validateAction } from './action-yml.js'
import { ACTIONS, type ActionEntry } from './actions.js'
import { bundleStateIn } from './bundles.js'
import type { Problem, Report } from './types.js'
import { validateWorkflow } from './workflows.js'

const ACTION_FILE = /^action\.ya?ml$/

/** The listed actions' metadata files and .github/workflows/*.y(a)ml under `root`. */
export function defaultFiles(root: string, actions: readonly ActionEntry[] = ACTIONS): string[] {
  const files = actions.map((a) => join(root, a.yml))
  const dir = join(root, '.github', 'workflows')
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).sort()) if (/\.ya?ml$/.test(f)) files.push(join(dir, f))
  }
  return files
}

/** The whole repository at `root`: every listed action, every workflow, and no action left off the list. */
export async function validateRepository(root: string): Promise<Report> {
  const report = await validateFiles(defaultFiles(root), root)
  report.problems.push(...unlistedActions(root))
  return report
}

/**
 * action.y(a)ml files at the root or one folder down (where GitHub finds `owner/repo` and
 * `owner/repo/restore`) that scripts/metadata/actions.ts does not list: nothing would check or smoke them.
 */
function unlistedActions(root: string): Problem[] {
  const listed = new Set(ACTIONS.map((a) => a.yml))
  const folders = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && !['node_modules', 'dist', 'coverage'].includes(d.name))
    .map((d) => d.name)
  const candidates = ['', ...folders.sort()].flatMap((folder) =>
    ['action.yml', 'action.yaml'].map((name) => (folder ? `${folder}/${name}` : name))
  )
  const unlisted = candidates
    .filter((yml) => !listed.has(yml) && existsSync(join(root, yml)))
    .map((yml) => ({
      file: yml,
      check: 'policy' as const,
      message: 'an action that scripts/metadata/actions.ts does not list: add it there, so that it is validated and its bundle smoke-run'
    }))
  return [...unlisted, ...metadataNamedAsAction(root)]
}

/** A file named action.y(a)ml under dist/ reads as an action of its own (`uses: owner/repo/dist`), which it is not. */
function metadataNamedAsAction(root: string): Problem[] {
  const dist = join(root, 'dist')
  if (!existsSync(dist)) return []
  return readdirSync(dist, { recursive: true, encoding: 'utf8' })
    .map((path) => path.split(sep).join('/'))
    .filter((path) => ACTION_FILE.test(basename(path)))
    .sort()
    .map((path) => ({
      file: `dist/${path}`,
      check: 'policy' as const,
      message:
        'a file named like an action under dist/: its runs.main would resolve inside dist/; the build names the metadata asset action-inputs.yml'
    }))
}

export async function validateFiles(paths: string[], cwd = process.cwd()): Promise<Report> {
  const report: Report = { problems: [], actions: [], workflows: [] }
  const state = bundleStateIn(cwd)
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
    if (ACTION_FILE.test(basename(abs))) {
      const yml = relative(cwd, abs).split(sep).join('/')
      const r = validateAction(shown, content, { yml, entry: ACTIONS.find((a) => a.yml === yml), state })
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
