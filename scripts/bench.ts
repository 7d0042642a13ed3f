/**
 * `npm run bench`: prints what the action costs, side by side with a reference action, in one run.
 * A script that prints figures, never a test: nothing here fails on a slow machine.
 *
 *  1. Bundle size: dist/index.js and each chunk; which are loaded at start-up and which lazily.
 *  2. Start-up: `node dist/index.js` stopping at input validation vs a reference action (the three
 *     toolkit packages at top level, reading inputs only, bundled the same way with ncc) and `node -e 0`.
 *  3. One create without waiting against the emulator vs the reference sending the same signed create.
 *  4. Waiting: how long after the snapshot became AVAILABLE the action exits, and its API calls.
 *  5. Peak RSS of a full run (create + wait) vs the reference create run.
 *
 * Every child runs with a minimal environment (no NODE_EXTRA_CA_CERTS: it adds ~30 ms to every Node
 * start on this machine and GitHub's runners do not set it). All traffic goes to the emulator on 127.0.0.1.
 * The reference bundles are built into bench/.work/ (git-ignored) and rebuilt only when their sources change.
 */
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { arch, availableParallelism, cpus, loadavg, platform, release } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { EMULATOR_DEFAULTS, startEmulator, type Emulator, type RecordedRequest } from '../emulator/index.js'
import { parseOutputFile, runnerEnv } from './run-bundle.js'

// ---------------------------------------------------------------------------------------------- settings
const STARTUP_RUNS = 41
const CREATE_RUNS = 25
const WARMUPS = 2
const WAIT_RUNS = 4
const RSS_RUNS = 7
const CREATING_MS = 6000
const POLL_MS = 5000
const TARGETS = { startup: 1.0, create: 1.2, rss: 1.15 }

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const DIST = join(ROOT, 'dist')
const BUNDLE = join(DIST, 'index.js')
const WORK = join(ROOT, 'bench', '.work')
const RUN_DIR = join(WORK, 'run')
const NCC = join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
const TIME = '/usr/bin/time'
const D = EMULATOR_DEFAULTS

const REFERENCES = {
  startup: { entry: join(ROOT, 'bench', 'reference', 'index.ts'), out: join(WORK, 'reference') },
  create: { entry: join(ROOT, 'bench', 'reference', 'create.ts'), out: join(WORK, 'reference-create') }
}

const benchStarted = performance.now()

// ---------------------------------------------------------------------------------------------- helpers
function fail(message: string): never {
  console.error(`bench: ${message}`)
  process.exit(1)
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}
const min = (v: number[]): number => Math.min(...v)
const max = (v: number[]): number => Math.max(...v)

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} kB`
const ms = (v: number): string => `${v.toFixed(1)} ms`
const sec = (v: number): string => `${(v / 1000).toFixed(2)} s`
const mb = (kib: number): string => `${(kib / 1024).toFixed(1)} MB`
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}×`

function newestMtime(paths: string[]): number {
  return Math.max(...paths.filter((p) => existsSync(p)).map((p) => statSync(p).mtimeMs))
}

// ---------------------------------------------------------------------------------------------- preflight
if (!existsSync(BUNDLE)) fail(`${BUNDLE} is missing: run npm run build first`)
if (!existsSync(NCC)) fail('@vercel/ncc is not installed (node_modules/@vercel/ncc): run npm ci first')
const srcNewest = newestMtime(readdirSync(join(ROOT, 'src')).map((f) => join(ROOT, 'src', f)))
const staleDist = srcNewest > statSync(BUNDLE).mtimeMs
/** Other people rebuild dist/ in this folder: notice when it changes under the benchmark. */
const distStamp = (): string => readdirSync(DIST).map((f) => `${f}:${statSync(join(DIST, f)).mtimeMs}`).join(',')
const distAtStart = distStamp()
const loadAtStart = loadavg()[0]!
mkdirSync(RUN_DIR, { recursive: true })

/** Builds a reference entry with ncc exactly as `npm run build` builds the action, unless it is up to date. */
function buildReference(name: string, ref: { entry: string; out: string }): void {
  const output = join(ref.out, 'index.js')
  const inputs = [ref.entry, join(ROOT, 'src', 'signer.ts'), join(ROOT, 'package-lock.json'), join(ROOT, 'package.json')]
  if (existsSync(output) && statSync(output).mtimeMs > newestMtime(inputs)) return
  process.stdout.write(`Building reference '${name}' with ncc (${ref.entry.slice(ROOT.length)})... `)
  const t = performance.now()
  rmSync(ref.out, { recursive: true, force: true })
  const built = spawnSync(process.execPath, [NCC, 'build', ref.entry, '-o', ref.out], { cwd: ROOT, encoding: 'utf8' })
  if (built.status !== 0) fail(`ncc failed for ${ref.entry}:\n${built.stdout}\n${built.stderr}`)
  console.log(`${((performance.now() - t) / 1000).toFixed(1)} s`)
}

