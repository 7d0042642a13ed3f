import * as diagnostics from 'node:diagnostics_channel'
import * as http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import * as zlib from 'node:zlib'
import { failureKind, TransportError } from '../src/cloud/errors.js'
import { classifySocketError, createTransport, type Exchange, MAX_BODY_BYTES } from '../src/cloud/transport.js'
import { DWS } from '../src/dws/operations.js'

/** A loopback server whose behaviour each test sets. */
async function server(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void>; server: http.Server }> {
  const srv = http.createServer(handler)
  const sockets = new Set<Socket>()
  srv.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const { port } = srv.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    server: srv,
    close: () => {
      for (const s of sockets) s.destroy()
      return new Promise((resolve) => srv.close(() => resolve()))
    }
  }
}

/** The client end of every connection the tests open (Node announces each on this channel). */
const clientSockets: Socket[] = []
const onClientSocket = (message: unknown): void => void clientSockets.push((message as { socket: Socket }).socket)
beforeAll(() => diagnostics.subscribe('net.client.socket', onClientSocket))
afterAll(() => diagnostics.unsubscribe('net.client.socket', onClientSocket))

/**
 * Writes `first`, then calls `next` once the client has read it, so that the client reads what
 * `next` writes apart from it: ordered by the client's reads, not by a sleep. `next` runs after
 * the client's HTTP parser has taken `first`, as its own listener on the socket comes before ours.
 */
function writeThenAfterClientRead(res: http.ServerResponse, first: Buffer | string, next: () => void): void {
  res.write(first, () => {
    const served = res.socket!
    const client = clientSockets.find((c) => c.localPort === served.remotePort && c.remotePort === served.localPort)!
    const sent = served.bytesWritten
    const check = (): void => {
      if (client.bytesRead < sent) return
      client.off('data', check)
      next()
    }
    client.on('data', check)
    check()
  })
}

/**
 * The outcome of `promise` if it settles before the event loop next reaches I/O, else 'pending':
 * a failure found before anything was sent settles within the current turn.
 */
function settledWithoutIo(promise: Promise<unknown>): Promise<unknown> {
  const outcome = promise.then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error })
  )
  return Promise.race([outcome, new Promise((resolve) => setImmediate(() => resolve('pending')))])
}

const send = createTransport('dws-snapshot-action/test')
const request = (url: string, timeoutMs = 2000, body = '', headers: Record<string, string> = {}) => ({
  operation: DWS.getSnapshot,
  method: body ? 'POST' : 'GET',
  url: new URL(url),
  headers,
  body,
  timeoutMs
})

/** Sets https_proxy (and clears no_proxy) for the length of `fn`. */
async function withProxy<T>(proxyUrl: string, fn: () => Promise<T>): Promise<T> {
  const saved = { https_proxy: process.env.https_proxy, no_proxy: process.env.no_proxy }
  process.env.https_proxy = proxyUrl
  delete process.env.no_proxy
  try {
    return await fn()
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) Reflect.deleteProperty(process.env, k)
      else process.env[k] = v
    }
  }
}

describe('transport', () => {
  test('returns status, headers and the whole body, and sends the exact body bytes', async () => {
    let received = ''
    const s = await server((req, res) => {
      req.on('data', (d: Buffer) => (received += d.toString()))
      req.on('end', () => {
        res.writeHead(201, { 'X-Request-Id': 'r-1' })
        res.end('{"ok":true}')
      })
    })
    try {
      const res = await send(request(`${s.url}/x`, 2000, '{"a":"é"}'))
      expect(res).toMatchObject({ status: 201, body: '{"ok":true}' })
      expect(res.headers['x-request-id']).toBe('r-1')
      expect(received).toBe('{"a":"é"}')
    } finally {
      await s.close()
    }
  })

  test('the deadline covers a body that stalls after the headers, and drops the connection', async () => {
    let closed!: Promise<void>
    const s = await server((_req, res) => {
      closed = new Promise((resolve) => res.on('close', resolve))
      res.writeHead(200, { 'Content-Length': '100' })
      res.write('{"snap') // and never the rest: only the deadline can end this
    })
    try {
      const error = await send(request(`${s.url}/stall`, 300)).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(TransportError)
      expect(error).toMatchObject({ failure: 'timeout', requestSent: true, host: s.url.slice(7) })
      await closed
    } finally {
      await s.close()
    }
  })

  test('the deadline covers headers that never come', async () => {
    const s = await server(() => undefined)
    try {
      await expect(send(request(`${s.url}/slow`, 200))).rejects.toMatchObject({ failure: 'timeout', requestSent: true })
    } finally {
      await s.close()
    }
  })

  test('a refused connection is marked as never sent', async () => {
    const s = await server(() => undefined)
    const url = s.url
    await s.close()
    await expect(send(request(`${url}/x`))).rejects.toMatchObject({ failure: 'refused', requestSent: false })
  })

  test('a connection dropped after the request is a reset whose outcome is unknown', async () => {
    const s = await server((req) => req.socket.destroy())
    try {
      await expect(send(request(`${s.url}/x`, 2000, '{}'))).rejects.toMatchObject({ failure: 'reset', requestSent: true })
    } finally {
      await s.close()
    }
  })

  test('a body cut short is a reset', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'Content-Length': '100' })
      res.write('{"partial"', () => res.socket?.destroy())
    })
    try {
      await expect(send(request(`${s.url}/x`))).rejects.toMatchObject({ failure: 'reset' })
    } finally {
      await s.close()
    }
  })

  test('https_proxy is honoured: an https request is tunnelled through the proxy (CONNECT)', async () => {
    const connects: string[] = []
    const proxy = await server(() => undefined)
    proxy.server.on('connect', (req: http.IncomingMessage, socket: Socket) => {
      connects.push(req.url ?? '')
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
    })
    try {
      // The proxy refuses the tunnel: nothing leaves this machine, and the CONNECT line proves the route.
      await withProxy(proxy.url, () =>
        expect(createTransport('ua')(request('https://dws.cn-north-4.myhuaweicloud.com/v1.0/p/snapshots'))).rejects.toBeInstanceOf(
          TransportError
        )
      )
      expect(connects).toEqual(['dws.cn-north-4.myhuaweicloud.com:443'])
    } finally {
      await proxy.close()
    }
  })
})

