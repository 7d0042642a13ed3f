/**
 * The second table: "done sooner, with fewer calls" — progress-aware waiting, one connection per
 * host over a slow TLS link, the name check in large projects, each beside what fixed polling (or
 * the reference) costs and the target it must meet.
 */
import type { FloodCase } from './measure-flood.js'
import type { NameCheckSize } from './measure-names.js'
import { fixedPollingCalls, type ProgressFigures, type WaitCase } from './measure-progress.js'
import type { RelayFigures } from './measure-relay.js'
import { RELAY_RTT_MS } from './settings.js'
import { max, mb, median, ms, ratio, sec } from './stats.js'
import { printRows } from './table.js'

export interface TargetFigures {
  progress: ProgressFigures
  relay: RelayFigures
  names: NameCheckSize[]
  flood: FloodCase[]
  /** medians from the first table */
  startup: { action: number; ref: number }
  rss: { actionNoWait: number; full: number; ref: number }
}

const TARGET = {
  meanDelayMs: 3_000,
  p95DelayMs: 5_000,
  hourCalls: 50,
  twoHourCalls: 90,
  shortCalls: 12,
  relayRatio: 1.3,
  nameCheckMs: 100,
  nameCheckMb: 25,
  nameCheckLargeMb: 40,
  floodRssMb: 150,
  floodMs: 20_000,
  startup: 1.0,
  rss: 1.0
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1]!
const delays = (cases: WaitCase[]): number[] => cases.map((c) => c.delayMs)
const calls = (cases: WaitCase[]): number[] => cases.map((c) => c.statusCalls)

/** Fixed polling: the end falls anywhere in a poll interval, so "done" comes poll/2 late on average. */
function fixedDelays(poll: number): { mean: number; p95: number } {
  return { mean: poll / 2, p95: poll * 0.95 }
}

