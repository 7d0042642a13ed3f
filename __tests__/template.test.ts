import { createHash, randomInt } from 'node:crypto'
import { InputError } from '../src/input-error.js'
import {
  TEMPLATE_TOKENS,
  expandTemplate,
  toDescription,
  toSnapshotName,
  tokenValues,
  type WorkflowContext
} from '../src/template.js'

const CLUSTER = '6f7c0a3e-1b2d-4c5e-8f90-123456789abc'
// 2024-03-05 07:08:09 UTC: every field single-digit so missing zero padding shows.
const NOW = new Date(Date.UTC(2024, 2, 5, 7, 8, 9, 456))
const FULL: WorkflowContext = {
  repository: 'octo-org/data-platform',
  sha: '0123456789abcdef0123456789abcdef01234567',
  refName: 'release/v2',
  runId: '9876543210',
  runNumber: '42',
  runAttempt: '3',
  workflow: 'Nightly migration',
  job: 'migrate',
  eventName: 'pull_request',
  actor: 'dependabot[bot]',
  prNumber: '17'
}
const values = tokenValues(FULL, CLUSTER, NOW)

const hash8 = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 8)
const NAME_RE = /^[A-Za-z][A-Za-z0-9_-]{3,63}$/

function catchError(fn: () => unknown): unknown {
  try {
    fn()
  } catch (e) {
    return e
  }
  throw new Error('expected a throw')
}

describe('tokens', () => {
  test('TEMPLATE_TOKENS lists exactly the tokens of issue 2', () => {
    expect([...TEMPLATE_TOKENS].sort()).toEqual(
      [
        'repo', 'owner', 'repository', 'ref_name', 'sha', 'sha7', 'run_id', 'run_number', 'run_attempt',
        'workflow', 'job', 'event', 'actor', 'pr_number', 'cluster_id', 'date', 'time', 'timestamp'
      ].sort()
    )
  })

  test('tokenValues has a key for every token and nothing else', () => {
    expect(Object.keys(values).sort()).toEqual([...TEMPLATE_TOKENS].sort())
  })

  test.each<[string, string]>([
    ['repo', 'data-platform'],
    ['owner', 'octo-org'],
    ['repository', 'octo-org/data-platform'],
    ['ref_name', 'release/v2'],
    ['sha', '0123456789abcdef0123456789abcdef01234567'],
    ['sha7', '0123456'],
    ['run_id', '9876543210'],
    ['run_number', '42'],
    ['run_attempt', '3'],
    ['workflow', 'Nightly migration'],
    ['job', 'migrate'],
    ['event', 'pull_request'],
    ['actor', 'dependabot[bot]'],
    ['pr_number', '17'],
    ['cluster_id', CLUSTER],
    ['date', '20240305'],
    ['time', '070809'],
    ['timestamp', '20240305T070809Z']
  ])('{%s} expands to %s', (token, expected) => {
    expect(expandTemplate(`x{${token}}y`, values, 'name')).toBe(`x${expected}y`)
  })

  test('date/time use UTC at the end of a year, not local time', () => {
    const v = tokenValues({}, CLUSTER, new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999)))
    expect([v.date, v.time, v.timestamp]).toEqual(['19991231', '235959', '19991231T235959Z'])
  })

  test.each<[string, WorkflowContext, string]>([
    ['pr_number outside a pull request', { ...FULL, prNumber: undefined }, 'pr_number'],
    ['an empty value counts as missing', { ...FULL, refName: '' }, 'ref_name'],
    ['sha7 without a sha', { ...FULL, sha: undefined }, 'sha7'],
    ['repo from a repository without owner/', { ...FULL, repository: 'noslash' }, 'repo'],
    ['owner from a repository without owner/', { ...FULL, repository: 'noslash' }, 'owner'],
    ['repository missing', { ...FULL, repository: undefined }, 'repository'],
    ['actor missing', {}, 'actor']
  ])('%s: error names the input, token and the valid tokens', (_label, ctx, token) => {
    const e = catchError(() => expandTemplate(`snap-{${token}}`, tokenValues(ctx, CLUSTER, NOW), 'description'))
    expect(e).toBeInstanceOf(InputError)
    const err = e as InputError
    expect(err.input).toBe('description')
    expect(err.message).toContain(`Input 'description'`)
    expect(err.message).toContain(`{${token}}`)
    expect(err.message).toContain('no value')
    for (const t of TEMPLATE_TOKENS) expect(err.message).toContain(`{${t}}`)
  })

  test('cluster_id with an empty cluster id is missing', () => {
    expect(() => expandTemplate('{cluster_id}', tokenValues(FULL, '', NOW), 'name')).toThrow(/\{cluster_id\}.*no value/)
  })

  test.each([['{branch}'], ['{SHA}'], ['{ sha }'], ['{}'], ['{a{sha}']])(
    'unknown token in %s lists the valid tokens',
    (template) => {
      const e = catchError(() => expandTemplate(template, values, 'name'))
      expect(e).toBeInstanceOf(InputError)
      expect((e as InputError).input).toBe('name')
      expect((e as Error).message).toMatch(/unknown token/)
      for (const t of TEMPLATE_TOKENS) expect((e as Error).message).toContain(`{${t}}`)
    }
  )
})

