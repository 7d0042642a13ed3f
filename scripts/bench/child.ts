/**
 * Runs one measured child (the action, a reference bundle, or bare node) with the same minimal
 * environment every time: what the runner sets and nothing of this machine's. NODE_EXTRA_CA_CERTS in
 * particular adds ~30 ms to every Node start here, and GitHub's runners do not set it. Peak RSS, when
 * asked for, comes from /usr/bin/time or, without it, a preload reading process.resourceUsage().
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseOutputFile, runnerEnv } from '../run-bundle.js'
import { spawnAndCollect, type Finished } from '../spawn.js'
import { RUN_DIR, TIME } from './settings.js'

export interface Child extends Finished {
  outputs: Record<string, string>
  /** peak RSS in KiB when measured */
  rssKb?: number
}

interface ChildOptions {
  inputs?: Record<string, string>
  env?: Record<string, string>
  /** node's own arguments, before the script */
  args?: string[]
  measureRss?: boolean
  timeoutMs?: number
  /** a CA the child trusts (NODE_EXTRA_CA_CERTS): the relay's test CA */
  caFile?: string
}

export type RssMethod = 'time' | 'preload'
export type RunChild = (script: string | undefined, options?: ChildOptions) => Promise<Child>

const EVENT_FILE = join(RUN_DIR, 'event.json')
const OUTPUT_FILE = join(RUN_DIR, 'output')
const SUMMARY_FILE = join(RUN_DIR, 'summary')
const STATE_FILE = join(RUN_DIR, 'state')
const RSS_FILE = join(RUN_DIR, 'rss')
const RSS_PRELOAD = join(RUN_DIR, 'rss-preload.mjs')

/** Children run one at a time and share the command files in RUN_DIR. */
export function childRunner(): { runChild: RunChild; rssMethod: RssMethod } {
  mkdirSync(RUN_DIR, { recursive: true })
  writeFileSync(EVENT_FILE, '{}')
  const rssMethod = detectRssMethod()
  const runChild: RunChild = async (script, options = {}) => {
    writeFileSync(OUTPUT_FILE, '')
    writeFileSync(SUMMARY_FILE, '')
    writeFileSync(STATE_FILE, '')
    rmSync(RSS_FILE, { force: true })
    const [command, args] = commandLine(script, options, rssMethod)
    const finished = await spawnAndCollect(command, args, { env: childEnv(options, rssMethod), timeoutMs: options.timeoutMs ?? 30_000 })
    const result: Child = { ...finished, outputs: parseOutputFile(readFileSync(OUTPUT_FILE, 'utf8')) }
    if (options.measureRss) {
      const rss = existsSync(RSS_FILE) ? Number(readFileSync(RSS_FILE, 'utf8').trim().split('\n').pop()) : NaN
      if (Number.isFinite(rss) && rss > 0) result.rssKb = rss
    }
    return result
  }
  return { runChild, rssMethod }
}

/** /usr/bin/time -f %M when it works; otherwise a preload that writes process.resourceUsage().maxRSS at exit. */
function detectRssMethod(): RssMethod {
  if (existsSync(TIME) && spawnSync(TIME, ['-f', '%M', '-o', RSS_FILE, process.execPath, '-e', '0']).status === 0) {
    const v = Number(readFileSync(RSS_FILE, 'utf8').trim())
    if (Number.isFinite(v) && v > 0) return 'time'
  }
  writeFileSync(
    RSS_PRELOAD,
    "import { writeFileSync } from 'node:fs'\nprocess.on('exit', () => writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)))\n"
  )
  return 'preload'
}

function commandLine(script: string | undefined, options: ChildOptions, rssMethod: RssMethod): [string, string[]] {
  const nodeArgs = [...(options.args ?? []), ...(script ? [script] : [])]
  if (options.measureRss && rssMethod === 'time') return [TIME, ['-f', '%M', '-o', RSS_FILE, process.execPath, ...nodeArgs]]
  if (options.measureRss) return [process.execPath, ['--import', RSS_PRELOAD, ...nodeArgs]]
  return [process.execPath, nodeArgs]
}

function childEnv(options: ChildOptions, rssMethod: RssMethod): Record<string, string> {
  const env = runnerEnv(
    options.inputs ?? {},
    { eventFile: EVENT_FILE, outputFile: OUTPUT_FILE, summaryFile: SUMMARY_FILE, stateFile: STATE_FILE },
    options.env
  )
  if (options.measureRss && rssMethod === 'preload') env.BENCH_RSS_FILE = RSS_FILE
  delete env.NODE_EXTRA_CA_CERTS
  delete env.NODE_OPTIONS
  if (options.caFile !== undefined) env.NODE_EXTRA_CA_CERTS = options.caFile
  return env
}
