/**
 * The whole run in-process, tried as a newcomer would, with the mistakes of a first workflow: an
 * empty required input names the usual causes; an input the action does not know names the one
 * meant; every annotation's title names the action and links to its section of TROUBLESHOOTING.md;
 * the default name needs no repair for a usual repository name.
 */
import { EMULATOR_DEFAULTS as D } from '../emulator/index.js'
import { clock, emu, expectFailure, expectSuccess, notices, runWith, start, TITLE_PREFIX, warnings } from './support/in-process.js'

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

describe('an empty required input names the usual causes', () => {
  test('cluster_id from an undefined vars.X: undefined variables, forks, Dependabot; nothing is sent', async () => {
    await start()
    const io = await runWith({ cluster_id: '' }, { env: AS_PUBLISHED })
    const message = expectFailure(io, /^Invalid input$/, /^Input 'cluster_id': is required but empty/)
    expect(message).toMatch(
      /\nHint: If cluster_id comes from \$\{\{ vars\.NAME \}\} or \$\{\{ secrets\.NAME \}\}, that variable or secret is not defined/
    )
    expect(message).toMatch(/Secrets are empty in runs for a pull request from a fork, and Dependabot runs see only Dependabot secrets\./)
    expect(message).toMatch(new RegExp(`\\nTroubleshooting: ${SECTION}invalid-input$`))
    expect(io.summary).toContain(`**Troubleshooting:** [TROUBLESHOOTING.md](${SECTION}invalid-input)`)
    expect(emu.requests).toHaveLength(0)
  })

  test('credentials from secrets in a Dependabot run: where its secrets live', async () => {
    await start()
    const io = await runWith(
      { access_key_id: '', secret_access_key: '' },
      { env: { GITHUB_ACTOR: 'dependabot[bot]', GITHUB_EVENT_NAME: 'pull_request' } }
    )
    const message = expectFailure(io, /^Invalid input$/, /^Input 'access_key_id': no credentials/)
    expect(message).toMatch(/If a credential comes from \$\{\{ vars\.NAME \}\} or \$\{\{ secrets\.NAME \}\}/)
    expect(message).toMatch(/This run was started by Dependabot: store the secret under Settings > Secrets and variables > Dependabot\./)
    expect(emu.requests).toHaveLength(0)
  })

  test('credentials in a pull request run: forks get no secrets', async () => {
    await start()
    const io = await runWith({ access_key_id: '', secret_access_key: '' }, { env: { GITHUB_EVENT_NAME: 'pull_request' } })
    expect(expectFailure(io, /^Invalid input$/, /no credentials/)).toMatch(
      /This run is for a pull request: if it comes from a fork, it gets no secrets\./
    )
  })
})

