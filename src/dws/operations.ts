/**
 * The DWS calls the action makes, each with the name its messages and annotation titles use, the
 * identity-policy action it needs, and whether it is addressed to one cluster. The titles, the hint
 * of a 403 and the sections of docs/TROUBLESHOOTING.md are all read from this table.
 */
import type { Operation } from '../cloud/operation.js'

export const DWS = {
  createSnapshot: { name: 'Create snapshot', permission: 'dws:cluster:createSnapshot', clusterCall: true },
  listSnapshots: { name: 'List snapshots', permission: 'dws:cluster:listSnapshot' },
  getSnapshot: { name: 'Get snapshot', permission: 'dws:cluster:getSnapshotDetail' },
  getCluster: { name: 'Get cluster', permission: 'dws:cluster:getDetail', clusterCall: true },
  // The permission of the task read is an assumption: the API page names none.
  getSnapshotTask: { name: 'Get snapshot task', permission: 'dws:cluster:getDetail' },
  listClusters: { name: 'List clusters', permission: 'dws:cluster:list' },
  listClusterSnapshots: { name: 'List cluster snapshots', permission: 'dws:cluster:listSnapshot' },
  deleteSnapshot: { name: 'Delete snapshot', permission: 'dws:cluster:deleteSnapshot' }
} as const satisfies Record<string, Operation>

export const DWS_OPERATIONS: readonly Operation[] = Object.values(DWS)
