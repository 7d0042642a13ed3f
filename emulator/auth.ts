/**
 * Authentication as the API gateway does it: AK/SK signature (SDK-HMAC-SHA256) or an IAM token.
 * Uses the project's own signer functions, so the emulator recomputes exactly the canonical request
 * the client should have signed, and echoes it on failure as the gateway does.
 */
import { canonicalRequest, parseAuthorization, signature, stringToSign, SIGNING_ALGORITHM } from '../src/cloud/signer.js'
import { gatewayError, isoSeconds, type Reply } from './responses.js'
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
  if (parsed === undefined || parsed.algorithm !== SIGNING_ALGORITHM) {
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

  const signedValues = Object.fromEntries(parsed.signedHeaders.map((name) => [name, req.headers[name] ?? '']))
  const canonical = canonicalRequest(req.method, req.url, signedValues, req.body)
  const key = config.accessKeys.find((k) => k.accessKeyId === parsed.accessKeyId)
  const expected = key === undefined ? undefined : signature(stringToSign(canonical, sdkDate), key.secretAccessKey)
  if (expected !== parsed.signature) {
    const reason = key === undefined ? 'access key not found' : 'signature mismatch'
    return fail(`verify aksk signature fail, error: ${reason}, canonicalRequest: ${canonical.replace(/\n/g, '|')}`)
  }

  if (key?.securityToken !== undefined) {
    if (!parsed.signedHeaders.includes('x-security-token') || req.headers['x-security-token'] !== key.securityToken) {
      return fail('the access key is temporary: a matching X-Security-Token must be sent and signed.')
    }
    // Wording made up: what the real gateway says for an expired security token is not documented.
    if (key.expiresAtMs !== undefined && req.nowMs >= key.expiresAtMs) return fail('the security token has expired.')
  }
  return undefined
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
