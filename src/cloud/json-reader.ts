/**
 * Readers of a JSON answer fed in chunks as they arrive (already decompressed), whose memory does
 * not grow with the answer's size. Pure: no I/O, no dependency.
 *
 * - valueReader: answers that are one object (a snapshot, a cluster, a job, a token), read whole
 *   but only up to a cap no real answer approaches.
 * - listReader: answers whose bulk is one list (`{"snapshots": [...], "count": N}`). Its items are
 *   parsed one at a time and handed to `keep`, which returns what to keep of each; the list itself
 *   is never held. Other top-level scalars are kept; other top-level arrays and objects are only
 *   checked, never held.
 *
 * Both accept exactly what JSON.parse accepts of the body decoded as UTF-8, and give the same
 * values; an empty body (or one of whitespace only) is undefined. Whitespace between tokens costs
 * nothing, however much of it there is. They fail with an AnswerReadError (json-scanner.ts) at the
 * first byte that breaks the grammar or passes a cap, without reading further, and fail the same
 * way on every later call.
 */
import { AnswerTooLargeError, JsonScanner, MalformedAnswerError, type JsonType, type ScanListener } from './json-scanner.js'

export { AnswerReadError, AnswerTooDeepError, AnswerTooLargeError, MalformedAnswerError, type JsonType } from './json-scanner.js'

export interface JsonReader<R> {
  /** Reads on; throws an AnswerReadError (or what `keep` threw) as soon as the answer cannot be accepted. */
  write(chunk: Uint8Array): void
  /** The answer, or undefined for an empty body; throws when the body ended before its value did. */
  end(): R | undefined
  readonly stats: ReaderStats
}

export interface ReaderStats {
  /** bytes written so far */
  readonly received: number
  /** the largest buffer the reader held at once, in bytes (the values it parsed aside) */
  readonly maxBuffered: number
}

/** No real answer nests deeper than ~6; the cap keeps a hostile `[[[[…` to a small, fixed cost. */
export const DEFAULT_MAX_DEPTH = 64

interface CommonOptions {
  /** arrays and objects open at once; DEFAULT_MAX_DEPTH when absent */
  maxDepth?: number
  /** every byte of the body, whitespace included; no cap when absent */
  maxAnswerBytes?: number
}

export interface ValueReaderOptions extends CommonOptions {
  /** the value's bytes, whitespace between tokens left out */
  maxValueBytes: number
}

/** The whole value of a single-object answer, as JSON.parse gives it, up to maxValueBytes. */
export function valueReader(options: ValueReaderOptions): JsonReader<unknown> {
  const maxValueBytes = byteCap(options.maxValueBytes, 'maxValueBytes')
  let value: unknown
  const listener: ScanListener = {
    valueStart: () => maxValueBytes,
    valueEnd: (_depth, text) => {
      if (text !== undefined) value = parse(text)
    },
    nameStart: () => -1,
    nameEnd: () => undefined,
    tooLarge: (limit, size, offset) => new AnswerTooLargeError('value', limit, size, offset, 'the answer (whitespace aside)')
  }
  return reader(new JsonScanner(listener, limits(options, 0)), () => value)
}

export interface ListSelection<T> {
  /** the top-level member whose array is read item by item */
  key: string
  /** what to keep of one item (a small projection), or undefined to keep nothing of it; `index` counts from 0 */
  keep: (item: unknown, index: number) => T | undefined
}

export interface ListReaderOptions<T> extends CommonOptions {
  list: ListSelection<T>
  /** one item of the list, whitespace between its tokens left out */
  maxItemBytes: number
  /**
   * Everything at the top level besides the list's items and the other arrays and objects (which
   * are not kept): the member names and the scalar values, together.
   */
  maxScalarBytes: number
}

export type JsonScalar = string | number | boolean | null

export interface ListAnswer<T> {
  /** the type of the whole answer: only an object has members to read */
  type: JsonType
  /** the type of the list member's value; undefined when the answer has no such member */
  listType: JsonType | undefined
  /** what `keep` returned for the list's items, in order, undefined left out */
  kept: T[]
  /** how many items the list held, kept or not */
  items: number
  /** the other top-level members whose values are strings, numbers, booleans or null */
  scalars: Record<string, JsonScalar>
}

