/**
 * The restore action, one run: prepare (inputs, checked before any request), sign in, find the
 * snapshot (only an AVAILABLE one), then either restore it into a new cluster (the name checked
 * free first, sent exactly once, the cluster watched until usable) or restore chosen tables into
 * its own cluster (the service's name check first, then the job watched until it ends), then
 * report. With keep: false the new cluster is saved for the post step, which deletes it at the end
 * of the job. The step skeleton (action/step) owns the runner, as for the snapshot action.
 */
import { readCloudConfig } from './action/inputs/cloud.js'
import { readRestoreConfig, type RestoreConfig } from './action/inputs/restore.js'
import { connect, type CloudSession } from './action/plan/connect.js'
import { newClusterName, tableRestoreRequest } from './action/plan/restore.js'
import { readWorkflowContext } from './action/plan/workflow.js'
import type { WorkflowContext } from './action/inputs/template.js'
import { cloudFailureContext } from './action/report/failure.js'
import { describeRestoreFailure } from './action/report/restore-failures.js'
import {
  cancelledRestoreRun,
  publishAccepted,
  reportDeletion,
  reportRestoreRun,
  savedCluster,
  type RestoreRun,
  type SavedCluster
} from './action/report/restore-report.js'
import { runnerIO, type ActionIO } from './action/runner/io.js'
import { runStep, type ActionInfo, type RunOptions, type Step } from './action/step/step.js'
import { asUuid } from './cloud/answers.js'
import { withRetries } from './cloud/retry.js'
import type { DwsClient } from './dws/client.js'
import { deleteClusterAndConfirm, type DeleteOutcome } from './dws/delete-cluster.js'
import { checkClusterNameFree, restoreOnce, snapshotToRestore, waitForCluster } from './dws/restore.js'
import { checkTables, restoreTablesOnce, waitForJob } from './dws/table-restore.js'

export const RESTORE_ACTION: ActionInfo = {
  name: 'DWS restore',
  metadata: new URL('../restore/action.yml', import.meta.url),
  ownFailures: describeRestoreFailure
}

/** Where the main step leaves the cluster for the post step (the runner's state). */
const SAVED_CLUSTER = 'cluster'

/** The post step reads until the deleted cluster is gone: every 15 s, for up to 20 minutes. */
const DELETE_CHECKS = { intervalMs: 15_000, times: 80 }

export async function runRestore(io: ActionIO = runnerIO(), options: RunOptions = {}): Promise<number> {
  const state: RestoreRun = {}
  return runStep(io, RESTORE_ACTION, options, {
    execute: (step) => restore(step, state),
    report: (step, failure) => reportRestoreRun(step, state, failure),
    cancelled: (step, signal) => cancelledRestoreRun(step, state, signal)
  })
}

async function restore(step: Step, state: RestoreRun): Promise<void> {
  // Prepare: everything that can be checked without a request.
  const config = (state.config = readRestoreConfig(step.inputs, step.env))
  Object.assign(step.failureContext, cloudFailureContext(config.cloud))
  const workflow = await readWorkflowContext(step.env)
  const deadline = step.startedAt + config.waitTimeoutMs
  const cloud = (state.cloud = connect(step, config.cloud, {
    deadline,
    workflow,
    clusterId: 'clusterId' in config.snapshot ? config.snapshot.clusterId : '',
    onProject: (projectId) => (step.failureContext.projectId = projectId)
  }))
  if ('clusterId' in config.snapshot) step.failureContext.clusterId = config.snapshot.clusterId
  // The post step learns of the cluster only through the runner's state.
  step.checkResultFiles(config.keep ? ['outputs'] : ['outputs', 'state'])

  // Sign in; the snapshot, which must be AVAILABLE.
  const client = await cloud.client()
  const ctx = { ...cloud.retry, client }
  const snapshot = (state.snapshot = await snapshotToRestore(config.snapshot, ctx))
  step.failureContext.clusterId = snapshot.clusterId
  if (config.newCluster) await restoreIntoNewCluster(step, state, { config, cloud, client, deadline, workflow })
  else await restoreTables(step, state, { config, cloud, client, deadline })
}

interface Phase {
  config: RestoreConfig
  cloud: CloudSession
  client: DwsClient
  deadline: number
}

