/**
 * The job summary: a heading, one Markdown table that reads the same on success and on failure,
 * then what retention did and, for a snapshot that is ready, how to restore from it. Pure.
 * Every value may come from the network or the user, so each is written as escaped plain text:
 * the summary shows server text, it never lets it become a link, an image, HTML or a new row.
 * The only links and code blocks are this module's own, built from validated values.
 */
import type { SignedIn } from '../auth/session.js'
import type { ClusterResult } from '../dws/job.js'
import type { RetentionResult } from '../dws/prune.js'
import { restoreGuide } from '../dws/restore.js'
import { oneLine } from '../sanitize.js'
import { formatDuration } from '../time.js'

export interface RunReport {
  clusterId: string
  clusterName?: string
  region?: string
  projectId?: string
  /** the DWS base URL the run used, for the restore request */
  endpoint?: URL
  /** the commit and ref the snapshot was taken for */
  commit?: string
  ref?: string
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
  retention?: RetentionReport
  /** `help`: where the title is explained (troubleshooting.ts), a URL or a sentence */
  error?: { title: string; message: string; hint: string; help?: string }
}

/** What retention did, as the summary shows it; messages already redacted. */
export interface RetentionReport {
  dryRun: boolean
  /** e.g. "keep_last 5, names matching release-*" */
  rule: string
  deleted: SnapshotLine[]
  /** planned deletions not done: the dry run's plan, or the ones that failed (with why) */
  notDeleted: SnapshotLine[]
  kept: SnapshotLine[]
  /** why retention could not run at all */
  error?: string
}

export interface SnapshotLine {
  id: string
  name: string
  started?: string
  /** why it is kept or deleted, or why its deletion failed */
  note: string
}

/** The summary's view of a run: what the cluster's job returned, over what was known before it ran. */
export function runReport(
  run: Omit<RunReport, 'snapshotId' | 'status' | 'created' | 'snapshotAgeMs' | 'startedAt' | 'finishedAt' | 'sizeGb'>,
  result: ClusterResult | undefined
): RunReport {
  if (!result) return run
  return {
    ...run,
    clusterName: result.clusterName ?? run.clusterName,
    snapshotId: result.snapshotId,
    status: result.status,
    created: result.created,
    snapshotAgeMs: result.ageMs,
    startedAt: result.startedAt,
    finishedAt: result.finishedAt,
    sizeGb: result.sizeGb
  }
}

/** The retention part of the report; `describe` turns a failure into one redacted sentence. */
export function retentionReport(
  retention: RetentionResult | undefined,
  error: unknown,
  rule: string,
  describe: (error: unknown) => string
): RetentionReport | undefined {
  if (retention === undefined && error === undefined) return undefined
  const line = (snapshot: { id: string; name: string; started?: string }, note: string): SnapshotLine => ({
    id: snapshot.id,
    name: snapshot.name,
    started: snapshot.started,
    note
  })
  if (retention === undefined) return { dryRun: false, rule, deleted: [], notDeleted: [], kept: [], error: describe(error) }
  const reasons = new Map(retention.plan.delete.map((p) => [p.snapshot.id, p.reason]))
  return {
    dryRun: retention.dryRun,
    rule,
    deleted: retention.deleted.map((s) => line(s, reasons.get(s.id) ?? '')),
    notDeleted: retention.dryRun
      ? retention.plan.delete.map((p) => line(p.snapshot, p.reason))
      : retention.failed.map((f) => line(f.snapshot, describe(f.error))),
    kept: retention.plan.keep.map((p) => line(p.snapshot, p.reason))
  }
}

export function renderSummary(report: RunReport): string {
  const ready = report.status === 'AVAILABLE' && !report.error
  const cluster = report.clusterName ? `${report.clusterName} (${report.clusterId})` : report.clusterId
  // Values from the network or the user go through `untrusted`; the rest is this module's own Markdown.
  const rows: [string, string | undefined][] = [
    ['Cluster', untrusted(cluster)],
    ['Region', untrusted(report.region)],
    ['Snapshot name', untrusted(report.snapshotName)],
    ['Snapshot ID', untrusted(report.snapshotId)],
    ['Status', untrusted(report.status)],
    ['Created by this step', report.created === undefined ? undefined : report.created ? 'yes' : 'no (reused)'],
    ['Age', report.created === false && report.snapshotAgeMs !== undefined ? formatDuration(report.snapshotAgeMs) : undefined],
    ['Taken for', untrusted(takenFor(report))],
    ['Started', untrusted(report.startedAt)],
    ['Finished', untrusted(report.finishedAt)],
    // A failed snapshot holds nothing to restore: its size would only mislead.
    ['Size', report.sizeGb === undefined || !ready ? undefined : untrusted(`${report.sizeGb} GB`)],
    ['Signed in as', report.signedIn ? untrusted(describeSignedIn(report.signedIn)) : undefined],
    ['Elapsed in this step', `${Math.round(report.elapsedMs / 1000)} s`]
  ]
  const lines = [heading(report), '', ...table(rows)]
  if (report.error) {
    lines.push('', `**Error:** ${markdownText(report.error.message)}`)
    if (report.error.hint) lines.push('', `**What to do:** ${markdownText(report.error.hint)}`)
    if (report.error.help) lines.push('', `**Troubleshooting:** ${helpLink(report.error.help)}`)
  }
  if (report.retention) lines.push('', ...retentionSection(report.retention))
  if (ready) lines.push('', ...wayBack(report))
  lines.push('', ...requestDetails(report))
  return lines.join('\n') + '\n'
}

