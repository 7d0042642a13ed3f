/**
 * The job summaries of the restore action: the main step's (the new cluster and its endpoints, or
 * the tables and their job) and the post step's (the preview cluster deleted, or why not). Pure;
 * every value is written as escaped text (markdown.ts).
 */
import type { SignedIn } from '../../auth/session.js'
import { formatDuration } from '../../kernel/time.js'
import { describeSignedIn, errorLines, markdownText, requestDetails, table, untrusted } from './markdown.js'
import type { Reported } from './reporter.js'

export interface RestoreReport {
  mode: 'new-cluster' | 'tables'
  dryRun: boolean
  snapshot?: { id: string; name: string }
  /** new-cluster: the new one; tables: the snapshot's own */
  cluster?: { id?: string; name?: string; status?: string; privateEndpoint?: string; publicEndpoint?: string }
  /** found by name after a lost answer: never deleted by this step */
  adopted: boolean
  /** keep: false with a cluster this step made: the post step deletes it */
  deletedAtEnd: boolean
  tables?: { source: string; target: string }[]
  job?: { id: string; status: string }
  /** from the service accepting the restore until it was done */
  tookMs?: number
  elapsedMs: number
  signedIn?: SignedIn
  requests: number
  retries: number
  error?: Reported
}

export function renderRestoreSummary(r: RestoreReport): string {
  const cluster = r.cluster
  const clusterText = cluster?.name ? `${cluster.name}${cluster.id ? ` (${cluster.id})` : ''}` : cluster?.id
  const rows: [string, string | undefined][] = [
    ['Snapshot', untrusted(r.snapshot && `${r.snapshot.name} (${r.snapshot.id})`)],
    [r.mode === 'tables' ? 'Cluster' : 'New cluster', untrusted(clusterText)],
    ['Status', untrusted(r.mode === 'tables' ? r.job?.status : cluster?.status)],
    ['Private endpoint', untrusted(cluster?.privateEndpoint)],
    ['Public endpoint', untrusted(cluster?.publicEndpoint)],
    ['Job', untrusted(r.job?.id)],
    ['Took', r.tookMs === undefined ? undefined : formatDuration(r.tookMs)],
    ['At the end of the job', r.deletedAtEnd ? 'deleted (keep: false)' : r.adopted ? 'kept: adopted after a lost answer' : undefined],
    ['Signed in as', r.signedIn ? untrusted(describeSignedIn(r.signedIn)) : undefined],
    ['Elapsed in this step', `${Math.round(r.elapsedMs / 1000)} s`]
  ]
  const lines = [heading(r), '', ...table(rows)]
  if (r.tables && r.tables.length > 0) {
    lines.push(
      '',
      '| Table | Restored as |',
      '|---|---|',
      ...r.tables.map((t) => `| ${markdownText(t.source)} | ${markdownText(t.target)} |`)
    )
  }
  if (r.error) lines.push(...errorLines(r.error))
  if (r.deletedAtEnd && !r.error) {
    lines.push('', 'This cluster is a preview: the post step of this action deletes it when the job ends, whatever happens.')
  }
  lines.push('', ...requestDetails(r.requests, r.retries))
  return lines.join('\n') + '\n'
}

function heading(r: RestoreReport): string {
  if (r.error) return `### ❌ DWS restore failed: ${markdownText(r.error.title)}`
  if (r.dryRun) return '### ✅ DWS restore dry run passed: nothing was restored'
  if (r.mode === 'tables') return `### ✅ DWS tables ${r.job?.status === 'SUCCESS' ? 'restored' : 'restore started'}`
  const ready = r.cluster?.privateEndpoint !== undefined || r.cluster?.status === 'AVAILABLE' || r.cluster?.status === 'ACTIVE'
  return `### ✅ DWS cluster ${ready ? 'restored and ready' : 'restore accepted by the service'}`
}

export interface DeletionReport {
  cluster?: { id: string; name: string; adopted: boolean }
  outcome?: 'deleted' | 'already gone'
  elapsedMs: number
  requests: number
  retries: number
  error?: Reported
}

/** The post step's summary: what became of the preview cluster. */
export function renderDeletionSummary(r: DeletionReport): string {
  const c = r.cluster
  const name = c ? markdownText(`${c.name} (${c.id})`) : ''
  const heading = r.error
    ? `### ❌ DWS restore: preview cluster not deleted`
    : c === undefined
      ? '### DWS restore: no preview cluster to delete'
      : c.adopted
        ? `### ⚠️ DWS restore: cluster ${name} kept (adopted after a lost answer)`
        : `### ✅ DWS restore: preview cluster ${name} ${r.outcome === 'already gone' ? 'was already gone' : 'deleted'}`
  const lines = [heading]
  if (r.error) lines.push(...errorLines(r.error))
  lines.push('', ...requestDetails(r.requests, r.retries))
  return lines.join('\n') + '\n'
}
