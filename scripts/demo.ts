/**
 * `npm start`: runs the bundled snapshot action (dist/, or DWS_DIST_ROOT/dist) as GitHub's runner
 * would, against the built-in emulator on 127.0.0.1, and prints its log, outputs and job summary.
 * `npm start -- --oidc` signs in without keys through the emulator's GitHub token endpoint and STS;
 * `npm start -- --oidc-v3` through its IAM v3 identity provider.
 * `npm start -- --restore` then restores the snapshot into a preview cluster with the restore action
 * (keep: false), and runs its post step, which deletes the cluster, as the runner does at the end of the job.
 */
import { relative } from 'node:path'
import { EMULATOR_DEFAULTS, startEmulator } from '../emulator/index.js'
import { actionBundle, runAction, type ActionResult, type RunOptions } from './run-bundle.js'

const args = process.argv.slice(2)
const way = args.includes('--oidc-v3') ? 'oidc-v3' : args.includes('--oidc') ? 'oidc' : 'keys'
const restore = args.includes('--restore')
const emulator = await startEmulator({ creatingMs: 4000, restoringMs: 6000, deletingMs: 3000 })
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
  `Emulator on ${emulator.url}; running the bundles as the runner would, ` +
    `signing in ${way === 'keys' ? 'with an access key pair' : way === 'oidc' ? 'without keys, through STS' : 'without keys, through IAM v3'}.`
)
/** Runs one bundle as the runner would and prints what a workflow run would show of it. */
async function step(title: string, inputs: Record<string, string>, options: RunOptions = {}): Promise<ActionResult> {
  console.log(`\n=== ${title} (${relative(process.cwd(), actionBundle(options.bundle))})\n`)
  const sharedInputs = { region: d.region, endpoint: emulator.url, iam_endpoint: emulator.url, ...signIn, poll_interval: '5s' }
  const result = await runAction(
    { ...sharedInputs, ...inputs },
    { env: idTokenEnv, onStdout: (chunk) => process.stdout.write(chunk), timeoutMs: 60_000, ...options }
  )
  console.log('\nOutputs:')
  for (const [name, value] of Object.entries(result.outputs)) console.log(`  ${name.padEnd(16)} ${value}`)
  console.log(`\nJob summary:\n${result.summary}`)
  console.log(`Exit code ${result.code ?? 'none'}; ${emulator.requests.length} API requests so far.`)
  return result
}

try {
  const snapshot = await step('The snapshot action', { cluster_id: d.clusterId })
  let code = snapshot.code ?? 1
  if (restore && code === 0) {
    const restoreInputs = { snapshot_id: snapshot.outputs.snapshot_id ?? '', keep: 'false' }
    const restored = await step('The restore action (a preview cluster, keep: false)', restoreInputs, { bundle: 'dist/restore/index.js' })
    // At the end of the job the runner runs the post step, with the state the main step saved.
    const post = await step('Its post step, at the end of the job', restoreInputs, {
      bundle: 'dist/restore/post/index.js',
      state: restored.state
    })
    code = Math.max(restored.code ?? 1, post.code ?? 1)
    const clusters = emulator.clusters().map((c) => `${c.name} ${c.status}`)
    console.log(`\nClusters on the emulator: ${clusters.join('; ')}.`)
  }
  console.log(`\n${emulator.snapshots().length} snapshot(s) on the emulator.`)
  process.exitCode = code
} finally {
  await emulator.close()
}
