import {
  AnswerReadError,
  AnswerTooDeepError,
  AnswerTooLargeError,
  listReader,
  MalformedAnswerError,
  valueReader,
  type JsonReader,
  type ListAnswer,
  type ListReaderOptions
} from '../src/cloud/json-reader.js'
import { pick, randomJson, randomNumber, randomString, randomWhitespace } from './support/random-json.js'
import { seededRandom } from './support/seeded-random.js'

const MiB = 1024 * 1024

/** Writes `body` cut at the given offsets, then ends. */
function readWith<R>(reader: JsonReader<R>, body: Buffer, cuts: number[] = []): R | undefined {
  let from = 0
  for (const cut of [...cuts, body.length]) {
    reader.write(body.subarray(from, cut))
    from = cut
  }
  return reader.end()
}

function oneByteChunks<R>(reader: JsonReader<R>, body: Buffer): R | undefined {
  return readWith(
    reader,
    body,
    Array.from({ length: body.length }, (_, i) => i)
  )
}

/** The outcome of a read, errors included, in a form toEqual can compare. */
function outcome(read: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: read() }
  } catch (error) {
    return { error: (error as Error).name }
  }
}

/** What JSON.parse makes of the body read as UTF-8; undefined for an empty body, as the readers give. */
function parsed(body: Buffer): unknown {
  const text = body.toString('utf8')
  return /^[ \t\n\r]*$/.test(text) ? undefined : (JSON.parse(text) as unknown)
}

function typeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value
}

/** The selection a list reader should make, computed from JSON.parse's value. */
function selected<T>(value: unknown, key: string, keep: (item: unknown, index: number) => T | undefined): ListAnswer<T> | undefined {
  if (value === undefined) return undefined
  const answer: ListAnswer<T> = { type: typeOf(value) as ListAnswer<T>['type'], listType: undefined, kept: [], items: 0, scalars: {} }
  if (answer.type !== 'object') return answer
  for (const [name, member] of Object.entries(value as Record<string, unknown>)) {
    if (name === key) {
      answer.listType = typeOf(member) as ListAnswer<T>['type']
      if (Array.isArray(member)) {
        answer.items = member.length
        answer.kept = member.map(keep).filter((kept) => kept !== undefined)
      }
    } else if (member === null || typeof member !== 'object') {
      Object.defineProperty(answer.scalars, name, { value: member, enumerable: true, writable: true, configurable: true })
    }
  }
  return answer
}

const big = { maxItemBytes: 64 * 1024, maxScalarBytes: 64 * 1024 }
const list = <T>(key: string, keep: (item: unknown, index: number) => T | undefined, options: Partial<ListReaderOptions<T>> = {}) =>
  listReader<T>({ list: { key, keep }, ...big, ...options })
const value = (maxValueBytes = MiB) => valueReader({ maxValueBytes })
const keepAll = (item: unknown) => item
const nameOf = (item: unknown) => (item as { name?: unknown } | null)?.name

const SNAPSHOT = {
  id: '5f0a3c1e-9b7d-4e2a-8c6f-1d2e3f4a5b6c',
  name: 'before-migration-42',
  description: 'Taken by dws-snapshot-action — avant la migration ✓ 迁移前 🚀',
  started: '2026-11-28T05:47:35Z',
  finished: '',
  size: 12.5,
  status: 'CREATING',
  type: 'MANUAL',
  cluster_id: '8d4a8c21-0b5e-4f3a-9c1d-2e7f6a5b4c3d',
  progress: '40%'
}

