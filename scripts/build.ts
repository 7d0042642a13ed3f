/**
 * `npm run build`: every bundle of the repository's actions (scripts/metadata/actions.ts) built
 * with ncc at once, then dist/licenses.txt for all the packages they carry.
 *
 *   tsx scripts/build.ts                  into the repository's dist/
 *   tsx scripts/build.ts --out DIR        into DIR/dist/ (the end-to-end tests: a fresh build of src/)
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { writeLicenses } from './licenses.js'
import { allBundles, type BundleEntry } from './metadata/actions.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const NCC = join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')

const { values } = parseArgs({ options: { out: { type: 'string' } } })
const out = resolve(values.out ?? ROOT)
// ncc leaves what an earlier build wrote (a chunk no longer made, say): every build starts from nothing.
rmSync(join(out, 'dist'), { recursive: true, force: true })
const work = join(ROOT, 'node_modules', '.ncc-stats')
rmSync(work, { recursive: true, force: true })
mkdirSync(work, { recursive: true })

/** One bundle; a build into another folder shares no cache with a build running here at the same time. */
function build(entry: BundleEntry, i: number): Promise<string> {
  const stats = join(work, `${i}.json`)
  const args = [NCC, 'build', join(ROOT, entry.src), '-o', dirname(join(out, entry.bundle)), '--stats-out', stats]
  if (values.out !== undefined) args.push('--no-cache')
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let printed = ''
    child.stdout.on('data', (d: Buffer) => (printed += d.toString()))
    child.stderr.on('data', (d: Buffer) => (printed += d.toString()))
    child.on('error', fail)
    child.on('close', (code) => {
      if (code === 0) done(stats)
      else fail(new Error(`ncc could not bundle ${entry.src} (exit ${String(code)}):\n${printed}`))
    })
  })
}

const METADATA_ASSET = 'action-inputs.yml'

/**
 * ncc copies each action's action.yml next to its bundle (the bundle reads its inputs from it) under the
 * file's own name when it can. A file named action.yml under dist/ would read as an action of its own,
 * whose runs.main (relative to dist/) names no file: it is renamed, and the one reference rewritten.
 */
function renameMetadataAsset(bundle: string): void {
  const folder = dirname(join(out, bundle))
  const asset = join(folder, 'action.yml')
  if (!existsSync(asset)) return
  const code = readFileSync(join(out, bundle), 'utf8')
  const reference = '__nccwpck_require__.ab + "action.yml"'
  if (code.split(reference).length !== 2) throw new Error(`${bundle}: expected one reference to its action.yml asset`)
  renameSync(asset, join(folder, METADATA_ASSET))
  writeFileSync(join(out, bundle), code.replace(reference, `__nccwpck_require__.ab + "${METADATA_ASSET}"`))
}
const bundles = allBundles()
const stats = await Promise.all(bundles.map(build))
for (const bundle of bundles) renameMetadataAsset(bundle.bundle)
console.log(`built ${bundles.map((b) => b.bundle).join(', ')}`)
console.log(writeLicenses(stats, join(out, 'dist', 'licenses.txt')))
