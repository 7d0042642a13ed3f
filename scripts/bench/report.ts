/** The printed report: the machine, one table of measures against the reference, and the verdicts on the targets. */
import { arch, availableParallelism, cpus, loadavg, platform, release } from 'node:os'
import { performance } from 'node:perf_hooks'
import type { RssMethod } from './child.js'
import type { BundleFigures } from './measure-bundle.js'
import type { CreateFigures, CreateRss } from './measure-create.js'
import type { StartupFigures } from './measure-startup.js'
import { FIXED_CALLS, FIXED_DETAILS, type WaitRun } from './measure-wait.js'
import { CREATE_RUNS, CREATING_MS, POLL_MS, STARTUP_RUNS, TARGETS, WARMUPS } from './settings.js'
import { kb, max, mb, median, min, ms, ratio, sec, spread } from './stats.js'
import { printRows } from './table.js'

interface Figures {
  bundle: BundleFigures
  startup: StartupFigures
  create: CreateFigures
  createRss: CreateRss
  waits: WaitRun[]
  /** peak RSS of the full (create + wait) runs, KiB */
  rssFull: number[]
}

interface RunNotes {
  rssMethod: RssMethod
  loadAtStart: number
  /** performance.now() when the benchmark started */
  startedAt: number
  distRebuilt: boolean
  srcNewerThanDist: boolean
}

/** The medians every part of the report compares. */
function summarize(f: Figures) {
  const lags = f.waits.map((w) => w.lagMs)
  return {
    startAction: median(f.startup.action),
    startRef: median(f.startup.ref),
    startNode: median(f.startup.node),
    createAction: median(f.create.action),
    createRef: median(f.create.ref),
    lags,
    callsMax: max(f.waits.map((w) => w.calls)),
    rssFull: median(f.rssFull),
    rssRef: median(f.createRss.ref),
    rssNoWait: median(f.createRss.actionNoWait)
  }
}

function tableRows(f: Figures): string[][] {
  const s = summarize(f)
  const b = f.bundle
  const first = b.rows[0]!
  const rows: string[][] = []
  const row = (...cells: string[]): number => rows.push(cells)
  row(
    '1 Bundle',
    'dist/index.js (start-up)',
    kb(first.size),
    `ref ${kb(b.refStartupBytes)}`,
    ratio(first.size, b.refStartupBytes),
    '—',
    `gzip ${kb(first.gzip)}`
  )
  for (const r of b.rows.slice(1)) row('', `${r.file} (${r.when})`, kb(r.size), '', '', '—', `gzip ${kb(r.gzip)}`)
  row(
    '',
    'loaded at start-up / total',
    `${kb(b.startupBytes)} / ${kb(b.totalBytes)}`,
    `ref ${kb(b.refStartupBytes)} / same`,
    ratio(b.startupBytes, b.refStartupBytes),
    '—',
    `ref create bundle ${kb(b.refCreateBytes)}`
  )
  row(
    '2 Start-up',
    'stop at input validation',
    ms(s.startAction),
    `ref ${ms(s.startRef)}`,
    ratio(s.startAction, s.startRef),
    `≤ ${TARGETS.startup.toFixed(2)}×`,
    `action ${spread(f.startup.action, (x) => x.toFixed(0))}, ref ${spread(f.startup.ref, (x) => x.toFixed(0))} ms; min/min ${ratio(min(f.startup.action), min(f.startup.ref))}`
  )
  row(
    '',
    'vs node -e 0',
    ms(s.startAction),
    `node ${ms(s.startNode)}`,
    ratio(s.startAction, s.startNode),
    '—',
    `ref/node ${ratio(s.startRef, s.startNode)}`
  )
  row(
    '3 Create',
    'wait: false, wall per process',
    ms(s.createAction),
    `ref ${ms(s.createRef)}`,
    ratio(s.createAction, s.createRef),
    `≤ ${TARGETS.create.toFixed(2)}×`,
    `API calls ${median(f.create.actionCalls)} vs ${median(f.create.refCalls)}; action ${spread(f.create.action, (x) => x.toFixed(0))}, ref ${spread(f.create.ref, (x) => x.toFixed(0))} ms`
  )
  row(
    '4 Waiting',
    `exit after AVAILABLE, median`,
    sec(median(s.lags)),
    `poll ${sec(POLL_MS)}`,
    ratio(median(s.lags), POLL_MS),
    `≤ ${sec(POLL_MS)}`,
    `T=${sec(CREATING_MS)}; ${f.waits.length} runs; wall ${sec(median(f.waits.map((w) => w.wallMs)))}`
  )
  row(
    '',
    `exit after AVAILABLE, max`,
    sec(max(s.lags)),
    `poll ${sec(POLL_MS)}`,
    ratio(max(s.lags), POLL_MS),
    `≤ ${sec(POLL_MS)}`,
    `of which after the last poll's answer: median ${ms(median(f.waits.map((w) => w.afterLastPollMs)))}`
  )
  row(
    '',
    'API calls (max over runs)',
    String(s.callsMax),
    `fixed ${FIXED_CALLS}`,
    ratio(s.callsMax, FIXED_CALLS),
    `≤ ${FIXED_CALLS}`,
    `${Object.entries(f.waits[0]!.byRoute)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}; details at +${f.waits[0]!.pollOffsets.map((o) => o.toFixed(2)).join(', +')} s`
  )
  row(
    '5 Peak RSS',
    'full run (create + wait)',
    mb(s.rssFull),
    `ref ${mb(s.rssRef)}`,
    ratio(s.rssFull, s.rssRef),
    `≤ ${TARGETS.rss.toFixed(2)}×`,
    `${f.rssFull.length}+${f.createRss.ref.length} runs; full ${spread(f.rssFull, (x) => (x / 1024).toFixed(1))} MB`
  )
  row(
    '',
    'create, wait: false',
    mb(s.rssNoWait),
    `ref ${mb(s.rssRef)}`,
    ratio(s.rssNoWait, s.rssRef),
    '—',
    `ref ${spread(f.createRss.ref, (x) => (x / 1024).toFixed(1))} MB`
  )
  return rows
}

