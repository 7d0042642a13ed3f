/**
 * One cluster's job: get exactly one snapshot, wait until it is usable (when asked), and return
 * what happened as a value. A failure is part of the result, beside whatever snapshot exists, so
 * the caller always reports a snapshot that was made.
 */
import { withRetries, type RetryContext } from '../cloud/retry.js'
import { isoSeconds } from '../kernel/time.js'
import {
  findByName,
  NameTakenByOtherClusterError,
  snapshotNamed,
  NameTakenError,
  obtainSnapshot,
  snapshotAgeMs,
  type IfExists
} from './create.js'
import type { PruneOptions, RetentionResult } from './prune.js'
import type { Cluster, RetentionApi, Snapshot, SnapshotApi, SnapshotSpec } from './types.js'
import { SnapshotFailedError, waitUntilUsable } from './wait.js'

/** What retention needs from the run: the rule and how to confirm deletions. */
export type RetentionOptions = Pick<PruneOptions, 'rule'>

export interface ClusterJobOptions extends RetryContext {
  client: SnapshotApi & RetentionApi
  ifExists: IfExists
  wait: boolean
  pollIntervalMs: number
  /** clock time (ms) when all waiting in this step ends */
  deadline: number
  /** the project's snapshots, listed once for the whole step */
  knownSnapshots?: readonly Snapshot[]
  /** called as soon as the snapshot's id is known, so it can be published before any waiting */
  onSnapshotKnown?(result: ClusterResult): void
  /** prune older snapshots once this one is AVAILABLE */
  retention?: RetentionOptions
}

export interface ClusterResult {
  clusterId: string
  snapshotName: string
  snapshotId?: string
  /** true: made by this step; false: an existing one reused */
  created?: boolean
  /** how old a reused snapshot was when found */
  ageMs?: number
  status?: string
  startedAt?: string
  finishedAt?: string
  sizeGb?: number
  /** the cluster's name, read once the snapshot is ready */
  clusterName?: string
  /** what retention planned and did, when it ran */
  retention?: RetentionResult
  /** why retention could not run (the snapshot itself is fine) */
  retentionError?: unknown
  /** what stopped the job, if anything */
  error?: unknown
}

export async function snapshotCluster(spec: SnapshotSpec, options: ClusterJobOptions): Promise<ClusterResult> {
  const result: ClusterResult = { clusterId: spec.clusterId, snapshotName: spec.name }
  try {
    const obtained = await obtainSnapshot(spec, { ...options, busyMaxDelayMs: options.pollIntervalMs })
    result.snapshotId = obtained.id
    result.created = obtained.created
    result.status = 'CREATING'
    if (obtained.found) {
      record(result, obtained.found)
      if (!obtained.created) result.ageMs = snapshotAgeMs(obtained.found, options.clock)
    }
    options.onSnapshotKnown?.(result)
    options.log.info(
      `Snapshot '${spec.name}' (id ${obtained.id}) ${obtained.created ? 'created' : 'reused'} for cluster ${spec.clusterId}.`
    )
    if (options.wait) await waitUsable(obtained.id, spec.clusterId, result, options)
  } catch (error) {
    result.error = error
    return result
  }
  if (result.status === 'AVAILABLE') {
    // Usually read already while waiting for the cluster to leave its snapshot task.
    result.clusterName ??= await clusterName(spec.clusterId, options)
    if (options.retention) await retain(currentOf(result, spec), result, { ...options, ...options.retention, dryRun: false })
  }
  return result
}

/** This run's snapshot as retention sees it. */
function currentOf(result: ClusterResult, spec: SnapshotSpec): Snapshot {
  return {
    id: result.snapshotId ?? '',
    name: spec.name,
    status: result.status ?? 'AVAILABLE',
    clusterId: spec.clusterId,
    started: result.startedAt,
    type: 'MANUAL',
    description: spec.description
  }
}

async function retain(
  current: Snapshot,
  result: { retention?: RetentionResult; retentionError?: unknown },
  options: Omit<PruneOptions, 'clusterId'>
): Promise<void> {
  try {
    // Loaded on the runs that keep snapshots by a rule only.
    const { prune } = await import('./prune.js')
    result.retention = await prune(current, { ...options, clusterId: current.clusterId ?? '' })
  } catch (error) {
    result.retentionError = error
  }
}

/** For the summary; reading the cluster needs its own permission, so a failure only leaves the name out. */
async function clusterName(clusterId: string, options: RetryContext & { client: SnapshotApi }): Promise<string | undefined> {
  try {
    return (await withRetries(() => options.client.getCluster(clusterId), options)).name
  } catch (error) {
    options.log.debug(`Could not read the cluster's name: ${(error as Error).message}`)
    return undefined
  }
}

