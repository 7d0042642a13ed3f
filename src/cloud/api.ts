/**
 * One Huawei Cloud JSON call: address it, await the credentials, sign (or send the token), send
 * with a deadline, and read the answer. Every non-2xx answer becomes an ApiError whose strings were
 * scrubbed of secrets before they were cut, so nothing unchecked from the network gets past it.
 * Every request sent is counted here, resends included. Nothing here is specific to DWS.
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { Redact } from '../kernel/redact.js'
import { cap, oneLine, serverText } from '../kernel/sanitize.js'
import { parseJson, readErrorBody, type Clean } from './answers.js'
import type { CredentialProvider, Credentials } from './credentials.js'
import { ApiError, isExpiredCredentials, TransportError } from './errors.js'
import type { Operation } from './operation.js'
import { retry, type RetryBase, type Verdict } from './retry.js'
import { signRequest } from './signer.js'
import type { Transport } from './transport.js'

export interface CloudApiOptions {
  /** absent for an API that only sends unsigned calls (the sign-in exchanges) */
  credentials?: CredentialProvider
  userAgent: string
  requestTimeoutMs: number
  transport: Transport
  /** the clock, log and counters of the step: every request is counted, every resend goes through retry() */
  retry: RetryBase
  /** scrubs secrets from server text before it is cut or stored */
  redact: Redact
}

export interface Call {
  operation: Operation
  method: 'GET' | 'POST' | 'DELETE'
  base: URL
  path: string
  query?: Record<string, string>
  body?: unknown
  /** sent (and signed) as X-Project-Id */
  projectId?: string
  /** more headers, sent (and signed) as given */
  headers?: Record<string, string>
  /** sent without credentials: the sign-in exchanges, whose body carries its own proof */
  unsigned?: boolean
}

/** A 2xx answer: its parsed JSON (undefined when empty) and its headers (IAM returns its token in one). */
export interface Answer {
  status: number
  body: unknown
  headers: IncomingHttpHeaders
}

export class CloudApi {
  /** Secrets scrubbed, then one capped line: how every string from the network enters the action. */
  readonly clean: Clean

  constructor(private readonly options: CloudApiOptions) {
    this.clean = (text) => serverText(options.redact(text))
  }

  /** The parsed JSON of a 2xx answer (undefined when empty); an ApiError for any other status. */
  async call(call: Call): Promise<unknown> {
    return (await this.send(call)).body
  }

  /**
   * The whole 2xx answer. Sent once more at once in two cases, each at most once: a read whose
   * kept-alive connection the server had just closed (nothing reached the service), and any call
   * whose credentials the service says have expired, once they are renewed (a 401 is refused
   * before anything is applied, so even a create may be resent).
   */
  async send(call: Call): Promise<Answer> {
    const provider = call.unsigned ? undefined : this.options.credentials
    if (!call.unsigned && !provider) throw new Error(`internal error: ${call.operation.name} needs credentials, and this API has none`)
    let used: Credentials | undefined
    /** the credentials the service said had expired, and its answer */
    let expired: { credentials: Credentials | undefined; answer: unknown } | undefined
    let resentStale = false
    return retry(
      {
        run: async () => {
          const credentials = await provider?.get()
          // Fixed credentials come back unchanged after a renewal: sending them again would only repeat the 401.
          if (expired && credentials === expired.credentials) throw expired.answer
          used = credentials
          return this.attempt(call, credentials)
        },
        judge: (error): Verdict<Answer> => {
          if (isStaleRead(error, call) && !resentStale) {
            resentStale = true
            return { kind: 'again', delayMs: 0, quiet: true, say: `${call.operation.name}: the kept connection had closed; sending again` }
          }
          if (provider && isExpiredCredentials(error) && !expired) {
            expired = { credentials: used, answer: error }
            provider.invalidate()
            return { kind: 'again', delayMs: 0, quiet: true, say: `${call.operation.name}: the credentials expired; signing in again` }
          }
          return { kind: 'give-up' }
        }
      },
      this.options.retry
    )
  }

  private async attempt(call: Call, credentials: Credentials | undefined): Promise<Answer> {
    const url = new URL(call.base.href)
    url.pathname = `${call.base.pathname.replace(/\/+$/, '')}${call.path}`
    for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.append(k, v)
    // Serialised once, compactly: the signed bytes are the sent bytes.
    const body = call.body === undefined ? '' : JSON.stringify(call.body)
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...call.headers }
    if (call.projectId) headers['X-Project-Id'] = call.projectId
    const auth =
      credentials === undefined
        ? {}
        : credentials.kind === 'token'
          ? { 'X-Auth-Token': credentials.token }
          : signRequest({ method: call.method, url, headers, body }, credentials, new Date(this.options.retry.clock.now()))
    if (this.options.retry.stats) this.options.retry.stats.requests++
    const response = await this.options.transport({
      operation: call.operation,
      method: call.method,
      url,
      headers: { ...headers, ...auth, 'User-Agent': this.options.userAgent, Accept: 'application/json' },
      body,
      timeoutMs: this.options.requestTimeoutMs
    })
    if (response.status >= 200 && response.status < 300) {
      return { status: response.status, body: parseJson(call.operation, response.body), headers: response.headers }
    }
    throw this.toApiError(call.operation, response.status, response.headers, response.body)
  }

  private toApiError(operation: Operation, status: number, headers: IncomingHttpHeaders, rawBody: string): ApiError {
    let json: unknown
    try {
      json = parseJson(operation, rawBody)
    } catch {
      json = undefined
    }
    // Scrubbed but not yet cut: the canonical-request echo is split off before the message is capped.
    const body = readErrorBody(json, this.options.redact)
    const echo = splitCanonicalEcho(body.message)
    const requestId = header(headers, 'x-request-id') ?? body.requestId
    const clean = (text: string | undefined): string | undefined => (text === undefined ? undefined : this.clean(text))
    return new ApiError(
      operation,
      status,
      clean(body.code),
      clean(echo.message),
      clean(requestId),
      body.code || body.message ? undefined : this.clean(htmlToText(this.options.redact(rawBody))),
      header(headers, 'retry-after'),
      {
        debugDetail: echo.detail === undefined ? undefined : cap(oneLine(echo.detail), 4000),
        encodedAuthorizationMessage: body.encodedAuthorizationMessage
      }
    )
  }
}

/**
 * On a signature failure the gateway echoes its canonical request. It is only useful for debugging
 * and holds signed header values, so the message keeps the verdict ("signature mismatch") and the
 * echo goes to the debug-only detail, scrubbed.
 */
function splitCanonicalEcho(message: string | undefined): { message?: string; detail?: string } {
  const at = message?.search(/,?\s*canonical ?request\s*:/i) ?? -1
  if (message === undefined || at < 0) return { message }
  return { message: message.slice(0, at), detail: message }
}

/** A proxy's HTML page reduced to its text. */
function htmlToText(raw: string): string {
  return raw
    .slice(0, 20_000)
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name]
  return Array.isArray(v) ? v[0] : v || undefined
}

/** A read on a kept-alive connection the server closed before any answer: nothing reached the service. */
function isStaleRead(error: unknown, call: Call): boolean {
  return error instanceof TransportError && error.staleConnection && call.method === 'GET'
}
