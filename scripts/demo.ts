/**
 * `npm start`: runs the bundled action (dist/index.js, or DWS_ACTION_BUNDLE) as GitHub's runner
 * would, against the built-in emulator on 127.0.0.1, and prints its log, outputs and job summary.
 * `npm start -- --oidc` signs in without keys through the emulator's GitHub token endpoint and STS;
 * `npm start -- --oidc-v3` through its IAM v3 identity provider.
 */
import { relative } from 'node:path'
import { EMULATOR_DEFAULTS, startEmulator } from '../emulator/index.js'
import { actionBundle, runAction } from './run-bundle.js'

const args = process.argv.slice(2)
const way = args.includes('--oidc-v3') ? 'oidc-v3' : args.includes('--oidc') ? 'oidc' : 'keys'
const emulator = await startEmulator({ creatingMs: 4000 })
const d = EMULATOR_DEFAULTS
const signIn: Record<string, string> =
  way === 'keys'
    ? { access_key_id: d.accessKeyId, secret_access_key: d.secretAccessKey }
    : way === 'oidc'
      ? { oidc_provider_urn: d.providerUrn, agency_urn: d.agencyUrn, sts_endpoint: emulator.url }
      : { idp_id: d.idpId }
// With `permissions: id-token: write`, the runner sets these two for the job.
const idTokenEnv: Record<string, string> =
  way === 'keys'
    ? {}
    : { ACTIONS_ID_TOKEN_REQUEST_URL: emulator.oidc.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: emulator.oidc.requestToken }
console.log(
  `Emulator on ${emulator.url}; running ${relative(process.cwd(), actionBundle())} as the runner would, ` +
    `signing in ${way === 'keys' ? 'with an access key pair' : way === 'oidc' ? 'without keys, through STS' : 'without keys, through IAM v3'}.\n`
)
try {
  const result = await runAction(
    {
      cluster_id: d.clusterId,
      region: d.region,
      endpoint: emulator.url,
      iam_endpoint: emulator.url,
      ...signIn,
      poll_interval: '5s'
    },
    { env: idTokenEnv, onStdout: (chunk) => process.stdout.write(chunk), timeoutMs: 60_000 }
  )
  console.log('\nOutputs:')
  for (const [name, value] of Object.entries(result.outputs)) console.log(`  ${name.padEnd(16)} ${value}`)
  console.log(`\nJob summary:\n${result.summary}`)
  console.log(
    `Exit code ${result.code}; ${emulator.requests.length} API requests; ${emulator.snapshots().length} snapshot on the emulator.`
  )
  process.exitCode = result.code ?? 1
} finally {
  await emulator.close()
}
