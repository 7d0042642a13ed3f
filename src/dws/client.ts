/**
 * DwsClient: the DWS calls of one project, over the cloud API. Every answer is read through
 * dws/answers.ts, so nothing unchecked from the network gets past it.
 */
import { UnexpectedAnswerError } from '../cloud/answers.js'
import type { Call, CloudApi } from '../cloud/api.js'
import { UnreadableAnswerError } from '../cloud/errors.js'
import { readCluster, readClusterList, readCreatedId, readSnapshotDetails, readSnapshotFailure, readSnapshotList } from './answers.js'
import { DWS } from './operations.js'
import { readAllPages } from './pager.js'
import type { Cluster, RetentionApi, Snapshot, SnapshotApi, SnapshotFailure, SnapshotSpec } from './types.js'

/** Snapshots asked for per page of the cluster's list: one request for all but the busiest clusters. */
const CLUSTER_LIST_PAGE_SIZE = 100

export class DwsClient implements SnapshotApi, RetentionApi {
  constructor(
    private readonly api: CloudApi,
    private readonly endpoint: URL,
    private readonly projectId: string
  ) {}

  /**
   * Returns the new snapshot's id. A success whose answer cannot be read throws
   * UnreadableAnswerError: the snapshot may exist, so the caller looks it up by name.
   */
  async createSnapshot(spec: SnapshotSpec): Promise<string> {
    const operation = DWS.createSnapshot
    const snapshot: Record<string, string> = { name: spec.name, cluster_id: spec.clusterId }
    if (spec.description) snapshot.description = spec.description
    let body: unknown
    try {
      body = await this.call({ operation, method: 'POST', path: 'snapshots', body: { snapshot } })
    } catch (error) {
      if (error instanceof UnexpectedAnswerError) throw new UnreadableAnswerError(operation, 'the body is not JSON')
      throw error
    }
    const id = readCreatedId(body)
    if (id === undefined) throw new UnreadableAnswerError(operation, 'it carries no valid snapshot id')
    return id
  }

  async getSnapshot(id: string): Promise<Snapshot> {
    const operation = DWS.getSnapshot
    const body = await this.call({ operation, method: 'GET', path: `snapshots/${encodeURIComponent(id)}` })
    return readSnapshotDetails(body, operation, this.api.clean)
  }

  async listSnapshots(named?: string): Promise<Snapshot[]> {
    const operation = DWS.listSnapshots
    const body = await this.call({ operation, method: 'GET', path: 'snapshots' })
    return readSnapshotList(body, operation, this.api.clean, named)
  }

  async getCluster(id: string): Promise<Cluster> {
    const operation = DWS.getCluster
    const body = await this.call({ operation, method: 'GET', path: `clusters/${encodeURIComponent(id)}` })
    return readCluster(body, operation, this.api.clean)
  }

  async listClusterSnapshots(clusterId: string): Promise<Snapshot[]> {
    const operation = DWS.listClusterSnapshots
    const path = `clusters/${encodeURIComponent(clusterId)}/snapshots`
    const paged = await readAllPages(async (limit, offset) => {
      const body = await this.call({ operation, method: 'GET', path, query: { limit: String(limit), offset: String(offset) } })
      return readSnapshotList(body, operation, this.api.clean)
    }, CLUSTER_LIST_PAGE_SIZE)
    return paged.items
  }

  async deleteSnapshot(id: string): Promise<void> {
    await this.call({ operation: DWS.deleteSnapshot, method: 'DELETE', path: `snapshots/${encodeURIComponent(id)}` })
  }

  /** The project's clusters (`GET /v1.0/{project_id}/clusters`), to resolve cluster names. */
  async listClusters(): Promise<Cluster[]> {
    const operation = DWS.listClusters
    const body = await this.call({ operation, method: 'GET', path: 'clusters' })
    return readClusterList(body, operation, this.api.clean)
  }

  /** The failed step and error of the cluster's last snapshot task; this one API lives under /v1, not /v1.0. */
  async getSnapshotFailure(clusterId: string): Promise<SnapshotFailure | undefined> {
    const operation = DWS.getSnapshotTask
    const path = `clusters/${encodeURIComponent(clusterId)}/actions/SNAPSHOTTING_FAILED`
    const body = await this.call({ operation, method: 'GET', path }, 'v1')
    return readSnapshotFailure(body, this.api.clean)
  }

  private call(call: Omit<Call, 'base' | 'projectId'>, version = 'v1.0'): Promise<unknown> {
    return this.api.call({
      ...call,
      base: this.endpoint,
      path: `/${version}/${encodeURIComponent(this.projectId)}/${call.path}`,
      projectId: this.projectId
    })
  }
}