/** Small answers in the service's shapes, some pretty-printed as a gateway may pass them on. */
const REALISTIC: Record<string, string> = {
  'snapshot list': JSON.stringify({
    snapshots: [SNAPSHOT, { ...SNAPSHOT, id: '00000000-0000-4000-8000-000000000001', name: 'nightly', size: 0, finished: null }],
    count: 2
  }),
  'snapshot list, pretty-printed with CRLF': JSON.stringify({ snapshots: [SNAPSHOT], count: 1 }, null, '\t').replace(/\n/g, '\r\n'),
  'empty snapshot list': '{"snapshots":[],"count":0}',
  'snapshot details': JSON.stringify({ snapshot: SNAPSHOT }, null, 2),
  'create answer': '{"snapshot":{"id":"5f0a3c1e-9b7d-4e2a-8c6f-1d2e3f4a5b6c"}}',
  'cluster list': JSON.stringify({
    clusters: [
      {
        id: '8d4a8c21-0b5e-4f3a-9c1d-2e7f6a5b4c3d',
        name: 'dws-prod',
        status: 'AVAILABLE',
        task_status: 'SNAPSHOTTING',
        action_progress: { SNAPSHOTTING: '25%' },
        nodes: [{ id: 'n1', status: 200 }],
        tags: [],
        failed_reasons: { error_code: 'DWS.0000', error_msg: 'line one\nline "two"\t\\ \u0001' },
        port: 8000,
        enterprise_project_id: '0'
      }
    ],
    count: 1
  }),
  'job with escaped JSON inside': JSON.stringify({
    items: [{ sub_items: [{ detail: JSON.stringify({ progressInfo: JSON.stringify({ failedStep: 'backup', errorMsg: 'disk full' }) }) }] }]
  }),
  'error body': '{"error_code":"DWS.0015","error_msg":"The resource is not found or you do not have permission.","request_id":"0a1b2c"}',
  'token with a catalog': JSON.stringify({
    token: {
      expires_at: '2026-11-29T05:47:35.000000Z',
      user: { name: 'fed', 'OS-FEDERATION': { identity_provider: { id: 'github' } } },
      catalog: [{ type: 'dws', endpoints: [{ url: 'https://dws.cn-north-4.myhuaweicloud.com', region: 'cn-north-4' }] }],
      project: { id: '0123456789abcdef0123456789abcdef' }
    }
  }),
  'a bare number': '-12.5e+3',
  'a bare string with escapes': '"\\u00e9\\ud83d\\ude80\\/\\"\\\\\\b\\f\\n\\r\\t"',
  'keys escaped': '{"snap\\u0073hots":[{"name":"\\u0061bc"}],"c\\u006fu\\u006et":1}'
}

describe('realistic answers, split at every byte', () => {
  test.each(Object.entries(REALISTIC))('%s: one cut anywhere, or one byte at a time, reads as JSON.parse does', (_label, text) => {
    const body = Buffer.from(text)
    const expected = parsed(body)
    const expectedList = selected(expected, 'snapshots', nameOf)
    for (let cut = 0; cut <= body.length; cut++) {
      expect(readWith(value(), body, [cut])).toEqual(expected)
      expect(readWith(list('snapshots', nameOf), body, [cut])).toEqual(expectedList)
    }
    expect(oneByteChunks(value(), body)).toEqual(expected)
    expect(oneByteChunks(list('snapshots', nameOf), body)).toEqual(expectedList)
    expect(oneByteChunks(list('clusters', keepAll), body)).toEqual(selected(expected, 'clusters', keepAll))
  })

  test('a multi-byte character cut between any two of its bytes reads whole', () => {
    // 2, 3 and 4 bytes; each cut falls inside one of them at some point.
    const body = Buffer.from('{"snapshots":[{"name":"é€😀"}],"note":"é€😀"}')
    for (let cut = 0; cut <= body.length; cut++) {
      expect(readWith(list('snapshots', nameOf), body, [cut])).toMatchObject({ kept: ['é€😀'], scalars: { note: 'é€😀' } })
    }
  })

  test('the chunks written are not held: a buffer reused for every chunk reads right', () => {
    const body = Buffer.from(REALISTIC['snapshot list']!)
    const reused = Buffer.alloc(7)
    const reader = list('snapshots', keepAll)
    for (let at = 0; at < body.length; at += reused.length) {
      const length = body.copy(reused, 0, at, at + reused.length)
      reader.write(reused.subarray(0, length))
      reused.fill(0x5d)
    }
    expect(reader.end()).toEqual(selected(JSON.parse(body.toString()), 'snapshots', keepAll))
  })

  test('a Uint8Array that is not a Buffer is read too', () => {
    const bytes = new TextEncoder().encode('{"snapshots":[{"name":"a"}],"count":1}')
    const reader = list('snapshots', nameOf)
    reader.write(bytes.subarray(0, 10))
    reader.write(bytes.subarray(10))
    expect(reader.end()).toEqual({ type: 'object', listType: 'array', kept: ['a'], items: 1, scalars: { count: 1 } })
  })
})

