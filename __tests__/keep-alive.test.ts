/**
 * One connection per host for the whole run: requests share a kept-alive socket (also through a
 * proxy tunnel), a kept socket the server closed is replaced for a read, and close() ends them all.
 */
import * as http from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { agentPool } from '../src/cloud/agents.js'
import { CloudApi } from '../src/cloud/api.js'
import type { CallStats } from '../src/cloud/retry.js'
import { TransportError } from '../src/cloud/errors.js'
import { createTransport } from '../src/cloud/transport.js'
import { DWS } from '../src/dws/operations.js'
import { systemClock } from '../src/kernel/time.js'
import { MemoryLog } from './support/fakes.js'

interface Counted {
  url: string
  port: number
  server: http.Server
  /** TCP connections accepted so far */
  connections: () => number
  /** connections still open */
  open: () => number
  /** resolves once `count` connections have been accepted in all */
  accepted: (count: number) => Promise<void>
  /** resolves once every connection open now has closed */
  allClosed: () => Promise<void>
  close: () => Promise<void>
}

async function countingServer(handler: http.RequestListener = (_req, res) => res.end('{}')): Promise<Counted> {
  const server = http.createServer(handler)
  const sockets = new Map<Socket, Promise<void>>()
  let accepted = 0
  const waiting = new Set<{ count: number; resolve: () => void }>()
  server.on('connection', (s) => {
    accepted++
    sockets.set(
      s,
      new Promise((resolve) =>
        s.on('close', () => {
          sockets.delete(s)
          resolve()
        })
      )
    )
    for (const waiter of waiting) {
      if (accepted < waiter.count) continue
      waiting.delete(waiter)
      waiter.resolve()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    connections: () => accepted,
    open: () => sockets.size,
    accepted: (count) =>
      accepted >= count ? Promise.resolve() : new Promise((resolve) => waiting.add({ count, resolve: () => resolve() })),
    allClosed: async () => {
      await Promise.all(sockets.values())
    },
    close: () => {
      for (const s of sockets.keys()) s.destroy()
      return new Promise((resolve) => server.close(() => resolve()))
    }
  }
}

const get = (url: string, method = 'GET') => ({
  operation: DWS.getSnapshot,
  method,
  url: new URL(url),
  headers: {},
  body: method === 'POST' ? '{}' : '',
  timeoutMs: 2000
})

/** Sets variables for the length of `fn`; no_proxy is cleared unless given. */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const names = [...Object.keys(vars), 'no_proxy', 'NO_PROXY']
  const saved = Object.fromEntries(names.map((k) => [k, process.env[k]]))
  Reflect.deleteProperty(process.env, 'no_proxy')
  Reflect.deleteProperty(process.env, 'NO_PROXY')
  Object.assign(process.env, vars)
  try {
    return await fn()
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) Reflect.deleteProperty(process.env, k)
      else process.env[k] = v
    }
  }
}

