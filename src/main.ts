/**
 * The story of one run: read the inputs → build the name → resolve the project → get exactly one
 * snapshot → wait until it is usable → outputs and summary. The only module that talks to the
 * runner (@actions/core) and decides the exit code.
 */
import { appendFileSync } from 'node:fs'
import * as core from '@actions/core'
import { systemClock, type Clock } from './clock.js'
import { readConfig, secretsOf, type Config } from './config.js'
import { findByName, NameTakenError, obtainSnapshot } from './create.js'
import { DwsClient, type Snapshot } from './dws-client.js'
import { describeFailure } from './failure.js'
import type { Log } from './log.js'
import { redactor, type Redact } from './redact.js'
import { DEFAULT_BACKOFF, withRetries, type RetryContext } from './retry.js'
import { renderSummary, type RunReport } from './summary.js'
import { expandTemplate, toDescription, toSnapshotName, tokenValues } from './template.js'
import { createTransport, type Transport } from './transport.js'
import { USER_AGENT } from './version.js'
import { SnapshotFailedError, waitUntilUsable } from './wait.js'
import { readWorkflowContext } from './workflow-context.js'

export interface RunOptions {
  clock?: Clock
  env?: Record<string, string | undefined>
  transport?: Transport
  random?: () => number
}

export async function run(options: RunOptions = {}): Promise<void> {
  const clock = options.clock ?? systemClock
  const env = options.env ?? process.env
  const startedAt = clock.now()
  let redact: Redact = (text) => text
  const log: Log = {
    info: (m) => core.info(redact(m)),
    notice: (m) => core.notice(redact(m)),
    warning: (m) => core.warning(redact(m)),
    debug: (m) => core.debug(redact(m))
  }
  const report: RunReport = { clusterId: '', dryRun: false, elapsedMs: 0, requests: 0, retries: 0 }
  const stats = { requests: 0, retries: 0 }
  const stopWatchingCancel = onCancel((signal) => {
    log.info(cancelMessage(signal, report))
    writeSummarySync(env, redact, { ...report, error: { title: 'Cancelled', message: cancelMessage(signal, report), hint: '' } })
  })

  try {
    const config = readConfig((name) => core.getInput(name), env)
    report.clusterId = config.clusterId
    report.dryRun = config.dryRun
    const secrets = secretsOf(config.credentials)
    for (const secret of secrets) core.setSecret(secret)
    redact = redactor(secrets)

    const spec = await buildSnapshotSpec(config, env, clock, log)
    report.snapshotName = spec.name
    core.setOutput('snapshot_name', spec.name)

    const client = new DwsClient({
      dwsEndpoint: config.dwsEndpoint,
      iamEndpoint: config.iamEndpoint,
      credentials: config.credentials,
      userAgent: USER_AGENT,
      requestTimeoutMs: config.requestTimeoutMs,
      transport: options.transport ?? createTransport(USER_AGENT),
      now: () => new Date(clock.now())
    })
    const retry: RetryContext = {
      policy: { ...DEFAULT_BACKOFF, maxAttempts: config.maxAttempts },
      clock,
      log,
      stats,
      random: options.random
    }
    const projectId = config.projectId ?? (await withRetries(() => client.lookupProjectId(config.region!), retry))
    if (!config.projectId) log.info(`Project of region ${config.region}: ${projectId}`)
    client.useProject(projectId)

    if (config.dryRun) {
      await dryRun(client, config, spec.name, retry, log)
      core.setOutput('created', 'false')
      return
    }

    // One budget for all waiting in this step: a busy cluster, then the snapshot being built.
    const deadline = startedAt + config.waitTimeoutMs
    const obtained = await obtainSnapshot(spec, {
      ...retry,
      client,
      ifExists: config.ifExists,
      deadline,
      busyMaxDelayMs: config.pollIntervalMs
    })
    // Published before waiting, so an `if: always()` step has them whatever happens next.
    report.snapshotId = obtained.id
    report.created = obtained.created
    report.status = 'CREATING'
    if (obtained.found) applySnapshot(report, obtained.found)
    core.setOutput('snapshot_id', obtained.id)
    core.setOutput('created', String(obtained.created))
    log.info(`Snapshot '${spec.name}' (id ${obtained.id}) ${obtained.created ? 'created' : 'reused'} for cluster ${config.clusterId}.`)

    if (config.wait) {
      try {
        await waitUntilUsable(obtained.id, {
          ...retry,
          client,
          pollIntervalMs: config.pollIntervalMs,
          deadline,
          onUpdate: (snapshot) => applySnapshot(report, snapshot)
        })
      } catch (error) {
        if (error instanceof SnapshotFailedError) await explainWithClusterReasons(error, client, config.clusterId, retry)
        throw error
      }
    }
  } catch (error) {
    const failure = describeFailure(error)
    report.error = { title: failure.title, message: redact(failure.message), hint: redact(failure.hint) }
    const text = failure.hint ? `${failure.message}\nHint: ${failure.hint}` : failure.message
    core.error(redact(text), { title: failure.title })
    if (!failure.expected || core.isDebug() || env.ACTIONS_STEP_DEBUG === 'true') {
      core.debug(redact(error instanceof Error && error.stack ? error.stack : String(error)))
    }
    process.exitCode = 1
  } finally {
    stopWatchingCancel()
    report.elapsedMs = clock.now() - startedAt
    report.requests = stats.requests
    report.retries = stats.retries
    try {
      setResultOutputs(report)
    } catch (error) {
      // A broken GITHUB_OUTPUT must not hide the run's own result.
      log.warning(`Could not set the outputs: ${(error as Error).message}`)
      process.exitCode = 1
    }
    await writeSummary(report, redact, log)
  }
}

