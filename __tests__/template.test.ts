import { InputError } from '../src/action/inputs/input-error.js'
import {
  TEMPLATE_TOKENS,
  expandTemplate,
  literalPrefix,
  tokenize,
  tokenValues,
  usesToken,
  type WorkflowContext
} from '../src/action/inputs/template.js'
import { SNAPSHOT_METADATA } from './support/inputs.js'
import { toDwsName } from '../src/dws/names.js'

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
const values = tokenValues(FULL, { id: CLUSTER }, NOW)

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
    ['cluster_short', '6f7c0a3e'],
    ['date', '20240305'],
    ['time', '070809'],
    ['timestamp', '20240305T070809Z']
  ])('{%s} expands to %s', (token, expected) => {
    expect(expandTemplate(`x{${token}}y`, values, 'name')).toBe(`x${expected}y`)
  })

  test('date/time use UTC at the end of a year, not local time', () => {
    const v = tokenValues({}, { id: CLUSTER }, new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 999)))
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
    const e = catchError(() => expandTemplate(`snap-{${token}}`, tokenValues(ctx, { id: CLUSTER }, NOW), 'description'))
    expect(e).toBeInstanceOf(InputError)
    const err = e as InputError
    expect(err.input).toBe('description')
    expect(err.message).toContain(`Input 'description'`)
    expect(err.message).toContain(`{${token}}`)
    expect(err.message).toContain('no value')
    for (const t of TEMPLATE_TOKENS) expect(err.message).toContain(`{${t}}`)
  })

  test('cluster_id with an empty cluster id is missing', () => {
    expect(() => expandTemplate('{cluster_id}', tokenValues(FULL, { id: '' }, NOW), 'name')).toThrow(/\{cluster_id\}.*no value/)
  })

  test.each([
    ['{shaa}', 'sha'],
    ['{SHA7}', 'sha7'],
    ['{ run_id }', 'run_id'],
    ['{runnumber}', 'run_number']
  ])('a slip in %s is named with the token meant: %s', (template, meant) => {
    expect(() => tokenize(template, 'name')).toThrow(`(did you mean {${meant}}?). Valid tokens:`)
  })

  test('a token nothing like any other gets no guess', () => {
    expect(() => tokenize('{branch}', 'name')).toThrow(/unknown token '\{branch\}'\. Valid tokens:/)
  })

  test.each([['{branch}'], ['{SHA}'], ['{ sha }'], ['{}'], ['{a{sha}']])('unknown token in %s lists the valid tokens', (template) => {
    const e = catchError(() => expandTemplate(template, values, 'name'))
    expect(e).toBeInstanceOf(InputError)
    expect((e as InputError).input).toBe('name')
    expect((e as Error).message).toMatch(/unknown token/)
    for (const t of TEMPLATE_TOKENS) expect((e as Error).message).toContain(`{${t}}`)
  })
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
    const v = tokenValues({ ...FULL, refName: '{sha}' }, { id: CLUSTER }, NOW)
    expect(expandTemplate('{ref_name}', v, 'name')).toBe('{sha}')
  })
})

test('the default template gives a valid name as it is: repository, date, run, attempt, cluster', () => {
  const expanded = expandTemplate(SNAPSHOT_METADATA.defaults.name!, values, 'name')
  const r = toDwsName(expanded)
  expect(r).toEqual({ value: 'data-platform-20240305-9876543210-3-6f7c0a3e', changes: [] })
  expect(r.value).toMatch(NAME_RE)
})

test('the default template needs no repair up to a 30-character repository name, with run ids of 12 digits and 2-digit attempts', () => {
  const context = { ...FULL, repository: `octo-org/${'r'.repeat(30)}`, runId: '9'.repeat(12), runAttempt: '99' }
  const expanded = expandTemplate(SNAPSHOT_METADATA.defaults.name!, tokenValues(context, { id: CLUSTER }, NOW), 'name')
  expect(expanded.length).toBeLessThanOrEqual(64)
  expect(toDwsName(expanded).changes).toEqual([])
})

test('the old default, with the whole cluster id, needed repair from a 17-character repository name', () => {
  const context = { ...FULL, repository: `octo-org/${'r'.repeat(17)}`, runId: '9'.repeat(11), runAttempt: '1' }
  const expanded = expandTemplate('{repo}-{run_id}-{run_attempt}-{cluster_id}', tokenValues(context, { id: CLUSTER }, NOW), 'name')
  expect(toDwsName(expanded).changes).toEqual([expect.stringMatching(/^shortened/)])
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
    const message = messageOf(() => toDwsName('!'.repeat(5000)))
    expect(message).toContain(`'${'!'.repeat(200)}… (5000 characters in all)' gives '' after sanitising`)
  })

  test('a line break in a quoted template is shown as an escape', () => {
    const message = messageOf(() => expandTemplate('a\n::error::{', values, 'name'))
    expect(message).toContain(`'a\\n::error::{'`)
    expect(message).not.toContain('\n')
  })
})

describe('literalPrefix', () => {
  test.each<[string, string]>([
    ['pre-release-{run_number}', 'pre-release-'],
    ['{repo}-{run_id}', ''],
    ['a{{b}}-{sha7}-c', 'a{b}-'],
    ['no-tokens', 'no-tokens']
  ])('%j -> %j', (template, prefix) => {
    expect(literalPrefix(template, 'name')).toBe(prefix)
  })
})

describe('tokenize: the one reader of the syntax', () => {
  test('text and tokens in order, doubled braces as literal ones', () => {
    expect(tokenize('a{{b}}-{sha7}-{run_id}c', 'name')).toEqual([
      { text: 'a{b}-' },
      { token: 'sha7' },
      { text: '-' },
      { token: 'run_id' },
      { text: 'c' }
    ])
    expect(tokenize('', 'name')).toEqual([])
  })

  test('whether a template uses a token, without expanding it', () => {
    expect(usesToken('{repo}-{cluster_name}', 'cluster_name', 'name')).toBe(true)
    expect(usesToken('{repo}-{{cluster_name}}', 'cluster_name', 'name')).toBe(false)
  })

  test('a syntax error is the same error whichever reader meets it', () => {
    for (const read of [() => literalPrefix('x-{sha', 'name'), () => usesToken('x-{sha', 'sha', 'name')]) {
      expect(read).toThrow(/Input 'name': unterminated '\{' at position 3/)
    }
  })
})
