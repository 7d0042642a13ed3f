/** A dry run of one cluster: the read-only checks, and a notice of what a real run would do. */
import { dryRunCluster, type ClusterResult, type DryRunResult } from '../dws/job.js'
import type { Snapshot, SnapshotSpec } from '../dws/types.js'
import type { Log } from '../log.js'
import type { Config } from './inputs.js'

/** One cluster's dry run; its failure is that cluster's, reported like a job's. */
export async function dryRun(
  spec: SnapshotSpec,
  config: Config,
  options: Parameters<typeof dryRunCluster>[2],
  known: readonly Snapshot[],
  log: Log,
  results: Map<string, ClusterResult>,
  dryRuns: Map<string, DryRunResult>
): Promise<void> {
  try {
    const outcome = await dryRunCluster(spec, config.ifExists, options, known)
    dryRuns.set(spec.clusterId, outcome)
    const { cluster, existing } = outcome
    const state = [cluster.status, cluster.taskStatus].filter(Boolean).join(', ')
    log.notice(
      `Dry run: would ${existing ? `reuse snapshot ${existing.id} named` : 'create snapshot'} '${spec.name}' of cluster ` +
        `${cluster.name ? `${cluster.name} ` : ''}(${spec.clusterId}${state ? `, ${state}` : ''}). Nothing was created.`
    )
    results.set(spec.clusterId, { clusterId: spec.clusterId, snapshotName: spec.name })
  } catch (error) {
    results.set(spec.clusterId, { clusterId: spec.clusterId, snapshotName: spec.name, error })
  }
}
