/**
 * The story of one run: inputs → credentials → project → the cluster's job (get exactly one
 * snapshot, wait until it is usable) → outputs, summary, exit code. Everything it touches of the
 * runner goes through the ActionIO port, so the whole run can be tested in-process.
 */
import { cancelMessage, onCancel } from './action/cancel.js'
import { describeFailure, type FailureContext } from './action/failure.js'
import { readConfig, type Config } from './action/inputs.js'
import { coreIO, type ActionIO } from './action/io.js'
import { actionLog } from './action/log.js'
import { Outputs } from './action/outputs.js'
import { Secrets } from './action/secrets.js'
import { snapshotSpec } from './action/snapshot-spec.js'
import { renderSummary, runReport, type RunReport } from './action/summary.js'
import { USER_AGENT } from './action/version.js'
import { staticCredentials } from './auth/static.js'
import { CloudApi } from './cloud/api.js'
import { ApiError } from './cloud/errors.js'
import { lookupProjectId } from './cloud/iam.js'
import { DEFAULT_BACKOFF, withRetries, type CallStats, type RetryContext } from './cloud/retry.js'
import { createTransport, type ClosableTransport, type Exchange, type Transport } from './cloud/transport.js'
import { DwsClient } from './dws/client.js'
import { dryRunCluster, snapshotCluster, type ClusterResult } from './dws/job.js'
import type { SnapshotSpec } from './dws/types.js'
import type { Log } from './log.js'
import { systemClock, type Clock } from './time.js'

export interface RunOptions {
  clock?: Clock
  transport?: Transport
  random?: () => number
}

/**
 * Runs the action and sets (and returns) the exit code. Called without arguments, as
 * @github/local-action calls it, it talks to the runner through @actions/core.
 */
