/**
 * The reference actions the report compares with (bench/reference/): bundled with ncc exactly as
 * `npm run build` bundles the action, into bench/.work/, and rebuilt only when their sources change.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fail } from './fail.js'
import { filesUnder, newestMtime } from './files.js'
import { NCC, REFERENCES, ROOT } from './settings.js'
import { kb } from './stats.js'

/** Builds both references when needed; returns their bundles. */
export function buildReferences(): { startup: string; create: string } {
  const built = { startup: buildReference('startup', REFERENCES.startup), create: buildReference('create', REFERENCES.create) }
  for (const file of [built.startup, built.create]) {
    // In a package without "type":"module", ncc writes a ~5 kB bundle that throws at run time.
    if (statSync(file).size < 500_000)
      fail(`${file} is only ${kb(statSync(file).size)}: not a real bundle of the toolkit (is package.json still "type": "module"?)`)
  }
  return built
}

function buildReference(name: string, ref: { entry: string; out: string }): string {
  const output = join(ref.out, 'index.js')
  // The create reference bundles the project's signer from src/: any change there counts.
  const inputs = [ref.entry, ...filesUnder(join(ROOT, 'src')), join(ROOT, 'package-lock.json'), join(ROOT, 'package.json')]
  if (existsSync(output) && statSync(output).mtimeMs > newestMtime(inputs)) return output
  process.stdout.write(`Building reference '${name}' with ncc (${ref.entry.slice(ROOT.length)})... `)
  const t = performance.now()
  rmSync(ref.out, { recursive: true, force: true })
  const built = spawnSync(process.execPath, [NCC, 'build', ref.entry, '-o', ref.out], { cwd: ROOT, encoding: 'utf8' })
  if (built.status !== 0) fail(`ncc failed for ${ref.entry}:\n${built.stdout}\n${built.stderr}`)
  console.log(`${((performance.now() - t) / 1000).toFixed(1)} s`)
  return output
}
