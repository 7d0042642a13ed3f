import { createHash } from 'node:crypto'
import { DESCRIPTION_MARKER, hasMarker, sanitisedPrefix, DwsNameError, toDescription, toDwsName } from '../src/dws/names.js'
import { seededRandom } from './support/seeded-random.js'

const NAME_RE = /^[A-Za-z][A-Za-z0-9_-]{3,63}$/
const hash8 = (name: string): string => createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 8)
const catchError = (fn: () => unknown): unknown => {
  try {
    fn()
  } catch (e) {
    return e
  }
  return undefined
}

describe('toDwsName', () => {
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
    ['hash is over the sanitised, prefixed name before cutting', `9 ${long70}`, `snap-9-${'a'.repeat(48)}-${hash8(`snap-9-${long70}`)}`, 3]
  ]

  test.each(cases)('%s', (_label, input, expected, changeCount) => {
    const r = toDwsName(input)
    expect(r.value).toBe(expected)
    expect(r.value).toMatch(NAME_RE)
    expect(r.changes).toHaveLength(changeCount)
  })

  test('the hashed name is exactly 64 characters when nothing is stripped at the cut', () => {
    expect(toDwsName('x'.repeat(200)).value).toHaveLength(64)
  })

  test('distinct long names that share the first 55 characters stay distinct', () => {
    const prefix = `deploy-${'p'.repeat(60)}-`
    const a = toDwsName(`${prefix}run-1`).value
    const b = toDwsName(`${prefix}run-2`).value
    expect(a.slice(0, 55)).toBe(b.slice(0, 55))
    expect(a).not.toBe(b)
  })

  test('change descriptions say what happened', () => {
    const r = toDwsName(`1 ${'z'.repeat(80)}`)
    expect(r.changes.join('\n')).toMatch(/replaced 1 run/)
    expect(r.changes.join('\n')).toMatch(/snap-/)
    expect(r.changes.join('\n')).toMatch(/shortened from 87 to 64/)
  })

  test('a cluster name not starting with a letter gets cluster-, not snap-, and says so', () => {
    const r = toDwsName('2026-12 preview', 'cluster')
    expect(r.value).toBe('cluster-2026-12-preview')
    expect(r.changes.join('\n')).toMatch(/prefixed 'cluster-'/)
    expect((catchError(() => toDwsName('a!', 'cluster')) as Error).message).toMatch(/a cluster name needs/)
  })

  test.each([[''], ['ab'], ['abc'], ['a!'], ['!!!'], ['-_-'], ['日本語'], ['ab_'], ['a-b']])(
    '%j is too short after sanitising',
    (input) => {
      const e = catchError(() => toDwsName(input))
      expect(e).toBeInstanceOf(DwsNameError)
      expect((e as Error).message).toMatch(/shorter than the 4 characters/)
    }
  )

  test('property: any input gives a valid name or a DwsNameError', () => {
    const random = seededRandom(20261128)
    const alphabet = ['a', 'Z', '0', '9', '_', '-', ' ', '/', '.', '{', 'é', '🚀', '\n', '\u0000', '日']
    let valid = 0
    let tooShort = 0
    for (let i = 0; i < 5000; i++) {
      const len = random.int(0, 150)
      let s = ''
      for (let j = 0; j < len; j++) s += alphabet[random.int(alphabet.length)] ?? ''
      let r
      try {
        r = toDwsName(s)
      } catch (e) {
        expect(e).toBeInstanceOf(DwsNameError)
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
  const M = ` ${DESCRIPTION_MARKER}`
  // The marker and its space take 22 characters: the rest of the 256 holds 234 of the template's.
  const ROOM = 256 - M.length
  const cases: Array<[label: string, input: string, expected: string, changes: number]> = [
    ['plain text gets the marker', 'Before migration of octo/repo run 42', `Before migration of octo/repo run 42${M}`, 0],
    ['each forbidden character removed', `a!b<c>d'e=f&g"h`, `abcdefgh${M}`, 1],
    ['only forbidden characters leave the marker alone', `!<>'=&"`, DESCRIPTION_MARKER, 1],
    ['an empty template gives the marker alone', '', DESCRIPTION_MARKER, 0],
    ['a template that ends with the marker is not marked twice', `x ${DESCRIPTION_MARKER}  `, `x${M}`, 0],
    ['other punctuation kept', 'a/b:c (d) #1 {x} ü 🚀', `a/b:c (d) #1 {x} ü 🚀${M}`, 0],
    ['exactly the room kept', 'd'.repeat(ROOM), `${'d'.repeat(ROOM)}${M}`, 0],
    ['one more is cut', 'd'.repeat(ROOM + 1), `${'d'.repeat(ROOM)}${M}`, 1],
    ['removal happens before the cut', `${'!'.repeat(10)}${'d'.repeat(ROOM)}`, `${'d'.repeat(ROOM)}${M}`, 1],
    ['removal and cut both reported', `=${'d'.repeat(300)}`, `${'d'.repeat(ROOM)}${M}`, 2],
    ['a surrogate pair straddling the cut is dropped whole', `${'d'.repeat(ROOM - 1)}🚀tail`, `${'d'.repeat(ROOM - 1)}${M}`, 1],
    ['a surrogate pair ending at the cut is kept', `${'d'.repeat(ROOM - 2)}🚀tail`, `${'d'.repeat(ROOM - 2)}🚀${M}`, 1]
  ]

  test.each(cases)('%s', (_label, input, expected, changeCount) => {
    const r = toDescription(input)
    expect(r.value).toBe(expected)
    expect(r.changes).toHaveLength(changeCount)
    expect(hasMarker(r.value)).toBe(true)
  })

  test('change messages name the removal count and the lengths', () => {
    const r = toDescription(`a!!b${'d'.repeat(300)}`)
    expect(r.changes).toEqual([expect.stringMatching(/removed 2 character/), expect.stringMatching(/cut from 302 to 234 .*marker/)])
  })

  test('the marker is itself a valid description: no forbidden character, and it is recognised with trailing spaces only', () => {
    expect(DESCRIPTION_MARKER).not.toMatch(/[!<>'=&"]/)
    expect(hasMarker(`x ${DESCRIPTION_MARKER} `)).toBe(true)
    expect(hasMarker(`${DESCRIPTION_MARKER} x`)).toBe(false)
    expect(hasMarker(undefined)).toBe(false)
  })

  test('property: never a forbidden character, never over 256, never a lone surrogate', () => {
    const random = seededRandom(42)
    const alphabet = ['d', '!', '<', '=', '"', ' ', '🚀', 'é']
    for (let i = 0; i < 2000; i++) {
      const len = random.int(0, 400)
      let s = ''
      for (let j = 0; j < len; j++) s += alphabet[random.int(alphabet.length)] ?? ''
      const v = toDescription(s).value
      expect(v).not.toMatch(/[!<>'=&"]/)
      expect(v.length).toBeLessThanOrEqual(256)
      expect(v.endsWith(DESCRIPTION_MARKER)).toBe(true)
      expect(v).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/)
    }
  })
})

describe('sanitisedPrefix: the start of every name a template with this literal prefix gives', () => {
  test.each<[string, string]>([
    ['pre-release-', 'pre-release-'],
    ['shop api ', 'shop-api-'],
    ['__x', 'x'],
    ['2024-', 'snap-2024-'],
    ['', ''],
    ['-_ ', ''],
    ['a'.repeat(70), 'a'.repeat(55)]
  ])('%j -> %j', (literal, prefix) => {
    expect(sanitisedPrefix(literal)).toBe(prefix)
  })

  test('property: every name made from prefix + value starts with the sanitised prefix', () => {
    const random = seededRandom(7)
    const alphabet = ['a', 'Z', '1', '-', '_', ' ', '/', 'é']
    for (let i = 0; i < 2000; i++) {
      let literal = ''
      for (let j = random.int(0, 70); j > 0; j--) literal += alphabet[random.int(alphabet.length)] ?? ''
      const prefix = sanitisedPrefix(literal)
      let name: string
      try {
        name = toDwsName(`${literal}run-${random.int(1, 1e6)}`).value
      } catch {
        continue
      }
      expect(name.startsWith(prefix)).toBe(true)
    }
  })
})
