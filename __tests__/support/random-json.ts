/**
 * Random JSON text for property tests, written by hand rather than by JSON.stringify so that it
 * holds what a server may send and JSON.stringify never writes: every escape (\/ and \u in either
 * case, lone surrogates), raw 2-, 3- and 4-byte UTF-8, exponents, and whitespace between tokens.
 */
import type { seededRandom } from './seeded-random.js'

type Random = ReturnType<typeof seededRandom>

const SIMPLE_ESCAPES = ['\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t']
/** é ß (2 bytes), € 中 and the line separator U+2028, which JSON allows raw (3 bytes), 😀 𝄞 (4 bytes), DEL */
const RAW = ['é', 'ß', '€', '中', '\u2028', '😀', '𝄞', '\u007f']
const WHITESPACE = [' ', '\t', '\n', '\r']

export function randomJson(random: Random, maxDepth = 5): string {
  return value(random, maxDepth)
}

export function randomWhitespace(random: Random): string {
  if (random.int(3) !== 0) return ''
  let text = ''
  for (let n = random.int(1, 4); n > 0; n--) text += pick(random, WHITESPACE)
  return text
}

export function randomString(random: Random): string {
  let text = '"'
  for (let n = random.int(12); n > 0; n--) {
    const kind = random.int(10)
    if (kind < 4) text += String.fromCharCode(random.int(0x20, 0x7f)).replace(/["\\]/, 'x')
    else if (kind < 6) text += pick(random, SIMPLE_ESCAPES)
    else if (kind < 8) text += pick(random, RAW)
    else text += unicodeEscape(random)
  }
  return `${text}"`
}

/** \uXXXX in either case: any code unit, a lone surrogate of either half, or a whole pair. */
function unicodeEscape(random: Random): string {
  const hex = (unit: number): string => {
    const digits = unit.toString(16).padStart(4, '0')
    return `\\u${random.int(2) === 0 ? digits : digits.toUpperCase()}`
  }
  switch (random.int(4)) {
    case 0:
      return hex(random.int(0x10000))
    case 1:
      return hex(random.int(0xd800, 0xe000))
    case 2:
      return hex(random.int(0xd800, 0xdc00)) + hex(random.int(0xdc00, 0xe000))
    default:
      return hex(random.int(0x20))
  }
}

export function randomNumber(random: Random): string {
  let text = random.int(3) === 0 ? '-' : ''
  text += random.int(4) === 0 ? '0' : String(random.int(1, 10)) + digits(random, random.int(6))
  if (random.int(3) === 0) text += `.${digits(random, random.int(1, 6))}`
  if (random.int(4) === 0) text += `${pick(random, ['e', 'E'])}${pick(random, ['', '+', '-'])}${digits(random, random.int(1, 3))}`
  return text
}

function digits(random: Random, count: number): string {
  let text = ''
  for (let i = 0; i < count; i++) text += String(random.int(10))
  return text
}

function value(random: Random, depth: number): string {
  const kind = random.int(depth > 0 ? 10 : 6)
  if (kind < 3) return randomString(random)
  if (kind < 5) return randomNumber(random)
  if (kind === 5) return pick(random, ['true', 'false', 'null'])
  if (kind < 8) return container(random, '[', ']', random.int(5), () => value(random, depth - 1))
  return container(
    random,
    '{',
    '}',
    random.int(5),
    () => `${randomString(random)}${randomWhitespace(random)}:${randomWhitespace(random)}${value(random, depth - 1)}`
  )
}

function container(random: Random, open: string, close: string, count: number, element: () => string): string {
  let text = open + randomWhitespace(random)
  for (let i = 0; i < count; i++) text += `${i > 0 ? `,${randomWhitespace(random)}` : ''}${element()}${randomWhitespace(random)}`
  return text + close
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[random.int(items.length)]!
}