buildReference('startup', REFERENCES.startup)
buildReference('create', REFERENCES.create)
const REF_STARTUP = join(REFERENCES.startup.out, 'index.js')
const REF_CREATE = join(REFERENCES.create.out, 'index.js')
for (const file of [REF_STARTUP, REF_CREATE]) {
  // toolchain.md: in a package without "type":"module", ncc writes a ~5 kB bundle that throws at run time.
  if (statSync(file).size < 500_000) fail(`${file} is only ${kb(statSync(file).size)}: not a real bundle of the toolkit (see toolchain.md)`)
}

// ---------------------------------------------------------------------------------------------- running children
interface Child {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  /** wall time from spawn to exit */
  wallMs: number
  /** Date.now()-based exit time, comparable with the emulator's clock */
  exitAt: number
  /** peak RSS in KiB when measured */
  rssKb?: number
}

interface ChildOptions {
  inputs?: Record<string, string>
  env?: Record<string, string>
  args?: string[]
  measureRss?: boolean
  timeoutMs?: number
}

const EVENT_FILE = join(RUN_DIR, 'event.json')
const OUTPUT_FILE = join(RUN_DIR, 'output')
const SUMMARY_FILE = join(RUN_DIR, 'summary')
const RSS_FILE = join(RUN_DIR, 'rss')
const RSS_PRELOAD = join(RUN_DIR, 'rss-preload.mjs')
writeFileSync(EVENT_FILE, '{}')

/** /usr/bin/time -f %M when it works; otherwise a preload that writes process.resourceUsage().maxRSS at exit. */
const rssMethod: 'time' | 'preload' = (() => {
  if (existsSync(TIME) && spawnSync(TIME, ['-f', '%M', '-o', RSS_FILE, process.execPath, '-e', '0']).status === 0) {
    const v = Number(readFileSync(RSS_FILE, 'utf8').trim())
    if (Number.isFinite(v) && v > 0) return 'time'
  }
  writeFileSync(
    RSS_PRELOAD,
    "import { writeFileSync } from 'node:fs'\nprocess.on('exit', () => writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)))\n"
  )
  return 'preload'
})()

/** The same minimal environment for every child: what the runner sets, and nothing of this machine's. */
function childEnv(options: ChildOptions): Record<string, string> {
  const env = runnerEnv(options.inputs ?? {}, { eventFile: EVENT_FILE, outputFile: OUTPUT_FILE, summaryFile: SUMMARY_FILE }, options.env)
  if (options.measureRss && rssMethod === 'preload') env.BENCH_RSS_FILE = RSS_FILE
  delete env.NODE_EXTRA_CA_CERTS
  delete env.NODE_OPTIONS
  return env
}

function runChild(script: string | undefined, options: ChildOptions = {}): Promise<Child> {
  writeFileSync(OUTPUT_FILE, '')
  writeFileSync(SUMMARY_FILE, '')
  rmSync(RSS_FILE, { force: true })
  const nodeArgs = [...(options.args ?? []), ...(script ? [script] : [])]
  let command = process.execPath
  let args = nodeArgs
  if (options.measureRss && rssMethod === 'time') {
    command = TIME
    args = ['-f', '%M', '-o', RSS_FILE, process.execPath, ...nodeArgs]
  } else if (options.measureRss) {
    args = ['--import', RSS_PRELOAD, ...nodeArgs]
  }
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { env: childEnv(options), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let wallMs = 0
    let exitAt = 0
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000)
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('exit', () => {
      wallMs = performance.now() - started
      exitAt = Date.now()
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const result: Child = { code, signal, stdout, stderr, outputs: parseOutputFile(readFileSync(OUTPUT_FILE, 'utf8')), wallMs, exitAt }
      if (options.measureRss) {
        const rss = existsSync(RSS_FILE) ? Number(readFileSync(RSS_FILE, 'utf8').trim().split('\n').pop()) : NaN
        if (Number.isFinite(rss) && rss > 0) result.rssKb = rss
      }
      resolve(result)
    })
  })
}