describe('requests Node refuses to send', () => {
  test.each([
    ['a line break in a header value', { 'X-Auth-Token': 'abc\ntop-secret-value' }, 'X-Auth-Token'],
    ['a character outside latin-1 in a header value', { 'X-Security-Token': 'top-secret-value€' }, 'X-Security-Token'],
    ['a space in a header name', { 'X Custom': 'top-secret-value' }, 'X Custom']
  ])('%s fails at once as invalid-request naming the header, never its value', async (_case, headers, name) => {
    let connections = 0
    const s = await server((_req, res) => res.end('{}'))
    s.server.on('connection', () => connections++)
    try {
      const outcome = await settledWithoutIo(send(request(`${s.url}/x`, 5000, '', headers)))
      expect(outcome).toEqual({ error: expect.any(TransportError) })
      const { error } = outcome as { error: TransportError }
      expect(error).toMatchObject({ failure: 'invalid-request', requestSent: false })
      expect((error as Error).message).toContain(`'${name}'`)
      expect((error as Error).message).not.toContain('top-secret-value')
      expect(failureKind(error)).toBe('permanent')
      expect(connections).toBe(0)
    } finally {
      await s.close()
    }
  })
})

describe('compressed answers', () => {
  const json = JSON.stringify({
    snapshots: Array.from({ length: 300 }, (_, i) => ({ id: `snap-${i}`, name: `daily-${i}`, status: 'AVAILABLE' }))
  })
  const plain = Buffer.from(json)

  test.each([
    { label: 'gzip', encoding: 'gzip', wire: zlib.gzipSync(plain), splitHead: false },
    { label: 'zlib-wrapped deflate', encoding: 'deflate', wire: zlib.deflateSync(plain), splitHead: false },
    { label: 'raw deflate', encoding: 'deflate', wire: zlib.deflateRawSync(plain), splitHead: false },
    { label: 'zlib-wrapped deflate, first byte sent alone', encoding: 'deflate', wire: zlib.deflateSync(plain), splitHead: true },
    { label: 'raw deflate, first byte sent alone', encoding: 'deflate', wire: zlib.deflateRawSync(plain), splitHead: true },
    { label: 'br', encoding: 'br', wire: zlib.brotliCompressSync(plain), splitHead: false },
    { label: 'identity', encoding: 'identity', wire: plain, splitHead: false }
  ])('$label is decoded', async ({ encoding, wire, splitHead }) => {
    let acceptEncoding: string | undefined
    const s = await server((req, res) => {
      acceptEncoding = req.headers['accept-encoding']
      res.writeHead(200, { 'Content-Encoding': encoding })
      if (!splitHead) return void res.end(wire)
      // Telling zlib-wrapped from raw deflate needs two bytes: they need not come together.
      writeThenAfterClientRead(res, wire.subarray(0, 1), () => res.end(wire.subarray(1)))
    })
    try {
      const res = await send(request(`${s.url}/x`))
      expect(res.body).toBe(json)
      expect(acceptEncoding).toBe('gzip, deflate, br')
    } finally {
      await s.close()
    }
  })

  test('an empty body labelled gzip (a 204) is an empty body', async () => {
    const s = await server((_req, res) => {
      res.writeHead(204, { 'Content-Encoding': 'gzip' })
      res.end()
    })
    try {
      await expect(send(request(`${s.url}/x`))).resolves.toMatchObject({ status: 204, body: '' })
    } finally {
      await s.close()
    }
  })

  test('an encoding it cannot decode is refused, naming the encoding', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'compress' })
      res.end('whatever')
    })
    try {
      const error = await send(request(`${s.url}/x`)).catch((e: unknown) => e)
      expect(error).toMatchObject({ failure: 'encoding' })
      expect((error as Error).message).toContain("'compress'")
      expect(failureKind(error)).toBe('permanent')
    } finally {
      await s.close()
    }
  })

  test('a body that is not what its encoding says is refused', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip' })
      res.end('{"this is":"not gzip"}')
    })
    try {
      await expect(send(request(`${s.url}/x`))).rejects.toMatchObject({ failure: 'encoding', message: expect.stringContaining('gzip') })
    } finally {
      await s.close()
    }
  })
})

