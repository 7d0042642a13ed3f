/**
 * The release workflow's (.github/workflows/release.yml) checks and texts, testable offline:
 *
 *   tsx scripts/release.ts notes v1.2.3   checks that the tag is package.json's version and prints
 *                                         that version's section of CHANGELOG.md (the release notes)
 *   tsx scripts/release.ts major v1.2.3   reads the repository's tag names on stdin, one a line, and
 *                                         prints the major tag (v1) when v1.2.3 is the newest release
 *                                         of its major version; prints nothing otherwise
 *   tsx scripts/release.ts latest v1.2.3  reads the tag names likewise and prints true when v1.2.3 is
 *                                         the newest release of all (GitHub's "Latest"), false otherwise
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** A release tag: v and a plain semantic version. Pre-releases are not released by this workflow. */
const RELEASE_TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/

type Version = [major: number, minor: number, patch: number]

/** The version of a release tag (`v1.2.3` → `1.2.3`), or an error saying what a release tag looks like. */
export function versionOfTag(tag: string): string {
  if (!RELEASE_TAG.test(tag)) throw new Error(`'${tag}' is not a release tag; expected v<major>.<minor>.<patch>, e.g. v1.2.3`)
  return tag.slice(1)
}

function parseTag(tag: string): Version | undefined {
  const m = RELEASE_TAG.exec(tag)
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined
}

/**
 * The body of the `## [version]` section of a Keep a Changelog file, up to the next `##` heading,
 * without link definitions. An error when there is no such section, when it is empty, or when its
 * heading still says it is unreleased.
 */
export function releaseNotes(changelog: string, version: string): string {
  const lines = changelog.split(/\r?\n/)
  const heading = new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\](.*)$`)
  const start = lines.findIndex((line) => heading.test(line))
  if (start < 0) throw new Error(`CHANGELOG.md has no section '## [${version}]': move the Unreleased notes under it before tagging`)
  const rest = heading.exec(lines[start]!)![1]!
  if (/unreleased/i.test(rest)) {
    throw new Error(`CHANGELOG.md still marks ${version} as unreleased ('${lines[start]!}'): give it the release date`)
  }
  const end = lines.findIndex((line, i) => i > start && /^## /.test(line))
  const body = lines
    .slice(start + 1, end < 0 ? undefined : end)
    .filter((line) => !/^\[[^\]]+\]:\s/.test(line))
    .join('\n')
    .trim()
  if (body === '') throw new Error(`the CHANGELOG.md section of ${version} is empty`)
  return `${body}\n`
}

/**
 * The major tag to move to `tag` (`v1`), or undefined when a newer release of the same major version
 * exists among `tags`: a fix released for an older minor version must not take `v1` backwards.
 */
export function majorTagToMove(tag: string, tags: readonly string[]): string | undefined {
  const version = parseTag(tag)
  if (!version) throw new Error(`'${tag}' is not a release tag`)
  const newer = tags.map(parseTag).some((other) => other !== undefined && other[0] === version[0] && compare(other, version) > 0)
  return newer ? undefined : `v${version[0]}`
}

/**
 * Whether `tag` is the newest release among `tags` (of any major version): GitHub marks it "Latest".
 * A fix for v1 released after v2.0.0 exists is not.
 */
export function isLatestRelease(tag: string, tags: readonly string[]): boolean {
  const version = parseTag(tag)
  if (!version) throw new Error(`'${tag}' is not a release tag`)
  return !tags.map(parseTag).some((other) => other !== undefined && compare(other, version) > 0)
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]
}

function main(argv: string[], root: string): string {
  const [command, tag] = argv
  if (tag === undefined || (command !== 'notes' && command !== 'major' && command !== 'latest')) {
    throw new Error('usage: tsx scripts/release.ts notes|major|latest v1.2.3')
  }
  const version = versionOfTag(tag)
  if (command === 'major' || command === 'latest') {
    const tags = readFileSync(0, 'utf8')
      .split(/\r?\n/)
      .map((t) => t.trim())
    return command === 'major' ? (majorTagToMove(tag, tags) ?? '') : String(isLatestRelease(tag, tags))
  }
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version?: string }
  if (pkg.version !== version) {
    throw new Error(
      `the tag ${tag} does not match package.json's version ${String(pkg.version)}: bump the version, commit, and tag that commit`
    )
  }
  return releaseNotes(readFileSync(resolve(root, 'CHANGELOG.md'), 'utf8'), version)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const out = main(process.argv.slice(2), resolve(fileURLToPath(import.meta.url), '..', '..'))
    process.stdout.write(out === '' || out.endsWith('\n') ? out : `${out}\n`)
  } catch (error) {
    console.error(`release: ${error instanceof Error ? error.message : String(error)}`)
    process.exitCode = 1
  }
}