export function printTargets(f: TargetFigures): void {
  const rows: string[][] = []
  const verdicts: [boolean, string][] = []
  const row = (measure: string, action: string, today: string, target: string, ok: boolean, notes: string): void => {
    rows.push([measure, action, today, target, ok ? 'MET' : 'NOT MET', notes])
    verdicts.push([ok, `${measure}: ${action} (target ${target})`])
  }
  const { progress: p } = f
  const poll = p.fixedPollMs
  const fixed = fixedDelays(poll)
  const lin = delays(p.linear)
  row(
    'delay service done → step done, linear, 5 min–2 h (mean / p95)',
    `${sec(mean(lin))} / ${sec(p95(lin))}`,
    `${sec(fixed.mean)} / ${sec(fixed.p95)}`,
    `≤ ${sec(TARGET.meanDelayMs)} / ≤ ${sec(TARGET.p95DelayMs)}`,
    mean(lin) <= TARGET.meanDelayMs && p95(lin) <= TARGET.p95DelayMs,
    `${p.linear.length} runs, max ${sec(max(lin))}; today = fixed ${sec(poll)} polling`
  )
  const hour = max(calls(p.hour))
  const twoHours = max(calls(p.twoHours))
  row(
    'status calls, 1 h / 2 h snapshot (max)',
    `${hour} / ${twoHours}`,
    `${fixedPollingCalls(3_600_000, poll)} / ${fixedPollingCalls(7_200_000, poll)}`,
    `≤ ${TARGET.hourCalls} / ≤ ${TARGET.twoHourCalls}`,
    hour <= TARGET.hourCalls && twoHours <= TARGET.twoHourCalls,
    `snapshot + cluster reads, counted alike for both; ${p.hour.length} runs each`
  )
  const short = max(calls(p.short))
  row(
    'status calls, snapshot of 30 s–2 min (max)',
    String(short),
    String(fixedPollingCalls(120_000, poll)),
    `≤ ${TARGET.shortCalls}`,
    short <= TARGET.shortCalls,
    `${p.short.length} runs`
  )
  const worst = max(delays(p.misleading))
  const byShape = [...new Set(p.misleading.map((c) => c.shape))]
    .map((shape) => `${shape} ${sec(max(delays(p.misleading.filter((c) => c.shape === shape))))}`)
    .join(', ')
  row(
    'no or misleading progress: delay (max)',
    sec(worst),
    `≤ ${sec(poll)}`,
    `≤ poll_interval (${sec(poll)})`,
    worst <= poll,
    `${byShape}; 2 min–1 h`
  )
  const relayAction = median(f.relay.action)
  const relayRef = median(f.relay.ref)
  row(
    `one create, wait: false, TLS relay +${RELAY_RTT_MS} ms RTT`,
    ms(relayAction),
    `ref ${ms(relayRef)}`,
    `≤ ${TARGET.relayRatio.toFixed(2)}× ref`,
    relayAction <= TARGET.relayRatio * relayRef,
    `${ratio(relayAction, relayRef)}; connections per run: action ${max(f.relay.actionConnections)} for ${median(f.relay.actionCalls)} calls, ref ${max(f.relay.refConnections)}`
  )
  const empty = f.names.find((n) => n.snapshots === 0)
  for (const size of f.names.filter((n) => n.snapshots > 0)) {
    if (empty === undefined) break
    const addedMs = median(size.wallMs) - median(empty.wallMs)
    const addedKb = median(size.rssKb) - median(empty.rssKb)
    const serverMs = median(size.serverMs) - median(empty.serverMs)
    // The emulator's time to build and send the list is the server's, not the action's.
    const ownMs = addedMs - serverMs
    const small = size.snapshots <= 10_000
    row(
      `name check, ${size.snapshots.toLocaleString('en')} snapshots`,
      `+${ms(ownMs)}, +${mb(addedKb)}`,
      'fails past ~9 000',
      small ? `≤ +${TARGET.nameCheckMs} ms, ≤ +${TARGET.nameCheckMb} MB` : `≤ +${TARGET.nameCheckLargeMb} MB`,
      small ? ownMs <= TARGET.nameCheckMs && addedKb / 1024 <= TARGET.nameCheckMb : addedKb / 1024 <= TARGET.nameCheckLargeMb,
      `vs an empty project: wall +${ms(addedMs)}, of which the emulator building and sending the ${(size.listBytes / 1e6).toFixed(1)} MB list ${ms(serverMs)}`
    )
  }
  if (f.flood.length > 0) {
    const worstRss = Math.max(...f.flood.map((c) => c.rssKb))
    const worstMs = Math.max(...f.flood.map((c) => c.wallMs))
    row(
      'a 100 MB answer to any call: peak RSS / wall (max)',
      `${mb(worstRss)} / ${sec(worstMs)}`,
      '~314 MB (held whole)',
      `< ${TARGET.floodRssMb} MB, ≤ ${sec(TARGET.floodMs)}`,
      worstRss / 1024 < TARGET.floodRssMb && worstMs <= TARGET.floodMs,
      f.flood.map((c) => `${c.what} ${mb(c.rssKb)}`).join(', ')
    )
  }
  row(
    'start-up to a validation error',
    ms(f.startup.action),
    `ref ${ms(f.startup.ref)}`,
    `≤ ${TARGET.startup.toFixed(2)}×`,
    f.startup.action <= TARGET.startup * f.startup.ref,
    ratio(f.startup.action, f.startup.ref)
  )
  row(
    'peak RSS, create wait: false',
    mb(f.rss.actionNoWait),
    `ref ${mb(f.rss.ref)}`,
    `≤ ${TARGET.rss.toFixed(2)}×`,
    f.rss.actionNoWait <= TARGET.rss * f.rss.ref,
    `${ratio(f.rss.actionNoWait, f.rss.ref)}; full run (create + wait) ${mb(f.rss.full)}, ${ratio(f.rss.full, f.rss.ref)}`
  )

  console.log('')
  console.log('Done sooner, with fewer calls (waiting on the emulator clock, in-process; the rest real time, the bundle):')
  printRows(['Measure', 'Action', 'Today / reference', 'Target', 'Verdict', 'Notes'], rows)
  console.log('')
  for (const [ok, text] of verdicts) console.log(`${ok ? 'MET    ' : 'NOT MET'}  ${text}`)
}
