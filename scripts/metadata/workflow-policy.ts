/**
 * This repository's rules for workflows, beyond what GitHub and actionlint check: top-level
 * permissions, every non-local `uses:` pinned by a full commit SHA (or image digest) with a version
 * comment, and no `${{ }}` inside a `run:` script (script injection: pass values through `env:`).
 */
import { isBasicExpression } from '@actions/workflow-parser'
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token'
import { scalarText } from './tokens.js'
import type { Problem } from './types.js'

const FULL_SHA = /^[0-9a-f]{40}$/
const VERSION_COMMENT = /#\s*v?\d+(\.\d+){0,2}\S*/

export function checkPermissions(file: string, permissions: TemplateToken | undefined): Problem[] {
  if (permissions) return []
  return [{ file, check: 'policy', message: "no top-level 'permissions:'; grant the least the jobs need (e.g. contents: read)" }]
}

export function checkUses(file: string, lines: string[], token: TemplateToken | undefined, where: string): Problem[] {
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

export function checkRun(file: string, token: TemplateToken | undefined, where: string): Problem[] {
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
