/** How much the benchmark measures, its targets, and where it finds and keeps its files. */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const STARTUP_RUNS = 41
export const CREATE_RUNS = 25
export const WARMUPS = 2
export const WAIT_RUNS = 4
export const RSS_RUNS = 7
/** how long the emulator takes to build a snapshot in the waiting measure */
export const CREATING_MS = 6000
export const POLL_MS = 5000
/** the relay's added round trip, and the create runs over it */
export const RELAY_RTT_MS = 100
export const RELAY_RUNS = 15
/** poll_interval of the progress-aware waiting measure (the input's default) */
export const PROGRESS_POLL_MS = 20_000
/** projects of this many snapshots for the name check, and runs per size */
export const NAME_CHECK_SIZES = [0, 10_000, 50_000]
export const NAME_CHECK_RUNS = 5
/** bytes per snapshot in the list, as the real service's list items (~50 MB for 50 000) */
export const LIST_ITEM_BYTES = 1_000
/** action ÷ reference ratios the report calls MET */
export const TARGETS = { startup: 1.0, create: 1.15, rss: 1.15 }

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const DIST = join(ROOT, 'dist')
/** The committed bundle: the benchmark measures what ships. */
export const BUNDLE = join(DIST, 'index.js')
/** git-ignored */
export const WORK = join(ROOT, 'bench', '.work')
export const RUN_DIR = join(WORK, 'run')
export const NCC = join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
export const TIME = '/usr/bin/time'

export const REFERENCES = {
  startup: { entry: join(ROOT, 'bench', 'reference', 'index.ts'), out: join(WORK, 'reference') },
  create: { entry: join(ROOT, 'bench', 'reference', 'create.ts'), out: join(WORK, 'reference-create') }
}
