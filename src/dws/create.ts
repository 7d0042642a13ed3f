/**
 * Getting exactly one snapshot for this step: refuse or reuse one that already has the name (only
 * of the same cluster), create otherwise, keep trying while the cluster is busy, and whenever a
 * create's outcome is unknown look the name up before creating again or giving up, so a retry
 * never makes a second snapshot and a snapshot that was made is never left unnamed.
 */
import { ApiError, failureKind, isClusterBusy } from '../cloud/errors.js'
import { retry, withRetries, type RetryContext, type Verdict } from '../cloud/retry.js'
import { formatDuration, type Clock } from '../kernel/time.js'
import { busyDelayMs, busyNotice, ClusterBusyError, describeClusterState, type BusyPacing } from './busy.js'
import { OnceByName } from './once.js'
import { CLUSTER_OUT_OF_SERVICE, SNAPSHOT_FAILED } from './status.js'
import type { Cluster, Snapshot, SnapshotApi, SnapshotSpec } from './types.js'

export type IfExists = 'fail' | 'reuse'

export interface Obtained {
  id: string
  /** true when this step created it (also when found by name after a lost answer) */
  created: boolean
  /** what was already known about it, when it was found by name */
  found?: Snapshot
}

/** A snapshot with this name exists already (of this cluster) and if_exists is `fail`. */
export class NameTakenError extends Error {
  constructor(readonly existing: Snapshot) {
    super(
      `A snapshot named '${existing.name}' already exists for this cluster (id ${existing.id}, status ${existing.status}` +
        `${existing.started ? `, started ${existing.started}` : ''}); it is not reused because if_exists is 'fail'.`
    )
    this.name = 'NameTakenError'
  }
}

/** Names are unique per project: a same-named snapshot of another cluster blocks the name and is never ours. */
export class NameTakenByOtherClusterError extends Error {
  constructor(
    readonly existing: Snapshot,
    clusterId: string
  ) {
    const owner = existing.clusterId ? `of cluster ${existing.clusterId}` : 'of a cluster the service did not name'
    super(
      `A snapshot named '${existing.name}' already exists ${owner} (id ${existing.id}), not of cluster ${clusterId}. ` +
        'Snapshot names are unique per project, so this name cannot be used for this cluster and that snapshot is not reused.'
    )
    this.name = 'NameTakenByOtherClusterError'
  }
}

/** if_exists: reuse met a snapshot of that name that can never be used. */
export class UnusableSnapshotError extends Error {
  constructor(readonly existing: Snapshot) {
    super(
      `The existing snapshot '${existing.name}' (id ${existing.id}) is ${existing.status}: it cannot be used, so it is not reused. ` +
        'Delete it or change the name template.'
    )
    this.name = 'UnusableSnapshotError'
  }
}

/** The cluster is in a state that cannot take a snapshot at all: waiting would not help. */
export class ClusterStateError extends Error {
  constructor(readonly cluster: Cluster) {
    super(
      `Cluster ${cluster.name ? `${cluster.name} (${cluster.id})` : cluster.id} is ${describeClusterState(cluster)}: ` +
        'a snapshot can only be taken while the cluster is Available, To be restarted or Unbalanced.'
    )
    this.name = 'ClusterStateError'
  }
}

export interface CreateContext extends RetryContext, BusyPacing {
  client: SnapshotApi
  ifExists: IfExists
  /** clock time (ms) after which a busy cluster is no longer waited for */
  deadline: number
  /** the project's snapshots, listed once for all the clusters of a step: the first name check reads them */
  knownSnapshots?: readonly Snapshot[]
}

export async function findByName(client: SnapshotApi, name: string, ctx: RetryContext): Promise<Snapshot | undefined> {
  return snapshotNamed(await withRetries(() => client.listSnapshots(new Set([name])), ctx), name)
}

/** Names are unique without regard to case. */
export function snapshotNamed(snapshots: readonly Snapshot[], name: string): Snapshot | undefined {
  const wanted = name.toLowerCase()
  return snapshots.find((s) => s.name.toLowerCase() === wanted)
}

/** The cluster a snapshot belongs to: the list may leave it out, the details carry it. */
async function withOwner(snapshot: Snapshot, ctx: CreateContext): Promise<Snapshot> {
  if (snapshot.clusterId) return snapshot
  const details = await withRetries(() => ctx.client.getSnapshot(snapshot.id), ctx)
  return { ...snapshot, ...details }
}

export async function obtainSnapshot(spec: SnapshotSpec, ctx: CreateContext): Promise<Obtained> {
  const existing = ctx.knownSnapshots ? snapshotNamed(ctx.knownSnapshots, spec.name) : await findByName(ctx.client, spec.name, ctx)
  if (existing) return reuseOrRefuse(await withOwner(existing, ctx), spec, ctx)
  return createWhenClusterAccepts(spec, ctx)
}