function explain(what: string, run: Child): never {
  fail(`${what}: exit ${run.code ?? run.signal}\n--- stdout ---\n${run.stdout.slice(0, 3000)}\n--- stderr ---\n${run.stderr.slice(0, 3000)}`)
}

let runSeq = 0
/** A run id no earlier bench run used, so the emulator's duplicate-name check never fires. */
const nextRunId = (): string => String(Date.now() % 1_000_000_000) + String(++runSeq).padStart(3, '0')

// ---------------------------------------------------------------------------------------------- 1. bundle
const distFiles = readdirSync(DIST).filter((f) => f.endsWith('.js')).sort((a, b) => (a === 'index.js' ? -1 : b === 'index.js' ? 1 : a.localeCompare(b)))
const chunks = distFiles.filter((f) => f !== 'index.js')

// Prove what start-up loads: a copy of dist/ WITHOUT its chunks must still reach input validation.
const PROBE = join(WORK, 'probe-no-chunks')
rmSync(PROBE, { recursive: true, force: true })
mkdirSync(PROBE, { recursive: true })
copyFileSync(BUNDLE, join(PROBE, 'index.js'))
copyFileSync(join(DIST, 'package.json'), join(PROBE, 'package.json'))
const probe = await runChild(join(PROBE, 'index.js'))
const chunksLazy = probe.code === 1 && /Input 'cluster_id'/.test(probe.stdout) && !/Cannot find module|ERR_MODULE_NOT_FOUND/.test(probe.stderr)

const bundleRows = distFiles.map((f) => {
  const bytes = readFileSync(join(DIST, f))
  const when = f === 'index.js' ? 'start-up' : chunksLazy ? 'lazy, verified' : 'start-up?'
  return { file: `dist/${f}`, size: bytes.length, gzip: gzipSync(bytes).length, when }
})
const startupBytes = bundleRows.filter((r) => r.when === 'start-up' || r.when === 'start-up?').reduce((a, r) => a + r.size, 0)
const totalBytes = bundleRows.reduce((a, r) => a + r.size, 0)
const refStartupBytes = statSync(REF_STARTUP).size
const refCreateBytes = statSync(REF_CREATE).size

// ---------------------------------------------------------------------------------------------- 2. start-up
console.log(`Measuring start-up (${WARMUPS} warm-ups + ${STARTUP_RUNS} runs each, interleaved)...`)
const startupCmds: { key: 'node' | 'ref' | 'action'; script?: string; args?: string[] }[] = [
  { key: 'node', args: ['-e', '0'] },
  { key: 'ref', script: REF_STARTUP },
  { key: 'action', script: BUNDLE }
]
const startup = { node: [] as number[], ref: [] as number[], action: [] as number[] }
for (let round = 0; round < WARMUPS + STARTUP_RUNS; round++) {
  // Rotate the order each round so no command always runs right after the same other one.
  for (let k = 0; k < startupCmds.length; k++) {
    const cmd = startupCmds[(round + k) % startupCmds.length]!
    const run = await runChild(cmd.script, { args: cmd.args })
    if (cmd.key === 'action' && (run.code !== 1 || !/Input 'cluster_id'/.test(run.stdout))) explain('dist/index.js should stop at input validation', run)
    if (cmd.key !== 'action' && run.code !== 0) explain(`${cmd.key} start-up run failed`, run)
    if (round >= WARMUPS) startup[cmd.key].push(run.wallMs)
  }
}

// ---------------------------------------------------------------------------------------------- 3. create, no wait
console.log(`Measuring one create without waiting (${WARMUPS} warm-ups + ${CREATE_RUNS} runs each, interleaved)...`)
const baseInputs = {
  cluster_id: D.clusterId,
  project_id: D.projectId,
  access_key_id: D.accessKeyId,
  secret_access_key: D.secretAccessKey
}
/** Requests the emulator recorded while `body` ran, by route. */
async function countRequests<T>(emulator: Emulator, body: () => Promise<T>): Promise<{ result: T; requests: RecordedRequest[] }> {
  const before = emulator.requests.length
  const result = await body()
  return { result, requests: emulator.requests.slice(before) }
}

