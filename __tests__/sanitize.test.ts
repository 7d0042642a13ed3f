import { cap, INPUT_TEXT_MAX, oneLine, quoteInput, SERVER_TEXT_MAX, serverText } from '../src/kernel/sanitize.js'

describe('oneLine', () => {
  test.each<[string, string, string]>([
    ['line feed', 'a\nb', 'a\\nb'],
    ['carriage return', 'a\r\nb', 'a\\r\\nb'],
    ['tab', 'a\tb', 'a\\tb'],
    ['NUL', 'a\u0000b', 'a\\u0000b'],
    ['escape (terminal colours)', '\u001b[31mred', '\\u001b[31mred'],
    ['DEL', 'a\u007fb', 'a\\u007fb'],
    ['C1 next line', 'a\u0085b', 'a\\u0085b'],
    ['line separator', 'a\u2028b', 'a\\u2028b'],
    ['paragraph separator', 'a\u2029b', 'a\\u2029b'],
    ['right-to-left override', 'a\u202eb', 'a\\u202eb'],
    ['left-to-right embedding', 'a\u202ab', 'a\\u202ab'],
    ['first-strong isolate', 'a\u2068b\u2069', 'a\\u2068b\\u2069'],
    ['right-to-left mark', 'a\u200fb', 'a\\u200fb'],
    ['left-to-right mark', 'a\u200eb', 'a\\u200eb'],
    ['Arabic letter mark', 'a\u061cb', 'a\\u061cb']
  ])('%s becomes a visible escape', (_label, text, shown) => {
    expect(oneLine(text)).toBe(shown)
  })

  test('printable text, including non-ASCII and emoji, is unchanged', () => {
    const text = 'Snapshot "nightly" créé — 日本語 🚀 <b>&amp; \\n'
    expect(oneLine(text)).toBe(text)
  })

  test('a workflow command after a line break cannot start a line', () => {
    const shown = oneLine('error\n::set-output name=x::y\r::add-mask::z')
    expect(shown).not.toMatch(/[\n\r]/)
    expect(shown.startsWith('::')).toBe(false)
  })
})

describe('cap', () => {
  test('text within the limit is returned as is', () => {
    expect(cap('abc', 3)).toBe('abc')
    expect(cap('', 0)).toBe('')
  })

  test('longer text is cut at the limit and says how long the whole was', () => {
    expect(cap('abcdef', 4)).toBe('abcd… (6 characters in all)')
  })

  test('a cut never separates the halves of a surrogate pair', () => {
    const text = `abc🚀def` // the emoji is two UTF-16 units at indexes 3 and 4
    expect(cap(text, 4)).toBe('abc… (8 characters in all)')
    expect(cap(text, 5)).toBe('abc🚀… (8 characters in all)')
  })
})

describe('serverText', () => {
  test(`caps at ${SERVER_TEXT_MAX} characters by default`, () => {
    const shown = serverText('x'.repeat(1000))
    expect(shown).toBe(`${'x'.repeat(SERVER_TEXT_MAX)}… (1000 characters in all)`)
  })

  test('escapes control characters before capping: the cap counts the escaped text', () => {
    expect(serverText('ab\ncd', 4)).toBe('ab\\n… (6 characters in all)')
    expect(serverText('line one\nline two')).toBe('line one\\nline two')
  })
})

describe('quoteInput', () => {
  test('quotes the value, on one line', () => {
    expect(quoteInput('cn-north-4')).toBe(`'cn-north-4'`)
    expect(quoteInput('a\nb')).toBe(`'a\\nb'`)
  })

  test(`caps at ${INPUT_TEXT_MAX} characters and notes the length`, () => {
    expect(quoteInput('y'.repeat(5000))).toBe(`'${'y'.repeat(INPUT_TEXT_MAX)}… (5000 characters in all)'`)
    expect(quoteInput('y'.repeat(10), 4)).toBe(`'yyyy… (10 characters in all)'`)
  })
})