async function restoreIntoNewCluster(
  step: Step,
  state: RestoreRun,
  { config, cloud, client, deadline, workflow }: Phase & { workflow: WorkflowContext }
): Promise<void> {
  const snapshot = state.snapshot
  if (!snapshot || !config.newCluster) return
  const ctx = { ...cloud.retry, client }
  const clusters = await withRetries(() => client.listClusters(), cloud.retry)
  const source = { id: snapshot.clusterId ?? '', name: clusters.find((c) => c.id === snapshot.clusterId)?.name }
  const name = (state.clusterName = newClusterName(
    config.newCluster.nameTemplate,
    snapshot,
    source,
    workflow,
    new Date(step.clock.now()),
    step.log
  ))
  checkClusterNameFree(name, clusters)
  if (config.dryRun) {
    step.log.notice(
      `Dry run: would restore snapshot '${snapshot.name}' (id ${snapshot.id}) into a new cluster named '${name}'. Nothing was restored.`
    )
    return
  }
  state.restored = await restoreOnce({ snapshotId: snapshot.id, clusterName: name, ...config.newCluster.settings }, ctx)
  state.acceptedAt = step.clock.now()
  step.log.info(`Restoring snapshot '${snapshot.name}' into cluster '${name}' (id ${state.restored.clusterId}).`)
  const saved = savedCluster(state)
  if (saved) step.io.saveState(SAVED_CLUSTER, JSON.stringify(saved))
  publishAccepted(step, state)
  if (!config.wait) return
  Object.assign(step.failureContext, { clusterId: state.restored.clusterId, clusterRestored: true })
  state.cluster = await waitForCluster(state.restored.clusterId, {
    ...ctx,
    pollIntervalMs: config.pollIntervalMs,
    deadline,
    onUpdate: (cluster) => (state.cluster = cluster)
  })
  state.doneAt = step.clock.now()
}

async function restoreTables(step: Step, state: RestoreRun, { config, cloud, client, deadline }: Phase): Promise<void> {
  const snapshot = state.snapshot
  if (!snapshot || !config.tables) return
  const ctx = { ...cloud.retry, client }
  const request = (state.tables = tableRestoreRequest(snapshot, config.tables))
  // The snapshot's own cluster, for its state and the summary; reading it needs its own permission.
  state.cluster = await withRetries(() => client.getCluster(snapshot.clusterId ?? ''), cloud.retry).catch(() => undefined)
  await checkTables(request, state.cluster, ctx)
  if (config.dryRun) {
    step.log.notice(`Dry run: the service accepts the table names; would restore ${request.tables.length} table(s). Nothing was restored.`)
    return
  }
  const jobId = await restoreTablesOnce(request, { ...ctx, busyMaxDelayMs: config.pollIntervalMs })
  state.job = { id: jobId, status: 'INIT' }
  state.acceptedAt = step.clock.now()
  step.log.info(`Restoring ${request.tables.length} table(s) of snapshot '${snapshot.name}': job ${jobId}.`)
  publishAccepted(step, state)
  if (!config.wait) return
  state.job = await waitForJob(jobId, { ...ctx, pollIntervalMs: config.pollIntervalMs, deadline, onUpdate: (job) => (state.job = job) })
  state.doneAt = step.clock.now()
}

/**
 * The post step, at the end of the job whatever happened: deletes the cluster the main step saved
 * (made by it, never adopted, and only while it still has its name), confirmed by reading until it
 * is gone. Without a saved cluster it does nothing.
 */
export async function runRestorePost(io: ActionIO = runnerIO(), options: RunOptions = {}): Promise<number> {
  let cluster: SavedCluster | undefined
  let outcome: DeleteOutcome | undefined
  return runStep(io, RESTORE_ACTION, options, {
    execute: async (step) => {
      cluster = readSavedCluster(io.getState(SAVED_CLUSTER))
      if (cluster === undefined) {
        step.log.info('No cluster of this step to delete.')
        return
      }
      if (cluster.adopted) {
        step.io.warning(
          `Cluster '${cluster.name}' (id ${cluster.id}) was found by name after a lost answer, so this step cannot prove it made it: it is not deleted. Delete it in the DWS console if it is the copy.`,
          step.title('Cluster not deleted')
        )
        return
      }
      // Only where and as whom: the other inputs were the main step's business.
      const config = readCloudConfig(step.inputs, step.env)
      Object.assign(step.failureContext, cloudFailureContext(config), { clusterId: cluster.id, clusterRestored: true })
      const deadline = step.startedAt + DELETE_CHECKS.intervalMs * DELETE_CHECKS.times
      const cloud = connect(step, config, { deadline, workflow: await readWorkflowContext(step.env), clusterId: cluster.id })
      const client = await cloud.client()
      outcome = await deleteClusterAndConfirm(cluster, DELETE_CHECKS, { ...cloud.retry, client })
      step.log.info(`Cluster '${cluster.name}' (id ${cluster.id}) ${outcome === 'deleted' ? 'deleted' : 'was already gone'}.`)
    },
    report: (step, failure) => reportDeletion(step, { cluster, outcome }, failure),
    cancelled: (_step, signal) => ({ message: `Cancelled (${signal}) while deleting the preview cluster.`, summary: '' })
  })
}

/** The cluster the main step saved; anything else in the state is not trusted to delete by. */
function readSavedCluster(text: string): SavedCluster | undefined {
  let saved: Partial<SavedCluster> | null
  try {
    saved = text ? (JSON.parse(text) as Partial<SavedCluster> | null) : null
  } catch {
    return undefined
  }
  const id = asUuid(saved?.id)
  if (id === undefined || typeof saved?.name !== 'string' || typeof saved.adopted !== 'boolean') return undefined
  return { id, name: saved.name, adopted: saved.adopted }
}
