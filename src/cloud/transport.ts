/**
 * One HTTP exchange with a hard deadline covering connect, headers and body, over one keep-alive
 * connection per host for the whole run (agents.ts: https_proxy/no_proxy honoured as on the runner).
 * The request goes through node:http(s) because @actions/http-client's own timeout is an idle
 * timeout and its readBody() can wait forever on a stalled body.
 * The server is not trusted: its body is decoded and capped here, and nothing it sends reaches an
 * error message without passing serverText.
 */
import * as http from 'node:http'
import * as https from 'node:https'
import type { Transform } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import * as zlib from 'node:zlib'
import { agentPool } from './agents.js'
import { TransportError, type TransportFailure } from './errors.js'
import type { Operation } from './operation.js'
import { quoteInput, serverText } from '../kernel/sanitize.js'

export interface HttpRequest {
  operation: Operation
  method: string
  url: URL
  headers: Record<string, string>
  body: string
  timeoutMs: number
  /** where the answer's decoded bytes go, chosen by its status; default: its text, up to the transport's cap */
  sink?: (status: number) => BodySink
}

/**
 * Takes an answer's decoded bytes as they arrive (so no answer needs to be held whole); end()
 * gives the response's body. An error either throws fails the exchange with that error.
 */
export interface BodySink {
  write(chunk: Buffer): void
  end(): unknown
}

export interface HttpResponse {
  status: number
  /** as received: content-encoding and content-length describe the body on the wire, not `body` */
  headers: http.IncomingHttpHeaders
  /** what the sink made of the decoded body: by default its text, read as UTF-8 */
  body: unknown
}

export type Transport = (request: HttpRequest) => Promise<HttpResponse>

/**
 * A transport that owns its connections: preconnect() opens one ahead of the first request,
 * close() ends them all, so the process can exit.
 */
export type ClosableTransport = Transport & { preconnect(url: URL): void; close(): void }

/** What one request did, for a debug log. Pure data: no headers, as they hold signatures and tokens. */
export interface Exchange {
  /** the operation's name */
  operation: string
  method: string
  /** origin, path and query; any user:password in the URL is left out */
  url: string
  /** set when an answer's status line arrived */
  status?: number
  /** the X-Request-Id header, cleaned with serverText */
  requestId?: string
  /** from the start of the request until it resolved or failed */
  ms: number
  /** set when the request failed with a TransportError */
  failure?: TransportFailure
}

export interface TransportOptions {
  /** called once per request, after it settled; an exception it throws is ignored */
  onExchange?: (exchange: Exchange) => void
  /** cap on the body as it travels, and on the decoded text when no sink reads it (default MAX_BODY_BYTES); tests lower it */
  maxBodyBytes?: number
}

/**
 * Upper bound on a response body as it travels (a sink caps what it decodes). A project with
 * 50 000 snapshots lists ~50 MB of JSON; anything beyond this is a runaway or hostile answer.
 */
export const MAX_BODY_BYTES = 64 * 1024 * 1024

/** The compressions the transport decodes, offered to the service so big lists travel compressed. */
const ACCEPT_ENCODING = 'gzip, deflate, br'

const PROXY_AUTH_DETAIL = 'the proxy requires authentication (HTTP 407)'

export function createTransport(userAgent: string, options: TransportOptions = {}): ClosableTransport {
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES
  const agents = agentPool()
  const transport = async (request: HttpRequest): Promise<HttpResponse> => {
    const started = Date.now()
    let answer: http.IncomingMessage | undefined
    const report = (failure?: TransportFailure): void =>
      notify(options.onExchange, {
        ...describeRequest(request),
        status: answer?.statusCode,
        requestId: answer && requestIdOf(answer.headers),
        ms: Date.now() - started,
        failure
      })
    try {
      const response = await send(request, agents.agentFor(request.url), maxBodyBytes, (res) => (answer = res))
      report()
      return response
    } catch (error) {
      if (error instanceof TransportError) report(error.failure)
      throw error
    }
  }
  return Object.assign(transport, { preconnect: (url: URL) => agents.preconnect(url), close: () => agents.close() })
}

