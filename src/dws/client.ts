/**
 * DwsClient: the DWS calls of one project, over the cloud API. Every answer is read through
 * dws/answers.ts, so nothing unchecked from the network gets past it.
 */
import { UnexpectedAnswerError } from '../cloud/answers.js'
import type { Call, CloudApi } from '../cloud/api.js'
import { UnreadableAnswerError } from '../cloud/errors.js'
import {
  clusterSelection,
  listItems,
  readCluster,
  readCreatedId,
  readJob,
  readJobId,
  readRestoredClusterId,
  readSnapshotDetails,
  readSnapshotFailure,
  readTableCheck,
  snapshotSelection
} from './answers.js'
import { DWS } from './operations.js'
import { readAllPages } from './pager.js'
import type {
  Cluster,
  Job,
  RestoreRequest,
  RetentionApi,
  Snapshot,
  SnapshotApi,
  SnapshotFailure,
  SnapshotSpec,
  TableCheck,
  TableName,
  TableRestoreRequest
} from './types.js'

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
    return this.makes({ operation, method: 'POST', path: 'snapshots', body: { snapshot } }, readCreatedId, 'snapshot id')
  }

  async getSnapshot(id: string): Promise<Snapshot> {
    const operation = DWS.getSnapshot
    const body = await this.call({ operation, method: 'GET', path: `snapshots/${encodeURIComponent(id)}` })
    return readSnapshotDetails(body, operation, this.api.clean)
  }

  async listSnapshots(names?: ReadonlySet<string>): Promise<Snapshot[]> {
    const operation = DWS.listSnapshots
    const wanted = names && new Set([...names].map((name) => name.toLowerCase()))
    const list = snapshotSelection(operation, this.api.clean, wanted)
    return listItems(await this.call({ operation, method: 'GET', path: 'snapshots', list }), list.key, operation)
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
      const list = snapshotSelection(operation, this.api.clean)
      const query = { limit: String(limit), offset: String(offset) }
      return listItems<Snapshot>(await this.call({ operation, method: 'GET', path, query, list }), list.key, operation)
    }, CLUSTER_LIST_PAGE_SIZE)
    return paged.items
  }

  async deleteSnapshot(id: string): Promise<void> {
    await this.call({ operation: DWS.deleteSnapshot, method: 'DELETE', path: `snapshots/${encodeURIComponent(id)}` })
  }

  /** The project's clusters (`GET /v1.0/{project_id}/clusters`), to resolve cluster names. */
  async listClusters(): Promise<Cluster[]> {
    const operation = DWS.listClusters
    const list = clusterSelection(operation, this.api.clean)
    return listItems(await this.call({ operation, method: 'GET', path: 'clusters', list }), list.key, operation)
  }

  /** The failed step and error of the cluster's last snapshot task; this one API lives under /v1, not /v1.0. */
  async getSnapshotFailure(clusterId: string): Promise<SnapshotFailure | undefined> {
    const operation = DWS.getSnapshotTask
    const path = `clusters/${encodeURIComponent(clusterId)}/actions/SNAPSHOTTING_FAILED`
    const body = await this.call({ operation, method: 'GET', path }, 'v1')
    return readSnapshotFailure(body, this.api.clean)
  }

  /**
   * Restores a snapshot into a new cluster; returns its id. Only the fields given are sent, with the
   * names of the SDK's `Restore` model: the service takes the rest from the source cluster. A success
   * whose answer cannot be read throws UnreadableAnswerError: the cluster may exist.
   */
  async restoreCluster(request: RestoreRequest): Promise<string> {
    const operation = DWS.restoreCluster
    const restore: Record<string, unknown> = { name: request.clusterName }
    if (request.subnetId !== undefined) restore.subnet_id = request.subnetId
    if (request.securityGroupId !== undefined) restore.security_group_id = request.securityGroupId
    if (request.vpcId !== undefined) restore.vpc_id = request.vpcId
    if (request.availabilityZone !== undefined) restore.availability_zone = request.availabilityZone
    if (request.port !== undefined) restore.port = request.port
    if (request.publicIp !== undefined) {
      restore.public_ip =
        request.publicIp.bind === 'bind_existing'
          ? { public_bind_type: 'bind_existing', eip_id: request.publicIp.eipId }
          : { public_bind_type: request.publicIp.bind }
    }
    if (request.enterpriseProjectId !== undefined) restore.enterprise_project_id = request.enterpriseProjectId
    const path = `snapshots/${encodeURIComponent(request.snapshotId)}/actions`
    return this.makes({ operation, method: 'POST', path, body: { restore } }, readRestoredClusterId, 'cluster id')
  }

  /** Deletes a cluster and keeps none of its manual snapshots: the copies this action makes are throwaway. */
  async deleteCluster(id: string): Promise<void> {
    const path = `clusters/${encodeURIComponent(id)}`
    await this.call({ operation: DWS.deleteCluster, method: 'DELETE', path, body: { keep_last_manual_snapshot: 0 } })
  }

  /** The service's check of the names a table restore would use; this one API lives under /v1. */
  async checkTableRestore(request: TableRestoreRequest): Promise<TableCheck> {
    const operation = DWS.checkTableNames
    const path = `snapshots/${encodeURIComponent(request.snapshotId)}/table-restore-check`
    const body = await this.call({ operation, method: 'POST', path, body: tableRestoreBody(request) }, 'v1')
    return readTableCheck(body, operation, this.api.clean)
  }

  /** Starts restoring tables into the snapshot's own cluster; returns the job's id. */
  async restoreTables(request: TableRestoreRequest): Promise<string> {
    const operation = DWS.restoreTables
    const path = `snapshots/${encodeURIComponent(request.snapshotId)}/table-restore`
    return this.makes({ operation, method: 'POST', path, body: tableRestoreBody(request) }, readJobId, 'job id', 'v1')
  }

  async getJob(id: string): Promise<Job> {
    const operation = DWS.getJob
    const body = await this.call({ operation, method: 'GET', path: `job/${encodeURIComponent(id)}` })
    return readJob(body, operation, this.api.clean)
  }

  /**
   * A call that makes something, whose answer must carry the new thing's id. A success that cannot
   * be read (not JSON, no valid id) throws UnreadableAnswerError: the thing may exist all the same.
   */
  private async makes(
    call: Omit<Call, 'base' | 'projectId'>,
    readId: (body: unknown) => string | undefined,
    what: string,
    version?: string
  ): Promise<string> {
    let body: unknown
    try {
      body = await this.call(call, version)
    } catch (error) {
      if (error instanceof UnexpectedAnswerError) throw new UnreadableAnswerError(call.operation, 'the body is not JSON')
      throw error
    }
    const id = readId(body)
    if (id === undefined) throw new UnreadableAnswerError(call.operation, `it carries no valid ${what}`)
    return id
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

/** The table restore's body, as the check and the restore both take it. */
function tableRestoreBody(request: TableRestoreRequest): Record<string, unknown> {
  const table = ({ schema, table }: TableName) => ({ schema_name: schema, table_name: table })
  return {
    case_sensitive: request.caseSensitive,
    database: request.database,
    restore_table_list: request.tables.map((t) => table(t.source)),
    target_table_list: request.tables.map((t) => table(t.target))
  }
}