function printTable(rows: string[][]): void {
  printRows(['', 'Measure', 'Action', 'Reference', 'Ratio', 'Target', 'Notes'], rows)
}

function printMachine(notes: RunNotes): void {
  const cpuModel = cpus()[0]?.model.trim() ?? 'unknown CPU'
  console.log(`dws-snapshot-action benchmark — ${new Date().toISOString()}`)
  console.log(`node ${process.version}, ${platform()} ${release()} ${arch()}, ${availableParallelism()} cores (${cpuModel})`)
  console.log(
    `load average ${notes.loadAtStart.toFixed(2)} at the start, ${loadavg()[0]!.toFixed(2)} at the end (other work on this machine widens the spread)`
  )
  console.log(
    `children: minimal env, NODE_EXTRA_CA_CERTS removed; medians of ${STARTUP_RUNS} (start-up), ${CREATE_RUNS} (create) runs after ${WARMUPS} warm-ups; peak RSS by ${notes.rssMethod === 'time' ? '/usr/bin/time -f %M' : 'a preload reading process.resourceUsage().maxRSS'}`
  )
  if (notes.distRebuilt) console.log('WARNING: dist/ was rebuilt while the benchmark ran: the figures mix two builds; run it again.')
  if (notes.srcNewerThanDist)
    console.log('WARNING: a file in src/ is newer than dist/index.js: the figures are for the bundle as built (npm run build).')
}

function printVerdicts(f: Figures): void {
  const s = summarize(f)
  const verdict = (ok: boolean, text: string): void => console.log(`${ok ? 'MET    ' : 'NOT MET'}  ${text}`)
  verdict(
    s.startAction <= TARGETS.startup * s.startRef,
    `start-up ≤ ${TARGETS.startup.toFixed(2)}× reference: ${ratio(s.startAction, s.startRef)} (${ms(s.startAction)} vs ${ms(s.startRef)})`
  )
  verdict(
    s.createAction <= TARGETS.create * s.createRef,
    `create (wait: false) ≤ ${TARGETS.create.toFixed(2)}× reference: ${ratio(s.createAction, s.createRef)} (${ms(s.createAction)} vs ${ms(s.createRef)})`
  )
  verdict(
    max(s.lags) <= POLL_MS,
    `exits within poll_interval (${sec(POLL_MS)}) of AVAILABLE: median ${sec(median(s.lags))}, max ${sec(max(s.lags))}`
  )
  verdict(s.callsMax <= FIXED_CALLS, `no more API calls than fixed-interval polling: max ${s.callsMax} vs ${FIXED_CALLS}`)
  verdict(
    s.rssFull <= TARGETS.rss * s.rssRef,
    `peak RSS of a full run ≤ ${TARGETS.rss.toFixed(2)}× reference create: ${ratio(s.rssFull, s.rssRef)} (${mb(s.rssFull)} vs ${mb(s.rssRef)})`
  )
}

export function printReport(f: Figures, notes: RunNotes): void {
  console.log('')
  printMachine(notes)
  console.log('')
  printTable(tableRows(f))
  console.log('')
  console.log(
    'Fixed-interval polling, counted as: 1 list (duplicate check) + 1 create + one details call right after the create and one per'
  )
  console.log(
    `poll_interval until the first poll at or after T, i.e. ceil(T/poll)+1 = ${FIXED_DETAILS} details, + 1 cluster read (the cluster has left its snapshot task): ${FIXED_CALLS} calls (project_id given, so no IAM call).`
  )
  console.log(`Reference create: the same signed POST .../snapshots with node:http, nothing else (no list, no retries, no summary).`)
  console.log('')
  printVerdicts(f)
  console.log('')
  const { chunks, chunksLazy } = f.bundle
  console.log(
    `Chunks ${chunks.length ? chunks.join(', ') : '(none)'}: ${chunksLazy ? 'not needed to reach input validation (a copy of dist/ without them still stops there)' : 'NEEDED at start-up (a copy of dist/ without them fails before input validation)'}.`
  )
  console.log(`Total bench time ${((performance.now() - notes.startedAt) / 1000).toFixed(0)} s.`)
}
