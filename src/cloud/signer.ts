/**
 * Huawei Cloud AK/SK request signing (`SDK-HMAC-SHA256`), as used by API Gateway in front of DWS.
 *
 * Pure: no I/O. The same functions serve the client (signRequest) and the emulator, which recomputes the
 * signature of a received request; both start from a WHATWG URL, so they agree on the canonical form.
 */
import { createHash, createHmac } from 'node:crypto'

export interface AkSkCredentials {
  accessKeyId: string
  secretAccessKey: string
  securityToken?: string
}

export interface RequestToSign {
  /** e.g. 'GET', 'POST' (normalised to upper case) */
  method: string
  /** full URL; the signed Host is url.host (with a non-default port, as node:http sends it) */
  url: URL
  /** headers that will be sent AND must be signed (e.g. Content-Type, X-Project-Id); any case */
  headers: Record<string, string>
  /** the exact UTF-8 body that will be sent; '' when none */
  body: string
}

export interface ParsedAuthorization {
  algorithm: string
  accessKeyId: string
  signedHeaders: string[]
  signature: string
}

export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256'

/** Headers the signer sets itself; a caller supplying them would send a second, conflicting copy. */
const SIGNER_OWNED_HEADERS = new Set(['host', 'x-sdk-date', 'x-security-token', 'authorization'])

/** UTC 'YYYYMMDDTHHMMSSZ' (basic ISO 8601, no milliseconds). */
export function formatSdkDate(date: Date): string {
  // toISOString throws a RangeError on an invalid Date, which is what we want.
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '')
}

