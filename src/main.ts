/**
 * The story of one run: inputs → credentials → project → the clusters and their snapshot names →
 * one listing of the project's snapshots → every cluster's job at once (get exactly one snapshot, wait
 * until it is usable), with at most max_parallel calls in flight → outputs, summary, exit code. Everything it touches of
 * the runner goes through the ActionIO port, so the whole run can be tested in-process.
 */
import { cancelMessage, onCancel } from './action/cancel.js'
import { annotator, leftBehind, type Reported } from './action/annotate.js'
import { describeExchange, describeSignIn } from './action/debug-lines.js'
import { dryRun } from './action/dry-run.js'
import { describeFailure, failureContextOf, type FailureContext } from './action/failure.js'
import { renderFleetSummary } from './action/fleet-summary.js'
import { readConfig, type Config } from './action/inputs.js'
import { coreIO, type ActionIO } from './action/io.js'
import { actionLog } from './action/log.js'
import { Outputs } from './action/outputs.js'
import { lookUpProject } from './action/project.js'
import { retentionOptions, ruleText, warnAboutRetention } from './action/retention-notes.js'
import { Secrets } from './action/secrets.js'
import { snapshotSpecs, templatesNeedClusterNames } from './action/snapshot-spec.js'
import { snapshotsOutput, type ClusterReport } from './action/snapshots-output.js'
import { renderSummary, retentionReport, runReport, type RunReport } from './action/summary.js'
import { resolveTargets } from './action/targets.js'
import type { ClusterTokens } from './action/template.js'
import { USER_AGENT } from './action/version.js'
import { readWorkflowContext } from './action/workflow-context.js'
import { annotationTitle } from './action/titles.js'
import { troubleshootingLink } from './action/troubleshooting.js'
import { unknownInputMessage, unknownInputs } from './action/unknown-inputs.js'
import { githubIdTokens, noIdTokens } from './action/id-token.js'
import { signInConfig } from './action/sign-in.js'
import { credentialProvider } from './auth/select.js'
import type { SignedIn } from './auth/session.js'
import { CloudApi } from './cloud/api.js'
import { DEFAULT_BACKOFF, Throttle, withRetries, type CallStats, type RetryContext } from './cloud/retry.js'
import { createTransport, type ClosableTransport, type Transport } from './cloud/transport.js'
import { limitCalls, Semaphore } from './dws/call-limit.js'
import { DwsClient } from './dws/client.js'
import { snapshotCluster, type ClusterResult, type DryRunResult } from './dws/job.js'
import type { SnapshotSpec } from './dws/types.js'
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
  let targets: ClusterTokens[] = []
  let specs: SnapshotSpec[] = []
  // Each cluster's latest result, kept up to date by its job: what a cancellation or a failure reports.
  const results = new Map<string, ClusterResult>()
  const dryRuns = new Map<string, DryRunResult>()
  let source: { commit?: string; ref?: string } = {}
  let signedIn: SignedIn | undefined
  let failure: unknown
  /** The connections this run opened: closed in its last step, so the process never lingers. */
  let ownTransport: ClosableTransport | undefined

  const describe = (error: unknown): string => {
    const described = describeFailure(error, context)
    return secrets.redact(described.hint ? `${described.message} ${described.hint}` : described.message)
  }

  const stopWatchingCancel = onCancel((signal) => {
    const known = [...results.values()]
    const message =
      specs.length > 1
        ? `Cancelled (${signal}): ${known.map((r) => cancelMessage(signal, r.snapshotName, r.snapshotId)).join(' ') || 'no snapshot was requested yet.'}`
        : cancelMessage(signal, specs[0]?.name, known[0]?.snapshotId)
    log.info(message)
    try {
      io.appendSummarySync(secrets.redact(renderSummary(singleReport({ title: 'Cancelled', message, hint: '' }))))
    } catch (error) {
      log.warning(`Could not write the job summary: ${(error as Error).message}`)
    }
  })
  const singleReport = (error?: RunReport['error']): RunReport => {
    const clusterId = specs[0]?.clusterId ?? (config?.clusters.by === 'id' ? (config.clusters.ids[0] ?? '') : '')
    const result = results.get(clusterId)
    const dryRun = dryRuns.get(clusterId)
    return runReport(
      {
        clusterId,
        clusterName: dryRun?.cluster.name ?? targets[0]?.name,
        region: config?.region,
        projectId: context.projectId,
        endpoint: config?.dwsEndpoint,
        ...source,
        snapshotName: specs[0]?.name,
        dryRun: config?.dryRun ?? false,
        elapsedMs: clock.now() - startedAt,
        signedIn,
        ...stats,
        retention: config?.retention
          ? retentionReport(
              result?.retention ?? dryRun?.retention,
              result?.retentionError ?? dryRun?.retentionError,
              ruleText(config.retention),
              describe
            )
          : undefined,
        error
      },
      result
    )
  }

  try {
    // Before the inputs are read: a misspelt input often explains the error that follows.
    for (const unknown of unknownInputs(io.env)) io.warning(unknownInputMessage(unknown), annotationTitle('Unknown input'))
    config = readConfig((name) => io.getInput(name), io.env)
    Object.assign(context, failureContextOf(config))
    const register = (value: string): void => secrets.register(value)
    // Before anything else: a job without an ID token fails here, with one clear message.
    const idToken = config.signIn.way === 'static' ? noIdTokens : githubIdTokens(io, register)
    const debug = io.isDebug()
    const transport =
      options.transport ?? (ownTransport = createTransport(USER_AGENT, debug ? { onExchange: (e) => log.debug(describeExchange(e)) } : {}))
    // The inputs are valid: the TLS handshake with DWS can overlap building the names (which loads @actions/github).
    ownTransport?.preconnect(config.dwsEndpoint)
    const workflow = await readWorkflowContext(io.env)
    source = { commit: workflow.sha, ref: workflow.refName }
    const needNames = templatesNeedClusterNames(config)
    // Without a lookup the names can be built, and refused, before any request.
    if (config.clusters.by === 'id' && !needNames) {
      targets = config.clusters.ids.map((id) => ({ id }))
      specs = await snapshotSpecs(config, targets, io.env, clock, log)
    }

    const common = {
      userAgent: USER_AGENT,
      requestTimeoutMs: config.requestTimeoutMs,
      transport,
      now: () => new Date(clock.now()),
      redact: secrets.redact
    }
    // One budget for all waiting in this step, and one backoff when the service throttles any cluster's calls.
    const deadline = startedAt + config.waitTimeoutMs
    const retry: RetryContext = {
      policy: { ...DEFAULT_BACKOFF, maxAttempts: config.maxAttempts },
      clock,
      log,
      stats,
      random: options.random,
      deadline,
      throttle: new Throttle()
    }
    const firstClusterId = config.clusters.by === 'id' ? (config.clusters.ids[0] ?? '') : ''
    const signIn = await signInConfig(config.signIn, io.env, firstClusterId, clock, log)
    const credentials = credentialProvider(signIn, {
      api: new CloudApi(common),
      idToken,
      registerSecret: register,
      retry,
      onSignedIn: (known) => {
        signedIn = known
      }
    })
    log.debug(
      `DWS endpoint ${config.dwsEndpoint.origin}; IAM endpoint ${config.iamEndpoint?.origin ?? '(not needed)'}; ` +
        `credentials: ${describeSignIn(signIn)} from ${config.credentialSource}`
    )
    if (config.ignoredEnvKeys.length > 0) {
      log.debug(`Keyless sign-in chosen by the inputs: ignoring the keys in env ${config.ignoredEnvKeys.join(', ')}`)
    }
    const api = new CloudApi({ ...common, credentials })
    // Keyless: sign in before anything else, so a trust problem is the first and only failure.
    if (signIn.way !== 'static') await credentials.get()
    const projectId = config.projectId ?? signedIn?.projectId ?? (await lookUpProject(api, config, retry, log))
    context.projectId = projectId
    const client = new DwsClient(api, config.dwsEndpoint, projectId)
    if (specs.length === 0) {
      targets = await resolveTargets(config, needNames, client, retry)
      specs = await snapshotSpecs(config, targets, io.env, clock, log)
    }
    if (specs.length === 1) outputs.set('snapshot_name', specs[0]?.name ?? '')
    // One listing of the project's snapshots serves every cluster's name check.
    // With one cluster only its name is kept from the list (a project may hold tens of thousands).
    const onlyName = specs.length === 1 ? specs[0]?.name : undefined
    const known = await withRetries(() => client.listSnapshots(onlyName), retry)

    const job = config
    const retention = retentionOptions(config.retention)
    const limited = limitCalls(client, new Semaphore(config.maxParallel))
    const runCluster = async (spec: SnapshotSpec): Promise<void> => {
      if (job.dryRun) return dryRun(spec, job, { ...retry, client: limited, retention }, known, log, results, dryRuns)
      const result = await snapshotCluster(spec, {
        ...retry,
        client: limited,
        retention,
        ifExists: job.ifExists,
        wait: job.wait,
        pollIntervalMs: job.pollIntervalMs,
        deadline,
        knownSnapshots: known,
        onSnapshotKnown: (found) => {
          results.set(spec.clusterId, found)
          if (specs.length === 1) outputs.snapshotKnown(found)
        }
      })
      results.set(spec.clusterId, result)
    }
    await Promise.all(specs.map(runCluster))
    if (config.dryRun && specs.length === 1) outputs.set('created', 'false')
  } catch (error) {
    failure = error
  } finally {
    stopWatchingCancel()
  }

  // A failure before the clusters' jobs is the step's one annotation; after, each failed cluster gets its own.
  const annotate = annotator(io, secrets.redact, log)
  const stepError = failure === undefined ? undefined : annotate(failure, context, undefined, undefined)
  const reports: (ClusterReport & { reported?: Reported })[] = specs.map((spec, i) => {
    const result = results.get(spec.clusterId) ?? { clusterId: spec.clusterId, snapshotName: spec.name }
    const clusterName = targets[i]?.name
    const reported =
      result.error === undefined
        ? undefined
        : annotate(
            result.error,
            { ...context, clusterId: spec.clusterId },
            result,
            specs.length > 1 ? (clusterName ?? spec.clusterId) : undefined
          )
    return { result, clusterName, error: reported?.message, reported }
  })
  let exitCode = stepError || reports.some((r) => r.reported) ? 1 : 0
  for (const spec of specs) warnAboutRetention(results.get(spec.clusterId) ?? dryRuns.get(spec.clusterId), describe, log)

  const single = specs.length <= 1
  outputs.final(
    single ? reports[0]?.result : undefined,
    reports.map((r) => r.result)
  )
  if (!single) for (const name of ['snapshot_name', 'snapshot_id', 'created']) outputs.set(name, '')
  outputs.set('snapshots', snapshotsOutput(reports))
  if (outputs.failure) {
    const made = reports.map((r) => leftBehind(r.result)).join('')
    const message = `Could not write the step outputs (GITHUB_OUTPUT): ${outputs.failure.message}.${made}`
    // The run's own failure, if any, keeps its error annotations.
    if (exitCode === 1) log.warning(message)
    else
      io.error(
        secrets.redact(`${message}\nTroubleshooting: ${troubleshootingLink(io.env, 'Outputs not written')}`),
        annotationTitle('Outputs not written')
      )
    exitCode = 1
  }
  const summary = single
    ? renderSummary(singleReport(stepError ?? reports[0]?.reported))
    : renderFleetSummary(
        reports.map((r) => ({ result: r.result, clusterName: r.clusterName, error: r.reported ?? stepError })),
        { dryRun: config?.dryRun ?? false, elapsedMs: clock.now() - startedAt, ...stats }
      )
  try {
    await io.appendSummary(secrets.redact(summary))
  } catch (summaryError) {
    log.warning(`Could not write the job summary: ${(summaryError as Error).message}`)
  }
  ownTransport?.close()
  io.setExitCode(exitCode)
  return exitCode
}
