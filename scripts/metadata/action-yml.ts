/**
 * action.yml: GitHub's action parser and converter, the facts the tests assert on, and this
 * repository's policy — complete for the Marketplace, running the committed bundle on node24,
 * every input and output described, every input default a quoted string.
 */
import { isBoolean } from '@actions/workflow-parser'
import { convertActionTemplate, parseAction } from '@actions/workflow-parser/actions/index'
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token'
import { child, entries, parserProblems, scalarText, trace, yamlScalarType } from './tokens.js'
import type { ActionFacts, Problem } from './types.js'

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
  const facts = actionFacts(file, root, lines)

  // GitHub's converter too: it reports what the schema alone does not (e.g. a node action without main).
  if (problems.length === 0) {
    try {
      convertActionTemplate(parsed.context, root)
      problems.push(...parserProblems(file, parsed.context))
    } catch (e) {
      problems.push({ file, check: 'parse', message: `cannot convert: ${(e as Error).message}` })
    }
  }
  problems.push(...actionPolicy(file, root, facts, lines))
  return { problems, facts }
}

/** Facts straight from the token tree, so a broken file still yields what can be read. */
function actionFacts(file: string, root: TemplateToken, lines: string[]): ActionFacts {
  const runs = child(root, 'runs')
  const branding = child(root, 'branding')
  return {
    file,
    name: scalarText(child(root, 'name')),
    description: scalarText(child(root, 'description')),
    author: scalarText(child(root, 'author')),
    branding: branding ? { icon: scalarText(child(branding, 'icon')), color: scalarText(child(branding, 'color')) } : undefined,
    using: scalarText(child(runs, 'using')),
    main: scalarText(child(runs, 'main')),
    inputs: entries(child(root, 'inputs')).map(([id, def]) => ({
      id,
      description: scalarText(child(def, 'description')),
      required: booleanValue(child(def, 'required')),
      default: scalarText(child(def, 'default')),
      defaultType: yamlScalarType(child(def, 'default'), lines)
    })),
    outputs: entries(child(root, 'outputs')).map(([id, def]) => ({ id, description: scalarText(child(def, 'description')) }))
  }
}

function booleanValue(token: TemplateToken | undefined): boolean | undefined {
  return token && isBoolean(token) ? token.value : undefined
}

function actionPolicy(file: string, root: TemplateToken, facts: ActionFacts, lines: string[]): Problem[] {
  const problems: Problem[] = []
  const policy = (message: string, token?: TemplateToken): void => {
    problems.push({ file, line: token?.line, col: token?.col, check: 'policy', message })
  }
  for (const key of ['name', 'description', 'author'] as const) {
    if (!facts[key]?.trim()) policy(`'${key}' is missing or empty (the Marketplace needs it)`)
  }
  if (!facts.branding?.icon || !facts.branding.color) policy("'branding' needs both 'icon' and 'color'")
  const runs = child(root, 'runs')
  if (!runs) policy("'runs' is missing")
  else {
    if (facts.using !== 'node24') policy(`runs.using is '${facts.using ?? ''}'; this action runs on 'node24'`, child(runs, 'using'))
    if (facts.main !== 'dist/index.js')
      policy(`runs.main is '${facts.main ?? ''}'; expected 'dist/index.js' (the committed bundle)`, child(runs, 'main'))
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
  return problems
}
