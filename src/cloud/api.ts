/**
 * One Huawei Cloud JSON call: address it, await the credentials, sign (or send the token), send
 * with a deadline, and read the answer. Every non-2xx answer becomes an ApiError whose strings were
 * scrubbed of secrets before they were cut, so nothing unchecked from the network gets past it.
 * Every request sent is counted here, resends included. Nothing here is specific to DWS.
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { Redact } from '../kernel/redact.js'
import { cap, oneLine, serverText } from '../kernel/sanitize.js'
import { parseJson, readErrorBody, UnexpectedAnswerError, type Clean } from './answers.js'
import type { CredentialProvider, Credentials } from './credentials.js'
import { ApiError, isExpiredCredentials, TransportError } from './errors.js'
import type { Operation } from './operation.js'
import { retry, type RetryBase, type Verdict } from './retry.js'
import { signRequest } from './signer.js'
import type { BodySink, Transport } from './transport.js'
import { AnswerReadError, AnswerTooLargeError, listReader, valueReader, type ListSelection } from './json-reader.js'

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
  /** a list answer: its items read one at a time, only what `keep` returns kept (the answer is a ListAnswer) */
  list?: ListSelection<unknown>
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
    const response = await this.options
      .transport({
        operation: call.operation,
        method: call.method,
        url,
        headers: { ...headers, ...auth, 'User-Agent': this.options.userAgent, Accept: 'application/json' },
        body,
        timeoutMs: this.options.requestTimeoutMs,
        sink: (status) => (succeeded(status) ? answerSink(call) : errorTextSink())
      })
      .catch((error: unknown) => {
        throw readFailure(error, call.operation, url.host)
      })
    if (succeeded(response.status)) return { status: response.status, body: response.body, headers: response.headers }
    throw this.toApiError(call.operation, response.status, response.headers, response.body as string)
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

function succeeded(status: number): boolean {
  return status >= 200 && status < 300
}

/**
 * Answers are read as they arrive, never held whole: one object up to a size no real answer
 * approaches; a list item by item, keeping what the caller selects. Both caps count every byte,
 * whitespace included, so padding cannot make an answer cost more.
 */
export const ANSWER_CAPS = {
  /** a snapshot, a cluster, a job, a token */
  valueBytes: 1024 * 1024,
  /** a whole list: above a project of 50 000 snapshots of real size */
  listBytes: 64 * 1024 * 1024,
  /** one item of a list */
  itemBytes: 256 * 1024,
  /** a list answer's other members (count, project_id, ...) */
  topLevelBytes: 64 * 1024,
  /** an error answer: the code and message are at its start; the rest is not read */
  errorTextBytes: 64 * 1024
}

function answerSink(call: Call): BodySink {
  const reader = call.list
    ? listReader({
        list: call.list,
        maxItemBytes: ANSWER_CAPS.itemBytes,
        maxScalarBytes: ANSWER_CAPS.topLevelBytes,
        maxAnswerBytes: ANSWER_CAPS.listBytes
      })
    : valueReader({ maxValueBytes: ANSWER_CAPS.valueBytes, maxAnswerBytes: ANSWER_CAPS.valueBytes })
  return { write: (chunk) => reader.write(chunk), end: () => reader.end() }
}

/** The start of an error answer, as text: what follows the cap is not kept. */
function errorTextSink(): BodySink {
  return truncatedText(ANSWER_CAPS.errorTextBytes)
}

function truncatedText(maxBytes: number): BodySink {
  const chunks: Buffer[] = []
  let kept = 0
  return {
    write(chunk) {
      if (kept >= maxBytes) return
      const part = chunk.subarray(0, maxBytes - kept)
      chunks.push(part)
      kept += part.length
    },
    end: () => Buffer.concat(chunks).toString('utf8')
  }
}

/** What reading a 2xx answer found wrong, as the action's errors say it. */
function readFailure(error: unknown, operation: Operation, host: string): unknown {
  if (error instanceof AnswerTooLargeError) {
    // Like a body the transport refused for its size: the request may have been carried out.
    return new TransportError(operation, 'too-large', host, true, `the answer from ${host} is too large: ${error.message}`)
  }
  if (error instanceof AnswerReadError) return new UnexpectedAnswerError(operation, error.message)
  return error
}
