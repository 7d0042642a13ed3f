/**
 * What a snapshot run tells the runner when it ends, or is cancelled: one error annotation for a
 * failure before the clusters' jobs, one per failed cluster after; warnings for retention; the
 * outputs; the job summary (one cluster's, or a fleet's). Everything is read from the run's state,
 * which the story keeps up to date as it goes.
 */
import type { ClusterResult, DryRunResult } from '../../dws/job.js'
import type { SnapshotSpec } from '../../dws/types.js'
import type { SnapshotConfig } from '../inputs/snapshot.js'
import type { CloudSession } from '../plan/connect.js'
import type { SnapshotPlan } from '../plan/snapshots.js'
import type { WorkflowContext } from '../inputs/template.js'
import type { Reported, Reporter, RunOutcome } from './reporter.js'
import { restoreUses } from './troubleshooting.js'
import { publishFinal, type ClusterReport } from './snapshot-outputs.js'
import { renderSummary, runReport, type RunReport } from './snapshot-summary.js'

/** What a snapshot run knows, phase by phase; what the report and a cancellation read. */
export interface SnapshotRun {
  config?: SnapshotConfig
  workflow?: WorkflowContext
  cloud?: CloudSession
  plan?: SnapshotPlan
  /** each cluster's latest result, kept up to date by its job */
  results: Map<string, ClusterResult>
  dryRuns: Map<string, DryRunResult>
}

export async function reportSnapshotRun(step: Reporter, run: SnapshotRun, failure: unknown): Promise<RunOutcome> {
  const specs = run.plan?.specs ?? []
  const single = specs.length <= 1
  // A failure before the clusters' jobs is the step's one annotation; after, each failed cluster gets its own.
  const stepError = failure === undefined ? undefined : step.annotate(failure)
  const reports = specs.map((spec, i): ClusterReport & { reported?: Reported } => {
    const result = run.results.get(spec.clusterId) ?? { clusterId: spec.clusterId, snapshotName: spec.name }
    const clusterName = run.plan?.targets[i]?.name ?? result.clusterName
    const reported =
      result.error === undefined
        ? undefined
        : step.annotate(result.error, {
            context: { clusterId: spec.clusterId },
            scope: single ? undefined : (clusterName ?? spec.clusterId),
            leftBehind: leftBehind(result)
          })
    return { result, clusterName, error: reported?.message, reported }
  })
  // Loaded on the runs that keep snapshots by a rule only.
  const retention = run.config?.retention ? await import('./retention.js') : undefined
  for (const spec of specs) {
    retention?.warnAboutRetention(run.results.get(spec.clusterId) ?? run.dryRuns.get(spec.clusterId), (e) => step.describe(e), step.log)
  }
  publishFinal(step, reports, run.config?.dryRun ?? false)
  const summary = single
    ? renderSummary(singleReport(step, run, stepError ?? reports[0]?.reported, retention))
    : // Loaded on the runs of several clusters only.
      (await import('./fleet-summary.js')).renderFleetSummary(
        reports.map((r) => ({ result: r.result, clusterName: r.clusterName, error: r.reported ?? stepError })),
        { dryRun: run.config?.dryRun ?? false, elapsedMs: step.elapsedMs(), ...step.stats }
      )
  return {
    failed: stepError !== undefined || reports.some((r) => r.reported),
    summary,
    leftBehind: reports.map((r) => leftBehind(r.result)).join('')
  }
}

/** The runner cancels the job: the snapshots go on on the service. */
export function cancelledSnapshotRun(step: Reporter, run: SnapshotRun, signal: string): { message: string; summary: string } {
  const specs = run.plan?.specs ?? []
  const known = [...run.results.values()]
  const message =
    specs.length > 1
      ? `Cancelled (${signal}): ${known.map((r) => cancelMessage(signal, r.snapshotName, r.snapshotId)).join(' ') || 'no snapshot was requested yet.'}`
      : cancelMessage(signal, specs[0]?.name, known[0]?.snapshotId)
  return { message, summary: renderSummary(singleReport(step, run, { title: 'Cancelled', message, hint: '', help: '' })) }
}

function cancelMessage(signal: string, snapshotName: string | undefined, snapshotId: string | undefined): string {
  if (snapshotId) {
    return `Cancelled (${signal}): snapshot ${snapshotId} ('${snapshotName ?? ''}') continues on the service; it is not deleted.`
  }
  return snapshotName
    ? `Cancelled (${signal}) before a snapshot id was known; if a create was under way, look for a snapshot named '${snapshotName}'.`
    : `Cancelled (${signal}) before any snapshot was requested.`
}

/** The sentence that names the snapshot this step made or reused, for any failure after it exists. */
export function leftBehind(result: ClusterResult | undefined): string {
  if (!result?.snapshotId) return ''
  const what = result.created === false ? 'reused' : 'created'
  return ` Snapshot ${result.snapshotId} ('${result.snapshotName}') was ${what} by this step and still exists on the service.`
}

/** What a dry run found for one cluster, as the notice says it. */
export function dryRunNotice(spec: SnapshotSpec, outcome: DryRunResult): string {
  const { cluster, existing } = outcome
  const state = [cluster.status, cluster.taskStatus].filter(Boolean).join(', ')
  return (
    `Dry run: would ${existing ? `reuse snapshot ${existing.id} named` : 'create snapshot'} '${spec.name}' of cluster ` +
    `${cluster.name ? `${cluster.name} ` : ''}(${spec.clusterId}${state ? `, ${state}` : ''}). Nothing was created.`
  )
}

/** The one-cluster summary's view of the run; its retention section only where `retention` is loaded. */
function singleReport(step: Reporter, run: SnapshotRun, error: RunReport['error'], retention?: typeof import('./retention.js')): RunReport {
  const { config, plan, cloud } = run
  const clusterId = plan?.specs[0]?.clusterId ?? (config?.clusters.by === 'id' ? (config.clusters.ids[0] ?? '') : '')
  const result = run.results.get(clusterId)
  const dryRun = run.dryRuns.get(clusterId)
  return runReport(
    {
      clusterId,
      clusterName: dryRun?.cluster.name ?? plan?.targets[0]?.name,
      region: config?.cloud.region,
      projectId: cloud?.projectId() ?? config?.cloud.projectId,
      endpoint: config?.cloud.dwsEndpoint,
      restoreUses: restoreUses(step.env),
      commit: run.workflow?.sha,
      ref: run.workflow?.refName,
      snapshotName: plan?.specs[0]?.name,
      dryRun: config?.dryRun ?? false,
      elapsedMs: step.elapsedMs(),
      signedIn: cloud?.signedIn(),
      ...step.stats,
      retention:
        config?.retention && retention
          ? retention.retentionLines(
              result?.retention ?? dryRun?.retention,
              result?.retentionError ?? dryRun?.retentionError,
              retention.ruleText(config.retention),
              (e) => step.describe(e)
            )
          : undefined,
      error
    },
    result
  )
}
