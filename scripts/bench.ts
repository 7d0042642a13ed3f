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
 *  6. One create over a relay that adds a 100 ms round trip and TLS (a test CA made with openssl),
 *     vs the reference's single signed POST over the same relay, with connections per run.
 *  7. Progress-aware waiting on the emulator's clock (in-process): delay from the snapshot's end to
 *     the step's end and status calls, linear progress 30 s–2 h, and misleading progress.
 *  8. The name check in projects of 10 000 and 50 000 snapshots of real size.
 *  9. A fleet: 50 clusters in one step vs one cluster (wall time, listing calls, peak RSS).
 * 10. A hostile 100 MB answer to each call in turn: one clear error, its wall time and peak RSS.
 *
 * Every child runs with a minimal environment (no NODE_EXTRA_CA_CERTS: it adds ~30 ms to every Node
 * start on this machine and GitHub's runners do not set it). All traffic goes to the emulator on 127.0.0.1.
 * The reference bundles are built into bench/.work/ (git-ignored) and rebuilt only when their sources change.
 * The measures and the report live in scripts/bench/; children start through scripts/spawn.ts, as the
 * tests' bundle runner does.
 */
import { existsSync, statSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { childRunner } from './bench/child.js'
import { fail } from './bench/fail.js'
import { filesUnder, folderStamp, newestMtime } from './bench/files.js'
import { measureBundle } from './bench/measure-bundle.js'
import { measureCreate } from './bench/measure-create.js'
import { measureFleet, printFleet } from './bench/measure-fleet.js'
import { measureFlood } from './bench/measure-flood.js'
import { measureNameCheck } from './bench/measure-names.js'
import { measureProgress } from './bench/measure-progress.js'
import { measureRelay } from './bench/measure-relay.js'
import { measureStartup } from './bench/measure-startup.js'
import { measureWaiting } from './bench/measure-wait.js'
import { buildReferences } from './bench/references.js'
import { printReport } from './bench/report.js'
import { printTargets } from './bench/report-targets.js'
import { BUNDLE, DIST, NCC, ROOT } from './bench/settings.js'
import { median } from './bench/stats.js'

const startedAt = performance.now()
if (!existsSync(BUNDLE)) fail(`${BUNDLE} is missing: run npm run build first`)
if (!existsSync(NCC)) fail('@vercel/ncc is not installed (node_modules/@vercel/ncc): run npm ci first')
const srcNewerThanDist = newestMtime(filesUnder(join(ROOT, 'src'))) > statSync(BUNDLE).mtimeMs
const distAtStart = folderStamp(DIST)
const loadAtStart = loadavg()[0]!

const references = buildReferences()
const { runChild, rssMethod } = childRunner()
const bundle = await measureBundle(runChild, references)
const startup = await measureStartup(runChild, references.startup)
const { create, rss: createRss } = await measureCreate(runChild, references.create, rssMethod)
const { waits, rssFull } = await measureWaiting(runChild)
const relay = await measureRelay(runChild, references.create)
const progress = await measureProgress()
const names = await measureNameCheck(runChild)
const fleet = await measureFleet(runChild)
const flood = await measureFlood(runChild)

printReport(
  { bundle, startup, create, createRss, waits, rssFull },
  { rssMethod, loadAtStart, startedAt, distRebuilt: folderStamp(DIST) !== distAtStart, srcNewerThanDist }
)
printTargets({
  progress,
  relay,
  names,
  flood,
  startup: { action: median(startup.action), ref: median(startup.ref) },
  rss: { actionNoWait: median(createRss.actionNoWait), full: median(rssFull), ref: median(createRss.ref) }
})
printFleet(fleet)
