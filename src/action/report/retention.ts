/**
 * What retention did, in words: the rule, the warnings for what it could not do (retention never
 * fails the step, the snapshot stays the result), and its part of the job summary. Pure but for the log.
 */
import type { ClusterResult } from '../../dws/job.js'
import type { RetentionResult } from '../../dws/prune.js'
import type { RetentionRule } from '../../dws/retention.js'
import type { Log } from '../../kernel/log.js'
import { formatDuration } from '../../kernel/time.js'
import { markdownText, plural } from './markdown.js'

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

/** The summary's retention section, or undefined when retention neither ran nor failed. */
export function retentionLines(...args: Parameters<typeof retentionReport>): string[] | undefined {
  const report = retentionReport(...args)
  return report && retentionSection(report)
}

export function retentionSection(r: RetentionReport): string[] {
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

export function ruleText(rule: RetentionRule): string {
  const days = rule.keepWithinMs !== undefined && rule.keepWithinMs % 86_400_000 === 0 ? `${rule.keepWithinMs / 86_400_000}d` : undefined
  const parts = [
    rule.keepLast === undefined ? '' : `keep_last ${rule.keepLast}`,
    rule.keepWithinMs === undefined ? '' : `keep_within ${days ?? formatDuration(rule.keepWithinMs)}`,
    `names matching ${rule.match}`
  ]
  return parts.filter(Boolean).join(', ')
}

/** Retention never fails the step: what it could not do is a warning each, the snapshot stays the result. */
export function warnAboutRetention(
  outcome: Pick<ClusterResult, 'retention' | 'retentionError'> | undefined,
  describe: (error: unknown) => string,
  log: Log
): void {
  if (outcome?.retentionError !== undefined) log.warning(`Retention did not run, nothing was deleted: ${describe(outcome.retentionError)}`)
  for (const { snapshot, error } of outcome?.retention?.failed ?? []) {
    log.warning(`Could not delete snapshot '${snapshot.name}' (id ${snapshot.id}): ${describe(error)}`)
  }
}
