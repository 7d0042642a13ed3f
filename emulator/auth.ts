/**
 * Authentication as the API gateway does it: AK/SK signature (SDK-HMAC-SHA256) or an IAM token.
 *
 * Signatures are recomputed with Huawei's official Node SDK signer (AKSKSigner in
 * @huaweicloud/huaweicloud-sdk-core), never with the action's own signer: "the emulator accepted it" then
 * means the request agrees with an independent implementation, not with the code that signed it.
 * On a mismatch the SDK's canonical request is echoed, as the gateway echoes its own.
 */
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js'
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js'
import type { IHttpRequest } from '@huaweicloud/huaweicloud-sdk-core/http/IHttpRequest.js'
import { isoSeconds } from '../src/kernel/time.js'
import { gatewayError, type Reply } from './responses.js'
import type { AccessKey } from './types.js'

export interface AuthConfig {
  accessKeys: readonly AccessKey[]
  tokens: readonly string[]
  /** IAM tokens minted by federation, with their expiry (ms) */
  expiringTokens?: ReadonlyMap<string, number>
}

export interface ReceivedRequest {
  method: string
  /** Built from the Host header and the raw request target. */
  url: URL
  /** Lower-case names. */
  headers: Record<string, string>
  body: string
  requestId: string
  nowMs: number
}

/** The gateway's tolerance between X-Sdk-Date and its own clock. */
export const CLOCK_SKEW_MS = 15 * 60 * 1000

const IAM_AUTH = 'Incorrect IAM authentication information'

/**
 * The SDK's signer turned into a verifier. AKSKSigner.sign starts from what its caller meant; a gateway
 * only has what arrived. Two of its steps are therefore replaced, everything else (query, header lines and
 * their order, SignedHeaders, string to sign, HMAC) runs as the SDK's own code:
 * - the payload hash: the SDK hashes JSON.stringify(request.data); a gateway hashes the bytes it received.
 * - the path: the SDK percent-encodes the path url.parse gives it without decoding it first, so a path that
 *   arrives escaped ('/a%20b') would be escaped twice ('/a%2520b/'). The gateway, like Huawei's Python and
 *   Go signers, decodes first. The action's paths (ids, 'snapshots', 'clusters', ...) contain nothing to
 *   escape, and for them both readings are the same.
 * The canonical request is kept as the SDK builds it, for the echo on a mismatch.
 */
class GatewayVerifier extends AKSKSigner {
  private static lastCanonical = ''

  static get algorithm(): string {
    return this.SDK_SIGNING_ALGORITHM
  }

  /** The SDK's signature for the request as received, and the canonical request it signed. */
  static recompute(request: IHttpRequest, accessKeyId: string, secretAccessKey: string): { signature: string; canonical: string } {
    this.lastCanonical = ''
    const credentials = new BasicCredentials().withAk(accessKeyId).withSk(secretAccessKey)
    const signed = this.sign(request, credentials) as Record<string, string | undefined>
    const signature = /Signature=([0-9a-f]+)$/.exec(signed['Authorization'] ?? '')?.[1] ?? ''
    return { signature, canonical: this.lastCanonical }
  }

  protected static override CanonicalURI(inputUri?: string): string | undefined {
    return super.CanonicalURI(inputUri === undefined ? undefined : lenientDecode(inputUri))
  }

  protected static override buildPayloadHash(request: IHttpRequest): string {
    return this.Hex(typeof request.data === 'string' ? request.data : '')
  }

  protected static override buildCanonicalRequest(
    method: string | undefined,
    canonicalURI: string | undefined,
    canonicalQueryString: string,
    canonicalHeaders: string,
    signedHeaderNames: string,
    payloadHash: string | undefined
  ): string {
    const canonical = super.buildCanonicalRequest(
      method,
      canonicalURI,
      canonicalQueryString,
      canonicalHeaders,
      signedHeaderNames,
      payloadHash
    )
    this.lastCanonical = canonical
    return canonical
  }
}

const SIGNING_ALGORITHM = GatewayVerifier.algorithm

/** undefined when the request may proceed; otherwise the gateway's 401. */
export function authenticate(config: AuthConfig, req: ReceivedRequest): Reply | undefined {
  // A signature takes precedence: a client sending both is most likely signing on purpose.
  const authorization = req.headers['authorization']
  if (authorization !== undefined) return verifySignature(config, req, authorization)
  const token = req.headers['x-auth-token']
  if (token !== undefined) {
    const expiresAtMs = config.expiringTokens?.get(token)
    const valid = config.tokens.includes(token) || (expiresAtMs !== undefined && req.nowMs < expiresAtMs)
    return valid ? undefined : gatewayError(401, 'APIGW.0307', 'The token must be updated.', req.requestId)
  }
  return gatewayError(401, 'APIGW.0301', `${IAM_AUTH}: Authorization not found.`, req.requestId)
}

