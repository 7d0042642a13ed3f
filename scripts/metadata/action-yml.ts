/**
 * An action's metadata file: GitHub's action parser and converter, the facts the tests assert on, and
 * this repository's policy — ready for the Marketplace (marketplace.ts), running committed bundles
 * under dist/ on node24 (bundles.ts), a post step saying when it runs, every input and output
 * described, every input default a quoted string.
 */
import { isBoolean } from '@actions/workflow-parser'
import { convertActionTemplate, parseAction } from '@actions/workflow-parser/actions/index'
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token'
import type { ActionEntry } from './actions.js'
import { bundleProblems, type BundleRef, type BundleState } from './bundles.js'
import { featherIcons, marketplaceProblems } from './marketplace.js'
import { child, entries, parserProblems, scalarText, trace, yamlScalarType } from './tokens.js'
import type { ActionFacts, Problem } from './types.js'

/** Where the action sits in the repository, and how to look its bundles up. */
export interface ActionPlace {
  /** the metadata file, repository-relative with '/' separators */
  yml: string
  /** its entry in scripts/metadata/actions.ts, if listed */
  entry?: ActionEntry
  state: (path: string) => BundleState
}

export function validateAction(file: string, content: string, place: ActionPlace): { problems: Problem[]; facts?: ActionFacts } {
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
  problems.push(...actionPolicy(file, root, facts, lines, place))
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
    pre: scalarText(child(runs, 'pre')),
    post: scalarText(child(runs, 'post')),
    postIf: scalarText(child(runs, 'post-if')),
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

function actionPolicy(file: string, root: TemplateToken, facts: ActionFacts, lines: string[], place: ActionPlace): Problem[] {
  const problems: Problem[] = []
  const policy = (message: string, token?: TemplateToken): void => {
    problems.push({ file, line: token?.line, col: token?.col, check: 'policy', message })
  }
  for (const key of ['name', 'description', 'author'] as const) {
    if (!facts[key]?.trim()) policy(`'${key}' is missing or empty (the Marketplace needs it)`)
  }
  const branding = child(root, 'branding')
  if (!facts.branding?.icon || !facts.branding.color) policy("'branding' needs both 'icon' and 'color'")
  const tokenOf = { description: child(root, 'description'), icon: child(branding, 'icon'), color: child(branding, 'color') }
  for (const p of marketplaceProblems(facts, featherIcons())) policy(p.message, tokenOf[p.field])
  const runs = child(root, 'runs')
  if (!runs) policy("'runs' is missing")
  else {
    if (facts.using !== 'node24') policy(`runs.using is '${facts.using ?? ''}'; this action runs on 'node24'`, child(runs, 'using'))
    if (facts.main === undefined) policy("runs.main is missing; it names the action's bundle under dist/", runs)
    if (facts.post !== undefined && facts.postIf === undefined) {
      policy(
        'runs.post has no runs.post-if: say when the post step runs (e.g. always(), so it also cleans up after a failure)',
        child(runs, 'post')
      )
    }
    const refs: BundleRef[] = (['main', 'pre', 'post'] as const).flatMap((key) => {
      const ref = facts[key]
      return ref === undefined ? [] : [{ key, ref }]
    })
    const tokens: Record<string, TemplateToken | undefined> = {
      main: child(runs, 'main'),
      pre: child(runs, 'pre'),
      post: child(runs, 'post')
    }
    for (const p of bundleProblems(place.yml, refs, place.entry, place.state)) policy(p.message, p.key ? tokens[p.key] : undefined)
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
