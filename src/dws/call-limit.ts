/**
 * At most `max_parallel` DWS calls in flight for the whole step. The clusters' jobs all run at once
 * (their waits cost nothing), so a fleet takes about as long as one cluster; only their requests queue.
 */
import type { RetentionApi, SnapshotApi } from './types.js'

export class Semaphore {
  private active = 0
  private readonly waiting: (() => void)[] = []

  constructor(private readonly limit: number) {}

  async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve))
    else this.active++
    try {
      return await call()
    } finally {
      // Hand the slot straight to the next in line, or free it.
      const next = this.waiting.shift()
      if (next) next()
      else this.active--
    }
  }
}

/** The same calls, each taking a slot of the semaphore while it is in flight. */
export function limitCalls(api: SnapshotApi & RetentionApi, semaphore: Semaphore): SnapshotApi & RetentionApi {
  return {
    createSnapshot: (spec) => semaphore.run(() => api.createSnapshot(spec)),
    getSnapshot: (id) => semaphore.run(() => api.getSnapshot(id)),
    listSnapshots: (names) => semaphore.run(() => api.listSnapshots(names)),
    getCluster: (id) => semaphore.run(() => api.getCluster(id)),
    listClusterSnapshots: (clusterId) => semaphore.run(() => api.listClusterSnapshots(clusterId)),
    deleteSnapshot: (id) => semaphore.run(() => api.deleteSnapshot(id)),
    getSnapshotFailure: (clusterId) => semaphore.run(() => api.getSnapshotFailure?.(clusterId) ?? Promise.resolve(undefined))
  }
}
