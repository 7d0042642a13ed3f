/**
 * A JSON scanner fed in chunks, for answers too big (or too hostile) to hold whole. It checks the
 * grammar byte by byte as JSON.parse would, keeps no more state than the kinds of the open
 * containers (at most maxDepth of them), and copies into one buffer only the values its listener
 * asks for, leaving out the whitespace between their tokens. Pure.
 *
 * Every structural character of JSON is ASCII and no byte of a multi-byte UTF-8 character is, so
 * the bytes are scanned without decoding them, wherever a chunk splits a character; a captured
 * value is decoded and parsed whole once its last byte has arrived.
 *
 * Errors never quote the answer beyond one printable ASCII character: it may hold credentials.
 */

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null'

/** What an answer was found to break. `offset` counts bytes from the start of the (decoded) body, from 0. */
export class AnswerReadError extends Error {
  constructor(
    message: string,
    readonly offset: number
  ) {
    super(message)
    this.name = 'AnswerReadError'
  }
}

/** Not JSON: a byte the grammar does not allow there, or a body that ends before its value does. */
export class MalformedAnswerError extends AnswerReadError {
  constructor(
    detail: string,
    offset: number,
    /** the body ended in the middle of the value */
    readonly endedEarly: boolean
  ) {
    super(
      endedEarly ? `the answer ends early, at byte ${offset} (${detail})` : `the answer is not valid JSON at byte ${offset}: ${detail}`,
      offset
    )
    this.name = 'MalformedAnswerError'
  }
}

/** Which cap an answer passed. */
export type AnswerPart = 'answer' | 'value' | 'item' | 'top level'

/** A part of the answer passed its cap: reading stopped there, before anything more was kept. */
export class AnswerTooLargeError extends AnswerReadError {
  constructor(
    readonly part: AnswerPart,
    /** the cap, in bytes */
    readonly limit: number,
    /** bytes of that part read before stopping: more than `limit` */
    readonly size: number,
    /** where the cap was passed */
    offset: number,
    /** what the part was, e.g. `item 12 of "snapshots"` */
    description: string
  ) {
    super(`${description} is larger than ${formatBytes(limit)} (the cap was passed at byte ${offset})`, offset)
    this.name = 'AnswerTooLargeError'
  }
}