async function buildSnapshotSpec(
  config: Config,
  env: Record<string, string | undefined>,
  clock: Clock,
  log: Log
): Promise<{ name: string; clusterId: string; description: string }> {
  const values = tokenValues(await readWorkflowContext(env), config.clusterId, new Date(clock.now()))
  const expandedName = expandTemplate(config.nameTemplate, values, 'name')
  const name = toSnapshotName(expandedName)
  if (name.changes.length > 0) {
    log.notice(`Snapshot name '${expandedName}' was made valid as '${name.value}': ${name.changes.join('; ')}.`)
  }
  const description = toDescription(expandTemplate(config.descriptionTemplate, values, 'description'))
  if (description.changes.length > 0) log.notice(`Snapshot description changed: ${description.changes.join('; ')}.`)
  return { name: name.value, clusterId: config.clusterId, description: description.value }
}

/** Read-only: proves the credentials, the project and the cluster, and that the name is free. */
async function dryRun(client: DwsClient, config: Config, name: string, retry: RetryContext, log: Log): Promise<void> {
  const cluster = await withRetries(() => client.getCluster(config.clusterId), retry)
  const existing = await findByName(client, name, retry)
  if (existing && config.ifExists === 'fail') throw new NameTakenError(existing)
  const state = [cluster.status, cluster.taskStatus].filter(Boolean).join(', ')
  log.notice(
    `Dry run: would ${existing ? `reuse snapshot ${existing.id} named` : 'create snapshot'} '${name}' of cluster ` +
      `${cluster.name ? `${cluster.name} ` : ''}(${config.clusterId}${state ? `, ${state}` : ''}). Nothing was created.`
  )
}

async function explainWithClusterReasons(
  error: SnapshotFailedError,
  client: DwsClient,
  clusterId: string,
  retry: RetryContext
): Promise<void> {
  try {
    const cluster = await withRetries(() => client.getCluster(clusterId), retry)
    if (cluster.failedReasons !== undefined && cluster.failedReasons !== null) {
      error.message += ` The cluster reports: ${JSON.stringify(cluster.failedReasons)}`
    }
  } catch {
    // The failure itself is what matters; the reasons are a bonus.
  }
}

function applySnapshot(report: RunReport, snapshot: Snapshot): void {
  report.status = snapshot.status
  report.startedAt = snapshot.started
  report.finishedAt = snapshot.finished
  report.sizeGb = snapshot.finished ? snapshot.size : undefined
}

function setResultOutputs(report: RunReport): void {
  core.setOutput('status', report.status ?? '')
  core.setOutput('started_at', report.startedAt ?? '')
  core.setOutput('finished_at', report.finishedAt ?? '')
  core.setOutput('size_gb', report.sizeGb === undefined ? '' : String(report.sizeGb))
  const seconds =
    report.startedAt && report.finishedAt ? (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000 : NaN
  core.setOutput('duration_seconds', Number.isFinite(seconds) && seconds >= 0 ? String(Math.round(seconds)) : '')
}

async function writeSummary(report: RunReport, redact: Redact, log: Log): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addRaw(redact(renderSummary(report))).write()
  } catch (error) {
    log.warning(`Could not write the job summary: ${(error as Error).message}`)
  }
}

function writeSummarySync(env: Record<string, string | undefined>, redact: Redact, report: RunReport): void {
  const file = env.GITHUB_STEP_SUMMARY
  if (file) appendFileSync(file, redact(renderSummary(report)))
}

function cancelMessage(signal: string, report: RunReport): string {
  if (report.snapshotId) {
    return `Cancelled (${signal}): snapshot ${report.snapshotId} ('${report.snapshotName}') continues on the service; it is not deleted.`
  }
  return report.snapshotName
    ? `Cancelled (${signal}) before a snapshot id was known; if a create was under way, look for a snapshot named '${report.snapshotName}'.`
    : `Cancelled (${signal}) before any snapshot was requested.`
}

/** The runner cancels a job with SIGINT, then SIGTERM: say what is left behind, then exit. */
function onCancel(handler: (signal: string) => void): () => void {
  const listener = (signal: NodeJS.Signals): void => {
    handler(signal)
    process.exit(1)
  }
  process.once('SIGINT', listener)
  process.once('SIGTERM', listener)
  return () => {
    process.off('SIGINT', listener)
    process.off('SIGTERM', listener)
  }
}