export async function run(io: ActionIO = coreIO(), options: RunOptions = {}): Promise<number> {
  const clock = options.clock ?? systemClock
  const startedAt = clock.now()
  const secrets = new Secrets(io)
  const log = actionLog(io, secrets.redact)
  const outputs = new Outputs(io)
  const stats: CallStats = { requests: 0, retries: 0 }
  const context: FailureContext = {}
  let config: Config | undefined
  let spec: SnapshotSpec | undefined
  let result: ClusterResult | undefined
  let failure: unknown
  /** The connections this run opened: closed in its last step, so the process never lingers. */
  let ownTransport: ClosableTransport | undefined

  const report = (error?: RunReport['error']): RunReport =>
    runReport(
      {
        clusterId: config?.clusterId ?? '',
        snapshotName: spec?.name,
        dryRun: config?.dryRun ?? false,
        elapsedMs: clock.now() - startedAt,
        ...stats,
        error
      },
      result
    )
  const stopWatchingCancel = onCancel((signal) => {
    const message = cancelMessage(signal, spec?.name, result?.snapshotId)
    log.info(message)
    try {
      io.appendSummarySync(secrets.redact(renderSummary(report({ title: 'Cancelled', message, hint: '' }))))
    } catch (error) {
      log.warning(`Could not write the job summary: ${(error as Error).message}`)
    }
  })

  try {
    config = readConfig((name) => io.getInput(name), io.env)
    Object.assign(context, failureContextOf(config))
    const credentials = staticCredentials(config.credentials, (value) => secrets.register(value))
    const debug = io.isDebug()
    const transport =
      options.transport ?? (ownTransport = createTransport(USER_AGENT, debug ? { onExchange: (e) => log.debug(describeExchange(e)) } : {}))
    // The inputs are valid: the TLS handshake with DWS can overlap building the name (which loads @actions/github).
    ownTransport?.preconnect(config.dwsEndpoint)
    spec = await snapshotSpec(config, io.env, clock, log)
    outputs.set('snapshot_name', spec.name)

    log.debug(
      `DWS endpoint ${config.dwsEndpoint.origin}; IAM endpoint ${config.iamEndpoint?.origin ?? '(not needed)'}; ` +
        `credentials: ${config.credentials.kind === 'token' ? 'IAM token' : 'access key pair'} from ${config.credentialSource}`
    )
    const api = new CloudApi({
      credentials,
      userAgent: USER_AGENT,
      requestTimeoutMs: config.requestTimeoutMs,
      transport,
      now: () => new Date(clock.now()),
      redact: secrets.redact
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
    const projectId = config.projectId ?? (await lookUpProject(api, config, retry, log))
    context.projectId = projectId
    const client = new DwsClient(api, config.dwsEndpoint, projectId)

    if (config.dryRun) {
      await dryRun(spec, config, { ...retry, client }, log)
      outputs.set('created', 'false')
    } else {
      result = await snapshotCluster(spec, {
        ...retry,
        client,
        ifExists: config.ifExists,
        wait: config.wait,
        pollIntervalMs: config.pollIntervalMs,
        deadline,
        onSnapshotKnown: (known) => {
          // The job keeps this object up to date: a cancellation from here on names the snapshot.
          result = known
          outputs.snapshotKnown(known)
        }
      })
      failure = result.error
    }
  } catch (error) {
    failure = error
  } finally {
    stopWatchingCancel()
  }

  let exitCode = 0
  let error: RunReport['error']
  if (failure !== undefined) {
    error = annotateFailure(io, failure, context, result, secrets.redact, log)
    exitCode = 1
  }
  outputs.final(result)
  if (outputs.failure) {
    const message = `Could not write the step outputs (GITHUB_OUTPUT): ${outputs.failure.message}.${leftBehind(result)}`
    // The run's own failure, if any, keeps the one error annotation.
    if (exitCode === 1) log.warning(message)
    else io.error(secrets.redact(message), 'Outputs not written')
    exitCode = 1
  }
  try {
    await io.appendSummary(secrets.redact(renderSummary(report(error))))
  } catch (summaryError) {
    log.warning(`Could not write the job summary: ${(summaryError as Error).message}`)
  }
  ownTransport?.close()
  io.setExitCode(exitCode)
  return exitCode
}

function failureContextOf(config: Config): FailureContext {
  return {
    clusterId: config.clusterId,
    region: config.region,
    projectId: config.projectId,
    credentialSource: config.credentialSource,
    maxAttempts: config.maxAttempts
  }
}

async function lookUpProject(api: CloudApi, config: Config, retry: RetryContext, log: Log): Promise<string> {
  const { iamEndpoint, region } = config
  // readConfig guarantees a region and an IAM endpoint whenever the project is not given.
  if (!iamEndpoint || !region) throw new Error('internal error: no region or IAM endpoint to look the project up with')
  const projectId = await withRetries(() => lookupProjectId(api, iamEndpoint, region), retry)
  log.info(`Project of region ${region}: ${projectId}`)
  return projectId
}

async function dryRun(spec: SnapshotSpec, config: Config, options: Parameters<typeof dryRunCluster>[2], log: Log): Promise<void> {
  const { cluster, existing } = await dryRunCluster(spec, config.ifExists, options)
  const state = [cluster.status, cluster.taskStatus].filter(Boolean).join(', ')
  log.notice(
    `Dry run: would ${existing ? `reuse snapshot ${existing.id} named` : 'create snapshot'} '${spec.name}' of cluster ` +
      `${cluster.name ? `${cluster.name} ` : ''}(${config.clusterId}${state ? `, ${state}` : ''}). Nothing was created.`
  )
}

/** The one error annotation of a failed run; a snapshot this step made or reused is named where the reader looks first. */
function annotateFailure(
  io: ActionIO,
  error: unknown,
  context: FailureContext,
  result: ClusterResult | undefined,
  redact: (text: string) => string,
  log: Log
): RunReport['error'] {
  const failure = describeFailure(error, context)
  const message = failure.message + leftBehind(result)
  io.error(redact(failure.hint ? `${message}\nHint: ${failure.hint}` : message), failure.title)
  const debug = io.isDebug()
  if (debug && error instanceof ApiError && error.debugDetail) log.debug(`The service said: ${error.debugDetail}`)
  if (!failure.expected || debug) log.debug(error instanceof Error && error.stack ? error.stack : String(error))
  return { title: failure.title, message: redact(message), hint: redact(failure.hint) }
}

/** The sentence that names the snapshot this step made or reused, for any failure after it exists. */
function leftBehind(result: ClusterResult | undefined): string {
  if (!result?.snapshotId) return ''
  const what = result.created === false ? 'reused' : 'created'
  return ` Snapshot ${result.snapshotId} ('${result.snapshotName}') was ${what} by this step and still exists on the service.`
}

/** Debug line for one HTTP exchange: never headers or bodies, which hold signatures and secrets. */
function describeExchange(e: Exchange): string {
  const outcome = e.status !== undefined ? `HTTP ${e.status}` : `no answer (${e.failure ?? 'error'})`
  return `${e.operation}: ${e.method} ${e.url} → ${outcome} in ${Math.round(e.ms)} ms${e.requestId ? `, request id ${e.requestId}` : ''}`
}
