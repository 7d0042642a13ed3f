/**
 * The snapshot action, one run: prepare (inputs → the clusters and their snapshot names, checked
 * before any request), sign in, take every cluster's snapshot at once with at most max_parallel
 * calls in flight (exactly one snapshot each, waited for until usable, older ones pruned), then
 * report. The step skeleton (action/step) owns the runner: secrets, log, cancellation, the failure
 * annotation, the summary and the exit code. Everything it touches of the runner goes through the
 * ActionIO port, so the whole run can be tested in-process.
 */
import { readSnapshotConfig } from './action/inputs/snapshot.js'
import { connect } from './action/plan/connect.js'
import { nameTheClusters, planSnapshots } from './action/plan/snapshots.js'
import { readWorkflowContext } from './action/plan/workflow.js'
import { cloudFailureContext } from './action/report/failure.js'
import { publishName, publishSnapshot } from './action/report/snapshot-outputs.js'
import { cancelledSnapshotRun, dryRunNotice, reportSnapshotRun, type SnapshotRun } from './action/report/snapshot-report.js'
import { runnerIO, type ActionIO } from './action/runner/io.js'
import { runStep, type RunOptions, type Step } from './action/step/step.js'
import { withRetries } from './cloud/retry.js'
import { limitCalls, Semaphore } from './dws/call-limit.js'
import { dryRunJob, snapshotCluster } from './dws/job.js'
import type { SnapshotSpec } from './dws/types.js'

export type { RunOptions } from './action/step/step.js'

export const SNAPSHOT_ACTION = { name: 'DWS snapshot', metadata: new URL('../action.yml', import.meta.url) }

/** Runs the action and sets (and returns) the exit code; called without arguments, it talks to the runner through @actions/core. */
export async function run(io: ActionIO = runnerIO(), options: RunOptions = {}): Promise<number> {
  const state: SnapshotRun = { results: new Map(), dryRuns: new Map() }
  return runStep(io, SNAPSHOT_ACTION, options, {
    execute: (step) => takeSnapshots(step, state),
    report: (step, failure) => reportSnapshotRun(step, state, failure),
    cancelled: (step, signal) => cancelledSnapshotRun(step, state, signal)
  })
}

async function takeSnapshots(step: Step, state: SnapshotRun): Promise<void> {
  // Prepare: everything that can be checked without a request.
  const config = (state.config = readSnapshotConfig(step.inputs, step.env))
  const firstId = config.clusters.by === 'id' ? config.clusters.ids[0] : undefined
  Object.assign(step.failureContext, cloudFailureContext(config.cloud), { clusterId: firstId })
  const workflow = (state.workflow = await readWorkflowContext(step.env))
  // One budget for all waiting in this step.
  const deadline = step.startedAt + config.waitTimeoutMs
  const cloud = (state.cloud = connect(step, config.cloud, {
    deadline,
    workflow,
    clusterId: firstId ?? '',
    onProject: (projectId) => (step.failureContext.projectId = projectId)
  }))
  const listClusters = async () => {
    const client = await cloud.client()
    return withRetries(() => client.listClusters(), cloud.retry)
  }
  const plan = (state.plan = await planSnapshots(config, workflow, step.clock, step.log, listClusters))
  const single = plan.specs.length === 1
  publishName(
    step,
    plan.specs.map((spec) => spec.name)
  )
  step.checkResultFiles(['outputs'])

  // Sign in, then one listing of the project's snapshots for every cluster's name check: only the
  // snapshots of this run's names are kept as it streams in (a project may hold tens of thousands).
  const client = limitCalls(await cloud.client(), new Semaphore(config.maxParallel))
  const names = new Set(plan.specs.map((spec) => spec.name))
  const known = await withRetries(() => client.listSnapshots(names), cloud.retry)

  // Every cluster's job at once: exactly one snapshot each, waited for, then retention.
  const retention = config.retention && { rule: config.retention }
  const jobOptions = { ...cloud.retry, client, retention, deadline }
  const runCluster = async (spec: SnapshotSpec): Promise<void> => {
    if (config.dryRun) {
      const { result, outcome } = await dryRunJob(spec, config.ifExists, jobOptions, known)
      if (outcome) state.dryRuns.set(spec.clusterId, outcome)
      if (outcome) step.log.notice(dryRunNotice(spec, outcome))
      state.results.set(spec.clusterId, result)
      return
    }
    const result = await snapshotCluster(spec, {
      ...jobOptions,
      ifExists: config.ifExists,
      wait: config.wait,
      pollIntervalMs: config.pollIntervalMs,
      knownSnapshots: known,
      onSnapshotKnown: (found) => {
        state.results.set(spec.clusterId, found)
        publishSnapshot(step, found, single)
      }
    })
    state.results.set(spec.clusterId, result)
  }
  await Promise.all(plan.specs.map(runCluster))
  await nameTheClusters(plan, (id) => state.results.get(id)?.clusterName, listClusters, step.log)
}