describe('template syntax', () => {
  test.each<[string, string]>([
    ['plain text', 'plain text'],
    ['', ''],
    ['{{literal}}', '{literal}'],
    ['a{{{sha7}}}b', 'a{0123456}b'],
    ['{run_id}-{run_attempt}', '9876543210-3'],
    ['{sha7}{sha7}', '01234560123456']
  ])('%j expands to %j', (template, expected) => {
    expect(expandTemplate(template, values, 'name')).toBe(expected)
  })

  test.each<[string, RegExp]>([
    ['pre-{sha7', /unterminated '\{' at position 5/],
    ['{', /unterminated/],
    ['a}b', /unmatched '\}' at position 2/],
    ['{sha7}}', /unmatched '\}'/]
  ])('%j is an input error', (template, message) => {
    const e = catchError(() => expandTemplate(template, values, 'name'))
    expect(e).toBeInstanceOf(InputError)
    expect((e as InputError).input).toBe('name')
    expect((e as Error).message).toMatch(message)
  })

  test('values are inserted verbatim, not re-expanded', () => {
    const v = tokenValues({ ...FULL, refName: '{sha}' }, CLUSTER, NOW)
    expect(expandTemplate('{ref_name}', v, 'name')).toBe('{sha}')
  })
})

describe('toSnapshotName', () => {
  const long70 = 'a'.repeat(70)
  const under = `${'b'.repeat(54)}__${'c'.repeat(20)}` // cut at 55 leaves a trailing '_'
  const cases: Array<[label: string, input: string, expected: string, changes: number]> = [
    ['already valid: unchanged', 'Release_v2-build', 'Release_v2-build', 0],
    ['each run of bad characters becomes one -', 'a  b!!!c', 'a-b-c', 1],
    ['existing - next to a bad run is kept', 'a - b', 'a---b', 1],
    ['unicode (incl. astral) is a bad run', 'café🚀daten', 'caf-daten', 1],
    ['slashes and dots', 'release/v2.1', 'release-v2-1', 1],
    ['leading and trailing - and _ trimmed', '_-abcd-_', 'abcd', 1],
    ['trim after replacement', '  abcd  ', 'abcd', 2],
    ['digit start gets snap-', '42-nightly', 'snap-42-nightly', 1],
    ['digit start, short input', '7', 'snap-7', 1],
    ['underscore start: trimmed, then letter start', '_x_abc', 'x_abc', 1],
    ['underscore start before a digit: trimmed then prefixed', '__1abc', 'snap-1abc', 2],
    ['exactly 4 characters', 'abcd', 'abcd', 0],
    ['exactly 64 characters is not cut', 'a'.repeat(64), 'a'.repeat(64), 0],
    ['65 characters is cut with a hash', 'a'.repeat(65), `${'a'.repeat(55)}-${hash8('a'.repeat(65))}`, 1],
    ['trailing _ at the cut is stripped', under, `${'b'.repeat(54)}-${hash8(under)}`, 1],
    [
      'hash is over the sanitised, prefixed name before cutting',
      `9 ${long70}`,
      `snap-9-${'a'.repeat(48)}-${hash8(`snap-9-${long70}`)}`,
      3
    ]
  ]

  test.each(cases)('%s', (_label, input, expected, changeCount) => {
    const r = toSnapshotName(input)
    expect(r.value).toBe(expected)
    expect(r.value).toMatch(NAME_RE)
    expect(r.changes).toHaveLength(changeCount)
  })

  test('the hashed name is exactly 64 characters when nothing is stripped at the cut', () => {
    expect(toSnapshotName('x'.repeat(200)).value).toHaveLength(64)
  })

  test('distinct long names that share the first 55 characters stay distinct', () => {
    const prefix = `deploy-${'p'.repeat(60)}-`
    const a = toSnapshotName(`${prefix}run-1`).value
    const b = toSnapshotName(`${prefix}run-2`).value
    expect(a.slice(0, 55)).toBe(b.slice(0, 55))
    expect(a).not.toBe(b)
  })

  test('change descriptions say what happened', () => {
    const r = toSnapshotName(`1 ${'z'.repeat(80)}`)
    expect(r.changes.join('\n')).toMatch(/replaced 1 run/)
    expect(r.changes.join('\n')).toMatch(/snap-/)
    expect(r.changes.join('\n')).toMatch(/shortened from 87 to 64/)
  })

  test.each([[''], ['ab'], ['abc'], ['a!'], ['!!!'], ['-_-'], ['日本語'], ['ab_'], ['a-b']])(
    '%j is too short after sanitising',
    (input) => {
      const e = catchError(() => toSnapshotName(input))
      expect(e).toBeInstanceOf(InputError)
      expect((e as InputError).input).toBe('name')
      expect((e as Error).message).toMatch(/shorter than the 4 characters/)
    }
  )

  test('property: any input gives a valid name or an InputError', () => {
    const alphabet = ['a', 'Z', '0', '9', '_', '-', ' ', '/', '.', '{', 'é', '🚀', '\n', '\u0000', '日']
    let valid = 0
    let tooShort = 0
    for (let i = 0; i < 5000; i++) {
      const len = randomInt(0, 150)
      let s = ''
      for (let j = 0; j < len; j++) s += alphabet[randomInt(alphabet.length)]
      let r
      try {
        r = toSnapshotName(s)
      } catch (e) {
        expect(e).toBeInstanceOf(InputError)
        tooShort++
        continue
      }
      valid++
      expect(r.value).toMatch(NAME_RE)
      expect(r.changes.length === 0).toBe(r.value === s)
    }
    // both branches were really exercised
    expect(valid).toBeGreaterThan(1000)
    expect(tooShort).toBeGreaterThan(0)
  })
})