function describeRequest(request: HttpRequest): Pick<Exchange, 'operation' | 'method' | 'url'> {
  const { url } = request
  return { operation: request.operation.name, method: request.method, url: `${url.origin}${url.pathname}${url.search}` }
}

function notify(observer: TransportOptions['onExchange'], exchange: Exchange): void {
  if (!observer) return
  try {
    observer(exchange)
  } catch {
    // A debug logger must not turn an answer into a failure, nor one failure into another.
  }
}

function requestIdOf(headers: http.IncomingHttpHeaders): string | undefined {
  const value = headers['x-request-id']
  const text = Array.isArray(value) ? value.join(', ') : value
  return text ? serverText(text) : undefined
}

/** onAnswer sees the status line and headers as soon as they arrive, whether the exchange then succeeds or not. */
function send(
  request: HttpRequest,
  agent: http.Agent,
  maxBodyBytes: number,
  onAnswer: (res: http.IncomingMessage) => void
): Promise<HttpResponse> {
  const { url, operation } = request
  const lib = url.protocol === 'https:' ? https : http
  const headers = {
    'Accept-Encoding': ACCEPT_ENCODING,
    ...request.headers,
    'Content-Length': String(Buffer.byteLength(request.body))
  }
  return new Promise((resolve, reject) => {
    let req: http.ClientRequest
    try {
      req = lib.request(url, { method: request.method, headers, agent })
    } catch (error) {
      // Node validates method and headers before anything is sent; its message may quote the value.
      reject(new TransportError(operation, 'invalid-request', url.host, false, describeRefusal(error, headers, url.host)))
      return
    }
    let sent = false
    let settled = false
    let stopReading = (): void => undefined
    let answered = false
    const abort = (error: Error): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      stopReading()
      req.destroy()
      reject(error)
    }
    const fail = (failure: TransportFailure, detail: string, requestSent = sent): void => {
      if (settled) return
      const error = new TransportError(operation, failure, url.host, requestSent, detail)
      error.staleConnection = failure === 'reset' && req.reusedSocket && !answered
      abort(error)
    }
    const timer = setTimeout(
      () => fail('timeout', `no complete answer from ${url.host} within ${Math.round(request.timeoutMs / 1000)}s`),
      request.timeoutMs
    )
    req.on('finish', () => {
      sent = true
    })
    req.on('error', (error: NodeJS.ErrnoException) => fail(...classifySocketError(error, url.host)))
    req.on('response', (res) => {
      answered = true
      onAnswer(res)
      // The service never answers 407: a proxy did, and did not forward the request.
      if (res.statusCode === 407) {
        fail('proxy-auth', PROXY_AUTH_DETAIL, false)
        return
      }
      res.on('error', (error: NodeJS.ErrnoException) => fail(...classifySocketError(error, url.host)))
      res.on('aborted', () => fail('reset', `the connection to ${url.host} closed before the answer was complete`))
      const status = res.statusCode ?? 0
      const sink =
        request.sink?.(status) ??
        textSink(maxBodyBytes, () => new TransportError(operation, 'too-large', url.host, sent, tooLarge(url.host, maxBodyBytes)))
      stopReading = readBody(res, url.host, maxBodyBytes, sink, {
        fail,
        abort,
        done: (body) => {
          if (settled) return
          settled = true
          clearTimeout(timer)
          resolve({ status, headers: res.headers, body })
        }
      })
    })
    req.end(request.body)
  })
}

/** Names the header Node refused, never its value: that may be a token or a signature. */
function describeRefusal(error: unknown, headers: Record<string, string>, host: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? (error instanceof Error ? error.name : 'unknown error')
  const name = refusedHeader(headers)
  return name === undefined
    ? `the request to ${host} could not be built (${code})`
    : `the request to ${host} could not be built: the name or value of the header ${quoteInput(name)} holds a character HTTP cannot carry (${code})`
}