async function waitUsable(id: string, clusterId: string, result: ClusterResult, options: ClusterJobOptions): Promise<void> {
  try {
    await waitUntilUsable(id, clusterId, {
      ...options,
      onUpdate: (snapshot) => record(result, snapshot),
      onCluster: (cluster) => (result.clusterName = cluster.name ?? result.clusterName)
    })
  } catch (error) {
    if (error instanceof SnapshotFailedError) {
      await explainWithFailedTask(error, clusterId, options)
      await explainWithClusterReasons(error, clusterId, options)
    }
    throw error
  }
}

/** The latest state read of the snapshot; a size only once it has finished. */
function record(result: ClusterResult, snapshot: Snapshot): void {
  result.status = snapshot.status
  result.startedAt = snapshot.started
  result.finishedAt = snapshot.finished
  result.sizeGb = snapshot.finished ? snapshot.size : undefined
}

/** The failed step and its error, from the cluster's SNAPSHOTTING_FAILED task, go into the annotation. */
async function explainWithFailedTask(error: SnapshotFailedError, clusterId: string, options: ClusterJobOptions): Promise<void> {
  const read = options.client.getSnapshotFailure?.bind(options.client)
  if (read === undefined) return
  try {
    const failure = await withRetries(() => read(clusterId), options)
    if (failure === undefined) return
    const step = failure.failedStep ? ` at step ${failure.failedStep}` : ''
    const code = failure.errorCode ? ` (${failure.errorCode})` : ''
    error.message += ` The snapshot task failed${step}${failure.errorMsg ? `: ${failure.errorMsg}` : ''}${code}.`
  } catch (readError) {
    // Like the reasons below: the failure itself is what matters.
    options.log.debug(`Could not read the cluster's failed snapshot task: ${(readError as Error).message}`)
  }
}

async function explainWithClusterReasons(error: SnapshotFailedError, clusterId: string, options: ClusterJobOptions): Promise<void> {
  try {
    const cluster = await withRetries(() => options.client.getCluster(clusterId), options)
    if (cluster.failedReasons !== undefined) error.message += ` The cluster reports: ${cluster.failedReasons}`
  } catch {
    // The failure itself is what matters; the reasons are a bonus.
  }
}

export interface DryRunResult {
  cluster: Cluster
  /** a snapshot of this cluster that already has the name, to be reused */
  existing?: Snapshot
  /** what retention would delete and keep, when asked for */
  retention?: RetentionResult
  retentionError?: unknown
}

/** A dry run of one cluster as a job: its failure is part of the result, like a real job's. */
export async function dryRunJob(
  spec: SnapshotSpec,
  ifExists: IfExists,
  options: Parameters<typeof dryRunCluster>[2],
  knownSnapshots?: readonly Snapshot[]
): Promise<{ result: ClusterResult; outcome?: DryRunResult }> {
  const result: ClusterResult = { clusterId: spec.clusterId, snapshotName: spec.name }
  try {
    return { result, outcome: await dryRunCluster(spec, ifExists, options, knownSnapshots) }
  } catch (error) {
    return { result: { ...result, error } }
  }
}

/**
 * Read-only: proves the credentials, the project and the cluster, and that the name is free (or
 * reusable); with retention, plans it as if the snapshot had just been made.
 */
export async function dryRunCluster(
  spec: SnapshotSpec,
  ifExists: IfExists,
  options: RetryContext & { client: SnapshotApi & RetentionApi; retention?: RetentionOptions },
  knownSnapshots?: readonly Snapshot[]
): Promise<DryRunResult> {
  const cluster = await withRetries(() => options.client.getCluster(spec.clusterId), options)
  const existing = knownSnapshots ? snapshotNamed(knownSnapshots, spec.name) : await findByName(options.client, spec.name, options)
  if (existing?.clusterId !== undefined && existing.clusterId !== spec.clusterId) {
    throw new NameTakenByOtherClusterError(existing, spec.clusterId)
  }
  if (existing && ifExists === 'fail') throw new NameTakenError(existing)
  const result: DryRunResult = { cluster, existing }
  if (options.retention) {
    const started = isoSeconds(options.clock.now())
    const wouldBe: Snapshot = existing ?? { id: '', name: spec.name, status: 'AVAILABLE', started }
    const current = { ...wouldBe, clusterId: spec.clusterId, type: 'MANUAL', description: spec.description }
    await retain(current, result, { ...options, ...options.retention, dryRun: true })
  }
  return result
}
