/**
 * What GitHub Marketplace asks of an action's metadata beyond the schema: a short description and a
 * badge GitHub can draw (a Feather icon it offers, one of its colours).
 */
import { readFileSync } from 'node:fs'

/** The Marketplace cuts a longer description short. */
export const MAX_DESCRIPTION = 124

/** GitHub's documented badge colours (its parser's schema, @actions/workflow-parser 0.3, lacks 'black' and so refuses it). */
export const BRANDING_COLOURS: readonly string[] = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']

let icons: ReadonlySet<string> | undefined

/**
 * The Feather icons GitHub accepts (v4.28.0 without the brand icons and a few others), read from
 * the action schema GitHub's parser ships, so the list follows GitHub's rather than a copy of it.
 */
export function featherIcons(): ReadonlySet<string> {
  if (icons) return icons
  const schemaFile = new URL('action-v1.0.min.json', import.meta.resolve('@actions/workflow-parser'))
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as { definitions?: Record<string, { 'allowed-values'?: unknown }> }
  const allowed = schema.definitions?.['branding-icon']?.['allowed-values']
  if (!Array.isArray(allowed) || allowed.length === 0 || !allowed.every((v) => typeof v === 'string')) {
    throw new Error(`no branding-icon list in ${schemaFile.pathname}: has @actions/workflow-parser changed its schema?`)
  }
  icons = new Set(allowed)
  return icons
}

/** Problems with the description's length and the badge; absent fields are reported elsewhere. */
export function marketplaceProblems(
  facts: { description?: string; branding?: { icon?: string; color?: string } },
  allowedIcons: ReadonlySet<string>
): { field: 'description' | 'icon' | 'color'; message: string }[] {
  const problems: { field: 'description' | 'icon' | 'color'; message: string }[] = []
  // In characters (code points): JavaScript's .length would count an emoji or a rare letter twice.
  const length = Array.from(facts.description ?? '').length
  if (length > MAX_DESCRIPTION) {
    problems.push({
      field: 'description',
      message: `'description' is ${length} characters; the Marketplace shows at most ${MAX_DESCRIPTION}`
    })
  }
  const { icon, color } = facts.branding ?? {}
  if (icon && !allowedIcons.has(icon)) {
    problems.push({
      field: 'icon',
      message: `branding.icon '${icon}' is not one of the Feather icons GitHub offers (v4.28.0, brand icons excluded)`
    })
  }
  if (color && !BRANDING_COLOURS.includes(color)) {
    problems.push({ field: 'color', message: `branding.color '${color}' is not one of GitHub's: ${BRANDING_COLOURS.join(', ')}` })
  }
  return problems
}