/** Arrays or objects nested deeper than the cap: no real answer comes near it, so the answer is hostile or broken. */
export class AnswerTooDeepError extends AnswerReadError {
  constructor(
    readonly limit: number,
    offset: number
  ) {
    super(`the answer nests arrays and objects more than ${limit} deep (at byte ${offset})`, offset)
    this.name = 'AnswerTooDeepError'
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`
  return `${bytes} bytes`
}

/**
 * Told about the values (and member names) that start with at most `watchDepth` containers open,
 * outside any capture; it chooses which to capture.
 */
export interface ScanListener {
  /** Returns the cap in bytes of the value's capture (whitespace between tokens left out), or -1 not to capture it. */
  valueStart(depth: number, type: JsonType): number
  /** `text` is the value decoded from UTF-8 when it was captured, and `bytes` its size without the whitespace. */
  valueEnd(depth: number, text: string | undefined, bytes: number): void
  /** Returns the cap of the name's capture, quotes included, or -1. */
  nameStart(depth: number): number
  /** Called for captured names only: the name as its JSON string, quotes and escapes included. */
  nameEnd(text: string, bytes: number): void
  /** The error for a capture past its cap: `size` bytes of it read, the cap passed at `offset`. */
  tooLarge(limit: number, size: number, offset: number): Error
}

export interface ScanLimits {
  /** containers open at once */
  maxDepth: number
  /** the listener hears of values that start with at most this many containers open */
  watchDepth: number
  /** every byte of the body, whitespace included */
  maxAnswerBytes?: number
}

// Where the scanner is. Below STRING: between tokens, what the grammar expects next.
const VALUE = 0 // the answer's value, a member's value after ':', an item after ','
const FIRST_ITEM = 1 // an item or ']' just after '['
const FIRST_NAME = 2 // a member name or '}' just after '{'
const NAME = 3 // a member name after ','
const COLON = 4
const NEXT = 5 // ',' or the closer after an item or a member
const DONE = 6 // only whitespace after the answer
const STRING = 7
const ESCAPE = 8 // after a backslash
const UNICODE = 9 // in the four hex digits of \u
const NUMBER = 10
const LITERAL = 11 // true, false, null

// Where in a number: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
const N_MINUS = 0
const N_ZERO = 1
const N_INT = 2
const N_DOT = 3
const N_FRACTION = 4
const N_E = 5
const N_E_SIGN = 6
const N_EXPONENT = 7

/** The number states after which a number is complete: 0, digits, a fraction's digits, an exponent's digits. */
const NUMBER_MAY_END = Uint8Array.of(0, 1, 1, 0, 1, 0, 0, 1)

const IN_ARRAY = 1
const IN_OBJECT = 2

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const COLON_BYTE = 0x3a
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const MINUS = 0x2d
const PLUS = 0x2b
const ZERO = 0x30
const NINE = 0x39
const DOT = 0x2e
const LOWER_E = 0x65
const UPPER_E = 0x45
const LOWER_U = 0x75

/** Runs this short are copied byte by byte: cheaper than Buffer.copy's call for a number or a short name. */
const SHORT_RUN = 32

const TRUE = Buffer.from('true')
const FALSE = Buffer.from('false')
const NULL = Buffer.from('null')
const EMPTY = Buffer.alloc(0)

/** JSON's whitespace: space, tab, line feed, carriage return (nothing else, as in JSON.parse). */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE
}

const HEX = byteSet('0123456789abcdefABCDEF')
/** The characters that may follow a backslash (u starts a \uXXXX). */
const ESCAPABLE = byteSet('"\\/bfnrtu')

function byteSet(chars: string): Uint8Array {
  const set = new Uint8Array(256)
  for (const c of Buffer.from(chars)) set[c] = 1
  return set
}

/** The type of a value from its first byte; undefined when no value starts so. */
function typeStartingWith(c: number): JsonType | undefined {
  if (c === OPEN_BRACE) return 'object'
  if (c === OPEN_BRACKET) return 'array'
  if (c === QUOTE) return 'string'
  if (c === MINUS || isDigit(c)) return 'number'
  if (c === TRUE[0] || c === FALSE[0]) return 'boolean'
  if (c === NULL[0]) return 'null'
  return undefined
}

/** One byte as an error may show it: a printable ASCII character, or its code. Never more of the answer. */
function describeByte(c: number): string {
  return c > 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `the byte 0x${c.toString(16).padStart(2, '0')}`
}

export class JsonScanner {
  /** bytes written so far */
  received = 0
  /** the largest the capture buffer has been, in bytes: what the scanner itself held at most */
  maxBuffered = 0

  private state = VALUE
  private numberState = N_MINUS
  private literal = TRUE
  private literalAt = 0
  private hexLeft = 0
  /** the string being read is a member name */
  private inName = false
  /** IN_ARRAY or IN_OBJECT for each open container, outermost first */
  private readonly open: Uint8Array
  private depth = 0

  private capturing = false
  private capturingName = false
  /** containers open when the captured value started */
  private captureDepth = 0
  private captureLimit = 0
  private captured = 0
  private buffer = EMPTY
  /** the start in the current chunk of the bytes still to be copied into the capture, -1 when none */
  private run = -1
  /** received before the current chunk */
  private chunkOffset = 0

  private failure: Error | undefined
  private ended = false

  constructor(
    private readonly listener: ScanListener,
    private readonly limits: ScanLimits
  ) {
    this.open = new Uint8Array(limits.maxDepth)
  }

  write(chunk: Buffer): void {
    this.guard(() => this.scan(chunk))
  }

  /** True when the body held a value, false when it was empty (or only whitespace). */
  end(): boolean {
    return this.guard(() => {
      this.ended = true
      this.chunkOffset = this.received
      this.run = this.capturing ? 0 : -1
      // A number is the one value that only its next byte ends, and the answer may be one.
      if (this.state === NUMBER && NUMBER_MAY_END[this.numberState] === 1) {
        this.valueEnd(EMPTY, 0)
      }
      if (this.state === DONE) return true
      if (this.state === VALUE && this.depth === 0) return false
      throw new MalformedAnswerError(this.whereItEnded(), this.received, true)
    })
  }

  /** Once anything failed, every later call fails the same way: the answer is not read on past an error. */
  private guard<T>(step: () => T): T {
    if (this.failure !== undefined) throw this.failure
    if (this.ended) throw new Error('internal error: the answer was already read to its end')
    try {
      return step()
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error))
      throw error
    }
  }

  private scan(chunk: Buffer): void {
    const n = chunk.length
    this.chunkOffset = this.received
    this.received += n
    const { maxAnswerBytes } = this.limits
    if (maxAnswerBytes !== undefined && this.received > maxAnswerBytes) {
      throw new AnswerTooLargeError('answer', maxAnswerBytes, this.received, maxAnswerBytes, 'the answer')
    }
    this.run = this.capturing ? 0 : -1
    let i = 0
    while (i < n) {
      const state = this.state
      if (state === STRING) {
        // The hot loop: most of an answer is string content.
        let c = 0
        while (i < n) {
          c = chunk[i] as number
          if (c === QUOTE || c === BACKSLASH || c < 0x20) break
          i++
        }
        if (i === n) break
        if (c === QUOTE) this.stringEnd(chunk, i + 1)
        else if (c === BACKSLASH) this.state = ESCAPE
        else throw this.malformed(i, `a control character (${describeByte(c)}) inside a string, where it must be escaped`)
        i++
      } else if (state < STRING) {
        const c = chunk[i] as number
        if (!isSpace(c)) {
          i = this.structure(chunk, i, c)
          continue
        }
        // Whitespace between tokens is skipped, never buffered, however long it is.
        if (this.run >= 0) this.append(chunk, this.run, i)
        i++
        while (i < n && isSpace(chunk[i] as number)) i++
        if (this.capturing) this.run = i
      } else if (state === NUMBER) {
        i = this.number(chunk, i)
      } else {
        const c = chunk[i] as number
        if (state === ESCAPE) {
          if (ESCAPABLE[c] !== 1) throw this.malformed(i, `expected an escape character after a backslash, found ${describeByte(c)}`)
          if (c === LOWER_U) {
            this.state = UNICODE
            this.hexLeft = 4
          } else this.state = STRING
        } else if (state === UNICODE) {
          if (HEX[c] !== 1) throw this.malformed(i, `expected a hex digit in a \\u escape, found ${describeByte(c)}`)
          if (--this.hexLeft === 0) this.state = STRING
        } else {
          if (c !== this.literal[this.literalAt]) throw this.malformed(i, `expected '${this.literal.toString()}', found ${describeByte(c)}`)
          if (++this.literalAt === this.literal.length) this.valueEnd(chunk, i + 1)
        }
        i++
      }
    }
    if (this.run >= 0) this.append(chunk, this.run, n)
    this.run = -1
  }

  /** A byte other than whitespace between tokens. Returns the index of the next byte to read. */
  private structure(chunk: Buffer, i: number, c: number): number {
    switch (this.state) {
      case VALUE:
        return this.valueStart(chunk, i, c)
      case FIRST_ITEM:
        return c === CLOSE_BRACKET ? this.close(chunk, i) : this.valueStart(chunk, i, c)
      case FIRST_NAME:
        if (c === CLOSE_BRACE) return this.close(chunk, i)
        if (c === QUOTE) return this.nameStart(i)
        throw this.malformed(i, `expected a member name or '}', found ${describeByte(c)}`)
      case NAME:
        if (c === QUOTE) return this.nameStart(i)
        throw this.malformed(i, `expected a member name, found ${describeByte(c)}`)
      case COLON:
        if (c !== COLON_BYTE) throw this.malformed(i, `expected ':' after a member name, found ${describeByte(c)}`)
        this.state = VALUE
        return i + 1
      case NEXT: {
        const inObject = this.open[this.depth - 1] === IN_OBJECT
        if (c === COMMA) {
          this.state = inObject ? NAME : VALUE
          return i + 1
        }
        if (c === (inObject ? CLOSE_BRACE : CLOSE_BRACKET)) return this.close(chunk, i)
        throw this.malformed(i, `expected ',' or '${inObject ? '}' : ']'}', found ${describeByte(c)}`)
      }
      default:
        throw this.malformed(i, `expected nothing after the answer's value, found ${describeByte(c)}`)
    }
  }

  private valueStart(chunk: Buffer, i: number, c: number): number {
    const type = typeStartingWith(c)
    if (type === undefined) throw this.malformed(i, `expected a value, found ${describeByte(c)}`)
    if (!this.capturing && this.depth <= this.limits.watchDepth) {
      const limit = this.listener.valueStart(this.depth, type)
      if (limit >= 0) this.startCapture(i, limit)
    }
    switch (type) {
      case 'object':
      case 'array':
        if (this.depth === this.limits.maxDepth) throw new AnswerTooDeepError(this.limits.maxDepth, this.chunkOffset + i)
        this.open[this.depth++] = type === 'object' ? IN_OBJECT : IN_ARRAY
        this.state = type === 'object' ? FIRST_NAME : FIRST_ITEM
        break
      case 'string':
        this.inName = false
        this.state = STRING
        break
      case 'number':
        this.state = NUMBER
        this.numberState = c === MINUS ? N_MINUS : c === ZERO ? N_ZERO : N_INT
        break
      default:
        this.literal = c === TRUE[0] ? TRUE : c === FALSE[0] ? FALSE : NULL
        this.literalAt = 1
        this.state = LITERAL
    }
    return i + 1
  }

  private nameStart(i: number): number {
    if (!this.capturing && this.depth <= this.limits.watchDepth) {
      const limit = this.listener.nameStart(this.depth)
      if (limit >= 0) {
        this.startCapture(i, limit)
        this.capturingName = true
      }
    }
    this.inName = true
    this.state = STRING
    return i + 1
  }

  /** `end` is the index just past the closing quote. */
  private stringEnd(chunk: Buffer, end: number): void {
    if (!this.inName) {
      this.valueEnd(chunk, end)
      return
    }
    this.state = COLON
    if (this.capturingName) this.listener.nameEnd(this.finishCapture(chunk, end), this.captured)
  }

  private close(chunk: Buffer, i: number): number {
    this.depth--
    this.valueEnd(chunk, i + 1)
    return i + 1
  }

  /** `end` is the index just past the value's last byte. */
  private valueEnd(chunk: Buffer, end: number): void {
    const depth = this.depth
    if (this.capturing) {
      if (depth === this.captureDepth) this.listener.valueEnd(depth, this.finishCapture(chunk, end), this.captured)
    } else if (depth <= this.limits.watchDepth) {
      this.listener.valueEnd(depth, undefined, 0)
    }
    this.state = depth === 0 ? DONE : NEXT
  }

  /** Reads on in a number; a byte that cannot continue it ends it and is read again as what follows. */
  private number(chunk: Buffer, i: number): number {
    const n = chunk.length
    const state = this.numberState
    if (state === N_INT || state === N_FRACTION || state === N_EXPONENT) {
      while (i < n && isDigit(chunk[i] as number)) i++
      if (i === n) return i
    }
    const c = chunk[i] as number
    switch (state) {
      case N_MINUS:
        if (!isDigit(c)) throw this.malformed(i, `expected a digit after '-', found ${describeByte(c)}`)
        this.numberState = c === ZERO ? N_ZERO : N_INT
        return i + 1
      case N_DOT:
        if (!isDigit(c)) throw this.malformed(i, `expected a digit after a decimal point, found ${describeByte(c)}`)
        this.numberState = N_FRACTION
        return i + 1
      case N_E:
        if (c === PLUS || c === MINUS) {
          this.numberState = N_E_SIGN
          return i + 1
        }
        if (!isDigit(c)) throw this.malformed(i, `expected a digit in an exponent, found ${describeByte(c)}`)
        this.numberState = N_EXPONENT
        return i + 1
      case N_E_SIGN:
        if (!isDigit(c)) throw this.malformed(i, `expected a digit in an exponent, found ${describeByte(c)}`)
        this.numberState = N_EXPONENT
        return i + 1
    }
    // After 0, more digits, a fraction or an exponent: the number may end here.
    if (state === N_ZERO && isDigit(c)) throw this.malformed(i, 'a number may not start with 0 followed by more digits')
    if (c === DOT && (state === N_ZERO || state === N_INT)) {
      this.numberState = N_DOT
      return i + 1
    }
    if ((c === LOWER_E || c === UPPER_E) && state !== N_EXPONENT) {
      this.numberState = N_E
      return i + 1
    }
    this.valueEnd(chunk, i)
    return i
  }

  private startCapture(i: number, limit: number): void {
    this.capturing = true
    this.captureDepth = this.depth
    this.captureLimit = limit
    this.captured = 0
    this.run = i
  }

  /** The captured value, decoded: only once it is whole, so a character split between chunks is read whole. */
  private finishCapture(chunk: Buffer, end: number): string {
    this.append(chunk, this.run, end)
    this.run = -1
    this.capturing = false
    this.capturingName = false
    return this.buffer.toString('utf8', 0, this.captured)
  }

  /** Copies chunk[from, to) into the capture, failing (before copying) if that passes its cap. */
  private append(chunk: Buffer, from: number, to: number): void {
    const size = this.captured + to - from
    if (size === this.captured) return
    if (size > this.captureLimit) {
      throw this.listener.tooLarge(this.captureLimit, size, this.chunkOffset + from + this.captureLimit - this.captured)
    }
    if (size > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.min(this.captureLimit, Math.max(size, 2 * this.buffer.length, 1024)))
      this.buffer.copy(grown, 0, 0, this.captured)
      this.buffer = grown
      this.maxBuffered = Math.max(this.maxBuffered, grown.length)
    }
    if (to - from > SHORT_RUN) chunk.copy(this.buffer, this.captured, from, to)
    else for (let i = from, at = this.captured; i < to;) this.buffer[at++] = chunk[i++] as number
    this.captured = size
  }

  private malformed(i: number, detail: string): MalformedAnswerError {
    return new MalformedAnswerError(detail, this.chunkOffset + i, false)
  }

  private whereItEnded(): string {
    switch (this.state) {
      case STRING:
      case ESCAPE:
      case UNICODE:
        return 'inside a string'
      case NUMBER:
        return 'inside a number'
      case LITERAL:
        return `inside '${this.literal.toString()}'`
      default:
        return `with ${this.depth} ${this.depth === 1 ? 'array or object' : 'arrays and objects'} still open`
    }
  }
}