/** A two-column table whose header row is its first row: GFM needs one, and an empty one renders as a blank bar. */
function table(rows: [string, string | undefined][]): string[] {
  const present = rows.filter((row): row is [string, string] => row[1] !== undefined && row[1] !== '')
  const [first, ...rest] = present
  if (first === undefined) return []
  return [`| ${first[0]} | ${first[1]} |`, '|---|---|', ...rest.map(([label, value]) => `| ${label} | ${value} |`)]
}

function takenFor(report: RunReport): string | undefined {
  const parts = [report.commit ? `commit ${report.commit.slice(0, 12)}` : '', report.ref ? `ref ${report.ref}` : '']
  return parts.filter(Boolean).join(', ') || undefined
}

/** A link the action built from the runner's own names (troubleshooting.ts); any other text stays text. */
const SAFE_URL = /^https:\/\/[A-Za-z0-9_.:/#-]+$/
function helpLink(help: string): string {
  return SAFE_URL.test(help) ? `[TROUBLESHOOTING.md](${help})` : markdownText(help)
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
  if (report.created === false) {
    const age = report.snapshotAgeMs === undefined ? '' : `, taken ${formatDuration(report.snapshotAgeMs)} ago`
    return `### ♻️ Reused an existing DWS snapshot${creating ? ' (still in progress)' : ''}${age}`
  }
  return `### ✅ DWS snapshot ${creating ? 'accepted by the service' : 'ready'}`
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function retentionSection(r: RetentionReport): string[] {
  const title = r.dryRun ? '#### Retention plan (dry run: nothing was deleted)' : '#### Retention'
  const out = [title, '']
  if (r.error !== undefined) {
    out.push(`Retention did not run: ${markdownText(r.error)} Nothing was deleted.`)
    return out
  }
  const rule = markdownText(r.rule)
  if (r.dryRun) out.push(`Would delete ${plural(r.notDeleted.length, 'snapshot')}; ${r.kept.length} kept (${rule}).`)
  else {
    const failed = r.notDeleted.length > 0 ? `, ${r.notDeleted.length} could not be deleted` : ''
    out.push(`Deleted ${plural(r.deleted.length, 'snapshot')}${failed}; ${r.kept.length} kept (${rule}).`)
  }
  const snapshotTable = (header: string, items: SnapshotLine[]): string[] =>
    items.length === 0
      ? []
      : [
          '',
          `| ${header} | ID | Started | Why |`,
          '|---|---|---|---|',
          ...items.map(
            (s) => `| ${markdownText(s.name)} | ${markdownText(s.id)} | ${markdownText(s.started ?? '')} | ${markdownText(s.note)} |`
          )
        ]
  if (r.dryRun) out.push(...snapshotTable('Would delete', r.notDeleted))
  else out.push(...snapshotTable('Deleted', r.deleted), ...snapshotTable('Not deleted', r.notDeleted))
  if (r.kept.length > 0) {
    out.push(
      '',
      `<details><summary>${plural(r.kept.length, 'snapshot')} kept, and why</summary>`,
      ...snapshotTable('Kept', r.kept),
      '',
      '</details>'
    )
  }
  return out
}

function wayBack(report: RunReport): string[] {
  if (!report.snapshotId || !report.projectId || !report.endpoint || !report.snapshotName) return []
  const guide = restoreGuide({
    endpoint: report.endpoint,
    region: report.region,
    projectId: report.projectId,
    snapshotId: report.snapshotId,
    snapshotName: report.snapshotName
  })
  const out = [
    '#### The way back: restore from this snapshot',
    '',
    'Restoring creates a new cluster from the snapshot; the original cluster is left as it is. ' +
      'The restore object also takes subnet_id, vpc_id, security_group_id and availability_zone (see the RestoreCluster API).'
  ]
  if (guide.consoleUrl !== undefined) {
    out.push(
      '',
      `- **Console:** [GaussDB(DWS) console, ${markdownText(report.region ?? '')}](${guide.consoleUrl}) → Snapshots → ` +
        `${markdownText(report.snapshotName)} → Restore.`
    )
  }
  if (guide.koocli !== undefined)
    out.push("- **KooCLI** (change the new cluster's name as you like):", '', '```sh', guide.koocli, '```', '')
  out.push(
    '- **API** (sign it with your access key, as for any Huawei Cloud call):',
    '',
    '```http',
    `${guide.http.method} ${guide.http.url}`,
    'Content-Type: application/json',
    '',
    guide.http.body,
    '```'
  )
  return out
}

function requestDetails(report: RunReport): string[] {
  const retried = report.retries
    ? `, ${report.retries} of them ${report.retries === 1 ? 'a retry' : 'retries'} after a transient failure`
    : ''
  return [
    `<details><summary>API requests: ${report.requests}${report.retries ? ` (${report.retries} retried)` : ''}</summary>`,
    '',
    `This step sent ${plural(report.requests, 'request')} to the service${retried}.`,
    '',
    '</details>'
  ]
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
