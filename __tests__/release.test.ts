/**
 * scripts/release.ts, which the release workflow runs: the tag is a plain version, the notes are that
 * version's dated section of the changelog, and the major tag never moves backwards.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isLatestRelease, majorTagToMove, releaseNotes, versionOfTag } from '../scripts/release.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

const CHANGELOG = `# Changelog

Intro.

## [Unreleased]

### Added

- Next thing.

## [1.2.0] - 2026-12-01

### Added

- **Getting started** in the README.

### Fixed

- A bug.

## [1.1.0] - 2026-11-01

- Older.

## [1.0.0] - Unreleased

- Never dated.

[1.2.0]: https://github.com/acme/dws-snapshot-action/compare/v1.1.0...v1.2.0
`

describe('versionOfTag', () => {
  test('a release tag gives its version', () => {
    expect(versionOfTag('v1.2.3')).toBe('1.2.3')
    expect(versionOfTag('v10.0.12')).toBe('10.0.12')
  })

  test.each(['1.2.3', 'v1.2', 'v1.2.3-rc.1', 'v01.2.3', 'v1.2.3 ', 'v1', 'release-1.2.3'])('%s is refused', (tag) => {
    expect(() => versionOfTag(tag)).toThrow(/is not a release tag; expected v<major>\.<minor>\.<patch>/)
  })
})

describe('releaseNotes', () => {
  test("the version's section, up to the next version, headings kept", () => {
    expect(releaseNotes(CHANGELOG, '1.2.0')).toBe('### Added\n\n- **Getting started** in the README.\n\n### Fixed\n\n- A bug.\n')
  })

  test('the last section stops before the link definitions', () => {
    const lastDated = CHANGELOG.replace('## [1.0.0] - Unreleased\n\n- Never dated.\n\n', '')
    expect(releaseNotes(lastDated, '1.1.0')).toBe('- Older.\n')
  })

  test('a version without a section, with an empty one, or still unreleased is an error', () => {
    expect(() => releaseNotes(CHANGELOG, '1.3.0')).toThrow("CHANGELOG.md has no section '## [1.3.0]'")
    expect(() => releaseNotes(CHANGELOG, '1.0.0')).toThrow(/still marks 1\.0\.0 as unreleased/)
    expect(() => releaseNotes('## [2.0.0] - 2027-01-01\n\n## [1.0.0]\n', '2.0.0')).toThrow('the CHANGELOG.md section of 2.0.0 is empty')
  })

  test('dots in the version are literal', () => {
    expect(() => releaseNotes('## [1x2x0] - 2026-01-01\n\n- x\n', '1.2.0')).toThrow(/no section/)
  })

  test('reads this repository’s changelog: its first release is not dated yet', () => {
    expect(() => releaseNotes(readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'), '1.0.0')).toThrow(/unreleased/)
  })
})

describe('majorTagToMove', () => {
  test('the newest release of its major version moves the major tag', () => {
    expect(majorTagToMove('v1.2.0', ['v1.0.0', 'v1.1.0', 'v1.2.0', 'v1', 'v2.0.0'])).toBe('v1')
    expect(majorTagToMove('v1.0.0', [])).toBe('v1')
    expect(majorTagToMove('v2.0.0', ['v1.9.9'])).toBe('v2')
  })

  test('a fix for an older minor version leaves the major tag where it is', () => {
    expect(majorTagToMove('v1.1.1', ['v1.1.0', 'v1.2.0'])).toBeUndefined()
    expect(majorTagToMove('v1.2.0', ['v1.2.1'])).toBeUndefined()
    expect(majorTagToMove('v1.2.9', ['v1.10.0'])).toBeUndefined()
  })

  test('tags that are not releases are ignored', () => {
    expect(majorTagToMove('v1.2.0', ['v1.3.0-rc.1', 'latest', 'v1', ''])).toBe('v1')
  })
})

describe('isLatestRelease', () => {
  test('the newest release of all is the latest, whatever else is tagged', () => {
    expect(isLatestRelease('v1.2.0', ['v1.0.0', 'v1.1.0', 'v1.2.0', 'v1', 'latest', 'v1.3.0-rc.1'])).toBe(true)
    expect(isLatestRelease('v1.0.0', [])).toBe(true)
    expect(isLatestRelease('v2.0.0', ['v1.9.9'])).toBe(true)
  })

  test('a fix for an older major or minor version is not, though it may still move its major tag', () => {
    expect(isLatestRelease('v1.5.0', ['v1.4.0', 'v2.0.0'])).toBe(false)
    expect(majorTagToMove('v1.5.0', ['v1.4.0', 'v2.0.0'])).toBe('v1')
    expect(isLatestRelease('v1.2.9', ['v1.10.0'])).toBe(false)
  })

  test('a tag that is not a release is refused', () => {
    expect(() => isLatestRelease('v1', [])).toThrow("'v1' is not a release tag")
  })
})

describe('the command line, as the workflow runs it', () => {
  const TSX = join(ROOT, 'node_modules', '.bin', 'tsx')
  const cli = (args: string[], input = '') => {
    const env = { ...process.env }
    delete env.NODE_OPTIONS
    return spawnSync(TSX, [join(ROOT, 'scripts', 'release.ts'), ...args], { cwd: ROOT, env, input, encoding: 'utf8', timeout: 30_000 })
  }

  test('major prints the tag to move, or nothing', () => {
    expect(cli(['major', 'v1.0.1'], 'v1.0.0\nv1.1.0\n')).toMatchObject({ status: 0, stdout: '' })
    expect(cli(['major', 'v1.2.0'], 'v1.0.0\nv1.1.0\n')).toMatchObject({ status: 0, stdout: 'v1\n' })
  })

  test('latest prints true or false, what gh release create --latest= takes', () => {
    expect(cli(['latest', 'v1.2.0'], 'v1.0.0\nv1.1.0\n')).toMatchObject({ status: 0, stdout: 'true\n' })
    expect(cli(['latest', 'v1.2.0'], 'v1.0.0\nv2.0.0\n')).toMatchObject({ status: 0, stdout: 'false\n' })
    expect(cli(['latest', 'v1'], '')).toMatchObject({ status: 1, stderr: expect.stringContaining('is not a release tag') })
  })

  test('notes refuses a tag that is not package.json’s version, and a bad command', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
    const other = cli(['notes', 'v99.0.0'])
    expect(other.status).toBe(1)
    expect(other.stderr).toContain(`release: the tag v99.0.0 does not match package.json's version ${pkg.version}`)
    expect(cli(['publish', 'v1.0.0'])).toMatchObject({ status: 1, stderr: expect.stringContaining('usage:') })
  })
})
