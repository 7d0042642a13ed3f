/**
 * A slow, encrypted link on loopback: TLS in front of the emulator, with a relay in front of that
 * which delays every byte by half a round trip each way and charges one round trip to open a
 * connection (the TCP handshake a real link costs). It counts the connections it accepts.
 *
 * The certificate comes from a test CA made with the openssl CLI (node:crypto cannot write X.509)
 * in a temporary folder; children trust it through NODE_EXTRA_CA_CERTS. Nothing leaves 127.0.0.1.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tls from 'node:tls'
import { fail } from './fail.js'

const HOST = '127.0.0.1'

export interface Relay {
  /** https://127.0.0.1:<port>: the endpoint the children use */
  url: string
  /** the test CA's certificate, for NODE_EXTRA_CA_CERTS */
  caFile: string
  /** connections accepted so far */
  connections(): number
  close(): Promise<void>
}

/** Starts the relay in front of `targetPort` (the emulator), adding `rttMs` per round trip. */
export async function startRelay(targetPort: number, rttMs: number): Promise<Relay> {
  const dir = mkdtempSync(join(tmpdir(), 'dws-bench-tls-'))
  const { key, cert, caFile } = makeCertificates(dir)
  const sockets = new Set<Socket>()
  const track = (s: Socket): void => {
    // Nagle's algorithm plus delayed ACKs would add up to 40 ms stalls the modelled link does not have.
    s.setNoDelay(true)
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
    s.on('error', () => s.destroy())
  }

  // TLS ends here; the clear bytes go on to the emulator.
  const terminator = tls.createServer({ key, cert }, (clear) => {
    track(clear)
    const upstream = connect(targetPort, HOST)
    track(upstream)
    clear.pipe(upstream)
    upstream.pipe(clear)
  })
  const tlsPort = await listen(terminator)

  let accepted = 0
  const relay = createServer((client) => {
    accepted++
    track(client)
    const oneWay = rttMs / 2
    // The link's handshake: nothing flows until a round trip after the client connected.
    const pending: Buffer[] = []
    let upstream: Socket | undefined
    client.on('data', (chunk: Buffer) => {
      if (upstream) later(oneWay, () => upstream?.write(chunk))
      else pending.push(chunk)
    })
    client.on('end', () => later(oneWay, () => upstream?.end()))
    setTimeout(() => {
      if (client.destroyed) return
      const opened = connect(tlsPort, HOST)
      track(opened)
      upstream = opened
      for (const chunk of pending) later(oneWay, () => opened.write(chunk))
      opened.on('data', (chunk: Buffer) => later(oneWay, () => client.write(chunk)))
      opened.on('end', () => later(oneWay, () => client.end()))
      opened.on('close', () => later(oneWay, () => client.destroy()))
      client.on('close', () => opened.destroy())
    }, rttMs)
  })
  const relayPort = await listen(relay)

  return {
    url: `https://${HOST}:${relayPort}`,
    caFile,
    connections: () => accepted,
    close: async () => {
      for (const s of sockets) s.destroy()
      await Promise.all([closeServer(relay), closeServer(terminator)])
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** Timers of one delay fire in the order they were set, so bytes keep their order. */
function later(ms: number, action: () => void): void {
  setTimeout(action, ms)
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, HOST, () => resolve((server.address() as AddressInfo).port))
  })
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()))
}

/** A test CA and a certificate for 127.0.0.1 signed by it, valid for two days. */
function makeCertificates(dir: string): { key: Buffer; cert: Buffer; caFile: string } {
  const file = (name: string): string => join(dir, name)
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=dws-snapshot-action bench CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign'
  ])
  openssl(['req', ...ec, '-keyout', file('leaf.key'), '-out', file('leaf.csr'), '-subj', `/CN=${HOST}`])
  writeFileSync(
    file('leaf.ext'),
    `subjectAltName=IP:${HOST}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n`
  )
  openssl([
    'x509',
    '-req',
    '-in',
    file('leaf.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('leaf.pem'),
    '-days',
    '2',
    '-extfile',
    file('leaf.ext')
  ])
  return { key: readFileSync(file('leaf.key')), cert: readFileSync(file('leaf.pem')), caFile: file('ca.pem') }
}

function openssl(args: string[]): void {
  const done = spawnSync('openssl', args, { encoding: 'utf8' })
  if (done.error || done.status !== 0) fail(`openssl ${args[0] ?? ''} failed: ${done.error?.message ?? done.stderr}`)
}