describe('an input the action does not know', () => {
  test('wait-timeout and clusterid: one warning each, naming the input meant; the step still runs', async () => {
    await start()
    const io = await runWith({ 'wait-timeout': '2h', clusterid: D.clusterId, dry_run: 'true' })
    expectSuccess(io)
    expect(warnings(io)).toEqual([
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
  })

  test('clusterid instead of cluster_id: the warning, then the error names it as the likely cause', async () => {
    await start()
    const io = await runWith({ cluster_id: '', clusterid: D.clusterId })
    expect(warnings(io)).toHaveLength(1)
    const message = expectFailure(io, /^Invalid input$/, /^Input 'cluster_id': is required but empty/)
    expect(message).toMatch(/\nHint: The step has an input 'clusterid', which this action does not know: did you mean 'cluster_id'\?/)
    // The warning comes first, where the reader starts.
    expect(io.annotations.map((a) => a.level)).toEqual(['warning', 'error'])
  })

  test('no warning when every input is declared', async () => {
    await start()
    const io = await runWith({ dry_run: 'true', wait_timeout: '2h' })
    expectSuccess(io)
    expect(warnings(io)).toEqual([])
  })
})

describe('annotation titles name the action and link to their section', () => {
  test('a failed call: the title names the action; the message links to the section', async () => {
    await start()
    emu.inject('list', { kind: 'status', status: 403, body: { error_code: 'DWS.0015', error_msg: 'Forbidden' } })
    const io = await runWith({}, { env: AS_PUBLISHED })
    const message = expectFailure(io, /^List snapshots failed$/, /HTTP 403/)
    expect(io.errors[0]!.title).toBe('DWS snapshot: List snapshots failed')
    expect(message).toMatch(new RegExp(`\\nTroubleshooting: ${SECTION}list-snapshots-failed$`))
    expect(io.summary).toContain('### ❌ DWS snapshot failed: List snapshots failed')
  })

  test('run from a local copy (uses: ./): the file and section are named instead of a link', async () => {
    await start()
    const io = await runWith({ cluster_id: 'not-a-uuid' })
    const message = expectFailure(io, /^Invalid input$/, /is not a cluster ID/)
    expect(message).toMatch(/\nTroubleshooting: docs\/TROUBLESHOOTING\.md, section 'Invalid input', in this action's repository$/)
  })

  test('every annotation of a run has the prefix', async () => {
    await start()
    const io = await runWith({ clusterid: 'x', cluster_id: '' })
    expect(io.annotations.length).toBe(2)
    for (const a of io.annotations) expect(a.title?.startsWith(TITLE_PREFIX)).toBe(true)
    expect(io.errors).toHaveLength(1)
  })
})

describe('the default name', () => {
  const today = () => new Date(clock.now()).toISOString().slice(0, 10).replace(/-/g, '')
  const madeValid = (io: Awaited<ReturnType<typeof runWith>>) => notices(io).filter((n) => /made valid/.test(n.message))

  test('a usual repository: repository, date, run, attempt and cluster, as is, without a notice', async () => {
    await start()
    const io = await runWith(
      { wait: 'false' },
      { env: { GITHUB_REPOSITORY: 'acme/warehouse', GITHUB_RUN_ID: '12345678901', GITHUB_RUN_ATTEMPT: '2' } }
    )
    expectSuccess(io)
    expect(io.outputs.snapshot_name).toBe(`warehouse-${today()}-12345678901-2-e0000000`)
    expect(emu.snapshots()[0]!.name).toBe(io.outputs.snapshot_name)
    expect(notices(io)).toEqual([])
  })

  test('a 30-character repository name with a 12-digit run id and a 2-digit attempt still fits without repair', async () => {
    await start()
    const repo = 'a'.repeat(30)
    const io = await runWith(
      { dry_run: 'true' },
      { env: { GITHUB_REPOSITORY: `acme/${repo}`, GITHUB_RUN_ID: '123456789012', GITHUB_RUN_ATTEMPT: '10' } }
    )
    expectSuccess(io)
    expect(io.outputs.snapshot_name).toBe(`${repo}-${today()}-123456789012-10-e0000000`)
    expect(io.outputs.snapshot_name!.length).toBeLessThanOrEqual(64)
    expect(madeValid(io)).toEqual([])
  })

  test('a long repository name: made valid with a notice, and still unique per run attempt', async () => {
    await start()
    const env = { GITHUB_REPOSITORY: 'acme/customer-analytics-warehouse-migrations-2026', GITHUB_RUN_ID: '12345678901' }
    // Dry runs: a cluster takes one snapshot at a time.
    const first = await runWith({ dry_run: 'true' }, { env: { ...env, GITHUB_RUN_ATTEMPT: '1' } })
    const second = await runWith({ dry_run: 'true' }, { env: { ...env, GITHUB_RUN_ATTEMPT: '2' } })
    for (const io of [first, second]) {
      expectSuccess(io)
      expect(io.outputs.snapshot_name).toMatch(/^customer-analytics-warehouse-migrations-2026-\d{8}-[A-Za-z0-9_-]+$/)
      expect(io.outputs.snapshot_name!.length).toBeLessThanOrEqual(64)
      expect(madeValid(io)).toEqual([
        expect.objectContaining({ message: expect.stringMatching(/was made valid as .*shortened from \d+ to \d+ characters/) })
      ])
    }
    expect(first.outputs.snapshot_name).not.toBe(second.outputs.snapshot_name)
  })
})

describe('a huge input is never echoed whole', () => {
  const HUGE = 'x'.repeat(120_000)

  test('a 120 KB name template: the name is made valid, the notice quotes it cut, saying how long it was', async () => {
    await start()
    const io = await runWith({ name: `release-${HUGE}` })
    expectSuccess(io)
    expect(notices(io)[0]!.message).toMatch(
      /^Snapshot name 'release-x+… \(120008 characters in all\)' was made valid as 'release-x+-[0-9a-f]{8}'/
    )
    expect(io.shown.length).toBeLessThan(8_000)
  })

  test('a 120 KB cluster name: the error quotes it cut', async () => {
    await start()
    const io = await runWith({ cluster_id: '', cluster_name: HUGE })
    expectFailure(io, /^Invalid input$/, /no cluster is named 'x+… \(120000 characters in all\)'/)
    expect(io.shown.length).toBeLessThan(8_000)
  })
})
