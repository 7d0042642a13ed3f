/**
 * The job summary of a one-cluster snapshot run: a heading, one Markdown table that reads the same
 * on success and on failure, then what retention did and, for a snapshot that is ready, how to
 * restore from it. Pure. Every value is written as escaped text (markdown.ts); the only links and
 * code blocks are this module's own, built from validated values.
 */
import type { SignedIn } from '../../auth/session.js'
import type { ClusterResult } from '../../dws/job.js'
import { restoreGuide } from '../../dws/restore-guide.js'
import { formatDuration } from '../../kernel/time.js'
import { describeSignedIn, errorLines, markdownText, requestDetails, table, untrusted } from './markdown.js'

export interface RunReport {
  clusterId: string
  clusterName?: string
  region?: string
  projectId?: string
  /** the DWS base URL the run used, for the restore request */
  endpoint?: URL
  /** `uses:` of the restore action beside this one */
  restoreUses?: string
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
  /** the retention section, rendered by retention.ts (loaded on the runs that keep snapshots by a rule) */
  retention?: readonly string[]
  /** `help`: where the title is explained (troubleshooting.ts), a URL or a sentence */
  error?: { title: string; message: string; hint: string; help?: string }
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
  if (report.error) lines.push(...errorLines(report.error))
  if (report.retention) lines.push('', ...report.retention)
  if (ready) lines.push('', ...wayBack(report))
  lines.push('', ...requestDetails(report.requests, report.retries))
  return lines.join('\n') + '\n'
}

function takenFor(report: RunReport): string | undefined {
  const parts = [report.commit ? `commit ${report.commit.slice(0, 12)}` : '', report.ref ? `ref ${report.ref}` : '']
  return parts.filter(Boolean).join(', ') || undefined
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
      'The restore also takes the subnet, VPC, security group and availability zone (by default the source cluster’s).'
  ]
  if (report.restoreUses !== undefined) {
    out.push(
      '',
      '- **A step** (the restore action, with the same sign-in inputs as this one; `mode: tables` restores chosen tables in place instead):',
      '',
      '```yaml',
      `- uses: ${report.restoreUses}`,
      '  with:',
      `    snapshot_id: ${report.snapshotId}`,
      ...(report.region ? [`    region: ${report.region}`] : []),
      '    # keep: false  # a throwaway copy, deleted when the job ends',
      '```'
    )
  }
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
