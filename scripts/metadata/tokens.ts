/**
 * Reading @actions/workflow-parser's token tree: mappings, sequences and scalars as plain values,
 * the YAML type of a scalar as written, and the parser's own errors as problems.
 */
import { NoOperationTraceWriter, isBasicExpression, isBoolean, isMapping, isNumber, isSequence, isString } from '@actions/workflow-parser'
import type { TemplateContext } from '@actions/workflow-parser/templates/template-context'
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token'
import type { Problem } from './types.js'

/** The parser wants a trace writer; nothing here reads its trace. */
export const trace = new NoOperationTraceWriter()

export function entries(token: TemplateToken | undefined): [string, TemplateToken][] {
  if (!token || !isMapping(token)) return []
  const out: [string, TemplateToken][] = []
  for (const pair of token) {
    out.push([isString(pair.key) ? pair.key.value : String(pair.key), pair.value])
  }
  return out
}

export function child(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  return entries(token).find(([k]) => k === key)?.[1]
}

export function items(token: TemplateToken | undefined): TemplateToken[] {
  if (!token || !isSequence(token)) return []
  return [...token]
}

/** A scalar as the workflow author wrote it: literals by value, expressions as `${{ expr }}`. */
export function scalarText(token: TemplateToken | undefined): string | undefined {
  if (!token) return undefined
  if (isString(token)) return token.value
  if (isNumber(token) || isBoolean(token)) return String(token.value)
  if (isBasicExpression(token)) return token.source ?? `\${{ ${token.expression} }}`
  return undefined
}

/** A mapping of scalars (env:, with:, permissions:) as text. */
export function textMap(token: TemplateToken | undefined): Record<string, string> {
  return Object.fromEntries(entries(token).map(([k, v]) => [k, scalarText(v) ?? '']))
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
export function yamlScalarType(token: TemplateToken | undefined, lines: string[]): string | undefined {
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

export function parserProblems(file: string, context: TemplateContext): Problem[] {
  return context.errors.getErrors().map((e) => ({
    file,
    line: e.range?.start.line,
    col: e.range?.start.column,
    check: 'parse' as const,
    message: e.rawMessage
  }))
}
