/**
 * The Markdown every job summary is made of. Every value from the network or the user is written
 * as escaped plain text: a summary shows server text, it never lets it become a link, an image,
 * HTML or a new row. The only links are the ones built here from validated values. Pure.
 */
import type { SignedIn } from '../../auth/session.js'
import { oneLine } from '../../kernel/sanitize.js'
import { isoSeconds } from '../../kernel/time.js'

/**
 * Text that renders as itself in GitHub-Flavoured Markdown, on one line and inside a table cell.
 * `oneLine` leaves no line break, so every value sits mid-line and no block construct (heading,
 * list, quote) can start: only the inline marks need a backslash (which GFM removes when
 * rendering, `\|` included in a table cell), and `< > &` become entities, so no HTML tag or
 * entity of the source survives. Ids, names and times stay greppable in the raw Markdown.
 * No code spans: their content cannot be backslash-escaped.
 */
export function markdownText(text: string): string {
  return oneLine(text).replace(MARKDOWN_SPECIAL, (ch) => HTML_ENTITY[ch] ?? `\\${ch}`)
}

const MARKDOWN_SPECIAL = /[\\`*_[\]|<>&~]/g
const HTML_ENTITY: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' }

export function untrusted(value: string | undefined): string | undefined {
  return value === undefined ? undefined : markdownText(value)
}

/** A two-column table whose header row is its first row: GFM needs one, and an empty one renders as a blank bar. */
export function table(rows: [string, string | undefined][]): string[] {
  const present = rows.filter((row): row is [string, string] => row[1] !== undefined && row[1] !== '')
  const [first, ...rest] = present
  if (first === undefined) return []
  return [`| ${first[0]} | ${first[1]} |`, '|---|---|', ...rest.map(([label, value]) => `| ${label} | ${value} |`)]
}

/** The failure of a run: what happened, what to do, and where to read more. */
export function errorLines(error: { message: string; hint: string; help?: string }): string[] {
  const lines = ['', `**Error:** ${markdownText(error.message)}`]
  if (error.hint) lines.push('', `**What to do:** ${markdownText(error.hint)}`)
  if (error.help) lines.push('', `**Troubleshooting:** ${helpLink(error.help)}`)
  return lines
}

/** A link the action built from the runner's own names (troubleshooting.ts); any other text stays text. */
const SAFE_URL = /^https:\/\/[A-Za-z0-9_.:/#-]+$/
function helpLink(help: string): string {
  return SAFE_URL.test(help) ? `[TROUBLESHOOTING.md](${help})` : markdownText(help)
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

export function describeSignedIn(signedIn: SignedIn): string {
  const renewals = signedIn.count - 1
  return `${signedIn.identity}, until ${isoSeconds(signedIn.expiresAt)}${renewals > 0 ? ` (signed in ${signedIn.count} times)` : ''}`
}

/** How many requests the step sent, folded away at the end of the summary. */
export function requestDetails(requests: number, retries: number): string[] {
  const retried = retries ? `, ${retries} of them ${retries === 1 ? 'a retry' : 'retries'} after a transient failure` : ''
  return [
    `<details><summary>API requests: ${requests}${retries ? ` (${retries} retried)` : ''}</summary>`,
    '',
    `This step sent ${plural(requests, 'request')} to the service${retried}.`,
    '',
    '</details>'
  ]
}