function refusedHeader(headers: Record<string, string>): string | undefined {
  for (const [name, value] of Object.entries(headers)) {
    try {
      http.validateHeaderName(name)
      http.validateHeaderValue(name, value)
    } catch {
      return name
    }
  }
  return undefined
}

interface BodyOutcome {
  done: (body: unknown) => void
  fail: (failure: TransportFailure, detail: string) => void
  /** the sink refused the body */
  abort: (error: Error) => void
}

/**
 * The body as text, failing (with `tooLarge()`) as soon as the decoded size passes the cap, so a
 * decompression bomb costs no more than the cap. Decoded as it arrives, so a large answer is not
 * held twice more as bytes and their concatenation.
 */
export function textSink(maxBytes: number, tooLarge: () => Error): BodySink {
  const text = new StringDecoder('utf8')
  const parts: string[] = []
  let kept = 0
  return {
    write(chunk) {
      kept += chunk.length
      if (kept > maxBytes) throw tooLarge()
      parts.push(text.write(chunk))
    },
    end: () => parts.join('') + text.end()
  }
}

/**
 * Feeds the body to the sink, decoding it as its Content-Encoding says, and fails as soon as the
 * raw size passes the cap. Returns a function that stops decoding.
 */
function readBody(res: http.IncomingMessage, host: string, maxBytes: number, sink: BodySink, outcome: BodyOutcome): () => void {
  const encoding = (res.headers['content-encoding'] ?? '').trim()
  const decoding = decoderFor(encoding.toLowerCase())
  if (decoding === undefined) {
    outcome.fail(
      'encoding',
      `the answer from ${host} uses the content encoding '${serverText(encoding, 60)}', which this action cannot decode`
    )
    return () => undefined
  }
  if (Number(res.headers['content-length']) > maxBytes) {
    outcome.fail('too-large', tooLarge(host, maxBytes))
    return () => undefined
  }

  let received = 0
  let stopped = false
  const stop = (): void => {
    stopped = true
    decoder?.destroy()
  }
  const failOnce = (failure: TransportFailure, detail: string): void => {
    if (stopped) return
    stop()
    outcome.fail(failure, detail)
  }
  /** Runs one step of the sink; what it throws ends the exchange. */
  const feed = (step: () => void): void => {
    if (stopped) return
    try {
      step()
    } catch (error) {
      stop()
      outcome.abort(error as Error)
    }
  }
  const finish = (): void =>
    feed(() => {
      const body = sink.end()
      stopped = true
      outcome.done(body)
    })
  const keep = (chunk: Buffer): void => feed(() => sink.write(chunk))
  const decoder =
    decoding === 'identity'
      ? undefined
      : lazyDecoder(decoding, {
          data: keep,
          end: finish,
          error: (error) =>
            failOnce(
              'encoding',
              `the answer from ${host} could not be decoded as ${serverText(encoding, 60)} (${serverText(error.code ?? error.message, 80)})`
            )
        })

  res.on('data', (chunk: Buffer) => {
    if (stopped) return
    received += chunk.length
    if (received > maxBytes) failOnce('too-large', tooLarge(host, maxBytes))
    else if (decoder) decoder.write(chunk)
    else keep(chunk)
  })
  res.on('end', () => {
    if (stopped) return
    if (decoder) decoder.end()
    else finish()
  })
  return () => {
    stopped = true
    decoder?.destroy()
  }
}

interface DecoderEvents {
  data: (chunk: Buffer) => void
  end: () => void
  error: (error: NodeJS.ErrnoException) => void
}

/**
 * A decoder made from the first bytes, as deflate comes with or without its zlib wrapper; and not
 * made at all for an empty body, which servers label gzip too (a 204, say) but no decoder accepts.
 */
