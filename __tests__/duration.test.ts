import { InputError } from '../src/input-error.js'
import { formatDuration, parseDuration } from '../src/duration.js'

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
