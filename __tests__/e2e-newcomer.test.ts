/**
 * End to end, tried as a newcomer would: the bundle run as the runner runs it, with the mistakes of a
 * first workflow. An empty required input names the usual causes; an input the action does not know
 * names the one meant; every annotation's title names the action and links to its section of
 * TROUBLESHOOTING.md; the default name needs no repair for a usual repository name.
 */
import { EMULATOR_DEFAULTS as D } from '../emulator/index.js'
import { emu, errors, expectFailure, expectSuccess, run, start, TITLE_PREFIX } from './support/e2e-harness.js'

afterEach(async () => {
  await emu?.close()
})

/** What the runner sets for `uses: acme/dws-snapshot-action@v1`. */
const AS_PUBLISHED = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_ACTION_REPOSITORY: 'acme/dws-snapshot-action',
  GITHUB_ACTION_REF: 'v1'
}
const SECTION = 'https://github.com/acme/dws-snapshot-action/blob/v1/docs/TROUBLESHOOTING.md#'

const warnings = (r: Awaited<ReturnType<typeof run>>) => r.annotations.filter((a) => a.level === 'warning')
const notices = (r: Awaited<ReturnType<typeof run>>) => r.annotations.filter((a) => a.level === 'notice')

describe('an empty required input names the usual causes', () => {
  test('cluster_id from an undefined vars.X: undefined variables, forks, Dependabot; nothing is sent', async () => {
    await start()
    const r = await run({ cluster_id: '' }, { env: AS_PUBLISHED })
    const message = expectFailure(r, /^Invalid input$/, /^Input 'cluster_id': is required but empty/)
    expect(message).toMatch(
      /\nHint: If cluster_id comes from \$\{\{ vars\.NAME \}\} or \$\{\{ secrets\.NAME \}\}, that variable or secret is not defined/
    )
    expect(message).toMatch(/Secrets are empty in runs for a pull request from a fork, and Dependabot runs see only Dependabot secrets\./)
    expect(message).toMatch(new RegExp(`\\nTroubleshooting: ${SECTION}invalid-input$`))
    expect(r.summary).toContain(`**Troubleshooting:** [TROUBLESHOOTING.md](${SECTION}invalid-input)`)
    expect(emu.requests).toHaveLength(0)
  })

  test('credentials from secrets in a Dependabot run: where its secrets live', async () => {
    await start()
    const r = await run(
      { access_key_id: '', secret_access_key: '' },
      { env: { GITHUB_ACTOR: 'dependabot[bot]', GITHUB_EVENT_NAME: 'pull_request' } }
    )
    const message = expectFailure(r, /^Invalid input$/, /^Input 'access_key_id': no credentials/)
    expect(message).toMatch(/If a credential comes from \$\{\{ vars\.NAME \}\} or \$\{\{ secrets\.NAME \}\}/)
    expect(message).toMatch(/This run was started by Dependabot: store the secret under Settings > Secrets and variables > Dependabot\./)
    expect(emu.requests).toHaveLength(0)
  })

  test('credentials in a pull request run: forks get no secrets', async () => {
    await start()
    const r = await run({ access_key_id: '', secret_access_key: '' }, { env: { GITHUB_EVENT_NAME: 'pull_request' } })
    expect(expectFailure(r, /^Invalid input$/, /no credentials/)).toMatch(
      /This run is for a pull request: if it comes from a fork, it gets no secrets\./
    )
  })
})

describe('an input the action does not know', () => {
  test('wait-timeout and clusterid: one warning each, naming the input meant; the step still runs', async () => {
    await start()
    const r = await run({ 'wait-timeout': '2h', clusterid: D.clusterId, dry_run: 'true' })
    expectSuccess(r)
    expect(warnings(r)).toEqual([
      {
        level: 'warning',
        title: 'DWS snapshot: Unknown input',
        message:
          "Input 'clusterid' is not an input of this action, so its value is ignored: did you mean 'cluster_id'? Rename it in the step's with:."
      },
      {
        level: 'warning',
        title: 'DWS snapshot: Unknown input',
        message:
          "Input 'wait-timeout' is not an input of this action, so its value is ignored: did you mean 'wait_timeout'? Rename it in the step's with:."
      }
    ])
    expect(r.stdout).toMatch(/^::warning title=DWS snapshot%3A Unknown input::Input 'wait-timeout'/m)
  })

  test('clusterid instead of cluster_id: the warning, then the error names it as the likely cause', async () => {
    await start()
    const r = await run({ cluster_id: '', clusterid: D.clusterId })
    expect(warnings(r)).toHaveLength(1)
    const message = expectFailure(r, /^Invalid input$/, /^Input 'cluster_id': is required but empty/)
    expect(message).toMatch(/\nHint: The step has an input 'clusterid', which this action does not know: did you mean 'cluster_id'\?/)
    // The warning comes first, where the reader starts.
    expect(r.stdout.indexOf('::warning')).toBeLessThan(r.stdout.indexOf('::error'))
  })

  test('no warning when every input is declared', async () => {
    await start()
    const r = await run({ dry_run: 'true', wait_timeout: '2h' })
    expectSuccess(r)
    expect(warnings(r)).toEqual([])
  })
})

