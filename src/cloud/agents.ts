/**
 * One keep-alive agent per protocol and host for the whole run, so that the list, the create and
 * every status read share one connection (and one TLS handshake) instead of opening one each.
 * https_proxy/http_proxy and no_proxy are read as @actions/http-client reads them; through a proxy
 * the agent opens a CONNECT tunnel once and keeps it, where the toolkit's tunnel closes it after
 * every request. close() destroys every socket, so the process exits as soon as the run is done.
 */
import * as http from 'node:http'
import * as https from 'node:https'
import * as net from 'node:net'
import { isIP, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import * as tls from 'node:tls'
import { getProxyUrl } from '@actions/http-client/lib/proxy'

/**
 * An idle connection is closed after this long, before the server's own idle timeout (often 60 s)
 * can race a request on it. A server that announces a shorter one (Keep-Alive: timeout=N) is
 * honoured by Node.
 */
const IDLE_MS = 30_000

export interface AgentPool {
  agentFor(url: URL): http.Agent
  /**
   * Starts connecting to the host of `url` (TCP and TLS) so that the first request finds the
   * connection ready: the handshake overlaps whatever the run does before that request. Direct
   * connections only; through a proxy the tunnel opens with the first request.
   */
  preconnect(url: URL): void
  /** Destroys every connection, idle or not, and every tunnel being opened. */
  close(): void
}

export function agentPool(): AgentPool {
  const agents = new Map<string, http.Agent>()
  return {
    agentFor(url) {
      const proxy = getProxyUrl(url)
      // The proxy is part of the key: the environment may change between runs in one process (tests).
      const key = `${url.protocol}//${url.host} via ${proxy?.href ?? 'direct'}`
      let agent = agents.get(key)
      if (agent === undefined) {
        agent = proxy === undefined ? directAgent(url) : new TunnelAgent(url.protocol === 'https:', proxy)
        agents.set(key, agent)
      }
      return agent
    },
    preconnect(url) {
      const agent = this.agentFor(url)
      if (agent instanceof DirectAgent) agent.warmUp(url)
    },
    close() {
      for (const agent of agents.values()) agent.destroy()
      agents.clear()
    }
  }
}

function directAgent(url: URL): http.Agent {
  return new DirectAgent(url.protocol === 'https:')
}

/** A keep-alive agent that can open its first connection ahead of the first request. */
class DirectAgent extends https.Agent {
  private spare: Duplex | undefined

  constructor(private readonly overTls: boolean) {
    super({ keepAlive: true, timeout: IDLE_MS })
    if (!overTls) Object.assign(this, { protocol: 'http:', defaultPort: 80 })
  }

  warmUp(url: URL): void {
    if (this.spare !== undefined) return
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
    const port = Number(url.port || (this.overTls ? 443 : 80))
    const spare = this.open({ host, port, servername: isIP(host) === 0 ? host : undefined })
    // A failure shows on the first request, which then opens its own connection.
    spare.on('error', () => spare.destroy())
    this.spare = spare
  }

  override createConnection(
    options: https.RequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void
  ): Duplex | null | undefined {
    const spare = this.spare
    this.spare = undefined
    if (spare !== undefined && !spare.destroyed) return spare
    return this.open(options, callback)
  }

  override destroy(): void {
    this.spare?.destroy()
    this.spare = undefined
    super.destroy()
  }

  private open(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex {
    if (this.overTls) return super.createConnection(options, callback) ?? tls.connect(options as tls.ConnectionOptions)
    return net.createConnection(options as net.NetConnectOpts)
  }
}

/**
 * A keep-alive agent whose connections are CONNECT tunnels through a proxy, with TLS inside for
 * https. A tunnel the proxy refuses fails with "statusCode=NNN" in its message, as the toolkit's
 * tunnel does, so a 407 is still reported as proxy authentication.
 */
class TunnelAgent extends http.Agent {
  private readonly opening = new Set<http.ClientRequest>()

  constructor(
    private readonly overTls: boolean,
    private readonly proxy: URL
  ) {
    super({ keepAlive: true, timeout: IDLE_MS })
    // Node checks a request's protocol against its agent's.
    Object.assign(this, overTls ? { protocol: 'https:', defaultPort: 443 } : { protocol: 'http:', defaultPort: 80 })
  }

  override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): undefined {
    const done = (error: Error | null, stream?: Duplex): void => {
      // Node ignores the stream when there is an error.
      ;(callback as ((err: Error | null, stream?: Duplex) => void) | undefined)?.(error, stream)
    }
    const host = options.hostname ?? options.host ?? 'localhost'
    const port = Number(options.port ?? (this.overTls ? 443 : 80))
    const target = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`
    const connect = (this.proxy.protocol === 'https:' ? https : http).request({
      host: this.proxy.hostname,
      port: this.proxy.port || (this.proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: target,
      headers: { host: target, ...proxyAuthorization(this.proxy) },
      agent: false
    })
    this.opening.add(connect)
    const settle = (): void => void this.opening.delete(connect)
    connect.once('connect', (res: http.IncomingMessage, socket: Socket) => {
      settle()
      if (res.statusCode !== 200) {
        socket.destroy()
        const error: NodeJS.ErrnoException = new Error(`tunneling socket could not be established, statusCode=${res.statusCode ?? 0}`)
        error.code = 'ECONNRESET'
        done(error)
        return
      }
      if (!this.overTls) {
        done(null, socket)
        return
      }
      const servername = options.servername ?? (isIP(host) === 0 ? host : undefined)
      done(null, tls.connect({ socket, servername, ca: options.ca, rejectUnauthorized: options.rejectUnauthorized !== false }))
    })
    connect.once('error', (error) => {
      settle()
      done(error)
    })
    connect.end()
    return undefined
  }

  override destroy(): void {
    for (const connect of this.opening) connect.destroy()
    this.opening.clear()
    super.destroy()
  }
}

/** Basic credentials given in the proxy URL, decoded as the toolkit decodes them. */
function proxyAuthorization(proxy: URL): Record<string, string> {
  if (!proxy.username && !proxy.password) return {}
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`
  return { 'Proxy-Authorization': `Basic ${Buffer.from(credentials).toString('base64')}` }
}