describe('proxy authentication', () => {
  test('a 407 answer is a permanent proxy-auth failure, not an answer', async () => {
    const s = await server((_req, res) => {
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="corp"' })
      res.end('<html>login</html>')
    })
    try {
      const error = await send(request(`${s.url}/x`, 2000, '{}')).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(TransportError)
      expect(error).toMatchObject({
        failure: 'proxy-auth',
        requestSent: false,
        message: 'Get snapshot failed: the proxy requires authentication (HTTP 407)'
      })
      expect(failureKind(error)).toBe('permanent')
    } finally {
      await s.close()
    }
  })

  test('a tunnel refused with 407 is a proxy-auth failure and nothing was sent', async () => {
    const proxy = await server(() => undefined)
    proxy.server.on('connect', (_req: http.IncomingMessage, socket: Socket) => {
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n')
    })
    try {
      const error = await withProxy(proxy.url, () =>
        createTransport('ua')(request('https://dws.example.invalid/v1.0/p/snapshots')).catch((e: unknown) => e)
      )
      expect(error).toMatchObject({
        failure: 'proxy-auth',
        requestSent: false,
        message: 'Get snapshot failed: the proxy requires authentication (HTTP 407)'
      })
      expect(failureKind(error)).toBe('permanent')
    } finally {
      await proxy.close()
    }
  })
})

describe('size cap', () => {
  const small = createTransport('ua', { maxBodyBytes: 1024 })

  test('the default cap holds a project with 50 000 snapshots of ~1 KB each', async () => {
    const snapshot = (i: number) => ({
      id: `${i}`.padStart(36, '0'),
      name: `daily-${i}`,
      description: 'd'.repeat(900),
      status: 'AVAILABLE'
    })
    const json = JSON.stringify({ snapshots: Array.from({ length: 50_000 }, (_, i) => snapshot(i)) })
    expect(json.length).toBeGreaterThan(50_000_000)
    expect(json.length).toBeLessThan(MAX_BODY_BYTES)
    const wire = zlib.gzipSync(json, { level: 1 })
    const s = await server((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip' })
      res.end(wire)
    })
    try {
      const res = await send(request(`${s.url}/x`, 20_000))
      expect((res.body as string).length).toBe(json.length)
    } finally {
      await s.close()
    }
  })

  test('a body of exactly the cap is accepted', async () => {
    const s = await server((_req, res) => res.end('x'.repeat(1024)))
    try {
      await expect(small(request(`${s.url}/x`))).resolves.toMatchObject({ body: 'x'.repeat(1024) })
    } finally {
      await s.close()
    }
  })

  test('a Content-Length above the cap fails at once, before the body, and drops the connection', async () => {
    let closed!: Promise<void>
    const s = await server((_req, res) => {
      closed = new Promise((resolve) => res.on('close', resolve))
      res.writeHead(200, { 'Content-Length': '5000' })
      res.write('{') // and never the rest: only the header can end this before the deadline (a timeout)
    })
    try {
      const error = await small(request(`${s.url}/x`, 5000)).catch((e: unknown) => e)
      expect(error).toMatchObject({
        failure: 'too-large',
        message: `Get snapshot failed: the answer from ${s.url.slice(7)} was larger than 1 KiB`
      })
      expect(failureKind(error)).toBe('permanent')
      await closed
    } finally {
      await s.close()
    }
  })

  test('a streamed body past the cap fails as soon as it passes it and the connection is dropped', async () => {
    let closed!: Promise<void>
    const s = await server((_req, res) => {
      closed = new Promise((resolve) => res.on('close', resolve))
      res.writeHead(200)
      // The client reads 800 bytes, then 800 more, and never the end: only the cap can end this before the deadline (a timeout).
      writeThenAfterClientRead(res, 'x'.repeat(800), () => res.write('x'.repeat(800)))
    })
    try {
      await expect(small(request(`${s.url}/x`, 5000))).rejects.toMatchObject({ failure: 'too-large' })
      await closed
    } finally {
      await s.close()
    }
  })

  test('a gzip bomb is stopped by the decoded size', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(10 * 1024 * 1024))
    const cap = 64 * 1024
    expect(bomb.length).toBeLessThan(cap) // so only counting decoded bytes can stop it
    const s = await server((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': String(bomb.length) })
      res.end(bomb)
    })
    try {
      const error = await createTransport('ua', { maxBodyBytes: cap })(request(`${s.url}/x`, 5000)).catch((e: unknown) => e)
      expect(error).toMatchObject({ failure: 'too-large', message: expect.stringContaining('larger than 64 KiB') })
    } finally {
      await s.close()
    }
  })
})

