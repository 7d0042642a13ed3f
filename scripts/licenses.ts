/**
 * dist/licenses.txt: every package bundled into dist/ (found from the webpack stats of each ncc
 * build), with its version, licence and licence text. ncc's own --license output lists only a few
 * of them. Written by scripts/build.ts.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

interface StatsModule {
  name?: string
  identifier?: string
  modules?: StatsModule[]
}

/** The package folder a bundled module comes from: the innermost node_modules/<name>. */
function packageDirOf(moduleName: string): string | undefined {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)/.exec(moduleName.replace(/\\/g, '/').replace(/^.*!/, ''))
  return match?.[1]
}

/** Writes the licences of every package in the builds whose stats files are given; returns a line for the log. */
export function writeLicenses(statsPaths: readonly string[], outPath: string): string {
  const dirs = new Set<string>()
  const visit = (modules: StatsModule[] | undefined): void => {
    for (const m of modules ?? []) {
      const dir = packageDirOf(m.identifier ?? m.name ?? '')
      if (dir) dirs.add(resolve(dir.replace(/^\.\//, '')))
      visit(m.modules)
    }
  }
  for (const path of statsPaths) {
    const stats = JSON.parse(readFileSync(path, 'utf8')) as { modules?: StatsModule[]; chunks?: { modules?: StatsModule[] }[] }
    visit(stats.modules)
    for (const chunk of stats.chunks ?? []) visit(chunk.modules)
  }

  const entries = [...dirs].map((dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: string }
    const licenseFile = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f))
    const text =
      licenseFile && existsSync(join(dir, licenseFile))
        ? readFileSync(join(dir, licenseFile), 'utf8').trim()
        : '(no licence file in the package)'
    return { id: `${pkg.name}@${pkg.version}`, license: pkg.license ?? 'UNKNOWN', text }
  })
  entries.sort((a, b) => a.id.localeCompare(b.id))
  const unique = entries.filter((e, i) => i === 0 || entries[i - 1]!.id !== e.id)
  writeFileSync(outPath, unique.map((e) => `${e.id}\n${e.license}\n${e.text}\n`).join('\n'))
  return `${outPath}: ${unique.length} bundled packages`
}
