/**
 * What can go wrong talking to the service, and how each failure is classified for retrying. Pure.
 * What the user should do about each lives in action/report/failure.ts.
 */
import type { Operation } from './operation.js'

/** transient: try again soon; busy: the cluster runs another operation, try again later; permanent: never retried. */
export type FailureKind = 'transient' | 'busy' | 'permanent'

/** What an ApiError may carry besides the status line. */
export interface ApiErrorExtra {
  /** shown in debug mode only, already scrubbed: e.g. the gateway's echo of its canonical request on a 401 */
  debugDetail?: string
  /** an IAM5 permission denial carried an encoded explanation (decodable with STS decode-authorization-message) */
  encodedAuthorizationMessage?: boolean
}

/**
 * The service (or a gateway/proxy in front of it) answered with an error status. Every string in
 * it has been scrubbed of secrets and made one safe line where the answer was read.
 */
export class ApiError extends Error {
  readonly debugDetail: string | undefined
  readonly encodedAuthorizationMessage: boolean
  constructor(
    readonly operation: Operation,
    readonly status: number,
    readonly errorCode: string | undefined,
    readonly errorMsg: string | undefined,
    readonly requestId: string | undefined,
    /** a short, cleaned excerpt when the body was not the service's JSON (e.g. a proxy's HTML page) */
    readonly bodyExcerpt: string | undefined,
    /** seconds or HTTP date from a Retry-After header */
    readonly retryAfter: string | undefined,
    extra: ApiErrorExtra = {}
  ) {
    super(describeApiError(operation, status, errorCode, errorMsg, requestId, bodyExcerpt))
    this.name = 'ApiError'
    this.debugDetail = extra.debugDetail
    this.encodedAuthorizationMessage = extra.encodedAuthorizationMessage ?? false
  }
}

/**
 * The service answered success but the answer cannot be used (empty, cut short, HTML, no valid id):
 * the request may well have been carried out, so its outcome is unknown.
 */
export class UnreadableAnswerError extends Error {
  constructor(
    readonly operation: Operation,
    detail: string
  ) {
    super(`${operation.name}: the service answered success, but its answer could not be read (${detail})`)
    this.name = 'UnreadableAnswerError'
  }
}

/**
 * dns, tls, proxy-auth, too-large, encoding and invalid-request are permanent: retrying cannot fix a
 * wrong host, a missing CA, a proxy password, an oversized or undecodable answer, or a request that
 * Node refused to send (a header value with a line break).
 */
export type TransportFailure =
  'dns' | 'refused' | 'reset' | 'timeout' | 'tls' | 'proxy-auth' | 'too-large' | 'encoding' | 'invalid-request' | 'other'

const PERMANENT_TRANSPORT_FAILURES: ReadonlySet<TransportFailure> = new Set([
  'dns',
  'tls',
  'proxy-auth',
  'too-large',
  'encoding',
  'invalid-request'
])

/** No (complete) answer: the host could not be reached, the connection broke, or the deadline passed. */
export class TransportError extends Error {
  /** a kept-alive connection was found closed before any answer: a read may be sent again at once */
  staleConnection = false

  constructor(
    readonly operation: Operation,
    readonly failure: TransportFailure,
    readonly host: string,
    /**
     * true once the whole request was handed to the socket: the service may have acted on it.
     * Errs on the safe side (data buffered during a TLS handshake counts): it only costs a lookup.
     */
    readonly requestSent: boolean,
    detail: string
  ) {
    super(`${operation.name} failed: ${detail}`)
    this.name = 'TransportError'
  }
}

function describeApiError(
  operation: Operation,
  status: number,
  errorCode: string | undefined,
  errorMsg: string | undefined,
  requestId: string | undefined,
  bodyExcerpt: string | undefined
): string {
  const parts = [`${operation.name} failed: HTTP ${status}${STATUS_TEXT[status] ? ` (${STATUS_TEXT[status]})` : ''}`]
  if (errorCode) parts.push(errorCode)
  let text = parts.join(' ')
  if (errorMsg) text += `: ${errorMsg}`
  else if (bodyExcerpt !== undefined) text += `; the answer was not the service's JSON: "${bodyExcerpt}"`
  if (requestId) text += ` (request id ${requestId})`
  return text
}

/** Statuses whose number alone says little to a reader. */
const STATUS_TEXT: Record<number, string> = {
  429: 'too many requests',
  500: 'internal server error',
  502: 'bad gateway',
  503: 'service unavailable',
  504: 'gateway timeout'
}

const TRANSIENT_STATUSES = new Set([429, 500, 502, 503, 504])

/**
 * The cluster runs another operation or its state does not allow a snapshot now. DWS.7023 also
 * arrives wrapped in a DWS.9999 whose message names it when an operation is repeated.
 */
export function isClusterBusy(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false
  const { errorCode, errorMsg } = error
  return errorCode === 'DWS.0011' || errorCode === 'DWS.7023' || (errorCode === 'DWS.9999' && /DWS\.7023/.test(errorMsg ?? ''))
}

/**
 * The real service answers an unknown but well-formed cluster id with 401 DWS.0047 or 403 DWS.0015
 * (the Terraform provider reads both as "not found"), a deleted one with 404 DWS.3027.
 */
export function isClusterNotFound(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false
  const { errorCode, operation } = error
  return errorCode === 'DWS.0047' || errorCode === 'DWS.3027' || (errorCode === 'DWS.0015' && operation.clusterCall === true)
}

export type AuthFailure = 'clock' | 'expired-token' | 'unknown-key' | 'signature' | 'other'

/** Why the gateway refused the credentials, from its code and wording. */
export function authFailureOf(error: ApiError): AuthFailure {
  const { errorCode, errorMsg = '' } = error
  if (errorCode === 'APIGW.0303' || /x-sdk-date|clock|time ?stamp|expired request/i.test(errorMsg)) return 'clock'
  if (errorCode === 'APIGW.0307' || /token.*(expire|updated|invalid)/i.test(errorMsg)) return 'expired-token'
  if (/access ?key (not found|does not exist|not exist)|ak not exist|invalid access ?key/i.test(errorMsg)) return 'unknown-key'
  if (/signature/i.test(errorMsg)) return 'signature'
  return 'other'
}

/** The gateway refused credentials that were valid but have expired: temporary ones can be renewed and the call sent again. */
export function isExpiredCredentials(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && authFailureOf(error) === 'expired-token'
}

export function failureKind(error: unknown): FailureKind {
  if (isClusterBusy(error)) return 'busy'
  if (error instanceof ApiError) return TRANSIENT_STATUSES.has(error.status) ? 'transient' : 'permanent'
  if (error instanceof UnreadableAnswerError) return 'transient'
  if (error instanceof TransportError) {
    return PERMANENT_TRANSPORT_FAILURES.has(error.failure) ? 'permanent' : 'transient'
  }
  return 'permanent'
}

/**
 * True when a failed request may nevertheless have been carried out by the service, so that a
 * create must look for its snapshot before trying again. A refused connection or a throttled
 * request (429) never reached the service.
 */
export function outcomeUnknown(error: unknown): boolean {
  if (error instanceof UnreadableAnswerError) return true
  if (error instanceof TransportError) return error.requestSent
  if (error instanceof ApiError) return error.status >= 500
  return false
}