describe('random JSON, compared with JSON.parse (seeded)', () => {
  const randomCuts = (random: ReturnType<typeof seededRandom>, length: number): number[] => {
    const cuts = Array.from({ length: random.int(6) }, () => random.int(length + 1))
    return cuts.sort((a, b) => a - b)
  }

  test('any value, cut at random, reads as JSON.parse reads it', () => {
    const random = seededRandom(20261128)
    for (let run = 0; run < 1500; run++) {
      const text = randomWhitespace(random) + randomJson(random) + randomWhitespace(random)
      const body = Buffer.from(text)
      expect({ run, value: readWith(value(), body, randomCuts(random, body.length)) }).toEqual({ run, value: parsed(body) })
    }
  })

  test('list answers: the items kept, the scalars and the types are those of JSON.parse', () => {
    const random = seededRandom(42)
    for (let run = 0; run < 800; run++) {
      const members: string[] = []
      for (let n = random.int(5); n > 0; n--) {
        const name = pick(random, ['"count"', '"request_id"', '"other"', '"snapshots"', '"__proto__"', randomString(random)])
        const item = (): string =>
          random.int(4) === 0 ? randomJson(random, 3) : `{"name":${randomString(random)},"size":${randomNumber(random)}}`
        const list = `[${Array.from({ length: random.int(6) }, item).join(`,${randomWhitespace(random)}`)}]`
        members.push(`${name}${randomWhitespace(random)}:${randomWhitespace(random)}${random.int(2) === 0 ? list : randomJson(random, 3)}`)
      }
      const body = Buffer.from(`{${randomWhitespace(random)}${members.join(',')}}`)
      const keep = (item: unknown, index: number) => (index % 2 === 0 ? [index, item] : undefined)
      const expected = selected(parsed(body), 'snapshots', keep)
      expect({ run, answer: readWith(list('snapshots', keep), body, randomCuts(random, body.length)) }).toEqual({ run, answer: expected })
    }
  })

  test('a byte deleted, inserted or changed: accepted exactly when JSON.parse accepts it, with the same value', () => {
    const random = seededRandom(7)
    const INTERESTING = Buffer.from(' \t\n\r"\\/{}[],:-+.0123456789eEtrufalsn\u0000\u001f\u007fx')
    let rejected = 0
    for (let run = 0; run < 3000; run++) {
      const body = Buffer.from(randomJson(random, 4))
      const at = random.int(body.length + 1)
      const byte = random.int(8) === 0 ? random.int(0x80, 0x100) : INTERESTING[random.int(INTERESTING.length)]!
      const mutations = [
        Buffer.concat([body.subarray(0, at), body.subarray(at + 1)]),
        Buffer.concat([body.subarray(0, at), Buffer.of(byte), body.subarray(at)]),
        Buffer.concat([body.subarray(0, at), Buffer.of(byte), body.subarray(at + 1)]),
        body.subarray(0, at)
      ]
      const mutated = mutations[random.int(mutations.length)]!
      const expected = outcome(() => parsed(mutated))
      const actual = outcome(() => readWith(value(), mutated, randomCuts(random, mutated.length)))
      if ('error' in expected) {
        rejected++
        expect({ run, text: mutated.toString(), actual }).toEqual({
          run,
          text: mutated.toString(),
          actual: { error: 'MalformedAnswerError' }
        })
      } else {
        expect({ run, text: mutated.toString(), actual }).toEqual({ run, text: mutated.toString(), actual: expected })
      }
    }
    // The mutations must exercise both sides.
    expect(rejected).toBeGreaterThan(1500)
    expect(rejected).toBeLessThan(2500)
  })
})