describe('keep-alive', () => {
  test('sequential requests to one host share one connection', async () => {
    const s = await countingServer()
    const send = createTransport('ua')
    try {
      for (let i = 0; i < 4; i++) await expect(send(get(`${s.url}/v1.0/p/snapshots/${i}`))).resolves.toMatchObject({ status: 200 })
      await send(get(`${s.url}/v1.0/p/snapshots`, 'POST'))
      expect(s.connections()).toBe(1)
    } finally {
      send.close()
      await s.close()
    }
  })

  test('close() ends the kept connections, so nothing holds the process', async () => {
    const s = await countingServer()
    const send = createTransport('ua')
    try {
      await send(get(`${s.url}/x`))
      // Answered, and kept open for the next request.
      expect(s.open()).toBe(1)
      send.close()
      await s.allClosed()
      expect(s.open()).toBe(0)
      expect(s.connections()).toBe(1)
    } finally {
      await s.close()
    }
  })

  test('preconnect opens the connection ahead of the first request, which then uses it', async () => {
    const s = await countingServer()
    const send = createTransport('ua')
    try {
      send.preconnect(new URL(`${s.url}/v1.0`))
      await s.accepted(1)
      await send(get(`${s.url}/v1.0/p/snapshots`))
      await send(get(`${s.url}/v1.0/p/snapshots/1`))
      expect(s.connections()).toBe(1)
    } finally {
      send.close()
      await s.close()
    }
  })

  test('a preconnected connection no request used is closed by close()', async () => {
    const s = await countingServer()
    const send = createTransport('ua')
    try {
      send.preconnect(new URL(s.url))
      await s.accepted(1)
      send.close()
      await s.allClosed()
      expect(s.open()).toBe(0)
      expect(s.connections()).toBe(1)
    } finally {
      await s.close()
    }
  })

  /** The cloud API over a transport: where a stale connection's read is resent, and every request counted. */
  const cloudApi = (transport: ReturnType<typeof createTransport>, stats: CallStats) =>
    new CloudApi({
      userAgent: 'ua',
      requestTimeoutMs: 2000,
      transport,
      retry: { clock: systemClock, log: new MemoryLog(), stats },
      redact: (t) => t
    })
  const call = (url: string, method: 'GET' | 'POST', path: string) =>
    ({ operation: DWS.getSnapshot, method, base: new URL(url), path, unsigned: true }) as const

  test('a read on a kept connection the server has just closed is sent again on a new one, and counted', async () => {
    let served = 0
    // The second request on the first connection finds it closed without an answer, as when the
    // server's idle timeout fires while the request is on its way.
    const s = await countingServer((req, res) => {
      served++
      if (served === 2) req.socket.destroy()
      else res.end('{"ok":true}')
    })
    const send = createTransport('ua')
    const stats: CallStats = { requests: 0, retries: 0 }
    const api = cloudApi(send, stats)
    try {
      await api.call(call(s.url, 'GET', '/a'))
      await expect(api.call(call(s.url, 'GET', '/b'))).resolves.toEqual({ ok: true })
      expect(s.connections()).toBe(2)
      // The resend is a request of its own, and a retry.
      expect(stats).toEqual({ requests: 3, retries: 1 })
    } finally {
      send.close()
      await s.close()
    }
  })

  test('a create on such a connection is not sent again: its outcome is unknown', async () => {
    let served = 0
    const s = await countingServer((req, res) => {
      served++
      if (served === 2) req.socket.destroy()
      else res.end('{}')
    })
    const send = createTransport('ua')
    const stats: CallStats = { requests: 0, retries: 0 }
    try {
      const api = cloudApi(send, stats)
      await api.call(call(s.url, 'GET', '/a'))
      const error = await api.call(call(s.url, 'POST', '/v1.0/p/snapshots')).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(TransportError)
      expect(error).toMatchObject({ failure: 'reset', requestSent: true })
      expect(served).toBe(2)
      expect(stats).toEqual({ requests: 2, retries: 0 })
    } finally {
      send.close()
      await s.close()
    }
  })

  test('through a proxy, one CONNECT tunnel carries every request to the host', async () => {
    const target = await countingServer((req, res) => res.end(JSON.stringify({ path: req.url })))
    const connects: string[] = []
    const proxy = await countingServer()
    proxy.server.on('connect', (req: http.IncomingMessage, client: Socket) => {
      connects.push(req.url ?? '')
      // Whatever host is asked for, the tunnel leads to the loopback server: nothing leaves this machine.
      const upstream = connect(target.port, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.pipe(client)
        client.pipe(upstream)
      })
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    })
    const send = createTransport('ua')
    try {
      await withEnv({ http_proxy: proxy.url }, async () => {
        for (const path of ['/one', '/two', '/three']) {
          await expect(send(get(`http://dws.example.invalid${path}`))).resolves.toMatchObject({ body: JSON.stringify({ path }) })
        }
      })
      expect(connects).toEqual(['dws.example.invalid:80'])
      expect(target.connections()).toBe(1)
    } finally {
      send.close()
      await proxy.close()
      await target.close()
    }
  })

  test('no_proxy still sends a host directly; others go through the tunnel', async () => {
    const pool = agentPool()
    try {
      await withEnv({ https_proxy: 'http://127.0.0.1:9', no_proxy: '.internal.example' }, async () => {
        const direct = pool.agentFor(new URL('https://dws.internal.example/v1.0'))
        const tunnelled = pool.agentFor(new URL('https://dws.cn-north-4.myhuaweicloud.com/v1.0'))
        expect(direct.constructor.name).toBe('DirectAgent')
        expect(tunnelled.constructor.name).toBe('TunnelAgent')
        // One agent per host: the next request to it gets the same one, and with it the kept connection.
        expect(pool.agentFor(new URL('https://dws.internal.example/v1.0/p/snapshots'))).toBe(direct)
      })
    } finally {
      pool.close()
    }
  })
})