describe('toDescription', () => {
  const cases: Array<[label: string, input: string, expected: string, changes: number]> = [
    ['plain text unchanged', 'Before migration of octo/repo run 42', 'Before migration of octo/repo run 42', 0],
    ['each forbidden character removed', `a!b<c>d'e=f&g"h`, 'abcdefgh', 1],
    ['only forbidden characters', `!<>'=&"`, '', 1],
    ['other punctuation kept', 'a/b:c (d) #1 {x} ü 🚀', 'a/b:c (d) #1 {x} ü 🚀', 0],
    ['exactly 256 kept', 'd'.repeat(256), 'd'.repeat(256), 0],
    ['257 cut to 256', 'd'.repeat(257), 'd'.repeat(256), 1],
    ['removal happens before the cut', `${'!'.repeat(10)}${'d'.repeat(256)}`, 'd'.repeat(256), 1],
    ['removal and cut both reported', `=${'d'.repeat(300)}`, 'd'.repeat(256), 2],
    ['a surrogate pair straddling the cut is dropped whole', `${'d'.repeat(255)}🚀tail`, 'd'.repeat(255), 1],
    ['a surrogate pair ending at the cut is kept', `${'d'.repeat(254)}🚀tail`, `${'d'.repeat(254)}🚀`, 1]
  ]

  test.each(cases)('%s', (_label, input, expected, changeCount) => {
    const r = toDescription(input)
    expect(r.value).toBe(expected)
    expect(r.changes).toHaveLength(changeCount)
  })

  test('change messages name the removal count and the lengths', () => {
    const r = toDescription(`a!!b${'d'.repeat(300)}`)
    expect(r.changes).toEqual([expect.stringMatching(/removed 2 character/), expect.stringMatching(/cut from 302 to 256/)])
  })

  test('property: never a forbidden character, never over 256, never a lone surrogate', () => {
    const alphabet = ['d', '!', '<', '=', '"', ' ', '🚀', 'é']
    for (let i = 0; i < 2000; i++) {
      const len = randomInt(0, 400)
      let s = ''
      for (let j = 0; j < len; j++) s += alphabet[randomInt(alphabet.length)]
      const v = toDescription(s).value
      expect(v).not.toMatch(/[!<>'=&"]/)
      expect(v.length).toBeLessThanOrEqual(256)
      expect(v).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/)
    }
  })
})

test('the default-style template gives a valid name end to end', () => {
  const expanded = expandTemplate('{repo}-{run_id}-{run_attempt}-{cluster_id}', values, 'name')
  const r = toSnapshotName(expanded)
  expect(r.value).toMatch(NAME_RE)
  expect(r.value.startsWith('data-platform-9876543210-3-')).toBe(true)
})

describe('input values quoted in template errors', () => {
  const messageOf = (fn: () => unknown): string => (catchError(fn) as Error).message
  const LONG = 'x'.repeat(5000)

  test('a long template is quoted capped at 200 characters, with its length noted', () => {
    const unterminated = messageOf(() => expandTemplate(`${LONG}{sha7`, values, 'name'))
    expect(unterminated).toContain(`unterminated '{' at position 5001 in '${'x'.repeat(200)}… (5005 characters in all)'`)
    const unmatched = messageOf(() => expandTemplate(`${LONG}}`, values, 'name'))
    expect(unmatched).toContain(`in '${'x'.repeat(200)}… (5001 characters in all)'`)
    expect(unmatched.length).toBeLessThan(400)
  })

  test('a long unknown token is quoted capped', () => {
    const message = messageOf(() => expandTemplate(`{${LONG}}`, values, 'name'))
    expect(message).toContain(`unknown token '{${'x'.repeat(199)}… (5002 characters in all)'`)
    expect(message).not.toContain('x'.repeat(201))
  })

  test('a long input that sanitises to too short a name is quoted capped', () => {
    const message = messageOf(() => toSnapshotName('!'.repeat(5000)))
    expect(message).toContain(`'${'!'.repeat(200)}… (5000 characters in all)' gives '' after sanitising`)
  })

  test('a line break in a quoted template is shown as an escape', () => {
    const message = messageOf(() => expandTemplate('a\n::error::{', values, 'name'))
    expect(message).toContain(`'a\\n::error::{'`)
    expect(message).not.toContain('\n')
  })
})
