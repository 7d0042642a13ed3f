/**
 * What can go wrong talking to the service, how each failure is classified for retrying, and the
 * hint that tells the user what to fix. Pure.
 */

/** transient: try again soon; busy: the cluster runs another operation, try again later; permanent: never retried. */
export type FailureKind = 'transient' | 'busy' | 'permanent'

/** The service (or a gateway/proxy in front of it) answered with an error status. */
export class ApiError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly errorCode: string | undefined,
    readonly errorMsg: string | undefined,
    readonly requestId: string | undefined,
    /** a short, cleaned excerpt when the body was not the service's JSON (e.g. a proxy's HTML page) */
    readonly bodyExcerpt: string | undefined,
    /** seconds or HTTP date from a Retry-After header */
    readonly retryAfter: string | undefined
  ) {
    super(describeApiError(operation, status, errorCode, errorMsg, requestId, bodyExcerpt))
    this.name = 'ApiError'
  }
}

export type TransportFailure = 'dns' | 'refused' | 'reset' | 'timeout' | 'tls' | 'other'

/** No (complete) answer: the host could not be reached, the connection broke, or the deadline passed. */
export class TransportError extends Error {
  constructor(
    readonly operation: string,
    readonly failure: TransportFailure,
    readonly host: string,
    /**
     * true once the whole request was handed to the socket: the service may have acted on it.
     * Errs on the safe side (data buffered during a TLS handshake counts): it only costs a lookup.
     */
    readonly requestSent: boolean,
    detail: string
  ) {
    super(`${operation} failed: ${detail}`)
    this.name = 'TransportError'
  }
}

function describeApiError(
  operation: string,
  status: number,
  errorCode: string | undefined,
  errorMsg: string | undefined,
  requestId: string | undefined,
  bodyExcerpt: string | undefined
): string {
  const parts = [`${operation} failed: HTTP ${status}`]
  if (errorCode) parts.push(errorCode)
  let text = parts.join(' ')
  if (errorMsg) text += `: ${errorMsg}`
  else if (bodyExcerpt !== undefined) text += `; the answer was not the service's JSON: "${bodyExcerpt}"`
  if (requestId) text += ` (request id ${requestId})`
  return text
}

const TRANSIENT_STATUSES = new Set([429, 500, 502, 503, 504])
const BUSY_CODES = new Set(['DWS.0011', 'DWS.7023'])

export function failureKind(error: unknown): FailureKind {
  if (error instanceof ApiError) {
    if (error.errorCode && BUSY_CODES.has(error.errorCode)) return 'busy'
    return TRANSIENT_STATUSES.has(error.status) ? 'transient' : 'permanent'
  }
  if (error instanceof TransportError) {
    // A name that does not resolve is a wrong region or endpoint, not a passing fault.
    return error.failure === 'dns' || error.failure === 'tls' ? 'permanent' : 'transient'
  }
  return 'permanent'
}

/**
 * True when a failed request may nevertheless have been carried out by the service, so that a
 * create must look for its snapshot before trying again. A refused connection or a throttled
 * request (429) never reached the service.
 */
export function outcomeUnknown(error: unknown): boolean {
  if (error instanceof TransportError) return error.requestSent
  if (error instanceof ApiError) return error.status >= 500
  return false
}

/** IAM permission each operation needs (identity-policy names; older role-based names in the README). */
const PERMISSION_BY_OPERATION: Record<string, string> = {
  'Create snapshot': 'dws:cluster:createSnapshot',
  'List snapshots': 'dws:openAPISnapshot:list',
  'Get snapshot': 'dws:openAPISnapshot:detail'
}

/** What the user should check or change, in one sentence. */
export function hintFor(error: unknown): string {
  if (error instanceof TransportError) return transportHint(error)
  if (!(error instanceof ApiError)) return ''
  const { status, errorCode, errorMsg } = error
  if (errorCode === 'DWS.0011' || errorCode === 'DWS.7023') {
    return 'The cluster is running another operation (often an automated snapshot) or is not in a state that allows snapshots; try again later or raise wait_timeout.'
  }
  if (errorCode === 'APIGW.0307') {
    return 'The IAM token has expired or belongs to another region: get a new token for this region.'
  }
  if (status === 401) {
    return "Check the credentials: access_key_id/secret_access_key (and security_token for temporary keys) or auth_token, and that the runner's clock is right (requests more than 15 minutes off are rejected)."
  }
  if (status === 403) {
    const permission = PERMISSION_BY_OPERATION[error.operation]
    return permission
      ? `The IAM user or agency needs the permission ${permission} in this project (and region).`
      : `The IAM user or agency is not allowed to ${error.operation.toLowerCase()}: check its policies for this project.`
  }
  if (status === 404) {
    return 'Check region, endpoint, project_id and cluster_id: one of them does not match an existing cluster in this account.'
  }
  if (status === 400 && /name/i.test(errorMsg ?? '')) {
    return 'Snapshot names must be unique, 4-64 characters, start with a letter and use only letters, digits, - and _: change the name template.'
  }
  if (status === 429) return 'The API is throttling requests: try again later, or lower how many jobs call it at once.'
  if (status >= 500) {
    return error.bodyExcerpt !== undefined
      ? 'A gateway or proxy answered instead of the service: check endpoint and proxy settings, or try again later.'
      : 'The service had an internal error: try again later.'
  }
  if (error.bodyExcerpt !== undefined) {
    return 'Something other than the DWS service answered: check endpoint and proxy settings (https_proxy/no_proxy).'
  }
  return 'The service rejected the request: check the inputs named in the message.'
}

function transportHint(error: TransportError): string {
  switch (error.failure) {
    case 'dns':
      return `The host ${error.host} does not resolve: check region and endpoint.`
    case 'tls':
      return `The TLS connection to ${error.host} failed: check endpoint and proxy settings; a private CA can be added with NODE_EXTRA_CA_CERTS.`
    case 'timeout':
      return `${error.host} did not answer in time: check network and proxy settings, or raise request_timeout.`
    default:
      return `Could not reach ${error.host}: check endpoint, network and proxy settings (https_proxy/no_proxy).`
  }
}
