/** What the run says about retention: the options it runs with, the rule in words, and warnings for what it could not do. */
import type { ClusterResult, RetentionOptions } from '../dws/job.js'
import type { RetentionRule } from '../dws/retention.js'
import type { Log } from '../log.js'
import { formatDuration } from '../time.js'

/** Deletions are confirmed by reading the snapshot every 5 s, for up to a minute each. */
export function retentionOptions(rule: RetentionRule | undefined): RetentionOptions | undefined {
  return rule && { rule, verifyIntervalMs: 5000, verifyChecks: 12 }
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
