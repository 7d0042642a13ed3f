/**
 * Runs the emulator alone, to try workflow inputs locally: `npm run emulator -- --port 8080 --creating 30s`.
 * Prints where it listens, the fake identities it accepts, and ready-to-use inputs; logs each request.
 */
import { parseArgs } from 'node:util'
import { EMULATOR_DEFAULTS } from './defaults.js'
import { startEmulator } from './server.js'
import type { RecordedRequest } from './types.js'

const USAGE = `Usage: npm run emulator -- [--port N] [--creating DURATION]

  --port N             port on 127.0.0.1 (default: any free port)
  --creating DURATION  how long a snapshot stays CREATING, e.g. 30s, 2m, 1h30m, 500ms (default ${EMULATOR_DEFAULTS.creatingMs}ms)`

/** '30s', '2m', '1h30m', '500ms' -> ms. Units in h, m, s, ms order, each at most once. */
function parseCliDuration(text: string): number | undefined {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(text)
  if (m === null || text === '') return undefined
  const [h = 0, min = 0, s = 0, ms = 0] = m.slice(1).map((part) => Number(part ?? 0))
  return ((h * 60 + min) * 60 + s) * 1000 + ms
}

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`)
  process.exit(2)
}

function logLine(r: RecordedRequest): string {
  const time = new Date().toISOString().slice(11, 19)
  const fault = r.fault === undefined ? '' : `  (injected ${r.fault})`
  return `${time} ${r.method} ${r.path} -> ${r.status}${fault}`
}

async function main(): Promise<void> {
  let values: { port?: string; creating?: string; help?: boolean }
  try {
    ;({ values } = parseArgs({
      options: { port: { type: 'string' }, creating: { type: 'string' }, help: { type: 'boolean', short: 'h' } }
    }))
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error))
  }
  if (values.help) {
    console.log(USAGE)
    return
  }
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port '${values.port}' is not a port number`)
  const creatingMs = values.creating === undefined ? EMULATOR_DEFAULTS.creatingMs : parseCliDuration(values.creating)
  if (creatingMs === undefined) fail(`--creating '${values.creating}' is not a duration`)

  const emulator = await startEmulator({ port, creatingMs, onRequest: (r) => console.log(logLine(r)) })
  const d = EMULATOR_DEFAULTS
  console.log(`DWS + IAM emulator listening on ${emulator.url} (127.0.0.1 only; one address serves both APIs)
Snapshots stay CREATING for ${values.creating ?? `${creatingMs}ms`}, then become AVAILABLE.

Fake identities it accepts (not real secrets):
  region             ${d.region}
  project_id         ${d.projectId}
  cluster_id         ${d.clusterId}   (${d.clusterName})
  access_key_id      ${d.accessKeyId}
  secret_access_key  ${d.secretAccessKey}
  auth_token         ${d.authToken}   (alternative to AK/SK)

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