describe('onExchange', () => {
  test('reports method, URL without credentials, status, request id and duration of each request', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'X-Request-Id': 'req-42' })
      res.end('{}')
    })
    const seen: Exchange[] = []
    try {
      const url = s.url.replace('http://', 'http://user:pw@')
      await createTransport('ua', { onExchange: (e) => seen.push(e) })(request(`${url}/v1.0/p/snapshots?limit=5`))
      expect(seen).toEqual([
        {
          operation: 'Get snapshot',
          method: 'GET',
          url: `${s.url}/v1.0/p/snapshots?limit=5`,
          status: 200,
          requestId: 'req-42',
          ms: expect.any(Number)
        }
      ])
      expect(seen[0]?.failure).toBeUndefined()
    } finally {
      await s.close()
    }
  })

  test('reports the failure, and the status when an answer came', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'zstd', 'X-Request-Id': 'req-7' })
      res.end('?')
    })
    const seen: Exchange[] = []
    try {
      await createTransport('ua', { onExchange: (e) => seen.push(e) })(request(`${s.url}/x`)).catch(() => undefined)
      expect(seen).toEqual([expect.objectContaining({ status: 200, requestId: 'req-7', failure: 'encoding' })])
    } finally {
      await s.close()
    }
  })

  test('an observer that throws changes nothing', async () => {
    const s = await server((_req, res) => res.end('{"ok":1}'))
    try {
      const observed = createTransport('ua', {
        onExchange: () => {
          throw new Error('logger broke')
        }
      })
      await expect(observed(request(`${s.url}/x`))).resolves.toMatchObject({ body: '{"ok":1}' })
    } finally {
      await s.close()
    }
  })
})

describe('classifySocketError', () => {
  test.each([
    ['ENOTFOUND', 'x', 'dns'],
    ['EAI_AGAIN', 'x', 'reset'],
    ['ECONNREFUSED', 'x', 'refused'],
    ['ECONNRESET', 'x', 'reset'],
    ['EPIPE', 'x', 'reset'],
    [undefined, 'socket hang up', 'reset'],
    ['ETIMEDOUT', 'x', 'refused'],
    ['EHOSTUNREACH', 'x', 'refused'],
    ['CERT_HAS_EXPIRED', 'x', 'tls'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'x', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'x', 'tls'],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'x', 'tls'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'x', 'tls'],
    ['EPROTO', 'routines:ssl3_get_record:wrong version number (SSL)', 'tls'],
    ['EWHATEVER', 'x', 'other'],
    // Only a 407 tells what to fix; other refusals of the tunnel stay what the agent calls them.
    ['ECONNRESET', 'tunneling socket could not be established, statusCode=403', 'reset']
  ])('%s (%s) is %s', (code, message, failure) => {
    const error = Object.assign(new Error(message), code ? { code } : {})
    const [kind, detail] = classifySocketError(error, 'dws.example:443')
    expect(kind).toBe(failure)
    expect(detail).toContain('dws.example:443')
  })

  test('a tunnel refused with 407 is proxy-auth, with the fixed message', () => {
    const error = Object.assign(new Error('tunneling socket could not be established, statusCode=407'), { code: 'ECONNRESET' })
    expect(classifySocketError(error, 'dws.example:443')).toEqual(['proxy-auth', 'the proxy requires authentication (HTTP 407)'])
  })

  test('TLS against a server that does not speak it is a TLS failure naming the host', async () => {
    const s = await server((_req, res) => res.end('plain'))
    try {
      const url = s.url.replace('http:', 'https:')
      await expect(send(request(`${url}/x`))).rejects.toMatchObject({ failure: 'tls', host: url.slice(8) })
    } finally {
      await s.close()
    }
  })
})
