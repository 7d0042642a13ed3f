/**
 * Getting exactly one snapshot for this step: refuse or reuse one that already has the name,
 * create otherwise, keep trying while the cluster is busy, and after an answer that was lost
 * look the name up before creating again, so a retry never makes a second snapshot.
 */
import type { Clock } from './clock.js'
import type { DwsClient, Snapshot } from './dws-client.js'
import { formatDuration } from './duration.js'
import { ApiError, failureKind, outcomeUnknown } from './errors.js'
import type { IfExists } from './config.js'
import type { Log } from './log.js'
import { withRetries, type RetryContext } from './retry.js'

export interface SnapshotSpec {
  name: string
  clusterId: string
  description: string
}

export interface Obtained {
  id: string
  /** true when this step created it (also when found by name after a lost answer) */
  created: boolean
  /** what was already known about it, when it was found by name */
  found?: Snapshot
}

/** A snapshot with this name exists already and if_exists is `fail`. */
export class NameTakenError extends Error {
  constructor(readonly existing: Snapshot) {
    super(
      `A snapshot named '${existing.name}' already exists (id ${existing.id}, status ${existing.status}` +
        `${existing.started ? `, started ${existing.started}` : ''}); it is not reused because if_exists is 'fail'.`
    )
    this.name = 'NameTakenError'
  }
}

/** The cluster kept answering "busy" until the step's waiting budget ran out. */
export class ClusterBusyError extends Error {
  constructor(
    readonly last: ApiError,
    waitedMs: number
  ) {
    super(`The cluster stayed busy for ${formatDuration(waitedMs)} and did not accept the snapshot; last answer: ${last.message}`)
    this.name = 'ClusterBusyError'
  }
}

export interface CreateContext extends RetryContext {
  client: DwsClient
  ifExists: IfExists
  /** clock time (ms) after which a busy cluster is no longer waited for */
  deadline: number
  /** the longest pause between two tries on a busy cluster */
  busyMaxDelayMs: number
}

/** Names are unique without regard to case. */
export async function findByName(client: DwsClient, name: string, ctx: RetryContext): Promise<Snapshot | undefined> {
  const wanted = name.toLowerCase()
  const all = await withRetries(() => client.listSnapshots(), ctx)
  return all.find((s) => s.name.toLowerCase() === wanted)
}

export async function obtainSnapshot(spec: SnapshotSpec, ctx: CreateContext): Promise<Obtained> {
  const existing = await findByName(ctx.client, spec.name, ctx)
  if (existing) {
    if (ctx.ifExists === 'fail') throw new NameTakenError(existing)
    ctx.log.info(`Reusing the existing snapshot '${existing.name}' (id ${existing.id}, status ${existing.status}), as if_exists is 'reuse'.`)
    return { id: existing.id, created: false, found: existing }
  }
  return createWhenClusterAccepts(spec, ctx)
}

async function createWhenClusterAccepts(spec: SnapshotSpec, ctx: CreateContext): Promise<Obtained> {
  const { clock, log } = ctx
  const startedAt = clock.now()
  let mayExist = false
  for (let busyTries = 1; ; busyTries++) {
    try {
      const id = await withRetries(
        () => ctx.client.createSnapshot(spec),
        ctx,
        async (lastError) => {
          if (!outcomeUnknown(lastError)) return undefined
          mayExist = true
          return adoptIfPresent(spec, ctx)
        }
      )
      return { id, created: true }
    } catch (error) {
      // The last create may have gone through although its answer was lost, and a retry then
      // fails on the taken name: that snapshot is ours.
      if (mayExist && failureKind(error) === 'permanent') {
        const adopted = await adoptIfPresent(spec, ctx)
        if (adopted) return { id: adopted, created: true }
      }
      if (!(error instanceof ApiError) || failureKind(error) !== 'busy') throw error
      const delay = busyDelayMs(busyTries, ctx)
      if (clock.now() + delay > ctx.deadline) throw new ClusterBusyError(error, clock.now() - startedAt)
      log.info(
        `The cluster is busy (${error.errorCode}: ${error.errorMsg ?? 'another operation is running'}), often with an automated snapshot; ` +
          `trying again in ${formatDuration(delay)} (waited ${formatDuration(clock.now() - startedAt)} so far, up to wait_timeout).`
      )
      await clock.sleep(delay)
    }
  }
}

/** Doubling from 5 s up to the poll interval, with the upper half jittered so parallel jobs spread out. */
function busyDelayMs(tries: number, ctx: CreateContext): number {
  const ceiling = Math.min(ctx.busyMaxDelayMs, 5000 * 2 ** (tries - 1))
  const random = ctx.random ?? Math.random
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

async function adoptIfPresent(spec: SnapshotSpec, ctx: CreateContext): Promise<string | undefined> {
  try {
    const found = await findByName(ctx.client, spec.name, ctx)
    if (found) {
      ctx.log.info(`The lost create did reach the service: adopting snapshot '${found.name}' (id ${found.id}) instead of creating another.`)
      return found.id
    }
    return undefined
  } catch (error) {
    // Creating again is still safe: the service refuses a second snapshot of the same name.
    ctx.log.warning(`Could not check whether the snapshot exists after a lost answer (${(error as Error).message}); trying the create again.`)
    return undefined
  }
}
