/**
 * `npm start`: runs the bundled action (dist/index.js, or DWS_ACTION_BUNDLE) as GitHub's runner
 * would, against the built-in emulator on 127.0.0.1, and prints its log, outputs and job summary.
 */
import { relative } from 'node:path'
import { EMULATOR_DEFAULTS, startEmulator } from '../emulator/index.js'
import { actionBundle, runAction } from './run-bundle.js'

const emulator = await startEmulator({ creatingMs: 4000 })
const d = EMULATOR_DEFAULTS
console.log(`Emulator on ${emulator.url}; running ${relative(process.cwd(), actionBundle())} as the runner would.\n`)
try {
  const result = await runAction(
    {
      cluster_id: d.clusterId,
      region: d.region,
      endpoint: emulator.url,
      iam_endpoint: emulator.url,
      access_key_id: d.accessKeyId,
      secret_access_key: d.secretAccessKey,
      poll_interval: '5s'
    },
    { onStdout: (chunk) => process.stdout.write(chunk), timeoutMs: 60_000 }
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
