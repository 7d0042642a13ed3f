/** The job summary: one Markdown table that reads the same on success and on failure. Pure. */

export interface RunReport {
  clusterId: string
  snapshotName?: string
  snapshotId?: string
  status?: string
  created?: boolean
  dryRun: boolean
  startedAt?: string
  finishedAt?: string
  sizeGb?: number
  elapsedMs: number
  requests: number
  retries: number
  error?: { title: string; message: string; hint: string }
}

export function renderSummary(report: RunReport): string {
  const heading = report.error
    ? `### ❌ DWS snapshot failed: ${report.error.title}`
    : report.dryRun
      ? '### ✅ DWS snapshot dry run passed: nothing was created'
      : `### ✅ DWS snapshot ${report.status === 'CREATING' ? 'accepted by the service' : 'ready'}`
  const rows: [string, string | undefined][] = [
    ['Cluster', code(report.clusterId)],
    ['Snapshot name', code(report.snapshotName)],
    ['Snapshot ID', code(report.snapshotId)],
    ['Status', report.status],
    ['Created by this step', report.created === undefined ? undefined : report.created ? 'yes' : 'no (reused)'],
    ['Started', report.startedAt],
    ['Finished', report.finishedAt],
    ['Size', report.sizeGb === undefined ? undefined : `${report.sizeGb} GB`],
    ['Elapsed in this step', `${Math.round(report.elapsedMs / 1000)} s`],
    ['API requests', `${report.requests}${report.retries ? ` (${report.retries} retried)` : ''}`]
  ]
  const lines = [heading, '', '| | |', '|---|---|']
  for (const [label, value] of rows) {
    if (value !== undefined && value !== '') lines.push(`| ${label} | ${cell(value)} |`)
  }
  if (report.error) {
    lines.push('', `**Error:** ${escape(report.error.message)}`)
    if (report.error.hint) lines.push('', `**What to do:** ${escape(report.error.hint)}`)
  }
  return lines.join('\n') + '\n'
}

function code(value: string | undefined): string | undefined {
  return value ? `\`${value.replace(/`/g, "'")}\`` : undefined
}

function cell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

/** Messages can quote service text; keep it from being read as HTML or Markdown structure. */
function escape(text: string): string {
  return text.replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