function reuseOrRefuse(existing: Snapshot, spec: SnapshotSpec, ctx: CreateContext): Obtained {
  if (existing.clusterId !== spec.clusterId) throw new NameTakenByOtherClusterError(existing, spec.clusterId)
  if (ctx.ifExists === 'fail') throw new NameTakenError(existing)
  if (SNAPSHOT_FAILED.has(existing.status)) throw new UnusableSnapshotError(existing)
  const age = snapshotAgeMs(existing, ctx.clock)
  ctx.log.info(
    `Reusing the existing snapshot '${existing.name}' (id ${existing.id}, status ${existing.status}` +
      `${age === undefined ? '' : `, taken ${formatDuration(age)} ago`}), as if_exists is 'reuse'.`
  )
  return { id: existing.id, created: false, found: existing }
}

export function snapshotAgeMs(snapshot: Snapshot, clock: Clock): number | undefined {
  const started = snapshot.started ? Date.parse(snapshot.started) : NaN
  return Number.isNaN(started) ? undefined : Math.max(0, clock.now() - started)
}

/**
 * Creates the snapshot, trying again while the cluster answers busy (up to the deadline). After any
 * answer that leaves the outcome unknown, and before giving up or trying again, the name is looked
 * up: a lost create may have made our snapshot (the list can lag behind, so this repeats on every
 * busy answer), or another job may have taken the name.
 */
async function createWhenClusterAccepts(spec: SnapshotSpec, ctx: CreateContext): Promise<Obtained> {
  const { clock, log } = ctx
  const startedAt = clock.now()
  const once = new OnceByName(() => lookUp(spec, ctx), `snapshot named '${spec.name}'`)
  let cluster: Cluster | undefined
  const create = async (): Promise<Obtained> => {
    const id = await withRetries(() => ctx.client.createSnapshot(spec), ctx, {
      beforeRetry: async (lastError) => {
        const found = await once.beforeRetry(lastError)
        return found && (await settleFound(found, spec, ctx, true)).id
      }
    })
    return { id, created: true }
  }
  const judge = async (error: unknown, tries: number): Promise<Verdict<Obtained>> => {
    // Before giving up or trying again: a lost create may have made our snapshot (the list can lag
    // behind, so this repeats on every busy answer), or another job may have taken the name.
    const found = await once.afterFailure(error, mayBeNameConflict(error))
    if (found) return { kind: 'settled', value: await settleFound(found, spec, ctx, once.mayExist) }
    if (!(error instanceof ApiError && isClusterBusy(error))) return { kind: 'give-up', error: once.failure(error) }
    if (tries === 1) cluster = await clusterStateOnBusy(spec.clusterId, ctx)
    const delayMs = busyDelayMs(tries, ctx)
    return {
      kind: 'again',
      delayMs,
      say: busyNotice(error, delayMs, clock.now() - startedAt, cluster),
      pastDeadline: () => once.failure(new ClusterBusyError(error, clock.now() - startedAt, cluster)) as Error
    }
  }
  // A busy answer is not a failed request: the pauses are this loop's, not counted as retries.
  return retry({ run: create, judge }, { clock, log, deadline: ctx.deadline, random: ctx.random })
}

/** A refused create that may mean the name was taken meanwhile (the code for that is undocumented). */
function mayBeNameConflict(error: unknown): boolean {
  return error instanceof ApiError && failureKind(error) === 'permanent' && (error.status === 400 || error.status === 409)
}

/**
 * A same-named snapshot found after a create was tried. `ours`: a create of ours may have made it.
 * Otherwise another job won the race for the name: reuse its snapshot only as if_exists allows.
 */
async function settleFound(found: Snapshot, spec: SnapshotSpec, ctx: CreateContext, ours: boolean): Promise<Obtained> {
  const snapshot = await withOwner(found, ctx)
  if (snapshot.clusterId !== spec.clusterId) throw new NameTakenByOtherClusterError(snapshot, spec.clusterId)
  if (!ours) return reuseOrRefuse(snapshot, spec, ctx)
  ctx.log.info(
    `The lost create did reach the service: adopting snapshot '${snapshot.name}' (id ${snapshot.id}) instead of creating another.`
  )
  return { id: snapshot.id, created: true, found: snapshot }
}

/** The name looked up once; a failing list is not fatal, since the service refuses a second snapshot of one name. */
async function lookUp(spec: SnapshotSpec, ctx: CreateContext): Promise<Snapshot | undefined> {
  try {
    return await findByName(ctx.client, spec.name, ctx)
  } catch (error) {
    ctx.log.warning(`Could not check whether snapshot '${spec.name}' exists (${(error as Error).message}).`)
    return undefined
  }
}

/** What the cluster is doing, to explain a busy answer; fails fast when it can never take a snapshot. */
async function clusterStateOnBusy(clusterId: string, ctx: CreateContext): Promise<Cluster | undefined> {
  let cluster: Cluster
  try {
    cluster = await withRetries(() => ctx.client.getCluster(clusterId), ctx)
  } catch (error) {
    // Reading the cluster needs its own permission; the busy answer stands on its own.
    ctx.log.debug(`Could not read the cluster's state: ${(error as Error).message}`)
    return undefined
  }
  if (cluster.status !== undefined && CLUSTER_OUT_OF_SERVICE.has(cluster.status)) throw new ClusterStateError(cluster)
  return cluster
}