/** RFC 3986 encoding over UTF-8 bytes: only A-Z a-z 0-9 - . _ ~ stay literal; hex is upper case. */
function encodeRfc3986(value: string): string {
  let out = ''
  // Buffer.from replaces a lone surrogate with U+FFFD instead of throwing like encodeURIComponent.
  for (const byte of Buffer.from(value, 'utf8')) {
    const unreserved =
      (byte >= 0x41 && byte <= 0x5a) || // A-Z
      (byte >= 0x61 && byte <= 0x7a) || // a-z
      (byte >= 0x30 && byte <= 0x39) || // 0-9
      byte === 0x2d ||
      byte === 0x2e ||
      byte === 0x5f ||
      byte === 0x7e // - . _ ~
    out += unreserved ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/**
 * Percent-decoding that never throws (like Python's urllib unquote): runs of valid %XX escapes are
 * decoded as UTF-8 (invalid sequences become U+FFFD), and a '%' not followed by two hex digits stays.
 */
function lenientDecode(value: string): string {
  return value.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'))
}

/**
 * Canonical URI: the path decoded, split on '/', each segment RFC 3986-encoded, always ending with '/'.
 *
 * Decoding first makes the result depend only on the path's meaning, not on how the sender escaped it:
 * `/a b`, `/a%20b` and `/%61%20b` all sign as `/a%20b/`. A WHATWG URL (client) and the raw request line
 * (emulator) therefore agree, and so do Huawei's Python/Go signers and the gateway (they sign the decoded
 * path). The Node SDK encodes the path it is given without decoding it; it agrees with this for the raw,
 * unescaped paths it is normally given, and double-encodes ('%2520') an already-escaped one.
 */
export function canonicalUri(pathname: string): string {
  const path = lenientDecode(pathname).split('/').map(encodeRfc3986).join('/')
  return path.endsWith('/') ? path : `${path}/`
}

/** Code-unit order, as the Node SDK's default sort() (and Java's String.compareTo). */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Canonical query from a URL's raw search string ('?a=1&b=2' or ''): each pair decoded with form
 * semantics ('+' is a space, as URLSearchParams and the gateway read it), sorted by decoded name then
 * decoded value (as the official SDKs sort the raw parameters), then each name and value RFC 3986-encoded
 * (space = %20) and joined as `name=value` with '&'. A parameter without '=' signs as `name=`.
 */
export function canonicalQuery(search: string): string {
  const pairs = [...new URLSearchParams(search)]
  pairs.sort(([nameA, valueA], [nameB, valueB]) => compareStrings(nameA, nameB) || compareStrings(valueA, valueB))
  return pairs.map(([name, value]) => `${encodeRfc3986(name)}=${encodeRfc3986(value)}`).join('&')
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex')
}

/** Lower-cases names (rejecting two that differ only in case, which would be ambiguous) and trims values. */
function normaliseHeaders(headers: Record<string, string>): Map<string, string> {
  const normalised = new Map<string, string>()
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase()
    if (normalised.has(lower)) throw new Error(`Header "${lower}" is given more than once (names are case-insensitive)`)
    // HTTP strips surrounding whitespace from field values, so the receiver only ever sees the trimmed value.
    normalised.set(lower, value.trim())
  }
  return normalised
}

/**
 * The canonical request. `signedHeaders` maps the lower-case name of EVERY signed header (host and
 * x-sdk-date included) to its value; the path and query come from `url` exactly as sent or received.
 */
export function canonicalRequest(method: string, url: URL, signedHeaders: Record<string, string>, body: string): string {
  const headers = [...normaliseHeaders(signedHeaders)].sort(([a], [b]) => compareStrings(a, b))
  return [
    method.toUpperCase(),
    canonicalUri(url.pathname),
    canonicalQuery(url.search),
    // Each header line ends with '\n', so the block is followed by an empty line before SignedHeaders.
    headers.map(([name, value]) => `${name}:${value}\n`).join(''),
    headers.map(([name]) => name).join(';'),
    sha256Hex(body)
  ].join('\n')
}

export function stringToSign(canonical: string, sdkDate: string): string {
  return `${SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`
}

/** Hex HMAC-SHA256 of the string to sign, keyed with the secret key itself (no key derivation). */
export function signature(stringToSign: string, secretAccessKey: string): string {
  return createHmac('sha256', secretAccessKey).update(stringToSign, 'utf8').digest('hex')
}

/**
 * Signs a request. Returns only the headers to ADD: 'X-Sdk-Date', 'Authorization' and, with temporary
 * credentials, 'X-Security-Token'. The caller sends them together with `req.headers` and `req.body`.
 */
export function signRequest(req: RequestToSign, credentials: AkSkCredentials, date: Date): Record<string, string> {
  // Messages never include key material.
  if (!credentials.accessKeyId) throw new Error('Cannot sign the request: the access key id is empty')
  if (!credentials.secretAccessKey) throw new Error('Cannot sign the request: the secret access key is empty')

  const headers = normaliseHeaders(req.headers)
  for (const name of headers.keys()) {
    if (SIGNER_OWNED_HEADERS.has(name)) throw new Error(`Header "${name}" is set by the signer; do not pass it`)
  }
  const sdkDate = formatSdkDate(date)
  const added: Record<string, string> = { 'X-Sdk-Date': sdkDate }
  headers.set('host', req.url.host)
  headers.set('x-sdk-date', sdkDate)
  if (credentials.securityToken) {
    added['X-Security-Token'] = credentials.securityToken
    headers.set('x-security-token', credentials.securityToken)
  }

  const signed = Object.fromEntries(headers)
  const canonical = canonicalRequest(req.method, req.url, signed, req.body)
  const sig = signature(stringToSign(canonical, sdkDate), credentials.secretAccessKey)
  const signedNames = Object.keys(signed).sort(compareStrings).join(';')
  added['Authorization'] = `${SIGNING_ALGORITHM} Access=${credentials.accessKeyId}, SignedHeaders=${signedNames}, Signature=${sig}`
  return added
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/

/**
 * Parses `SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2>, Signature=<hex>` (parameters in any order,
 * each exactly once). The algorithm is returned as given, for the caller to check. Header names are
 * lower-cased. Returns undefined when the value is malformed.
 */
export function parseAuthorization(value: string): ParsedAuthorization | undefined {
  const match = /^\s*(\S+)\s+(.*?)\s*$/s.exec(value)
  if (!match) return undefined
  const [, algorithm = '', rest = ''] = match
  const params = new Map<string, string>()
  for (const part of rest.split(',')) {
    const eq = part.indexOf('=')
    if (eq < 0) return undefined
    const key = part.slice(0, eq).trim()
    if (params.has(key)) return undefined
    params.set(key, part.slice(eq + 1).trim())
  }
  const accessKeyId = params.get('Access')
  const signedHeadersValue = params.get('SignedHeaders')
  const sig = params.get('Signature')
  if (params.size !== 3 || !accessKeyId || !signedHeadersValue || !sig) return undefined
  if (/\s/.test(accessKeyId) || !/^[0-9a-fA-F]{64}$/.test(sig)) return undefined
  const signedHeaders = signedHeadersValue.toLowerCase().split(';')
  if (!signedHeaders.every((name) => HEADER_NAME.test(name)) || new Set(signedHeaders).size !== signedHeaders.length) {
    return undefined
  }
  return { algorithm, accessKeyId, signedHeaders, signature: sig }
}