async function actionCreate(emulator: Emulator, measureRss = false): Promise<{ run: Child; calls: number }> {
  const runId = nextRunId()
  const { result: run, requests } = await countRequests(emulator, () =>
    runChild(BUNDLE, {
      inputs: { ...baseInputs, endpoint: emulator.url, name: `bench-{run_id}`, wait: 'false' },
      env: { GITHUB_RUN_ID: runId },
      measureRss
    })
  )
  if (run.code !== 0 || !run.outputs.snapshot_id || run.outputs.created !== 'true') explain('action create (wait: false) failed', run)
  return { run, calls: requests.length }
}

async function referenceCreate(emulator: Emulator, measureRss = false): Promise<{ run: Child; calls: number }> {
  const runId = nextRunId()
  const { result: run, requests } = await countRequests(emulator, () =>
    runChild(REF_CREATE, {
      inputs: { ...baseInputs, endpoint: emulator.url, name: `bench-ref-${runId}` },
      env: { GITHUB_RUN_ID: runId },
      measureRss
    })
  )
  if (run.code !== 0 || !run.outputs.snapshot_id) explain('reference create failed', run)
  return { run, calls: requests.length }
}

// creatingMs 0: each snapshot is AVAILABLE at once, so the next create never meets a busy cluster.
const createEmulator = await startEmulator({ creatingMs: 0 })
const create = { action: [] as number[], ref: [] as number[], actionCalls: [] as number[], refCalls: [] as number[] }
const rss = { actionNoWait: [] as number[], ref: [] as number[], actionFull: [] as number[] }
try {
  for (let round = 0; round < WARMUPS + CREATE_RUNS; round++) {
    const order = round % 2 ? (['ref', 'action'] as const) : (['action', 'ref'] as const)
    for (const who of order) {
      const { run, calls } = who === 'action' ? await actionCreate(createEmulator) : await referenceCreate(createEmulator)
      if (round < WARMUPS) continue
      create[who].push(run.wallMs)
      create[who === 'action' ? 'actionCalls' : 'refCalls'].push(calls)
    }
  }
  // 5 (part). Peak RSS of the short runs, measured apart so the wrapper never touches the timings above.
  console.log(`Measuring peak RSS of the create runs (${RSS_RUNS} runs each, ${rssMethod === 'time' ? '/usr/bin/time -f %M' : 'preload reading process.resourceUsage().maxRSS'})...`)
  for (let i = 0; i < RSS_RUNS; i++) {
    const a = await actionCreate(createEmulator, true)
    const r = await referenceCreate(createEmulator, true)
    if (a.run.rssKb === undefined || r.run.rssKb === undefined) fail('peak RSS could not be read')
    rss.actionNoWait.push(a.run.rssKb)
    rss.ref.push(r.run.rssKb)
  }
} finally {
  await createEmulator.close()
}

// ---------------------------------------------------------------------------------------------- 4. waiting (+ 5. full-run RSS)
console.log(`Measuring waiting: snapshot AVAILABLE ${CREATING_MS / 1000} s after the create, poll_interval ${POLL_MS / 1000}s, ${WAIT_RUNS} runs (~${Math.ceil(((CREATING_MS / POLL_MS) + 1) * POLL_MS / 1000) * WAIT_RUNS} s)...`)
/** When each create was answered (Date.now()): the emulator starts the snapshot's clock while handling it. */
const createdAt = new Map<string, number>()
/** When each details answer was sent. */
const detailsSeen: { at: number; path: string }[] = []
const waitEmulator = await startEmulator({
  creatingMs: CREATING_MS,
  onRequest: (r) => {
    const now = Date.now()
    if (r.route === 'create' && r.status === 200) {
      const name = (JSON.parse(r.body) as { snapshot?: { name?: string } }).snapshot?.name ?? ''
      createdAt.set(name, now)
    }
    if (r.route === 'details') detailsSeen.push({ at: now, path: r.path })
  }
})
interface WaitRun {
  lagMs: number
  afterLastPollMs: number
  /** seconds after the create answer at which each details call was answered */
  pollOffsets: number[]
  calls: number
  byRoute: Record<string, number>
  wallMs: number
}
const waits: WaitRun[] = []
try {
  for (let i = 0; i < WAIT_RUNS; i++) {
    const runId = nextRunId()
    const name = `bench-wait-${runId}`
    const { result: run, requests } = await countRequests(waitEmulator, () =>
      runChild(BUNDLE, {
        inputs: { ...baseInputs, endpoint: waitEmulator.url, name, wait: 'true', poll_interval: `${POLL_MS / 1000}s` },
        env: { GITHUB_RUN_ID: runId },
        measureRss: true,
        timeoutMs: CREATING_MS + 4 * POLL_MS + 10_000
      })
    )
    if (run.code !== 0 || run.outputs.status !== 'AVAILABLE') explain('action create + wait failed', run)
    const created = createdAt.get(name)
    if (created === undefined) fail(`the emulator saw no successful create for ${name}`)
    const availableAt = created + CREATING_MS
    const byRoute: Record<string, number> = {}
    for (const r of requests) byRoute[r.route ?? 'unmatched'] = (byRoute[r.route ?? 'unmatched'] ?? 0) + 1
    const polls = detailsSeen.filter((d) => d.path.includes(run.outputs.snapshot_id ?? '\0'))
    const lastPoll = polls[polls.length - 1]
    waits.push({
      lagMs: run.exitAt - availableAt,
      afterLastPollMs: lastPoll ? run.exitAt - lastPoll.at : NaN,
      pollOffsets: polls.map((d) => (d.at - created) / 1000),
      calls: requests.length,
      byRoute,
      wallMs: run.wallMs
    })
    if (run.rssKb !== undefined) rss.actionFull.push(run.rssKb)
  }
} finally {
  await waitEmulator.close()
}
const fixedDetails = Math.ceil(CREATING_MS / POLL_MS) + 1
const fixedCalls = 1 + 1 + fixedDetails

