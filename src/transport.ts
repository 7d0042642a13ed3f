/**
 * One HTTP exchange with a hard deadline covering connect, headers and body.
 * @actions/http-client supplies the agent, so https_proxy/no_proxy are honoured as on the runner;
 * the request itself goes through node:http(s) because http-client's own timeout is an idle
 * timeout and its readBody() can wait forever on a stalled body.
 */
import * as http from 'node:http'
import * as https from 'node:https'
import { HttpClient } from '@actions/http-client'
import { TransportError, type TransportFailure } from './errors.js'

export interface HttpRequest {
  operation: string
  method: string
  url: URL
  headers: Record<string, string>
  body: string
  timeoutMs: number
}

export interface HttpResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

export type Transport = (request: HttpRequest) => Promise<HttpResponse>

/** Upper bound on a response body: the service's answers are small; a runaway body is cut off. */
const MAX_BODY_BYTES = 8 * 1024 * 1024

export function createTransport(userAgent: string): Transport {
  // HttpClient caches one agent whatever the protocol, so keep one client per protocol.
  const clients = new Map<string, HttpClient>()
  return (request) => {
    const protocol = request.url.protocol
    let client = clients.get(protocol)
    if (!client) clients.set(protocol, (client = new HttpClient(userAgent)))
    return send(request, client.getAgent(request.url.href))
  }
}

function send(request: HttpRequest, agent: http.Agent): Promise<HttpResponse> {
  const { url, operation } = request
  const lib = url.protocol === 'https:' ? https : http
  return new Promise((resolve, reject) => {
    let sent = false
    let settled = false
    const fail = (failure: TransportFailure, detail: string): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      req.destroy()
      reject(new TransportError(operation, failure, url.host, sent, detail))
    }
    const timer = setTimeout(
      () => fail('timeout', `no complete answer from ${url.host} within ${Math.round(request.timeoutMs / 1000)}s`),
      request.timeoutMs
    )
    const req = lib.request(url, {
      method: request.method,
      headers: { ...request.headers, 'Content-Length': String(Buffer.byteLength(request.body)) },
      agent
    })
    req.on('finish', () => {
      sent = true
    })
    req.on('error', (error: NodeJS.ErrnoException) => fail(...classifySocketError(error, url.host)))
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > MAX_BODY_BYTES) fail('other', `the answer from ${url.host} exceeded ${MAX_BODY_BYTES} bytes`)
        else chunks.push(chunk)
      })
      res.on('error', (error: NodeJS.ErrnoException) => fail(...classifySocketError(error, url.host)))
      res.on('aborted', () => fail('reset', `the connection to ${url.host} closed before the answer was complete`))
      res.on('end', () => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') })
      })
    })
    req.end(request.body)
  })
}

export function classifySocketError(error: NodeJS.ErrnoException, host: string): [TransportFailure, string] {
  const code = error.code ?? ''
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