function lazyDecoder(make: DecoderFactory, on: DecoderEvents): { write: (chunk: Buffer) => void; end: () => void; destroy: () => void } {
  let stream: Transform | undefined
  let head = Buffer.alloc(0)
  const start = (): Transform => {
    const created = make(head)
    created.on('data', on.data)
    created.on('error', on.error)
    created.on('end', on.end)
    created.write(head)
    return (stream = created)
  }
  return {
    write: (chunk) => {
      if (stream) {
        stream.write(chunk)
        return
      }
      head = Buffer.concat([head, chunk])
      if (head.length >= SNIFF_BYTES) start()
    },
    end: () => {
      if (!stream && head.length === 0) on.end()
      else (stream ?? start()).end()
    },
    destroy: () => stream?.destroy()
  }
}

type DecoderFactory = (head: Buffer) => Transform

/** Bytes needed to tell zlib-wrapped deflate from raw deflate. */
const SNIFF_BYTES = 2

/** undefined: an encoding this transport cannot decode (including a list of several). */
function decoderFor(encoding: string): DecoderFactory | 'identity' | undefined {
  switch (encoding) {
    case '':
    case 'identity':
      return 'identity'
    case 'gzip':
    case 'x-gzip':
      return () => zlib.createGunzip()
    case 'deflate':
      // RFC 9110 means the zlib format, but some servers send bare deflate data.
      return (head) => (hasZlibHeader(head) ? zlib.createInflate() : zlib.createInflateRaw())
    case 'br':
      return () => zlib.createBrotliDecompress()
    default:
      return undefined
  }
}

/** RFC 1950: method 8 (deflate), window at most 32 KiB, and the two header bytes a multiple of 31. */
function hasZlibHeader(head: Buffer): boolean {
  if (head.length < SNIFF_BYTES) return false
  const cmf = head.readUInt8(0)
  const flg = head.readUInt8(1)
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0
}

function tooLarge(host: string, maxBytes: number): string {
  return `the answer from ${host} was larger than ${formatBytes(maxBytes)}`
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`
  return `${bytes} bytes`
}

export function classifySocketError(error: NodeJS.ErrnoException, host: string): [TransportFailure, string] {
  const code = error.code ?? ''
  // The tunnelling agent reports a refused CONNECT as "…could not be established, statusCode=407"
  // with code ECONNRESET, which would otherwise pass for a transient reset.
  if (/statusCode=407\b/.test(error.message)) return ['proxy-auth', PROXY_AUTH_DETAIL]
  if (code === 'ENOTFOUND') return ['dns', `the host ${host} does not resolve (${code})`]
  // EAI_AGAIN is a DNS server that did not answer this time: a passing fault.
  if (code === 'EAI_AGAIN') return ['reset', `DNS lookup of ${host} failed temporarily (${code})`]
  if (code === 'ECONNREFUSED') return ['refused', `connection to ${host} refused (${code})`]
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED' || error.message === 'socket hang up') {
    return ['reset', `the connection to ${host} was closed without a complete answer (${code || error.message})`]
  }
  if (code === 'ETIMEDOUT' || code === 'ENETUNREACH' || code === 'EHOSTUNREACH') {
    return ['refused', `${host} cannot be reached (${code})`]
  }
  // OpenSSL's verification codes (CERT_HAS_EXPIRED, UNABLE_TO_VERIFY_LEAF_SIGNATURE, SELF_SIGNED_CERT_IN_CHAIN, ...)
  // and Node's own TLS errors: a wrong endpoint or a missing CA, which retrying cannot fix.
  if (/^(ERR_TLS|ERR_SSL|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO)|CERT/.test(code) || /SSL|TLS|certificate/i.test(error.message)) {
    return ['tls', `TLS with ${host} failed (${code || error.message})`]
  }
  return ['other', `request to ${host} failed (${code || error.message})`]
}

/** Debug line for one HTTP exchange: never headers or bodies, which hold signatures and secrets. */
export function describeExchange(e: Exchange): string {
  const outcome = e.status !== undefined ? `HTTP ${e.status}` : `no answer (${e.failure ?? 'error'})`
  return `${e.operation}: ${e.method} ${e.url} → ${outcome} in ${Math.round(e.ms)} ms${e.requestId ? `, request id ${e.requestId}` : ''}`
}
