/**
 * A fresh emulator for each test, on a clock the test moves, and a client that calls it over loopback
 * signed with the action's own signer.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import { signRequest, type AkSkCredentials } from '../../src/cloud/signer.js'
import { EMULATOR_DEFAULTS, startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js'

const KEY: AkSkCredentials = {
  accessKeyId: EMULATOR_DEFAULTS.accessKeyId,
  secretAccessKey: EMULATOR_DEFAULTS.secretAccessKey
}

export interface Answer {
  status: number
  headers: IncomingHttpHeaders
  text: string
  /** the body parsed as JSON; undefined when it is not JSON */
  json: any
}

export interface CallOptions {
  body?: string | object
  /** default: AK/SK with the default key */
  auth?: 'aksk' | 'token' | 'none'
  credentials?: AkSkCredentials
  token?: string
  /** default: the emulator clock */
  date?: Date
  headers?: Record<string, string>
  /** edit the headers after signing, e.g. to tamper with them */
  after?: (headers: Record<string, string>) => void
}

/** A request exactly as it goes on the wire. */
export interface Prepared {
  url: URL
  method: string
  headers: Record<string, string>
  body: string
}

export interface EmulatorUnderTest {
  /** the running emulator; a test may replace it, and the one here at the end is closed */
  emu: Emulator
  /** what the emulator reads as now, in ms; a test moves it by assigning */
  clock: number
  /** closes the running emulator and starts another with these options over the defaults */
  start(options?: EmulatorOptions): Promise<void>
  /** builds and signs a request to the emulator */
  prepare(method: string, path: string, options?: CallOptions): Prepared
  /** sends a request; resolves with the response as soon as its headers arrive */
  open(p: Prepared): Promise<IncomingMessage>
  /** sends a request and reads the whole answer; rejects when the emulator drops the connection */
  send(p: Prepared): Promise<Answer>
  /** prepare, then send */
  call(method: string, path: string, options?: CallOptions): Promise<Answer>
}

/**
 * Registers beforeEach/afterEach hooks: before each test the clock is back at `t0` and an emulator is
 * started with `defaults` (creating takes 60 s unless they say otherwise); after it, the emulator is closed.
 */
export function useEmulator(t0: number, defaults: EmulatorOptions = {}): EmulatorUnderTest {
  const t: EmulatorUnderTest = {
    emu: undefined as unknown as Emulator, // set before each test
    clock: t0,
    start,
    prepare,
    open,
    send,
    call: (method, path, options) => send(prepare(method, path, options))
  }

  async function start(options: EmulatorOptions = {}): Promise<void> {
    await (t.emu as Emulator | undefined)?.close()
    t.emu = await startEmulator({ now: () => t.clock, creatingMs: 60_000, ...defaults, ...options })
  }

  function prepare(method: string, path: string, options: CallOptions = {}): Prepared {
    const url = new URL(path, t.emu.url)
    const body = typeof options.body === 'string' ? options.body : options.body === undefined ? '' : JSON.stringify(options.body)
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'X-Project-Id': EMULATOR_DEFAULTS.projectId,
      ...options.headers
    }
    const auth = options.auth ?? 'aksk'
    if (auth === 'token') headers['X-Auth-Token'] = options.token ?? EMULATOR_DEFAULTS.authToken
    if (auth === 'aksk') {
      Object.assign(headers, signRequest({ method, url, headers, body }, options.credentials ?? KEY, options.date ?? new Date(t.clock)))
    }
    // Node frames a DELETE's body only when told its length.
    headers['Content-Length'] = String(Buffer.byteLength(body))
    options.after?.(headers)
    return { url, method, headers, body }
  }

  beforeEach(async () => {
    t.clock = t0
    await start()
  })
  afterEach(() => t.emu.close())

  return t
}

/** agent: false, so no pooled socket outlives a test. */
function open(p: Prepared): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(p.url, { method: p.method, headers: p.headers, agent: false }, resolve)
    req.on('error', reject)
    req.end(p.body)
  })
}

async function send(p: Prepared): Promise<Answer> {
  const res = await open(p)
  let text = ''
  res.setEncoding('utf8')
  for await (const chunk of res) text += chunk as string
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: res.statusCode ?? 0, headers: res.headers, text, json }
}
