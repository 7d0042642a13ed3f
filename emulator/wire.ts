/** Puts a Reply on the wire: headers, JSON or raw body, optional Content-Encoding, or a deliberately unfinished answer. */
import type { ServerResponse } from 'node:http'
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import type { Reply } from './responses.js'
import { randomUUID } from 'node:crypto'
import type { ContentEncoding, Fault } from './types.js'

function serialize(requestId: string, reply: Reply): { headers: Record<string, string>; payload: string } {
  const headers: Record<string, string> = { 'X-Request-Id': requestId }
  let payload = ''
  if (typeof reply.body === 'string') {
    headers['Content-Type'] = 'text/html; charset=utf-8'
    payload = reply.body
  } else if (reply.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    payload = JSON.stringify(reply.body)
  }
  // Scripted headers win, compared case-insensitively so they replace rather than duplicate.
  for (const [name, value] of Object.entries(reply.headers ?? {})) {
    for (const existing of Object.keys(headers)) {
      if (existing.toLowerCase() === name.toLowerCase()) Reflect.deleteProperty(headers, existing)
    }
    headers[name] = value
  }
  return { headers, payload }
}

/** 'deflate' is the zlib-wrapped form HTTP means by it; 'x-unknown' leaves the bytes as they are. */
function compress(payload: string, encoding: ContentEncoding): Buffer {
  switch (encoding) {
    case 'gzip':
      return gzipSync(payload)
    case 'deflate':
      return deflateSync(payload)
    case 'br':
      return brotliCompressSync(payload)
    case 'x-unknown':
      return Buffer.from(payload)
  }
}

export function send(res: ServerResponse, requestId: string, reply: Reply, encoding?: ContentEncoding): void {
  const { headers, payload } = serialize(requestId, reply)
  const bytes = encoding === undefined ? Buffer.from(payload) : compress(payload, encoding)
  if (encoding !== undefined) headers['Content-Encoding'] = encoding
  res.writeHead(reply.status, { ...headers, 'Content-Length': String(bytes.length) })
  res.end(bytes)
}

/** Headers and the first half of the body (chunked, so the client cannot tell it is incomplete), then nothing. */
export function stall(res: ServerResponse, requestId: string, reply: Reply): void {
  const { headers, payload } = serialize(requestId, reply)
  res.writeHead(reply.status, headers)
  const part = payload.slice(0, Math.ceil(payload.length / 2))
  if (part === '') res.flushHeaders()
  else res.write(part)
}

/** A body of `bytes` in the fault's shape, written in 64 KiB pieces as the client takes them (never held whole). */
export async function flood(
  res: ServerResponse,
  requestId: string,
  status: number,
  fault: Extract<Fault, { kind: 'flood' }>
): Promise<void> {
  res.writeHead(status, { 'X-Request-Id': requestId, 'Content-Type': 'application/json' })
  const [head, fill, tail] = floodParts(fault)
  let left = fault.bytes - head.length - tail.length
  const write = (text: string): Promise<void> =>
    new Promise((resolve) => {
      if (res.destroyed || res.write(text)) resolve()
      else {
        res.once('drain', resolve)
        res.once('close', resolve)
      }
    })
  await write(head)
  while (left > 0 && !res.destroyed) {
    const piece = fill(Math.min(left, 64 * 1024))
    left -= piece.length
    await write(piece)
  }
  if (!res.destroyed) res.end(tail)
}

/** The opening, a filler of (about) n bytes, and the closing of each shape. */
function floodParts(fault: Extract<Fault, { kind: 'flood' }>): [string, (n: number) => string, string] {
  switch (fault.shape) {
    case 'whitespace':
      return ['{"a":1', (n) => ' '.repeat(n), '}']
    case 'string':
      return ['{"snapshots":"', (n) => 'a'.repeat(n), '"}']
    case 'items': {
      let i = 0
      const item = (): string =>
        JSON.stringify({ id: randomUUID(), name: `old-snapshot-${i++}`, status: 'AVAILABLE', description: 'x'.repeat(880) }) + ','
      return ['{"snapshots":[', (n) => Array.from({ length: Math.max(1, Math.round(n / 1000)) }, item).join(''), '{}]}']
    }
  }
}
