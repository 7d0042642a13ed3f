/**
 * The job summary: one Markdown table that reads the same on success and on failure. Pure.
 * Every value may come from the network or the user, so each is written as escaped plain text:
 * the summary shows server text, it never lets it become a link, an image, HTML or a new row.
 */
import type { SignedIn } from '../auth/session.js'
import type { ClusterResult } from '../dws/job.js'
import { oneLine } from '../sanitize.js'
import { formatDuration } from '../time.js'

export interface RunReport {
  clusterId: string
  snapshotName?: string
  snapshotId?: string
  status?: string
  created?: boolean
  /** How old the snapshot was when this step found it; shown only for a reused snapshot. */
  snapshotAgeMs?: number
  dryRun: boolean
  startedAt?: string
  finishedAt?: string
  sizeGb?: number
  elapsedMs: number
  /** a keyless sign-in: who the run acted as, and until when */
  signedIn?: SignedIn
  requests: number
  retries: number
  error?: { title: string; message: string; hint: string }
}

/** The summary's view of a run: what the cluster's job returned, over what was known before it ran. */
export function runReport(
  run: Pick<RunReport, 'clusterId' | 'snapshotName' | 'dryRun' | 'elapsedMs' | 'signedIn' | 'requests' | 'retries' | 'error'>,
  result: ClusterResult | undefined
): RunReport {
  if (!result) return run
  return {
    ...run,
    snapshotId: result.snapshotId,
    status: result.status,
    created: result.created,
    snapshotAgeMs: result.ageMs,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    sizeGb: result.sizeGb
  }
}

export function renderSummary(report: RunReport): string {
  const reused = report.created === false
  // Values from the network or the user go through `untrusted`; the rest is this module's own Markdown.
  const rows: [string, string | undefined][] = [
    ['Cluster', untrusted(report.clusterId)],
    ['Snapshot name', untrusted(report.snapshotName)],
    ['Snapshot ID', untrusted(report.snapshotId)],
    ['Status', untrusted(report.status)],
    ['Created by this step', report.created === undefined ? undefined : report.created ? 'yes' : 'no (reused)'],
    ['Age', reused && report.snapshotAgeMs !== undefined ? formatDuration(report.snapshotAgeMs) : undefined],
    ['Started', untrusted(report.startedAt)],
    ['Finished', untrusted(report.finishedAt)],
    ['Size', report.sizeGb === undefined ? undefined : untrusted(`${report.sizeGb} GB`)],
    ['Signed in as', report.signedIn ? untrusted(describeSignedIn(report.signedIn)) : undefined],
    ['Elapsed in this step', `${Math.round(report.elapsedMs / 1000)} s`],
    ['API requests', `${report.requests}${report.retries ? ` (${report.retries} retried)` : ''}`]
  ]
  const lines = [heading(report), '', '| | |', '|---|---|']
  for (const [label, value] of rows) {
    if (value !== undefined && value !== '') lines.push(`| ${label} | ${value} |`)
  }
  if (report.error) {
    lines.push('', `**Error:** ${markdownText(report.error.message)}`)
    if (report.error.hint) lines.push('', `**What to do:** ${markdownText(report.error.hint)}`)
  }
  return lines.join('\n') + '\n'
}

function describeSignedIn(signedIn: SignedIn): string {
  const until = new Date(signedIn.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const renewals = signedIn.count - 1
  return `${signedIn.identity}, until ${until}${renewals > 0 ? ` (signed in ${signedIn.count} times)` : ''}`
}

function untrusted(value: string | undefined): string | undefined {
  return value === undefined ? undefined : markdownText(value)
}

function heading(report: RunReport): string {
  if (report.error) return `### ❌ DWS snapshot failed: ${markdownText(report.error.title)}`
  if (report.dryRun) return '### ✅ DWS snapshot dry run passed: nothing was created'
  const creating = report.status === 'CREATING'
  if (report.created === false) return `### ✅ DWS snapshot ${creating ? 'in progress' : 'ready'} (reused)`
  return `### ✅ DWS snapshot ${creating ? 'accepted by the service' : 'ready'}`
}

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
