import { InputError } from '../src/action/inputs/input-error.js'
import { readDuration } from '../src/action/inputs/reader.js'
import { parseDuration as parseGrammar, type DurationUnits } from '../src/kernel/duration.js'
import { formatDuration } from '../src/kernel/time.js'

/** The action's reading of a duration input: the one grammar, any value from 0 up, an error naming the input. */
const parseDuration = (text: string, input: string, units: DurationUnits = {}): number =>
  readDuration(text, input, { min: { ms: 0, text: '0s' } }, units)

const S = 1000
const M = 60 * S
const H = 60 * M

describe('parseDuration', () => {
  test.each<[string, number]>([
    ['90s', 90 * S],
    ['45m', 45 * M],
    ['2h', 2 * H],
    ['1h30m', H + 30 * M],
    ['1h30m15s', H + 30 * M + 15 * S],
    ['1h15s', H + 15 * S],
    ['5m30s', 5 * M + 30 * S],
    ['90m', 90 * M],
    ['0s', 0],
    ['05m', 5 * M],
    ['  20s\n', 20 * S]
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text, 'wait_timeout')).toBe(ms)
  })

  test.each([
    [''],
    ['   '],
    ['10'],
    ['1.5h'],
    ['-5s'],
    ['+5s'],
    ['5 m'],
    ['1h 30m'],
    ['1m1h'],
    ['30s1m'],
    ['1h1h'],
    ['5M'],
    ['5min'],
    ['5d'],
    ['h'],
    ['PT5M'],
    ['99999999999999999999h']
  ])('%j is an input error naming the input and the accepted forms', (text) => {
    let err: unknown
    try {
      parseDuration(text, 'poll_interval')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(InputError)
    expect((err as InputError).input).toBe('poll_interval')
    expect((err as Error).message).toContain(`Input 'poll_interval'`)
    if (!/9{20}/.test(text)) expect((err as Error).message).toContain(`'90s', '45m', '2h' or '1h30m'`)
  })
})

describe('formatDuration', () => {
  test.each<[number, string]>([
    [0, '0s'],
    [499, '0s'],
    [500, '1s'],
    [1 * S, '1s'],
    [59 * S, '59s'],
    [60 * S, '1m'],
    [95 * S, '1m35s'],
    [H, '1h'],
    [H + 5 * S, '1h5s'],
    [H + 30 * M, '1h30m'],
    [2 * H + 3 * M + 4 * S, '2h3m4s'],
    [25 * H, '25h'],
    [59_999, '1m'],
    [-5 * S, '0s'],
    [Number.NaN, 'unknown']
  ])('%d ms is %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })

  test('round trip: parse(format(n seconds)) is n seconds', () => {
    for (const sec of [0, 1, 59, 60, 61, 3599, 3600, 3601, 5400, 86399, 90061]) {
      expect(parseDuration(formatDuration(sec * S), 'x')).toBe(sec * S)
    }
  })
})

describe('parseDuration error messages', () => {
  function messageOf(text: string): string {
    try {
      parseDuration(text, 'wait_timeout')
    } catch (e) {
      return (e as Error).message
    }
    throw new Error('expected an InputError')
  }

  test('a long value is quoted capped at 200 characters, with its length noted', () => {
    const message = messageOf('9'.repeat(30) + 'x'.repeat(4970))
    expect(message).toContain(`'${'9'.repeat(30)}${'x'.repeat(170)}… (5000 characters in all)' is not a duration`)
    expect(message.length).toBeLessThan(400)
    expect(messageOf(`${'9'.repeat(5000)}h`)).toContain("… (5001 characters in all)' is too long a duration")
  })

  test('a line break in the value is shown as an escape, so the message stays on one line', () => {
    const message = messageOf('5m\n::warning::x')
    expect(message).toContain(`'5m\\n::warning::x'`)
    expect(message).not.toContain('\n')
  })
})

describe('the grammar alone (the emulator uses it too)', () => {
  test('milliseconds only where asked for; a form too long to count is Infinity', () => {
    expect(parseGrammar('1s500ms', { milliseconds: true })).toBe(1500)
    expect(parseGrammar('500ms')).toBeUndefined()
    expect(parseGrammar('1d', { days: true, milliseconds: true })).toBe(86_400_000)
    expect(parseGrammar('9'.repeat(20) + 'h')).toBe(Number.POSITIVE_INFINITY)
    expect(parseGrammar('')).toBeUndefined()
  })
})

describe('parseDuration with days (keep_within)', () => {
  const D = 24 * H
  test.each<[string, number]>([
    ['30d', 30 * D],
    ['12h', 12 * H],
    ['1d12h', D + 12 * H],
    ['2d30m', 2 * D + 30 * M],
    ['1d1h1m1s', D + H + M + S]
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text, 'keep_within', { days: true })).toBe(ms)
  })

  test.each([['d'], ['1h2d'], ['1D'], ['1.5d'], ['-1d'], ['1 d']])('%j is refused, naming the input and the units', (text) => {
    let err: unknown
    try {
      parseDuration(text, 'keep_within', { days: true })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(InputError)
    expect((err as Error).message).toMatch(/^Input 'keep_within': .*units d, h, m, s in that order/)
  })

  test('without the option a day is still a typo (wait_timeout stays as it was)', () => {
    expect(() => parseDuration('1d', 'wait_timeout')).toThrow(/units h, m, s in that order/)
  })
})