// ---------------------------------------------------------------------------------------------- report
const rows: string[][] = []
const row = (...cells: string[]): number => rows.push(cells)
const mStartA = median(startup.action)
const mStartR = median(startup.ref)
const mStartN = median(startup.node)
const mCreateA = median(create.action)
const mCreateR = median(create.ref)
const lags = waits.map((w) => w.lagMs)
const callsMax = max(waits.map((w) => w.calls))
const mRssFull = median(rss.actionFull)
const mRssRef = median(rss.ref)
const mRssNoWait = median(rss.actionNoWait)
const spread = (v: number[], f: (x: number) => string): string => `${f(min(v))}–${f(max(v))}`

row('1 Bundle', 'dist/index.js (start-up)', kb(bundleRows[0]!.size), `ref ${kb(refStartupBytes)}`, ratio(bundleRows[0]!.size, refStartupBytes), '—', `gzip ${kb(bundleRows[0]!.gzip)}`)
for (const r of bundleRows.slice(1)) row('', `${r.file} (${r.when})`, kb(r.size), '', '', '—', `gzip ${kb(r.gzip)}`)
row('', 'loaded at start-up / total', `${kb(startupBytes)} / ${kb(totalBytes)}`, `ref ${kb(refStartupBytes)} / same`, ratio(startupBytes, refStartupBytes), '—', `ref create bundle ${kb(refCreateBytes)}`)
row('2 Start-up', 'stop at input validation', ms(mStartA), `ref ${ms(mStartR)}`, ratio(mStartA, mStartR), `≤ ${TARGETS.startup.toFixed(2)}×`, `action ${spread(startup.action, (x) => x.toFixed(0))}, ref ${spread(startup.ref, (x) => x.toFixed(0))} ms; min/min ${ratio(min(startup.action), min(startup.ref))}`)
row('', 'vs node -e 0', ms(mStartA), `node ${ms(mStartN)}`, ratio(mStartA, mStartN), '—', `ref/node ${ratio(mStartR, mStartN)}`)
row('3 Create', 'wait: false, wall per process', ms(mCreateA), `ref ${ms(mCreateR)}`, ratio(mCreateA, mCreateR), `≤ ${TARGETS.create.toFixed(2)}×`, `API calls ${median(create.actionCalls)} vs ${median(create.refCalls)}; action ${spread(create.action, (x) => x.toFixed(0))}, ref ${spread(create.ref, (x) => x.toFixed(0))} ms`)
row('4 Waiting', `exit after AVAILABLE, median`, sec(median(lags)), `poll ${sec(POLL_MS)}`, ratio(median(lags), POLL_MS), `≤ ${sec(POLL_MS)}`, `T=${sec(CREATING_MS)}; ${waits.length} runs; wall ${sec(median(waits.map((w) => w.wallMs)))}`)
row('', `exit after AVAILABLE, max`, sec(max(lags)), `poll ${sec(POLL_MS)}`, ratio(max(lags), POLL_MS), `≤ ${sec(POLL_MS)}`, `of which after the last poll's answer: median ${ms(median(waits.map((w) => w.afterLastPollMs)))}`)
row('', 'API calls (max over runs)', String(callsMax), `fixed ${fixedCalls}`, ratio(callsMax, fixedCalls), `≤ ${fixedCalls}`, `${Object.entries(waits[0]!.byRoute).map(([k, v]) => `${k} ${v}`).join(', ')}; details at +${waits[0]!.pollOffsets.map((o) => o.toFixed(2)).join(', +')} s`)
row('5 Peak RSS', 'full run (create + wait)', mb(mRssFull), `ref ${mb(mRssRef)}`, ratio(mRssFull, mRssRef), `≤ ${TARGETS.rss.toFixed(2)}×`, `${rss.actionFull.length}+${rss.ref.length} runs; full ${spread(rss.actionFull, (x) => (x / 1024).toFixed(1))} MB`)
row('', 'create, wait: false', mb(mRssNoWait), `ref ${mb(mRssRef)}`, ratio(mRssNoWait, mRssRef), '—', `ref ${spread(rss.ref, (x) => (x / 1024).toFixed(1))} MB`)

