/**
 * Runs the emulator alone, to try workflow inputs locally: `npm run emulator -- --port 8080 --creating 30s --fault create=503x2`.
 * Prints where it listens, the fake identities it accepts, and ready-to-use inputs; logs each request.
 */
import { parseCliArgs, USAGE, type CliConfig } from './cli-args.js'
import { defaultRestoringMs, EMULATOR_DEFAULTS } from './defaults.js'
import { startEmulator } from './server.js'
import type { RecordedRequest } from './types.js'

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`)
  process.exit(2)
}

/** What differs from a plain run, so the banner says what the client is about to meet. */
function scenarioLines(config: CliConfig): string[] {
  const lines = config.faults.map((f) => `fault on ${f.route} x${f.times}: ${JSON.stringify(f.fault)}`)
  if (config.busy !== undefined) {
    lines.push(`cluster busy for ${config.busy.ms}ms from start: ${config.busy.answer.status} ${config.busy.answer.code}`)
  }
  const { zonelessTimes, taskLingerMs, unknownCluster, restoringMs, restoreOutcome } = config.options
  if (zonelessTimes) lines.push('started/finished written without a zone')
  if (taskLingerMs !== undefined) lines.push(`cluster task stays SNAPSHOTTING ${taskLingerMs}ms after a snapshot ends`)
  if (unknownCluster !== undefined) lines.push(`unknown cluster ids answered ${unknownCluster}`)
  if (restoringMs !== undefined) lines.push(`restored clusters stay CREATING ${restoringMs}ms`)
  if (restoreOutcome !== undefined) lines.push(`restored clusters end ${restoreOutcome}, with failed_reasons`)
  return lines
}

/** What a restore needs besides the identities: the seeded snapshot, the tables it holds, the routes and their timing. */
function restoreLines(config: CliConfig): string {
  const d = EMULATOR_DEFAULTS
  const restoringMs = config.options.restoringMs ?? defaultRestoringMs(config.creatingMs)
  const tables = Object.entries(d.tables.snapshot).flatMap(([database, names]) =>
    names.map((name) => {
      const live = d.tables.live[database] ?? []
      return `  ${database}: ${name}${live.includes(name) ? '' : '   (dropped since: restorable under its own name)'}`
    })
  )
  return `Restores (a snapshot into a new cluster, or tables back into ${d.clusterName}):
  snapshot_id        ${d.snapshotId}   (${d.snapshotName}, AVAILABLE, of ${d.clusterName})
  A new cluster stays CREATING (task RESTORING) for ${restoringMs}ms, then becomes ${config.options.restoreOutcome ?? 'AVAILABLE'};
  a deleted cluster reads DELETING for ${d.deletingMs}ms, then is gone. Table restore jobs run ${config.creatingMs}ms.
  POST   /v1.0/{project_id}/snapshots/{snapshot_id}/actions      {"restore":{"name":...}}
  DELETE /v1.0/{project_id}/clusters/{cluster_id}                {"keep_last_manual_snapshot":0}
  POST   /v1/{project_id}/snapshots/{snapshot_id}/table-restore-check and .../table-restore
  GET    /v1.0/{project_id}/job/{job_id}
Tables in the snapshot (database: schema.table):
${tables.join('\n')}`
}

function logLine(r: RecordedRequest): string {
  const time = new Date().toISOString().slice(11, 19)
  const fault = r.fault === undefined ? '' : `  (injected ${r.fault})`
  return `${time} ${r.method} ${r.path} -> ${r.status}${fault}`
}

async function main(): Promise<void> {
  const parsed = parseCliArgs(process.argv.slice(2))
  if (parsed.kind === 'error') fail(parsed.message)
  if (parsed.kind === 'help') {
    console.log(USAGE)
    return
  }
  const { config } = parsed
  const emulator = await startEmulator({
    port: config.port,
    creatingMs: config.creatingMs,
    ...config.options,
    onRequest: (r) => console.log(logLine(r))
  })
  for (const { route, fault, times } of config.faults) emulator.inject(route, fault, times)
  // Something to restore from at once.
  emulator.addSnapshot({ id: EMULATOR_DEFAULTS.snapshotId, name: EMULATOR_DEFAULTS.snapshotName, startedMs: Date.now() - 3_600_000 })
  if (config.busy !== undefined) {
    emulator.setClusterBusy(EMULATOR_DEFAULTS.clusterId, Date.now() + config.busy.ms, config.busy.answer)
  }
  const scenario = scenarioLines(config)
    .map((line) => `  ${line}\n`)
    .join('')
  const d = EMULATOR_DEFAULTS
  console.log(`DWS + IAM emulator listening on ${emulator.url} (127.0.0.1 only; one address serves both APIs)
Snapshots stay CREATING for ${config.creatingMs}ms, then become ${config.options.snapshotOutcome ?? 'AVAILABLE'}.
${scenario === '' ? '' : `Scripted:\n${scenario}`}
Fake identities it accepts (not real secrets):
  region             ${d.region}
  project_id         ${d.projectId}
  cluster_id         ${d.clusterId}   (${d.clusterName})
  access_key_id      ${d.accessKeyId}
  secret_access_key  ${d.secretAccessKey}
  auth_token         ${d.authToken}   (alternative to AK/SK)

Keyless sign-in (set both env variables, as the runner does with id-token: write, and no keys):
  ACTIONS_ID_TOKEN_REQUEST_URL=${emulator.oidc.requestUrl}
  ACTIONS_ID_TOKEN_REQUEST_TOKEN=${emulator.oidc.requestToken}
  STS:    oidc_provider_urn ${d.providerUrn}
          agency_urn        ${d.agencyUrn}
          sts_endpoint      ${emulator.url}
  IAM v3: idp_id            ${d.idpId}   (with iam_endpoint ${emulator.url})
  Trusted: aud ${d.audience}, sub repo:acme/shop-api:*

${restoreLines(config)}

As workflow inputs:
  with:
    cluster_id: ${d.clusterId}
    region: ${d.region}
    endpoint: ${emulator.url}
    iam_endpoint: ${emulator.url}
    access_key_id: ${d.accessKeyId}
    secret_access_key: ${d.secretAccessKey}

As a .env file for \`node --env-file=.env dist/index.js\` or \`npx @github/local-action run . src/main.ts .env\`
(the GITHUB_* lines are a made-up workflow context for the name template):
INPUT_CLUSTER_ID=${d.clusterId}
INPUT_REGION=${d.region}
INPUT_ENDPOINT=${emulator.url}
INPUT_IAM_ENDPOINT=${emulator.url}
HUAWEI_CLOUD_ACCESS_KEY_ID=${d.accessKeyId}
HUAWEI_CLOUD_SECRET_ACCESS_KEY=${d.secretAccessKey}
GITHUB_REPOSITORY=octo-org/emulator-demo
GITHUB_SHA=0123456789abcdef0123456789abcdef01234567
GITHUB_REF_NAME=main
GITHUB_RUN_ID=${Math.floor(Date.now() / 1000)}
GITHUB_RUN_NUMBER=1
GITHUB_RUN_ATTEMPT=1
GITHUB_WORKFLOW=emulator-demo
GITHUB_JOB=snapshot
GITHUB_EVENT_NAME=workflow_dispatch
GITHUB_ACTOR=octocat

Requests are logged below. Ctrl-C to stop.`)

  const stop = (): void => {
    void emulator.close().then(() => {
      console.log('emulator stopped')
      process.exit(0)
    })
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

await main()