/**
 * A list answer read item by item. As with JSON.parse, a member named twice counts as its last
 * occurrence: a second list replaces what was kept of the first.
 */
export function listReader<T>(options: ListReaderOptions<T>): JsonReader<ListAnswer<T>> {
  const { key: listKey, keep } = options.list
  const maxItemBytes = byteCap(options.maxItemBytes, 'maxItemBytes')
  const maxScalarBytes = byteCap(options.maxScalarBytes, 'maxScalarBytes')
  const answer: ListAnswer<T> = { type: 'null', listType: undefined, kept: [], items: 0, scalars: {} }
  /** the top-level bytes kept so far (names and scalar values), against maxScalarBytes */
  let topBytes = 0
  let name = ''
  let inList = false
  let capturing: 'name' | 'scalar' | 'item' = 'name'

  const listener: ScanListener = {
    valueStart(depth, type) {
      if (depth === 0) answer.type = type
      else if (depth === 1 && answer.type === 'object') return memberStart(type)
      else if (depth === 2 && inList) {
        capturing = 'item'
        return maxItemBytes
      }
      return -1
    },
    valueEnd(depth, text, bytes) {
      if (text === undefined) {
        if (depth === 1) inList = false
      } else if (capturing === 'item') {
        const kept = keep(parse(text), answer.items++)
        if (kept !== undefined) answer.kept.push(kept)
      } else {
        topBytes += bytes
        Object.defineProperty(answer.scalars, name, { value: parse(text), enumerable: true, writable: true, configurable: true })
      }
    },
    nameStart(depth) {
      if (depth !== 1 || answer.type !== 'object') return -1
      capturing = 'name'
      return maxScalarBytes - topBytes
    },
    nameEnd(text, bytes) {
      topBytes += bytes
      name = parse(text) as string
    },
    tooLarge(limit, size, offset) {
      if (capturing === 'item') {
        return new AnswerTooLargeError('item', limit, size, offset, `item ${answer.items} of "${listKey}" (whitespace aside)`)
      }
      return new AnswerTooLargeError(
        'top level',
        maxScalarBytes,
        topBytes + size,
        offset,
        `the answer's top level (its member names and scalar values besides "${listKey}")`
      )
    }
  }

  function memberStart(type: JsonType): number {
    Reflect.deleteProperty(answer.scalars, name)
    if (name === listKey) {
      answer.listType = type
      answer.kept = []
      answer.items = 0
      inList = type === 'array'
      return -1
    }
    if (type === 'object' || type === 'array') return -1
    capturing = 'scalar'
    return maxScalarBytes - topBytes
  }

  return reader(new JsonScanner(listener, limits(options, 2)), () => answer)
}

function reader<R>(scanner: JsonScanner, result: () => R): JsonReader<R> {
  return {
    write: (chunk) => scanner.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)),
    end: () => (scanner.end() ? result() : undefined),
    stats: {
      get received() {
        return scanner.received
      },
      get maxBuffered() {
        return scanner.maxBuffered
      }
    }
  }
}

function limits(options: CommonOptions, watchDepth: number): { maxDepth: number; watchDepth: number; maxAnswerBytes?: number } {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH
  if (!Number.isSafeInteger(maxDepth) || maxDepth < 1) throw new RangeError(`maxDepth must be a whole number above 0, not ${maxDepth}`)
  const maxAnswerBytes = options.maxAnswerBytes === undefined ? undefined : byteCap(options.maxAnswerBytes, 'maxAnswerBytes')
  return { maxDepth, watchDepth, maxAnswerBytes }
}

function byteCap(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number of bytes, not ${value}`)
  return value
}

/**
 * The scanner has checked the grammar, so this cannot fail; were it to, JSON.parse's own message
 * would quote the answer, which may hold credentials.
 */
function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new MalformedAnswerError('a value the scanner passed was refused by JSON.parse', 0, false)
  }
}