function verifySignature(config: AuthConfig, req: ReceivedRequest, authorization: string): Reply | undefined {
  const fail = (detail: string): Reply => gatewayError(401, 'APIGW.0301', `${IAM_AUTH}: ${detail}`, req.requestId)

  const parsed = parseAuthorization(authorization)
  if (parsed === undefined) {
    return fail(`the Authorization header is not '${SIGNING_ALGORITHM} Access=..., SignedHeaders=..., Signature=...'.`)
  }
  if (!parsed.signedHeaders.includes('host') || !parsed.signedHeaders.includes('x-sdk-date')) {
    return fail('SignedHeaders must include host and x-sdk-date.')
  }

  const sdkDate = req.headers['x-sdk-date'] ?? ''
  const dateMs = parseSdkDate(sdkDate)
  if (dateMs === undefined) {
    return gatewayError(
      401,
      'APIGW.0303',
      `Incorrect app authentication information: X-Sdk-Date '${sdkDate}' is missing or not YYYYMMDDTHHMMSSZ.`,
      req.requestId
    )
  }
  if (Math.abs(req.nowMs - dateMs) > CLOCK_SKEW_MS) {
    return gatewayError(
      401,
      'APIGW.0303',
      `Incorrect app authentication information: X-Sdk-Date ${sdkDate} is more than 15 minutes from the server time ${isoSeconds(req.nowMs)}.`,
      req.requestId
    )
  }

  const key = config.accessKeys.find((k) => k.accessKeyId === parsed.accessKeyId)
  // The canonical request does not depend on the key, so an unknown one still gets the echo.
  const expected = GatewayVerifier.recompute(asSdkRequest(req, parsed.signedHeaders), parsed.accessKeyId, key?.secretAccessKey ?? '')
  if (key === undefined || expected.signature !== parsed.signature) {
    const reason = key === undefined ? 'access key not found' : 'signature mismatch'
    return fail(`verify aksk signature fail, error: ${reason}, canonicalRequest: ${expected.canonical.replace(/\n/g, '|')}`)
  }

  if (key.securityToken !== undefined) {
    if (!parsed.signedHeaders.includes('x-security-token') || req.headers['x-security-token'] !== key.securityToken) {
      return fail('the access key is temporary: a matching X-Security-Token must be sent and signed.')
    }
    // Wording made up: what the real gateway says for an expired security token is not documented.
    if (key.expiresAtMs !== undefined && req.nowMs >= key.expiresAtMs) return fail('the security token has expired.')
  }
  return undefined
}

/**
 * The received request as a caller of the SDK would state it: the signed headers with the values that
 * arrived (the SDK signs every header it is given, and finds the date only under 'X-Sdk-Date'), the
 * query decoded into name -> value(s), and the body as received (see GatewayVerifier).
 */
function asSdkRequest(req: ReceivedRequest, signedHeaders: readonly string[]): IHttpRequest {
  const headers = Object.fromEntries(signedHeaders.map((name) => [name === 'x-sdk-date' ? 'X-Sdk-Date' : name, req.headers[name] ?? '']))
  const query = new Map<string, string | string[]>()
  for (const [name, value] of req.url.searchParams) {
    const earlier = query.get(name)
    query.set(name, earlier === undefined ? value : [...(Array.isArray(earlier) ? earlier : [earlier]), value])
  }
  return {
    method: req.method,
    endpoint: `${req.url.protocol}//${req.url.host}${req.url.pathname}`,
    headers,
    queryParams: Object.fromEntries(query),
    data: req.body
  }
}

interface SignedAuthorization {
  accessKeyId: string
  /** lower-case names */
  signedHeaders: string[]
  signature: string
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/

/** `SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2>, Signature=<hex>`: each parameter once, in any order. */
function parseAuthorization(value: string): SignedAuthorization | undefined {
  const match = /^\s*(\S+)\s+(.*?)\s*$/s.exec(value)
  if (match?.[1] !== SIGNING_ALGORITHM) return undefined
  const params = new Map<string, string>()
  for (const part of (match[2] ?? '').split(',')) {
    const eq = part.indexOf('=')
    const name = part.slice(0, eq).trim()
    if (eq < 0 || params.has(name)) return undefined
    params.set(name, part.slice(eq + 1).trim())
  }
  const accessKeyId = params.get('Access') ?? ''
  const signature = params.get('Signature') ?? ''
  const signedHeaders = (params.get('SignedHeaders') ?? '').toLowerCase().split(';')
  const wellFormed =
    params.size === 3 &&
    /^\S+$/.test(accessKeyId) &&
    /^[0-9a-fA-F]{64}$/.test(signature) &&
    signedHeaders.every((name) => HEADER_NAME.test(name)) &&
    new Set(signedHeaders).size === signedHeaders.length
  return wellFormed ? { accessKeyId, signedHeaders, signature } : undefined
}

/** Percent-decoding that never throws: each run of %XX is read as UTF-8 (bad bytes become U+FFFD); a stray '%' stays. */
function lenientDecode(path: string): string {
  return path.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'))
}

/** ms since the epoch, or undefined unless exactly 'YYYYMMDDTHHMMSSZ' naming a real instant. */
export function parseSdkDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)
  if (m === null) return undefined
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number]
  const ms = Date.UTC(year, month - 1, day, hour, minute, second)
  // Date.UTC rolls over (month 13, second 61): round-trip to reject such values.
  const back = new Date(ms)
  const exact =
    back.getUTCFullYear() === year &&
    back.getUTCMonth() === month - 1 &&
    back.getUTCDate() === day &&
    back.getUTCHours() === hour &&
    back.getUTCMinutes() === minute &&
    back.getUTCSeconds() === second
  return exact ? ms : undefined
}
