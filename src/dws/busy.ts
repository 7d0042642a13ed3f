/**
 * A busy cluster: one running another operation (often an automated snapshot) refuses a new one with
 * a "busy" answer, which says the request was not carried out. The action keeps asking, with growing
 * pauses, until the step's deadline; those pauses are not retries of a failed request.
 */
import type { ApiError } from '../cloud/errors.js'
import { formatDuration } from '../kernel/time.js'
import type { Cluster } from './types.js'

export interface BusyPacing {
  /** the longest pause between two tries on a busy cluster */
  busyMaxDelayMs: number
  random?: () => number
}

/** The cluster kept answering "busy" until the step's waiting budget ran out. */
export class ClusterBusyError extends Error {
  constructor(
    readonly last: ApiError,
    waitedMs: number,
    cluster: Cluster | undefined,
    /** what it did not accept, e.g. `the snapshot` */
    refused = 'the snapshot'
  ) {
    super(
      `The cluster stayed busy for ${formatDuration(waitedMs)} and did not accept ${refused}` +
        `${cluster ? ` (it is ${describeClusterState(cluster)})` : ''}; last answer: ${last.message}`
    )
    this.name = 'ClusterBusyError'
  }
}

/** Doubling from 5 s up to busyMaxDelayMs, with the upper half jittered so parallel jobs spread out. */
export function busyDelayMs(tries: number, pacing: BusyPacing): number {
  const ceiling = Math.min(pacing.busyMaxDelayMs, 5000 * 2 ** (tries - 1))
  const random = pacing.random ?? Math.random
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/** What the service said and when the step tries again, for the log. */
export function busyNotice(error: ApiError, delayMs: number, waitedMs: number, cluster?: Cluster): string {
  return (
    `The cluster is busy (${error.errorCode ?? ''}: ${error.errorMsg ?? 'another operation is running'})` +
    `${cluster ? `; it is ${describeClusterState(cluster)}` : ', often with an automated snapshot'}; ` +
    `trying again in ${formatDuration(delayMs)} (waited ${formatDuration(waitedMs)} so far, up to wait_timeout).`
  )
}

export function describeClusterState(cluster: Cluster): string {
  const parts = [cluster.status ?? 'in an unknown state']
  if (cluster.taskStatus) parts.push(`task ${cluster.taskStatus}`)
  if (cluster.subStatus && cluster.subStatus !== 'NORMAL') parts.push(`sub-status ${cluster.subStatus}`)
  return parts.join(', ')
}