describe('annotation titles name the action and link to their section', () => {
  test('a failed call: the raw command carries the escaped prefix; the message links to the section', async () => {
    await start()
    emu.inject('list', { kind: 'status', status: 403, body: { error_code: 'DWS.0015', error_msg: 'Forbidden' } })
    const r = await run({}, { env: AS_PUBLISHED })
    const message = expectFailure(r, /^List snapshots failed$/, /HTTP 403/)
    expect(r.stdout).toMatch(/^::error title=DWS snapshot%3A List snapshots failed::/m)
    expect(message).toMatch(new RegExp(`\\nTroubleshooting: ${SECTION}list-snapshots-failed$`))
    expect(r.summary).toContain('### ❌ DWS snapshot failed: List snapshots failed')
  })

  test('run from a local copy (uses: ./): the file and section are named instead of a link', async () => {
    await start()
    const r = await run({ cluster_id: 'not-a-uuid' })
    const message = expectFailure(r, /^Invalid input$/, /is not a cluster ID/)
    expect(message).toMatch(/\nTroubleshooting: docs\/TROUBLESHOOTING\.md, section 'Invalid input', in this action's repository$/)
  })

  test('every annotation of a run has the prefix', async () => {
    await start()
    const r = await run({ clusterid: 'x', cluster_id: '' })
    expect(r.annotations.length).toBe(2)
    for (const a of r.annotations) expect(a.title?.startsWith(TITLE_PREFIX)).toBe(true)
    expect(errors(r)).toHaveLength(1)
  })
})

describe('the default name', () => {
  const today = () => new Date().toISOString().slice(0, 10).replace(/-/g, '')

  test('a usual repository: repository, date, run, attempt and cluster, as is, without a notice', async () => {
    await start()
    const before = today()
    const r = await run(
      { wait: 'false' },
      { env: { GITHUB_REPOSITORY: 'acme/warehouse', GITHUB_RUN_ID: '12345678901', GITHUB_RUN_ATTEMPT: '2' } }
    )
    expectSuccess(r)
    const name = r.outputs.snapshot_name!
    expect([`warehouse-${before}-12345678901-2-e0000000`, `warehouse-${today()}-12345678901-2-e0000000`]).toContain(name)
    expect(emu.snapshots()[0]!.name).toBe(name)
    expect(notices(r)).toEqual([])
  })

  test('a 30-character repository name with a 12-digit run id and a 2-digit attempt still fits without repair', async () => {
    await start()
    const repo = 'a'.repeat(30)
    const r = await run(
      { dry_run: 'true' },
      { env: { GITHUB_REPOSITORY: `acme/${repo}`, GITHUB_RUN_ID: '123456789012', GITHUB_RUN_ATTEMPT: '10' } }
    )
    expectSuccess(r)
    expect(r.outputs.snapshot_name).toMatch(new RegExp(`^${repo}-\\d{8}-123456789012-10-e0000000$`))
    expect(r.outputs.snapshot_name!.length).toBeLessThanOrEqual(64)
    expect(notices(r).filter((n) => /made valid/.test(n.message))).toEqual([])
  })

  test('a long repository name: made valid with a notice, and still unique per run attempt', async () => {
    await start()
    const repo = 'customer-analytics-warehouse-migrations-2026'
    const env = { GITHUB_REPOSITORY: `acme/${repo}`, GITHUB_RUN_ID: '12345678901' }
    // Dry runs: a cluster takes one snapshot at a time.
    const first = await run({ dry_run: 'true' }, { env: { ...env, GITHUB_RUN_ATTEMPT: '1' } })
    const second = await run({ dry_run: 'true' }, { env: { ...env, GITHUB_RUN_ATTEMPT: '2' } })
    for (const r of [first, second]) {
      expectSuccess(r)
      expect(r.outputs.snapshot_name).toMatch(/^customer-analytics-warehouse-migrations-2026-\d{8}-[A-Za-z0-9_-]+$/)
      expect(r.outputs.snapshot_name!.length).toBeLessThanOrEqual(64)
      expect(notices(r).filter((n) => /made valid/.test(n.message))).toEqual([
        expect.objectContaining({ message: expect.stringMatching(/was made valid as .*shortened from \d+ to \d+ characters/) })
      ])
    }
    expect(first.outputs.snapshot_name).not.toBe(second.outputs.snapshot_name)
  })
})