const header = ['', 'Measure', 'Action', 'Reference', 'Ratio', 'Target', 'Notes']
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()

const cpuModel = cpus()[0]?.model?.trim() ?? 'unknown CPU'
console.log('')
console.log(`dws-snapshot-action benchmark — ${new Date().toISOString()}`)
console.log(`node ${process.version}, ${platform()} ${release()} ${arch()}, ${availableParallelism()} cores (${cpuModel})`)
console.log(`load average ${loadAtStart.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end (other work on this machine widens the spread)`)
console.log(`children: minimal env, NODE_EXTRA_CA_CERTS removed; medians of ${STARTUP_RUNS} (start-up), ${CREATE_RUNS} (create) runs after ${WARMUPS} warm-ups; peak RSS by ${rssMethod === 'time' ? '/usr/bin/time -f %M' : 'a preload reading process.resourceUsage().maxRSS'}`)
if (distStamp() !== distAtStart) console.log('WARNING: dist/ was rebuilt while the benchmark ran: the figures mix two builds; run it again.')
if (staleDist) console.log('WARNING: a file in src/ is newer than dist/index.js: the figures are for the bundle as built (npm run build).')
console.log('')
console.log(line(header))
console.log(line(widths.map((w) => '-'.repeat(w))))
for (const r of rows) console.log(line(r))
console.log('')
console.log('Fixed-interval polling, counted as: 1 list (duplicate check) + 1 create + one details call right after the create and one per')
console.log(`poll_interval until the first poll at or after T, i.e. ceil(T/poll)+1 = ${fixedDetails} details: ${fixedCalls} calls (project_id given, so no IAM call).`)
console.log(`Reference create: the same signed POST .../snapshots with node:http, nothing else (no list, no retries, no summary).`)
console.log('')
const verdict = (ok: boolean, text: string): void => console.log(`${ok ? 'MET    ' : 'NOT MET'}  ${text}`)
verdict(mStartA <= TARGETS.startup * mStartR, `start-up ≤ ${TARGETS.startup.toFixed(2)}× reference: ${ratio(mStartA, mStartR)} (${ms(mStartA)} vs ${ms(mStartR)})`)
verdict(mCreateA <= TARGETS.create * mCreateR, `create (wait: false) ≤ ${TARGETS.create.toFixed(2)}× reference: ${ratio(mCreateA, mCreateR)} (${ms(mCreateA)} vs ${ms(mCreateR)})`)
verdict(max(lags) <= POLL_MS, `exits within poll_interval (${sec(POLL_MS)}) of AVAILABLE: median ${sec(median(lags))}, max ${sec(max(lags))}`)
verdict(callsMax <= fixedCalls, `no more API calls than fixed-interval polling: max ${callsMax} vs ${fixedCalls}`)
verdict(mRssFull <= TARGETS.rss * mRssRef, `peak RSS of a full run ≤ ${TARGETS.rss.toFixed(2)}× reference create: ${ratio(mRssFull, mRssRef)} (${mb(mRssFull)} vs ${mb(mRssRef)})`)
console.log('')
console.log(`Chunks ${chunks.length ? chunks.join(', ') : '(none)'}: ${chunksLazy ? 'not needed to reach input validation (a copy of dist/ without them still stops there)' : 'NEEDED at start-up (a copy of dist/ without them fails before input validation)'}.`)
console.log(`Total bench time ${((performance.now() - benchStarted) / 1000).toFixed(0)} s.`)
