/**
 * The story of one run: read the inputs → build the name → resolve the project → get exactly one
 * snapshot → wait until it is usable → outputs and summary. The only module that talks to the
 * runner (@actions/core) and decides the exit code.
 */
import { appendFileSync } from 'node:fs'
import * as core from '@actions/core'
import { systemClock, type Clock } from './clock.js'
import { readConfig, secretsOf, type Config } from './config.js'
import { findByName, NameTakenByOtherClusterError, NameTakenError, obtainSnapshot, snapshotAgeMs } from './create.js'
import { DwsClient, type Snapshot } from './dws-client.js'
import { ApiError } from './errors.js'
import { describeFailure, type FailureContext } from './failure.js'
import type { Log } from './log.js'
import { SecretRegistry, type Redact } from './redact.js'
import { DEFAULT_BACKOFF, withRetries, type RetryContext } from './retry.js'
import { renderSummary, type RunReport } from './summary.js'
import { expandTemplate, toDescription, toSnapshotName, tokenValues } from './template.js'
import { createTransport, type Exchange, type Transport } from './transport.js'
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
  const secrets = new SecretRegistry()
  const redact = secrets.redact
  const debugMode = core.isDebug() || env.ACTIONS_STEP_DEBUG === 'true'
  // core.info writes the text as it is: a line of it that began with '::' would be a workflow command.
  const log: Log = {
    info: (m) => core.info(noCommands(redact(m))),
    notice: (m) => core.notice(redact(m)),
    warning: (m) => core.warning(redact(m)),
    debug: (m) => core.debug(redact(m))
  }
  const context: FailureContext = {}
  const report: RunReport = { clusterId: '', dryRun: false, elapsedMs: 0, requests: 0, retries: 0 }
  const stats = { requests: 0, retries: 0 }
  // A broken GITHUB_OUTPUT must not stop the run or hide its result: the first failure is reported at the end.
  let outputFailure: Error | undefined
  const setOutput = (name: string, value: string): void => {
    try {
      core.setOutput(name, value)
    } catch (error) {
      outputFailure ??= error as Error
    }
  }
  const stopWatchingCancel = onCancel((signal) => {
    log.info(cancelMessage(signal, report))
    writeSummarySync(env, redact, { ...report, error: { title: 'Cancelled', message: cancelMessage(signal, report), hint: '' } })
  })

  try {
    const config = readConfig((name) => core.getInput(name), env)
    report.clusterId = config.clusterId
    report.dryRun = config.dryRun
    Object.assign(context, {
      clusterId: config.clusterId,
      region: config.region,
      projectId: config.projectId,
      credentialSource: config.credentialSource,
      maxAttempts: config.maxAttempts
    })
    for (const secret of secretsOf(config.credentials)) {
      core.setSecret(secret)
      secrets.add(secret)
    }

    const spec = await buildSnapshotSpec(config, env, clock, log)
    report.snapshotName = spec.name
    setOutput('snapshot_name', spec.name)

    log.debug(
      `DWS endpoint ${config.dwsEndpoint.origin}; IAM endpoint ${config.iamEndpoint?.origin ?? '(not needed)'}; ` +
        `credentials: ${config.credentials.kind === 'token' ? 'IAM token' : 'access key pair'} from ${config.credentialSource}`
    )
    const client = new DwsClient({
      dwsEndpoint: config.dwsEndpoint,
      iamEndpoint: config.iamEndpoint,
      credentials: config.credentials,
      userAgent: USER_AGENT,
      requestTimeoutMs: config.requestTimeoutMs,
      transport: options.transport ?? createTransport(USER_AGENT, debugMode ? { onExchange: (e) => log.debug(describeExchange(e)) } : {}),
      now: () => new Date(clock.now()),
      redact
    })
    // One budget for all waiting in this step: retries, a busy cluster, then the snapshot being built.
    const deadline = startedAt + config.waitTimeoutMs
    const retry: RetryContext = {
      policy: { ...DEFAULT_BACKOFF, maxAttempts: config.maxAttempts },
      clock,
      log,
      stats,
      random: options.random,
      deadline
    }
    const projectId = config.projectId ?? (await withRetries(() => client.lookupProjectId(config.region!), retry))
    if (!config.projectId) log.info(`Project of region ${config.region}: ${projectId}`)
    context.projectId = projectId
    client.useProject(projectId)

    if (config.dryRun) {
      await dryRun(client, config, spec.name, retry, log)
      setOutput('created', 'false')
      return
    }

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
    if (!obtained.created && obtained.found) report.snapshotAgeMs = snapshotAgeMs(obtained.found, clock)
    setOutput('snapshot_id', obtained.id)
    setOutput('created', String(obtained.created))
    log.info(`Snapshot '${spec.name}' (id ${obtained.id}) ${obtained.created ? 'created' : 'reused'} for cluster ${config.clusterId}.`)

    if (config.wait) {
      try {
        await waitUntilUsable(obtained.id, config.clusterId, {
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
    const failure = describeFailure(error, context)
    // Whatever failed, a snapshot this step made or reused is named where the reader looks first.
    const message = failure.message + leftBehind(report)
    report.error = { title: failure.title, message: redact(message), hint: redact(failure.hint) }
    const text = failure.hint ? `${message}\nHint: ${failure.hint}` : message
    core.error(redact(text), { title: failure.title })
    if (debugMode && error instanceof ApiError && error.debugDetail) log.debug(`The service said: ${error.debugDetail}`)
    if (!failure.expected || debugMode) {
      core.debug(redact(error instanceof Error && error.stack ? error.stack : String(error)))
    }
    process.exitCode = 1
  } finally {
    stopWatchingCancel()
    report.elapsedMs = clock.now() - startedAt
    report.requests = stats.requests
    report.retries = stats.retries
    setResultOutputs(report, setOutput)
    if (outputFailure) {
      const message = `Could not write the step outputs (GITHUB_OUTPUT): ${outputFailure.message}.${leftBehind(report)}`
      // The run's own failure, if any, keeps the one error annotation.
      if (process.exitCode === 1) log.warning(message)
      else core.error(redact(message), { title: 'Outputs not written' })
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
  if (existing?.clusterId !== undefined && existing.clusterId !== config.clusterId) {
    throw new NameTakenByOtherClusterError(existing, config.clusterId)
  }
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
    if (cluster.failedReasons !== undefined) error.message += ` The cluster reports: ${cluster.failedReasons}`
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

function setResultOutputs(report: RunReport, setOutput: (name: string, value: string) => void): void {
  setOutput('status', report.status ?? '')
  setOutput('started_at', report.startedAt ?? '')
  setOutput('finished_at', report.finishedAt ?? '')
  setOutput('size_gb', report.sizeGb === undefined ? '' : String(report.sizeGb))
  const seconds =
    report.startedAt && report.finishedAt ? (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000 : NaN
  setOutput('duration_seconds', Number.isFinite(seconds) && seconds >= 0 ? String(Math.round(seconds)) : '')
}

async function writeSummary(report: RunReport, redact: Redact, log: Log): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addRaw(redact(renderSummary(report))).write()
  } catch (error) {
    log.warning(`Could not write the job summary: ${(error as Error).message}`)
  }
}

/** On cancellation: best effort, since the process exits right after. */
function writeSummarySync(env: Record<string, string | undefined>, redact: Redact, report: RunReport): void {
  const file = env.GITHUB_STEP_SUMMARY
  if (!file) return
  try {
    appendFileSync(file, redact(renderSummary(report)))
  } catch (error) {
    core.warning(`Could not write the job summary: ${(error as Error).message}`)
  }
}

/** The sentence that names the snapshot this step made or reused, for any failure after it exists. */
function leftBehind(report: RunReport): string {
  if (!report.snapshotId) return ''
  const what = report.created === false ? 'reused' : 'created'
  return ` Snapshot ${report.snapshotId} ('${report.snapshotName}') was ${what} by this step and still exists on the service.`
}

/** Debug line for one HTTP exchange: never headers or bodies, which hold signatures and secrets. */
function describeExchange(e: Exchange): string {
  const outcome = e.status !== undefined ? `HTTP ${e.status}` : `no answer (${e.failure ?? 'error'})`
  return `${e.operation}: ${e.method} ${e.url} → ${outcome} in ${Math.round(e.ms)} ms${e.requestId ? `, request id ${e.requestId}` : ''}`
}

/** No line may start a workflow command. */
function noCommands(text: string): string {
  return text.replace(/^(\s*)::/gm, '$1: :')
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
