/**
 * The job summary of a step that snapshots several clusters: one row per cluster, then what went
 * wrong where. Pure; every value from the network or the user is escaped as in the one-cluster summary.
 */
import type { ClusterResult } from '../../dws/job.js'
import { formatDuration } from '../../kernel/time.js'
import { markdownText } from './markdown.js'

export interface FleetRow {
  result: ClusterResult
  clusterName?: string
  error?: { title: string; message: string; hint: string }
}

export interface FleetRun {
  dryRun: boolean
  elapsedMs: number
  requests: number
  retries: number
}

export function renderFleetSummary(rows: readonly FleetRow[], run: FleetRun): string {
  const failed = rows.filter((row) => row.error)
  const heading = run.dryRun
    ? `### ${failed.length > 0 ? '❌' : '✅'} DWS snapshot dry run for ${rows.length} clusters${failed.length > 0 ? `: ${failed.length} failed` : ' passed: nothing was created'}`
    : failed.length > 0
      ? `### ❌ DWS snapshots: ${failed.length} of ${rows.length} clusters failed`
      : `### ✅ DWS snapshots of ${rows.length} clusters ${rows.every((row) => row.result.status === 'CREATING') ? 'accepted by the service' : 'ready'}`
  const lines = [heading, '', '| Cluster | Snapshot | Status | Size | Duration |', '|---|---|---|---|---|']
  for (const { result, clusterName, error } of rows) {
    const cluster = markdownText(clusterName ? `${clusterName} (${result.clusterId})` : result.clusterId)
    const snapshot = markdownText(result.snapshotId ? `${result.snapshotName} (${result.snapshotId})` : result.snapshotName)
    const status = error ? `failed: ${markdownText(error.title)}` : markdownText(result.status ?? '')
    const size = result.sizeGb === undefined ? '' : `${result.sizeGb} GB`
    lines.push(`| ${cluster} | ${snapshot} | ${status} | ${size} | ${duration(result)} |`)
  }
  for (const { result, clusterName, error } of failed) {
    if (!error) continue
    lines.push('', `**${markdownText(clusterName ?? result.clusterId)}:** ${markdownText(error.message)}`)
    if (error.hint) lines.push('', `**What to do:** ${markdownText(error.hint)}`)
  }
  lines.push(
    '',
    `API requests: ${run.requests}${run.retries ? ` (${run.retries} retried)` : ''}; elapsed in this step: ${Math.round(run.elapsedMs / 1000)} s`
  )
  return lines.join('\n') + '\n'
}

function duration(result: ClusterResult): string {
  if (!result.startedAt || !result.finishedAt) return ''
  const ms = Date.parse(result.finishedAt) - Date.parse(result.startedAt)
  return Number.isFinite(ms) && ms >= 0 ? formatDuration(ms) : ''
}
