import * as http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { TransportError } from '../src/errors.js'
import { classifySocketError, createTransport } from '../src/transport.js'

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

const send = createTransport('dws-snapshot-action/test')
const request = (url: string, timeoutMs = 2000, body = '') => ({ operation: 'Get snapshot', method: body ? 'POST' : 'GET', url: new URL(url), headers: {}, body, timeoutMs })

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

  test('the deadline covers a body that stalls after the headers', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'Content-Length': '100' })
      res.write('{"snap')
    })
    try {
      const started = Date.now()
      const error = await send(request(`${s.url}/stall`, 300)).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(TransportError)
      expect(error).toMatchObject({ failure: 'timeout', requestSent: true, host: s.url.slice(7) })
      expect(Date.now() - started).toBeLessThan(2000)
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
    const saved = { https_proxy: process.env.https_proxy, no_proxy: process.env.no_proxy }
    process.env.https_proxy = proxy.url
    delete process.env.no_proxy
    try {
      const viaProxy = createTransport('ua')
      // The proxy refuses the tunnel: nothing leaves this machine, and the CONNECT line proves the route.
      await expect(viaProxy(request('https://dws.cn-north-4.myhuaweicloud.com/v1.0/p/snapshots'))).rejects.toBeInstanceOf(TransportError)
      expect(connects).toEqual(['dws.cn-north-4.myhuaweicloud.com:443'])
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
      }
      await proxy.close()
    }
  })
})

describe('classifySocketError', () => {
  const err = (code: string | undefined, message = 'x') => Object.assign(new Error(message), code ? { code } : {})
  test.each([
    [err('ENOTFOUND'), 'dns'],
    [err('EAI_AGAIN'), 'reset'],
    [err('ECONNREFUSED'), 'refused'],
    [err('ECONNRESET'), 'reset'],
    [err('EPIPE'), 'reset'],
    [err(undefined, 'socket hang up'), 'reset'],
    [err('ETIMEDOUT'), 'refused'],
    [err('EHOSTUNREACH'), 'refused'],
    [err('CERT_HAS_EXPIRED'), 'tls'],
    [err('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'tls'],
    [err('ERR_TLS_CERT_ALTNAME_INVALID'), 'tls'],
    [err('SELF_SIGNED_CERT_IN_CHAIN'), 'tls'],
    [err('DEPTH_ZERO_SELF_SIGNED_CERT'), 'tls'],
    [err('EPROTO', 'routines:ssl3_get_record:wrong version number (SSL)'), 'tls'],
    [err('EWHATEVER'), 'other']
  ])('%s is %s', (error, failure) => {
    const [kind, detail] = classifySocketError(error, 'dws.example:443')
    expect(kind).toBe(failure)
    expect(detail).toContain('dws.example:443')
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