describe('malformed answers are refused as JSON.parse refuses them', () => {
  test.each([
    ['trailing garbage', '{"a":1}x'],
    ['a second value', '{"a":1} {"b":2}'],
    ['an unterminated string', '{"a":"abc'],
    ['an unterminated array', '[1,2'],
    ['a bad escape', '"\\x"'],
    ['a short \\u escape', '"\\u12g4"'],
    ['NaN', 'NaN'],
    ['Infinity', '[Infinity]'],
    ['-Infinity', '-Infinity'],
    ['a leading zero', '[01]'],
    ['a negative leading zero', '-012'],
    ['a plus sign', '+1'],
    ['a bare decimal point', '.5'],
    ['a trailing decimal point', '1.'],
    ['an empty exponent', '1e'],
    ['an exponent sign alone', '1e+'],
    ['a lone minus', '-'],
    ['two minus signs', '--1'],
    ['a raw line feed in a string', '"a\nb"'],
    ['a raw tab in a string', '"a\tb"'],
    ['a raw NUL in a string', '"a\u0000b"'],
    ['a raw unit separator (0x1f) in a string', '["\u001f"]'],
    ['a trailing comma in an array', '[1,]'],
    ['a trailing comma in an object', '{"a":1,}'],
    ['a leading comma', '[,1]'],
    ['single quotes', "{'a':1}"],
    ['an unquoted name', '{a:1}'],
    ['a missing colon', '{"a" 1}'],
    ['a missing value', '{"a":}'],
    ['a number as a name', '{1:1}'],
    ['a mismatched closer', '[1}'],
    ['an empty array closed by a brace', '[}'],
    ['an empty object closed by a bracket', '{]'],
    ['a closer with nothing open', ']'],
    ['a comment', '{"a":1 /* note */}'],
    ['a truncated literal', 'tru'],
    ['a misspelt literal', 'nul1'],
    ['capitals', 'True'],
    ['a byte-order mark', '\ufeff{}'],
    ['a no-break space as whitespace', '{\u00a0}'],
    ['invalid UTF-8 between tokens', Buffer.of(0x5b, 0xff, 0x5d)],
    ['a vertical tab as whitespace', '[\u000b1]']
  ])('%s', (_label, text) => {
    const body = Buffer.isBuffer(text) ? text : Buffer.from(text)
    expect(() => JSON.parse(body.toString())).toThrow(SyntaxError)
    for (const reader of [value(), list('snapshots', keepAll)]) {
      expect(() => oneByteChunks(reader, body)).toThrow(MalformedAnswerError)
    }
    expect(() => readWith(value(), body)).toThrow(MalformedAnswerError)
  })

  test.each([
    ['a lone high surrogate', '"\\ud800"'],
    ['a lone low surrogate', '"\\uDC00x"'],
    ['a pair written as escapes', '"\\ud83d\\ude80"'],
    ['a low surrogate before a high one', '["\\udc00\\ud800"]'],
    ['DEL and the line separator raw', '"\u007f\u2028\u2029"'],
    ['invalid UTF-8 inside a string', Buffer.concat([Buffer.from('{"a":"x'), Buffer.of(0xc3, 0xff, 0xed, 0xa0, 0x80), Buffer.from('"}')])],
    ['deep but within the cap', `${'['.repeat(64)}${']'.repeat(64)}`],
    ['a huge exponent', '1e400'],
    ['minus zero', '-0'],
    ['a name met twice', '{"a":1,"a":[2]}'],
    ['__proto__ as a name', '{"__proto__":{"polluted":true},"b":1}']
  ])('%s is accepted, with the value JSON.parse gives', (_label, text) => {
    const body = Buffer.isBuffer(text) ? text : Buffer.from(text)
    expect(oneByteChunks(value(), body)).toEqual(JSON.parse(body.toString()))
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  test('the error says where: the byte offset of the first byte that breaks the grammar', () => {
    const body = Buffer.from('{"snapshots": [{"name": "é"}, {"name": NaN}]}')
    const at = body.indexOf('NaN')
    for (const cut of [0, at, at + 1, body.length]) {
      const error = captured(() => readWith(list('snapshots', keepAll), body, [cut]))
      expect(error).toBeInstanceOf(MalformedAnswerError)
      expect(error).toMatchObject({ offset: at, endedEarly: false })
      expect(error.message).toBe(`the answer is not valid JSON at byte ${at}: expected a value, found 'N'`)
    }
  })

  test.each([
    ['inside a string', '{"a":"abc', 'inside a string'],
    ['inside an escape', '"ab\\u00', 'inside a string'],
    ['inside a number', '[1,-', 'inside a number'],
    ['inside a literal', '[nul', "inside 'null'"],
    ['between members', '{"snapshots":[{"name":"a"}]', 'with 1 array or object still open'],
    ['after a name', '{"a"', 'with 1 array or object still open'],
    ['in the list', '{"snapshots":[{"name":"a"},', 'with 2 arrays and objects still open']
  ])('a body that ends early %s says so, at its length', (_label, text, where) => {
    for (const reader of [value(), list('snapshots', keepAll)]) {
      const error = captured(() => oneByteChunks(reader, Buffer.from(text)))
      expect(error).toBeInstanceOf(MalformedAnswerError)
      expect(error).toMatchObject({ endedEarly: true, offset: Buffer.byteLength(text) })
      expect(error.message).toBe(`the answer ends early, at byte ${Buffer.byteLength(text)} (${where})`)
    }
  })

  test('a leading zero is named as such', () => {
    expect(() => readWith(value(), Buffer.from('[-01]'))).toThrow(
      'the answer is not valid JSON at byte 3: a number may not start with 0 followed by more digits'
    )
  })

  test('a number is the one value its end of body completes', () => {
    for (const text of ['0', '-0', '12', '1.5', '1e5', '1E-5', '  7  ']) {
      expect(oneByteChunks(value(), Buffer.from(text))).toBe(JSON.parse(text))
      expect(oneByteChunks(list('snapshots', keepAll), Buffer.from(text))).toMatchObject({ type: 'number', kept: [] })
    }
  })
})

function captured(read: () => unknown): AnswerReadError {
  try {
    read()
  } catch (error) {
    return error as AnswerReadError
  }
  throw new Error('expected the read to fail')
}

describe('an empty body', () => {
  test.each([
    ['no bytes', ''],
    ['whitespace only', ' \r\n\t '.repeat(1000)]
  ])('%s is undefined, with nothing buffered', (_label, text) => {
    for (const reader of [value(), list('snapshots', keepAll)]) {
      expect(readWith(reader, Buffer.from(text), [1, 2])).toBeUndefined()
      expect(reader.stats).toMatchObject({ received: text.length, maxBuffered: 0 })
    }
  })

  test('no write at all is undefined too', () => {
    expect(value().end()).toBeUndefined()
  })
})

describe('list answers', () => {
  test('keep sees each item parsed, with its index, and only what it returns is kept', () => {
    const seen: [unknown, number][] = []
    const reader = list('snapshots', (item, index) => {
      seen.push([item, index])
      return nameOf(item) === 'b' ? { index } : undefined
    })
    const answer = readWith(reader, Buffer.from('{"snapshots":[{"name":"a"},{"name":"b","x":[1,{"y":null}]},{"name":"c"}],"count":3}'))
    expect(seen).toEqual([
      [{ name: 'a' }, 0],
      [{ name: 'b', x: [1, { y: null }] }, 1],
      [{ name: 'c' }, 2]
    ])
    expect(answer).toEqual({ type: 'object', listType: 'array', kept: [{ index: 1 }], items: 3, scalars: { count: 3 } })
  })

  test('items of any type are handed to keep', () => {
    const answer = readWith(list('snapshots', keepAll), Buffer.from('{"snapshots":[1,"two",null,true,[3],{"four":4},-5e-1]}'))
    expect(answer?.kept).toEqual([1, 'two', null, true, [3], { four: 4 }, -0.5])
  })

  test('an answer without the list has no listType; one whose list is not an array keeps nothing', () => {
    expect(readWith(list('snapshots', keepAll), Buffer.from('{"count":0}'))).toEqual({
      type: 'object',
      listType: undefined,
      kept: [],
      items: 0,
      scalars: { count: 0 }
    })
    expect(readWith(list('snapshots', keepAll), Buffer.from('{"snapshots":{"0":{"name":"a"}}}'))).toMatchObject({
      listType: 'object',
      kept: []
    })
    expect(readWith(list('snapshots', keepAll), Buffer.from('{"snapshots":null}'))).toMatchObject({
      listType: 'null',
      kept: [],
      scalars: {}
    })
  })

  test.each([
    ['an array', '[{"name":"a"}]', 'array'],
    ['a string', '"snapshots"', 'string'],
    ['null', 'null', 'null']
  ])('an answer that is %s is reported by its type, its content not read as members', (_label, text, type) => {
    expect(readWith(list('snapshots', keepAll), Buffer.from(text))).toEqual({ type, listType: undefined, kept: [], items: 0, scalars: {} })
  })

  test('other arrays and objects at the top level are checked but never buffered, however large', () => {
    const other = `[${Array.from({ length: 20_000 }, (_, i) => `{"name":"n${i}","deep":[[{"x":"${'y'.repeat(40)}"}]]}`).join(',')}]`
    const body = Buffer.from(`{"other":${other},"meta":{"big":${other}},"snapshots":[{"name":"a"}],"count":1}`)
    expect(body.length).toBeGreaterThan(2 * MiB)
    const reader = list('snapshots', nameOf)
    expect(readWith(reader, body, [100, 5000, 1_000_000])).toEqual({
      type: 'object',
      listType: 'array',
      kept: ['a'],
      items: 1,
      scalars: { count: 1 }
    })
    expect(reader.stats.maxBuffered).toBeLessThanOrEqual(1024)
    // …and a fault deep inside one of them is still found.
    const broken = Buffer.from(body.toString().replace('"n19999"', '"n19999",'))
    expect(() => readWith(list('snapshots', nameOf), broken)).toThrow(MalformedAnswerError)
  })

  test('a member named twice counts as its last occurrence, as in JSON.parse', () => {
    const text = '{"snapshots":[{"name":"old"}],"count":1,"snapshots":[{"name":"new"},{"name":"x"}],"count":{"n":2},"id":"a","id":"b"}'
    const answer = readWith(list('snapshots', nameOf), Buffer.from(text))
    expect(answer).toEqual({ type: 'object', listType: 'array', kept: ['new', 'x'], items: 2, scalars: { id: 'b' } })
    expect(answer).toEqual(selected(JSON.parse(text), 'snapshots', nameOf))
  })

  test('a member named __proto__ is kept as an own member, as JSON.parse keeps it, and pollutes nothing', () => {
    const answer = readWith(
      list('snapshots', keepAll),
      Buffer.from('{"__proto__":"x","constructor":1,"snapshots":[{"__proto__":{"a":1}}]}')
    )
    expect(Object.keys(answer!.scalars)).toEqual(['__proto__', 'constructor'])
    expect(Object.getOwnPropertyDescriptor(answer!.scalars, '__proto__')?.value).toBe('x')
    expect(Object.getPrototypeOf(answer!.kept[0])).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(answer!.kept[0], '__proto__')?.value).toEqual({ a: 1 })
  })

  test('what keep throws ends the read, and every later call throws it again', () => {
    const reader = list('snapshots', (item) => {
      if (nameOf(item) === 'bad') throw new Error('keep refused it')
      return item
    })
    const body = Buffer.from('{"snapshots":[{"name":"ok"},{"name":"bad"},{"name":"never"}]}')
    expect(() => reader.write(body)).toThrow('keep refused it')
    expect(() => reader.write(Buffer.from(' '))).toThrow('keep refused it')
    expect(() => reader.end()).toThrow('keep refused it')
  })
})

describe('caps: each trips one byte past its limit, not at it', () => {
  /** Pads between tokens, which no cap on what is buffered counts. */
  const padded = (text: string) => text.replace(/([,:[{])/g, '$1   ')

  test('the value of a single-object answer (whitespace aside)', () => {
    const within = `{"snapshot":{"name":"${'n'.repeat(100)}"}}`
    const limit = within.length
    expect(readWith(valueReader({ maxValueBytes: limit }), Buffer.from(padded(within)))).toEqual(JSON.parse(within))
    const over = Buffer.from(padded(`{"snapshot":{"name":"${'n'.repeat(101)}"}}`))
    for (const cut of [0, 50, over.length - 3]) {
      const reader = valueReader({ maxValueBytes: limit })
      const error = captured(() => readWith(reader, over, [cut]))
      expect(error).toBeInstanceOf(AnswerTooLargeError)
      // Once the padding is left out, the answer's last byte is the one past the limit.
      expect(error).toMatchObject({ part: 'value', limit, offset: over.length - 1 })
      expect(error.message).toBe(
        `the answer (whitespace aside) is larger than ${limit} bytes (the cap was passed at byte ${(error as AnswerTooLargeError).offset})`
      )
      expect(reader.stats.maxBuffered).toBeLessThanOrEqual(limit)
    }
  })

  test('a single-object answer of 100 MB stops at the cap, with the cap as the most ever buffered', () => {
    const reader = valueReader({ maxValueBytes: MiB })
    const chunk = Buffer.alloc(64 * 1024, 'a')
    let written = 0
    const error = captured(() => {
      reader.write(Buffer.from('{"snapshot":"'))
      for (; written < 1600; written++) reader.write(chunk)
    })
    expect(error).toMatchObject({ part: 'value', limit: MiB, offset: MiB })
    expect(error.message).toBe('the answer (whitespace aside) is larger than 1 MiB (the cap was passed at byte 1048576)')
    // The write holding the byte past the cap threw: nothing after it was read.
    expect(written).toBe(Math.floor((MiB - 13) / chunk.length))
    expect(reader.stats.maxBuffered).toBe(MiB)
    expect(() => reader.write(chunk)).toThrow(error)
  })

  test('one item of the list (whitespace aside), named by its index and the list', () => {
    const item = (n: number) => `{"name":"${'n'.repeat(n)}"}`
    const limit = item(50).length
    const body = (n: number) => Buffer.from(padded(`{"snapshots":[${item(3)},${item(50)},${item(n)}],"count":3}`))
    const reader = () => list('snapshots', nameOf, { maxItemBytes: limit })
    expect(oneByteChunks(reader(), body(50))).toMatchObject({ items: 3 })
    const over = body(51)
    for (const cuts of [[], [over.length - 5], Array.from({ length: over.length }, (_, i) => i)]) {
      const error = captured(() => readWith(reader(), over, cuts))
      expect(error).toBeInstanceOf(AnswerTooLargeError)
      // The third item's closing brace is its 62nd byte once the padding is left out.
      expect(error).toMatchObject({ part: 'item', limit, offset: over.indexOf(']') - 1 })
      expect(error.message).toMatch(
        new RegExp(`^item 2 of "snapshots" \\(whitespace aside\\) is larger than ${limit} bytes \\(the cap was passed at byte \\d+\\)$`)
      )
    }
  })

  test('an item cap of a round size is named in KiB', () => {
    const error = captured(() =>
      readWith(list('snapshots', keepAll, { maxItemBytes: 1024 }), Buffer.from(`{"snapshots":["${'x'.repeat(2000)}"]}`))
    )
    expect(error.message).toMatch(/^item 0 of "snapshots" \(whitespace aside\) is larger than 1 KiB/)
  })

  test('the top level of a list answer: names and scalar values together', () => {
    // Counted: the names "snapshots" (11 bytes), "count" (7), "other" (7), "id" (4) and the scalars 12 (2) and "abc" (5): 36 bytes.
    // Not counted: the list's items, the value of "other", the padding.
    const body = Buffer.from(padded('{"snapshots":[{"name":"a"}],"count":12,"other":{"x":[1,2,3]},"id":"abc"}'))
    const answer = (limit: number) => readWith(list('snapshots', nameOf, { maxScalarBytes: limit }), body)
    expect(answer(36)).toEqual({ type: 'object', listType: 'array', kept: ['a'], items: 1, scalars: { count: 12, id: 'abc' } })
    const error = captured(() => answer(35))
    expect(error).toBeInstanceOf(AnswerTooLargeError)
    expect(error).toMatchObject({ part: 'top level', limit: 35, size: 36, offset: body.indexOf('"abc"') + 4 })
    expect(error.message).toBe(
      `the answer's top level (its member names and scalar values besides "snapshots") is larger than 35 bytes (the cap was passed at byte ${body.indexOf('"abc"') + 4})`
    )
  })

  test('the top-level cap at the exact byte, for one long scalar and for a long name', () => {
    const limit = 100
    // "s" is 3 bytes: a string of 97 bytes (quotes included) fills the cap exactly.
    const scalar = (length: number) => Buffer.from(`{"s":"${'v'.repeat(length - 2)}"}`)
    expect(readWith(list('snapshots', keepAll, { maxScalarBytes: limit }), scalar(97))).toMatchObject({ scalars: { s: 'v'.repeat(95) } })
    expect(captured(() => readWith(list('snapshots', keepAll, { maxScalarBytes: limit }), scalar(98)))).toMatchObject({
      part: 'top level',
      offset: 5 + 97
    })
    const name = (length: number) => Buffer.from(`{"${'k'.repeat(length - 2)}":[]}`)
    expect(readWith(list('snapshots', keepAll, { maxScalarBytes: limit }), name(100))).toMatchObject({ scalars: {} })
    expect(captured(() => readWith(list('snapshots', keepAll, { maxScalarBytes: limit }), name(101)))).toMatchObject({
      part: 'top level',
      offset: 1 + 100
    })
  })

  test('many small members add up against the top-level cap', () => {
    const members = Array.from({ length: 10_000 }, (_, i) => `"k${i}":${i}`).join(',')
    const error = captured(() => readWith(list('snapshots', keepAll, { maxScalarBytes: 64 * 1024 }), Buffer.from(`{${members}}`)))
    expect(error).toMatchObject({ part: 'top level', limit: 64 * 1024 })
  })

  test('nesting: maxDepth arrays and objects open at once pass, one more fails at once, in skipped values too', () => {
    // The top-level object is one of them.
    const nested = (depth: number) => Buffer.from(`{"other":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)},"snapshots":[]}`)
    expect(readWith(list('snapshots', keepAll, { maxDepth: 12 }), nested(12))).toMatchObject({ type: 'object', listType: 'array' })
    expect(readWith(valueReader({ maxValueBytes: MiB, maxDepth: 12 }), nested(12))).toEqual(JSON.parse(nested(12).toString()))
    const body = nested(13)
    for (const reader of [list('snapshots', keepAll, { maxDepth: 12 }), valueReader({ maxValueBytes: MiB, maxDepth: 12 })]) {
      const error = captured(() => oneByteChunks(reader, body))
      expect(error).toBeInstanceOf(AnswerTooDeepError)
      expect(error).toMatchObject({ limit: 12, offset: 9 + 11 })
      expect(error.message).toBe('the answer nests arrays and objects more than 12 deep (at byte 20)')
    }
  })

  test('a hostile [[[[… of 10 MB fails at the default depth, after reading 65 bytes, with nothing buffered', () => {
    const chunk = Buffer.alloc(1024 * 1024, '[')
    for (const reader of [list('snapshots', keepAll), value()]) {
      const error = captured(() => {
        for (let i = 0; i < 10; i++) reader.write(chunk)
      })
      expect(error).toBeInstanceOf(AnswerTooDeepError)
      expect(error).toMatchObject({ limit: 64, offset: 64 })
      expect(reader.stats.received).toBe(chunk.length)
      expect(reader.stats.maxBuffered).toBeLessThanOrEqual(1024)
    }
  })

  test('the whole body, whitespace included, when a cap is set: refused before the chunk that passes it is read', () => {
    const body = Buffer.from(`{"snapshots":[]}${' '.repeat(84)}`)
    expect(readWith(listReader({ list: { key: 'snapshots', keep: keepAll }, ...big, maxAnswerBytes: 100 }), body)).toMatchObject({
      items: 0
    })
    const reader = valueReader({ maxValueBytes: MiB, maxAnswerBytes: 100 })
    reader.write(body)
    // Even a byte that would break the grammar is not looked at: the size decides first.
    const error = captured(() => reader.write(Buffer.from('x')))
    expect(error).toBeInstanceOf(AnswerTooLargeError)
    expect(error).toMatchObject({ part: 'answer', limit: 100, size: 101, offset: 100 })
    expect(error.message).toBe('the answer is larger than 100 bytes (the cap was passed at byte 100)')
  })

  test('caps must be whole numbers', () => {
    expect(() => valueReader({ maxValueBytes: -1 })).toThrow(RangeError)
    expect(() => valueReader({ maxValueBytes: 1.5 })).toThrow(RangeError)
    expect(() => valueReader({ maxValueBytes: 1, maxDepth: 0 })).toThrow(RangeError)
    expect(() => valueReader({ maxValueBytes: 1, maxAnswerBytes: NaN })).toThrow(RangeError)
    expect(() => listReader({ list: { key: 'a', keep: keepAll }, maxItemBytes: 1, maxScalarBytes: Infinity })).toThrow(RangeError)
  })
})

describe('whitespace costs nothing', () => {
  const SPACES = Buffer.alloc(64 * 1024, ' \n\t\r')

  /** Writes `parts`, with `megabytes` MiB of whitespace written where a part is null. */
  function padded<R>(reader: JsonReader<R>, parts: (string | null)[], megabytes: number): R | undefined {
    for (const part of parts) {
      if (part !== null) reader.write(Buffer.from(part))
      else for (let i = 0; i < megabytes * 16; i++) reader.write(SPACES)
    }
    return reader.end()
  }

  test('tens of MB between the tokens of a list answer, inside items too, are skipped without being buffered', () => {
    const reader = list('snapshots', nameOf)
    const parts = [
      null,
      '{',
      null,
      '"snapshots"',
      null,
      ':',
      null,
      '[',
      null,
      '{"name"',
      null,
      ':',
      null,
      '"a"',
      null,
      '}',
      null,
      ',{"name":"b"}',
      null,
      ']',
      null,
      '}',
      null
    ]
    expect(padded(reader, parts, 3)).toEqual({ type: 'object', listType: 'array', kept: ['a', 'b'], items: 2, scalars: {} })
    expect(reader.stats.received).toBeGreaterThan(30 * 1000 * 1000)
    expect(reader.stats.maxBuffered).toBeLessThanOrEqual(1024)
  })

  test('tens of MB around and inside a single-object answer are skipped without being buffered', () => {
    const reader = value()
    expect(padded(reader, [null, '{"snapshot"', null, ':', null, '{"id":"x"', null, '}', null, '}', null], 6)).toEqual({
      snapshot: { id: 'x' }
    })
    expect(reader.stats.received).toBeGreaterThan(30 * 1000 * 1000)
    expect(reader.stats.maxBuffered).toBeLessThanOrEqual(1024)
  })
})

describe('errors quote nothing of the answer but one character', () => {
  const SECRET = 'Zq8SecretAccessKeyValue0123456789'

  test.each([
    ['a control character', `{"credentials":{"secret_access_key":"${SECRET}\u0001"}}`],
    ['a bad escape', `{"secret_access_key":"${SECRET}\\q${SECRET}"}`],
    ['trailing garbage', `{"secret_access_key":"${SECRET}"}${SECRET}`],
    ['a bare word', `{"secret_access_key":${SECRET}}`],
    ['a body cut short', `{"secret_access_key":"${SECRET}`],
    ['a value past its cap', `{"secret_access_key":"${SECRET.repeat(10)}"}`],
    ['a non-ASCII byte where a token should be', `{"secret_access_key":"${SECRET}",é}`]
  ])('%s', (_label, text) => {
    for (const reader of [valueReader({ maxValueBytes: 200 }), list('x', keepAll, { maxScalarBytes: 200 })]) {
      const error = captured(() => readWith(reader, Buffer.from(text)))
      expect(error).toBeInstanceOf(AnswerReadError)
      expect(error.message).not.toMatch(/Zq8|Secret|secret|[^\x20-\x7e]/)
      expect(error.message.length).toBeLessThan(160)
    }
  })
})

describe('a finished reader', () => {
  test('refuses more input', () => {
    const reader = value()
    reader.write(Buffer.from('{}'))
    expect(reader.end()).toEqual({})
    expect(() => reader.write(Buffer.from(' '))).toThrow('already read to its end')
    expect(() => reader.end()).toThrow('already read to its end')
  })
})
