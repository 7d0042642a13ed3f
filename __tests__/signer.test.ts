import { createServer, request as httpRequest, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { jest } from '@jest/globals'
import {
  SIGNING_ALGORITHM,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  formatSdkDate,
  parseAuthorization,
  signRequest,
  signature,
  stringToSign,
  type AkSkCredentials,
  type RequestToSign
} from '../src/cloud/signer.js'
// The official SDK is the oracle.
import { sdkRequest as sdkCall, signWithSdk } from './support/sdk-signer.js'

// Published test vector (Huawei's API signing guide; also in the official Java SDK's tests).
const VECTOR_AK = 'QTWAOYTTINDUT2QVKYUC'
const VECTOR_SK = 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc'
const VECTOR_URL =
  'https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0'
const VECTOR_DATE = new Date(Date.UTC(2019, 10, 15, 3, 36, 55))
const VECTOR_SIGNATURE = '7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe'
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

const vectorRequest = (): RequestToSign => ({
  method: 'GET',
  url: new URL(VECTOR_URL),
  headers: { 'Content-Type': 'application/json' },
  body: ''
})
const vectorCredentials: AkSkCredentials = { accessKeyId: VECTOR_AK, secretAccessKey: VECTOR_SK }

/** What a verifier does: parse Authorization, collect the named headers as sent, recompute, compare. */
function verify(req: RequestToSign, added: Record<string, string>, secretAccessKey: string): boolean {
  const auth = parseAuthorization(added['Authorization'] ?? '')
  if (!auth) return false
  const sent = new Map<string, string>([['host', req.url.host]])
  for (const [name, value] of Object.entries({ ...req.headers, ...added })) sent.set(name.toLowerCase(), value)
  const signed: Record<string, string> = {}
  for (const name of auth.signedHeaders) signed[name] = sent.get(name) ?? ''
  // Rebuild the URL from the request target and Host, as a server sees them.
  // Concatenate rather than new URL(target, base): a target such as '//?a=1' would be read as a host.
  const received = new URL(`http://${req.url.host}${req.url.pathname}${req.url.search}`)
  const canonical = canonicalRequest(req.method, received, signed, req.body)
  return signature(stringToSign(canonical, added['X-Sdk-Date'] ?? ''), secretAccessKey) === auth.signature
}

describe('published test vector', () => {
  it('gives the documented SignedHeaders and Signature, in the documented Authorization format', () => {
    const added = signRequest(vectorRequest(), vectorCredentials, VECTOR_DATE)
    expect(added).toEqual({
      'X-Sdk-Date': '20191115T033655Z',
      Authorization: `SDK-HMAC-SHA256 Access=${VECTOR_AK}, SignedHeaders=content-type;host;x-sdk-date, Signature=${VECTOR_SIGNATURE}`
    })
    expect(added['Authorization']).toMatch(/^SDK-HMAC-SHA256 Access=[A-Z0-9]+, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/)
  })

  it('builds the canonical request and string to sign exactly as documented', () => {
    const canonical = canonicalRequest(
      'get',
      new URL(VECTOR_URL),
      { 'content-type': 'application/json', host: 'service.region.example.com', 'x-sdk-date': '20191115T033655Z' },
      ''
    )
    expect(canonical).toBe(
      [
        'GET',
        '/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/',
        'limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
        'content-type:application/json',
        'host:service.region.example.com',
        'x-sdk-date:20191115T033655Z',
        '',
        'content-type;host;x-sdk-date',
        EMPTY_SHA256
      ].join('\n')
    )
    const sts = stringToSign(canonical, '20191115T033655Z')
    expect(sts).toMatch(/^SDK-HMAC-SHA256\n20191115T033655Z\n[0-9a-f]{64}$/)
    expect(signature(sts, VECTOR_SK)).toBe(VECTOR_SIGNATURE)
    expect(SIGNING_ALGORITHM).toBe('SDK-HMAC-SHA256')
  })
})

// ---------------------------------------------------------------------------------------------------------
// Oracle: the official Node SDK (@huaweicloud/huaweicloud-sdk-core AKSKSigner.sign) on generated requests.
// ---------------------------------------------------------------------------------------------------------

/** mulberry32: small, seeded, deterministic. */
function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface OracleCase {
  index: number
  method: string
  origin: string
  /** decoded path segments, as an SDK user passes path parameters */
  segments: string[]
  trailingSlash: boolean
  /** how our URL spells the path: percent-encoded by encodeURIComponent, or raw (WHATWG URL escapes it) */
  encodeSegments: boolean
  query: Array<[string, string]>
  queryStyle: 'URLSearchParams' | 'encodeURIComponent' | 'bare-empty'
  headers: Array<[string, string]>
  data: unknown
  securityToken: string | undefined
  accessKeyId: string
  secretAccessKey: string
  date: Date
}

// Path segments: ids, versions, dots, tildes, and characters that must be encoded. The SDK is given the
// decoded path and runs it through the legacy url.parse(), which escapes space " ' < > \ ^ ` { | } itself
// and then the SDK encodes the resulting '%' again ('a b' signs as a%2520b): an SDK bug (Huawei's Python and
// Go SDKs decode first). Those characters, and a literal '%', are therefore left out here and covered by
// the canonicalUri unit tests instead. '?' and '#' cannot be in a raw path at all.
const SEGMENTS = [
  'v1.0',
  'v2',
  'v3',
  '77b6a44cba5143ab91d13ab9a8ff44fd',
  '13551d6b-755d-4757-b956-536f674975c0',
  'snapshots',
  'clusters',
  'snap.shot',
  '~user',
  'a-b_c',
  '.hidden',
  'x..y',
  '...',
  'ünïcödé',
  '日本',
  '😀',
  'a!b',
  '$(x)',
  'a*b',
  'a+b',
  'k=v;p',
  'u:p@h',
  'a,b',
  'a&b',
  'MiXeD',
  '007'
]
const QUERY_NAMES = [
  'limit',
  'marker',
  'offset',
  'name',
  'Name',
  'NAME',
  'a',
  'A',
  'a0',
  'a-',
  'a.',
  'a_',
  'a~',
  'a:',
  'a b',
  'a+b',
  'x=y',
  'ünï',
  '日本',
  '😀',
  '\uFF5E',
  '',
  '10',
  '9',
  'cluster_id'
]
const QUERY_VALUES = [
  '',
  '2',
  '10',
  '9',
  'a b',
  'a+b',
  ' lead',
  'trail ',
  '日本語',
  '😀',
  '\uFF01',
  'x=y',
  'a&b',
  '%',
  '%41',
  '~._-',
  'A',
  'a',
  "it's",
  '!*()',
  '13551d6b-755d-4757-b956-536f674975c0'
]
// Header names are limited to letters, digits and '-': the SDK orders the canonical header lines with
// localeCompare but SignedHeaders with a plain sort, which disagree for '_' (and other punctuation), so
// its signature is wrong for such names (see "known SDK deviations").
const HEADER_NAMES = ['Content-Type', 'X-Project-Id', 'X-Language', 'X-Client-Token', 'If-Match', 'X-Trace-9', 'Accept', 'X-Domain-Id']
const HEADER_VALUES = [
  'application/json',
  'application/json;charset=UTF-8',
  '77b6a44cba5143ab91d13ab9a8ff44fd',
  'en-us',
  'a  b',
  '"etag-1"',
  '',
  'text/plain; q=0.5, */*'
]
const ORIGINS = [
  'https://dws.cn-north-4.myhuaweicloud.com',
  'https://service.region.example.com:8443',
  'http://127.0.0.1:39123',
  'http://localhost',
  'https://[::1]:9443',
  'https://DWS.AP-SOUTHEAST-1.MyHuaweiCloud.com:443' // upper case and an explicit default port, both normalised away
]

function generateCases(count: number, seed: number): OracleCase[] {
  const random = prng(seed)
  const int = (n: number): number => Math.floor(random() * n)
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T
  const chance = (p: number): boolean => random() < p
  const token = (alphabet: string, length: number): string => Array.from({ length }, () => alphabet[int(alphabet.length)]).join('')
  const recase = (s: string): string => {
    switch (int(4)) {
      case 0:
        return s
      case 1:
        return s.toLowerCase()
      case 2:
        return s.toUpperCase()
      default:
        return Array.from(s)
          .map((c) => (chance(0.5) ? c.toUpperCase() : c.toLowerCase()))
          .join('')
    }
  }
  const cases: OracleCase[] = []
  for (let index = 0; index < count; index++) {
    const segments = Array.from({ length: int(5) }, () => pick(SEGMENTS))
    if (segments.length >= 3 && chance(0.1)) segments[1] = '' // an empty segment: '//' in the middle

    const query: Array<[string, string]> = []
    for (let n = int(6); n > 0; n--) {
      // Repeat a name now and then, to exercise the sort by value.
      const name = query.length > 0 && chance(0.3) ? pick(query)[0] : pick(QUERY_NAMES)
      query.push([name, pick(QUERY_VALUES)])
    }

    const headers: Array<[string, string]> = []
    const used = new Set<string>()
    for (let n = int(4); n > 0; n--) {
      const name = pick(HEADER_NAMES)
      if (used.has(name)) continue
      used.add(name)
      const value = pick(HEADER_VALUES)
      // Surrounding whitespace, which HTTP strips on receipt.
      const padded = chance(0.3) ? `${pick([' ', '  ', '\t'])}${value}${pick(['', ' ', '\t '])}` : value
      headers.push([recase(name), padded])
    }

    // The SDK hashes JSON.stringify(data) when data is truthy, so bodies here are JSON texts of truthy values.
    const data = chance(0.5)
      ? undefined
      : pick<unknown>([
          { name: `snap-${token('abcdef0123456789', 8)}`, description: 'before migration ☃ 日本語 😀' },
          { snapshot: { name: 'nightly', cluster_id: '13551d6b-755d-4757-b956-536f674975c0', description: '' } },
          [1, 2.5, 'três', { nested: [true, null] }],
          'a bare "string" with \\ backslash',
          { quote: "it's", newline: 'a\nb', emoji: '\u{1F600}', escaped: '\u2028' }
        ])

    cases.push({
      index,
      method: recase(pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH'])),
      origin: pick(ORIGINS),
      segments,
      trailingSlash: chance(0.2),
      encodeSegments: chance(0.5),
      query,
      queryStyle: query.every(([, v]) => v === '') && chance(0.5) ? 'bare-empty' : chance(0.5) ? 'URLSearchParams' : 'encodeURIComponent',
      headers,
      data,
      securityToken: pick([
        undefined,
        undefined,
        '',
        token('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=', 40 + int(200))
      ]),
      accessKeyId: token('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 20),
      secretAccessKey: token('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 40),
      date: new Date(Date.UTC(2000, 0, 1) + Math.floor(random() * 100 * 365.25 * 86400_000))
    })
  }
  return cases
}

function ourRequest(c: OracleCase): RequestToSign {
  const path = '/' + c.segments.map((s) => (c.encodeSegments ? encodeURIComponent(s) : s)).join('/') + (c.trailingSlash ? '/' : '')
  let search: string
  if (c.queryStyle === 'URLSearchParams') {
    search = new URLSearchParams(c.query).toString() // spaces become '+'
  } else if (c.queryStyle === 'encodeURIComponent') {
    search = c.query.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&') // spaces become %20
  } else {
    search = c.query.map(([n]) => encodeURIComponent(n)).join('&') // 'name' with no '='
  }
  return {
    method: c.method,
    url: new URL(c.origin + path + (search ? `?${search}` : '')),
    headers: Object.fromEntries(c.headers),
    body: c.data === undefined ? '' : JSON.stringify(c.data)
  }
}

/** The same request as a user of the official SDK states it (what HcClient hands to AKSKSigner.sign). */
function sdkRequest(c: OracleCase, url: URL): ReturnType<typeof sdkCall> {
  // The SDK does not trim header values; give it what the server will see (HTTP strips surrounding whitespace).
  const headers = Object.fromEntries(c.headers.map(([n, v]) => [n, v.trim()]))
  // The SDK signs the token as a request header added by BaseCredentials.addAuthHeaders.
  if (c.securityToken) headers['X-Security-Token'] = c.securityToken
  const params: Record<string, string | string[]> = {}
  for (const [name, value] of c.query) {
    const existing = params[name]
    params[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value]
  }
  return sdkCall({
    endpoint: url.origin + '/' + c.segments.join('/') + (c.trailingSlash ? '/' : ''),
    method: c.method.toUpperCase(), // the SDK signs the method exactly as given; its callers pass upper case
    headers,
    queryParams: params,
    data: c.data
  })
}

function sdkSign(req: ReturnType<typeof sdkCall>, accessKeyId: string, secretAccessKey: string, now: Date): Record<string, string> {
  // With no X-Sdk-Date header the SDK takes the time from moment(), i.e. Date.now(): freeze it.
  jest.setSystemTime(now)
  return signWithSdk(req, accessKeyId, secretAccessKey)
}

describe('agreement with the official SDK (oracle)', () => {
  const CASES = generateCases(300, 20240917)

  beforeAll(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] }))
  afterAll(() => jest.useRealTimers())

  it('covers the input classes it claims to', () => {
    const methods = new Set(CASES.map((c) => c.method.toUpperCase()))
    expect([...methods].sort()).toEqual(['DELETE', 'GET', 'PATCH', 'POST', 'PUT'])
    expect(CASES.some((c) => c.method !== c.method.toUpperCase())).toBe(true)
    expect(CASES.filter((c) => c.securityToken).length).toBeGreaterThan(50)
    expect(CASES.filter((c) => !c.securityToken).length).toBeGreaterThan(50)
    expect(CASES.filter((c) => c.data !== undefined).length).toBeGreaterThan(100)
    expect(CASES.filter((c) => new Set(c.query.map(([n]) => n)).size < c.query.length).length).toBeGreaterThan(20)
    expect(CASES.filter((c) => c.headers.some(([, v]) => v !== v.trim())).length).toBeGreaterThan(20)
    expect(CASES.filter((c) => c.queryStyle === 'bare-empty' && c.query.length > 0).length).toBeGreaterThan(0)
    expect(CASES.filter((c) => c.segments.some((s) => /[^\w.~-]/.test(s))).length).toBeGreaterThan(100)
  })

  it.each(CASES.map((c) => [c.index, c] as const))('case %i: same X-Sdk-Date and Authorization', (_i, c) => {
    const ours = ourRequest(c)
    const sdk = sdkSign(sdkRequest(c, ours.url), c.accessKeyId, c.secretAccessKey, c.date)
    const credentials: AkSkCredentials = { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey }
    if (c.securityToken !== undefined) credentials.securityToken = c.securityToken
    const added = signRequest(ours, credentials, c.date)

    expect(sdk['host']).toBe(ours.url.host) // both signed the same Host
    const expected: Record<string, string> = { 'X-Sdk-Date': sdk['X-Sdk-Date'] ?? '', Authorization: sdk['Authorization'] ?? '' }
    if (c.securityToken) expected['X-Security-Token'] = c.securityToken
    expect(added).toEqual(expected)
    // And a verifier working from the request as sent accepts it.
    expect(verify(ours, added, c.secretAccessKey)).toBe(true)
  })
})

describe('known SDK deviations (why the oracle leaves these inputs out)', () => {
  const sdkAuthorization = (endpoint: string, headers: Record<string, string>): string => {
    const req = sdkCall({ endpoint, method: 'GET', headers: { ...headers, 'X-Sdk-Date': '20191115T033655Z' } })
    return signWithSdk(req, VECTOR_AK, VECTOR_SK)['Authorization'] ?? ''
  }
  const ours = (url: string, headers: Record<string, string>): string =>
    signRequest({ method: 'GET', url: new URL(url), headers, body: '' }, vectorCredentials, VECTOR_DATE)['Authorization'] ?? ''

  it('the SDK double-encodes characters that url.parse escapes (a space signs as %2520); we sign %20', () => {
    expect(sdkAuthorization('https://h/a b', {})).not.toBe(ours('https://h/a b', {}))
    // Signed as the SDK would with its path encoded once, the results agree.
    expect(sdkAuthorization('https://h/a-b', {})).toBe(ours('https://h/a-b', {}))
  })

  it('the SDK does not trim header values (the server sees them trimmed)', () => {
    expect(sdkAuthorization('https://h/x', { 'X-Language': ' en-us' })).not.toBe(ours('https://h/x', { 'X-Language': ' en-us' }))
    expect(sdkAuthorization('https://h/x', { 'X-Language': 'en-us' })).toBe(ours('https://h/x', { 'X-Language': ' en-us' }))
  })

  it("the SDK orders header lines by localeCompare, which disagrees with its SignedHeaders for '_'", () => {
    const headers = { 'x-a_b': '1', 'x-a-b': '2' }
    expect(sdkAuthorization('https://h/x', headers)).not.toBe(ours('https://h/x', headers))
    expect(['x-a_b', 'x-a-b'].sort()).toEqual(['x-a-b', 'x-a_b']) // byte order, as SignedHeaders lists them
  })
})

describe('canonicalUri', () => {
  it.each([
    ['', '/'],
    ['/', '/'],
    ['/v1.0/pid/snapshots', '/v1.0/pid/snapshots/'],
    ['/v1.0/pid/snapshots/', '/v1.0/pid/snapshots/'],
    ['/a//b', '/a//b/'],
    ['/~user/a-b_c.d', '/~user/a-b_c.d/'],
    ["/a!b$c&d'e(f)g*h+i,j;k=l:m@n", '/a%21b%24c%26d%27e%28f%29g%2Ah%2Bi%2Cj%3Bk%3Dl%3Am%40n/'],
    ['/a b', '/a%20b/'], // raw
    ['/a%20b', '/a%20b/'], // already encoded: decoded first, so not %2520
    ['/%61%7e%7E', '/a~~/'], // needlessly escaped unreserved characters sign as themselves
    ['/é/日本/😀', '/%C3%A9/%E6%97%A5%E6%9C%AC/%F0%9F%98%80/'],
    ['/%c3%a9', '/%C3%A9/'], // lower-case hex in, upper-case out
    ['/a%2Fb', '/a/b/'], // the path is decoded before it is split, as the gateway reads it
    ['/100%', '/100%25/'], // a stray '%' is a literal
    ['/%zz/%4', '/%25zz/%254/'],
    ['/%ff', '/%EF%BF%BD/'] // invalid UTF-8 decodes to U+FFFD
  ])('%j -> %j', (input, expected) => {
    expect(canonicalUri(input)).toBe(expected)
  })

  it('agrees for a path however the sender escaped it', () => {
    const raw = new URL('https://h/v1/a b/é/x:y').pathname
    const encoded = new URL('https://h/v1/' + ['a b', 'é', 'x:y'].map(encodeURIComponent).join('/')).pathname
    expect(raw).not.toBe(encoded)
    expect(canonicalUri(raw)).toBe(canonicalUri(encoded))
    expect(canonicalUri(raw)).toBe('/v1/a%20b/%C3%A9/x%3Ay/')
  })
})

describe('canonicalQuery', () => {
  it.each([
    ['', ''],
    ['?', ''],
    ['?b=2&a=1', 'a=1&b=2'],
    ['b=2&a=1', 'a=1&b=2'], // leading '?' optional
    ['?a=2&a=10&a=1', 'a=1&a=10&a=2'], // repeated names: by value, as strings
    ['?q=a+b', 'q=a%20b'], // '+' is a space
    ['?q=a%20b', 'q=a%20b'],
    ['?q=a%2Bb', 'q=a%2Bb'], // an encoded plus stays a plus
    ['?flag', 'flag='],
    ['?a=&b', 'a=&b='],
    ['?a=1&&b=2&', 'a=1&b=2'],
    ['?=x', '=x'],
    ['?b=1&B=1&a=1', 'B=1&a=1&b=1'], // upper case sorts first
    ['?a%3A=1&a0=2', 'a0=2&a%3A=1'], // sorted by the decoded name (':' > '0'), not the encoded one
    ['?n=%E6%97%A5&m=日', 'm=%E6%97%A5&n=%E6%97%A5'],
    ['?x=%7E&y=*&z=%', 'x=~&y=%2A&z=%25'],
    ['?k=a=b', 'k=a%3Db'],
    ['?marker=13551d6b-755d-4757-b956-536f674975c0&limit=2', 'limit=2&marker=13551d6b-755d-4757-b956-536f674975c0']
  ])('%j -> %j', (input, expected) => {
    expect(canonicalQuery(input)).toBe(expected)
  })
})

describe('formatSdkDate', () => {
  it('formats UTC with zero padding and no milliseconds', () => {
    expect(formatSdkDate(new Date(Date.UTC(2019, 10, 15, 3, 36, 55, 999)))).toBe('20191115T033655Z')
    expect(formatSdkDate(new Date(Date.UTC(2001, 1, 3, 4, 5, 6)))).toBe('20010203T040506Z')
    expect(formatSdkDate(new Date('2030-12-31T23:59:59+08:00'))).toBe('20301231T155959Z')
  })
  it('rejects an invalid date', () => {
    expect(() => formatSdkDate(new Date(Number.NaN))).toThrow(RangeError)
  })
})

describe('parseAuthorization', () => {
  const sig = VECTOR_SIGNATURE
  it('parses the Authorization header signRequest writes', () => {
    expect(parseAuthorization(`SDK-HMAC-SHA256 Access=${VECTOR_AK}, SignedHeaders=content-type;host;x-sdk-date, Signature=${sig}`)).toEqual(
      {
        algorithm: 'SDK-HMAC-SHA256',
        accessKeyId: VECTOR_AK,
        signedHeaders: ['content-type', 'host', 'x-sdk-date'],
        signature: sig
      }
    )
  })
  it('tolerates extra spaces, any parameter order and upper-case header names; reports another algorithm as given', () => {
    expect(parseAuthorization(`  OTHER-ALG   Signature=${sig},SignedHeaders=Host;X-Sdk-Date ,  Access=AK1  `)).toEqual({
      algorithm: 'OTHER-ALG',
      accessKeyId: 'AK1',
      signedHeaders: ['host', 'x-sdk-date'],
      signature: sig
    })
  })
  it.each([
    ['empty', ''],
    ['algorithm only', 'SDK-HMAC-SHA256'],
    ['no space after the algorithm', `SDK-HMAC-SHA256Access=AK, SignedHeaders=host, Signature=${sig}`],
    ['missing Signature', 'SDK-HMAC-SHA256 Access=AK, SignedHeaders=host'],
    ['missing Access', `SDK-HMAC-SHA256 SignedHeaders=host, Signature=${sig}`],
    ['empty Access', `SDK-HMAC-SHA256 Access=, SignedHeaders=host, Signature=${sig}`],
    ['duplicate Access', `SDK-HMAC-SHA256 Access=A, Access=B, SignedHeaders=host, Signature=${sig}`],
    ['unknown parameter', `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${sig}, Extra=1`],
    ['a part without =', `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${sig}, junk`],
    ['signature not hex', `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${'z'.repeat(64)}`],
    ['signature too short', `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${sig.slice(1)}`],
    ['empty SignedHeaders', `SDK-HMAC-SHA256 Access=AK, SignedHeaders=, Signature=${sig}`],
    ['empty header name', `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;;x-sdk-date, Signature=${sig}`],
    ['header name with a space', `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x sdk, Signature=${sig}`],
    ['repeated header name', `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;host, Signature=${sig}`],
    ['space inside Access', `SDK-HMAC-SHA256 Access=A K, SignedHeaders=host, Signature=${sig}`]
  ])('rejects %s', (_label, value) => {
    expect(parseAuthorization(value)).toBeUndefined()
  })
})

describe('signRequest', () => {
  const base = (): RequestToSign => ({
    method: 'POST',
    url: new URL('https://dws.cn-north-4.myhuaweicloud.com/v1.0/77b6a44cba5143ab91d13ab9a8ff44fd/snapshots?a=1'),
    headers: { 'Content-Type': 'application/json;charset=UTF-8', 'X-Project-Id': '77b6a44cba5143ab91d13ab9a8ff44fd' },
    body: '{"snapshot":{"name":"s1","cluster_id":"c1"}}'
  })
  const sign = (req: RequestToSign, date = VECTOR_DATE): string => signRequest(req, vectorCredentials, date)['Authorization'] ?? ''
  const sigOf = (req: RequestToSign, date?: Date): string => parseAuthorization(sign(req, date))?.signature ?? ''

  it('signs host, x-sdk-date, the given headers and, when present, x-security-token', () => {
    const plain = signRequest(base(), vectorCredentials, VECTOR_DATE)
    expect(Object.keys(plain).sort()).toEqual(['Authorization', 'X-Sdk-Date'])
    expect(parseAuthorization(plain['Authorization'] ?? '')?.signedHeaders).toEqual(['content-type', 'host', 'x-project-id', 'x-sdk-date'])

    const withToken = signRequest(base(), { ...vectorCredentials, securityToken: 'tok+/=' }, VECTOR_DATE)
    expect(withToken['X-Security-Token']).toBe('tok+/=')
    expect(parseAuthorization(withToken['Authorization'] ?? '')?.signedHeaders).toEqual([
      'content-type',
      'host',
      'x-project-id',
      'x-sdk-date',
      'x-security-token'
    ])
    expect(Object.keys(signRequest(base(), { ...vectorCredentials, securityToken: '' }, VECTOR_DATE)).sort()).toEqual([
      'Authorization',
      'X-Sdk-Date'
    ])
  })

  it('a one-byte change in body, header, path, query, method, host or date changes the signature', () => {
    const original = sigOf(base())
    const variants: Array<[string, (r: RequestToSign) => void]> = [
      ['body', (r) => (r.body = r.body.replace('s1', 's2'))],
      ['body whitespace', (r) => (r.body = r.body + ' ')],
      ['header value', (r) => (r.headers['X-Project-Id'] = '77b6a44cba5143ab91d13ab9a8ff44fe')],
      ['path', (r) => (r.url = new URL(r.url.href.replace('snapshots', 'snapshotz')))],
      ['path trailing slash removed from a segment name', (r) => (r.url = new URL(r.url.href.replace('/v1.0/', '/v1.1/')))],
      ['query', (r) => r.url.searchParams.set('a', '2')],
      ['method', (r) => (r.method = 'PUT')],
      ['port', (r) => (r.url = new URL(r.url.href.replace('.com/', '.com:444/')))],
      ['extra header', (r) => (r.headers['X-Extra'] = '1')]
    ]
    for (const [label, mutate] of variants) {
      const req = base()
      mutate(req)
      expect([label, sigOf(req)]).not.toEqual([label, original])
    }
    expect(sigOf(base(), new Date(VECTOR_DATE.getTime() + 1000))).not.toBe(original)
  })

  it('ignores what the wire does not carry: header-name case, surrounding whitespace, method case, milliseconds', () => {
    const original = sign(base())
    const req = base()
    req.method = 'post'
    req.headers = { 'content-type': '  application/json;charset=UTF-8\t', 'X-PROJECT-ID': '77b6a44cba5143ab91d13ab9a8ff44fd ' }
    expect(sign(req)).toBe(original)
    expect(sign(base(), new Date(VECTOR_DATE.getTime() + 999))).toBe(original)
  })

  it('rejects headers the signer owns, case-duplicated headers and empty keys', () => {
    for (const name of ['Host', 'x-sdk-date', 'X-Security-Token', 'authorization']) {
      const req = base()
      req.headers[name] = 'x'
      expect(() => signRequest(req, vectorCredentials, VECTOR_DATE)).toThrow(/set by the signer/)
    }
    const dup = base()
    dup.headers['content-type'] = 'text/plain'
    expect(() => signRequest(dup, vectorCredentials, VECTOR_DATE)).toThrow(/more than once/)
    expect(() => signRequest(base(), { accessKeyId: '', secretAccessKey: VECTOR_SK }, VECTOR_DATE)).toThrow(/access key id/)
    expect(() => signRequest(base(), { accessKeyId: VECTOR_AK, secretAccessKey: '' }, VECTOR_DATE)).toThrow(/secret/)
    try {
      signRequest(base(), { accessKeyId: VECTOR_AK, secretAccessKey: '' }, VECTOR_DATE)
    } catch (error) {
      expect(String(error)).not.toContain(VECTOR_AK)
    }
  })
})

describe('round trip: signRequest -> parseAuthorization -> canonicalRequest', () => {
  it('recomputes the same signature for the vector and for every generated request', () => {
    const req = vectorRequest()
    expect(verify(req, signRequest(req, vectorCredentials, VECTOR_DATE), VECTOR_SK)).toBe(true)
    for (const c of generateCases(100, 7)) {
      const ours = ourRequest(c)
      const added = signRequest(
        ours,
        { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, securityToken: c.securityToken ?? '' },
        c.date
      )
      expect(verify(ours, added, c.secretAccessKey)).toBe(true)
      expect(verify(ours, added, c.secretAccessKey + 'x')).toBe(false)
    }
  })

  it('verifies what node:http actually sends and receives (request target, Host with port, trimmed values)', async () => {
    const received: Array<{ method: string; target: string; headers: IncomingMessage['headers']; body: string }> = []
    const server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        received.push({
          method: req.method ?? '',
          target: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8')
        })
        res.end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as AddressInfo
      const requests: RequestToSign[] = [
        {
          method: 'POST',
          url: new URL(`http://127.0.0.1:${port}/v1.0/pid/clusters/a b/é!/snapshots?name=a b&limit=2&x=日本`),
          headers: { 'Content-Type': 'application/json;charset=utf8', 'X-Project-Id': ' pid ' },
          body: JSON.stringify({ snapshot: { name: 'snap ☃', description: '😀' } })
        },
        { method: 'delete', url: new URL(`http://localhost:${port}/v1.0/pid/snapshots/s-1`), headers: {}, body: '' }
      ]
      for (const req of requests) {
        const added = signRequest(req, { ...vectorCredentials, securityToken: 'temporary-token' }, new Date())
        await new Promise<void>((resolve, reject) => {
          const out = httpRequest(req.url, { method: req.method.toUpperCase(), headers: { ...req.headers, ...added } }, (res) => {
            res.resume()
            res.on('end', resolve)
          })
          out.on('error', reject)
          out.end(req.body)
        })
        const got = received.at(-1)
        if (!got) throw new Error('no request received')
        const auth = parseAuthorization(String(got.headers['authorization']))
        expect(auth).toBeDefined()
        const signed: Record<string, string> = {}
        for (const name of auth?.signedHeaders ?? []) signed[name] = String(got.headers[name])
        const url = new URL(`http://${String(got.headers['host'])}${got.target}`)
        const canonical = canonicalRequest(got.method, url, signed, got.body)
        expect(signature(stringToSign(canonical, String(got.headers['x-sdk-date'])), VECTOR_SK)).toBe(auth?.signature)
      }
      expect(received.map((r) => r.headers['host'])).toEqual([`127.0.0.1:${port}`, `localhost:${port}`])
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})
