/**
 * Huawei's official Node SDK signer (AKSKSigner in @huaweicloud/huaweicloud-sdk-core), driven as the SDK's
 * own client drives it: the independent reference the tests hold AK/SK signing to.
 */
// AKSKSigner is not re-exported from the package root, so import its module (and its neighbours').
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js'
import { BasicCredentials } from '@huaweicloud/huaweicloud-sdk-core/auth/BasicCredentials.js'
import { HttpRequestImpl } from '@huaweicloud/huaweicloud-sdk-core/http/IHttpRequest.js'

export interface SdkCall {
  method: string
  /**
   * Origin and path as an SDK user's call produces it: path parameters put in as they are, not escaped.
   * (The SDK escapes the path itself, and escapes an already-escaped one again.)
   */
  endpoint: string
  /** Sent and signed as given; an 'X-Sdk-Date' here is used instead of the clock. */
  headers: Record<string, string>
  /** Decoded names and values; a repeated name has a list. */
  queryParams?: Record<string, string | string[]>
  /** A JSON value: the SDK signs JSON.stringify(data) when data is truthy, so send exactly that. */
  data?: unknown
}

export function sdkRequest(call: SdkCall): HttpRequestImpl {
  const req = new HttpRequestImpl()
  req.endpoint = call.endpoint
  req.method = call.method
  req.headers = { ...call.headers }
  req.queryParams = call.queryParams ?? {}
  req.data = call.data
  return req
}

/**
 * The headers the SDK sends: those given, plus host, X-Sdk-Date (unless given) and Authorization.
 * Anything the SDK writes to the console or the process streams fails the call rather than reaching the test log.
 */
export function signWithSdk(req: HttpRequestImpl, accessKeyId: string, secretAccessKey: string): Record<string, string> {
  const credentials = new BasicCredentials().withAk(accessKeyId).withSk(secretAccessKey)
  const { result, output } = silently(() => AKSKSigner.sign(req, credentials) as Record<string, string>)
  if (output.length > 0) throw new Error(`the SDK signer wrote output: ${output.join(' | ')}`)
  return result
}

/** Runs fn with console and the process streams captured. */
function silently<T>(fn: () => T): { result: T; output: string[] } {
  const output: string[] = []
  const capture = (...args: unknown[]): boolean => {
    output.push(args.map(String).join(' '))
    return true
  }
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const
  const savedConsole = methods.map((m) => console[m])
  const savedOut = process.stdout.write
  const savedErr = process.stderr.write
  for (const m of methods) console[m] = capture
  process.stdout.write = capture
  process.stderr.write = capture
  try {
    return { result: fn(), output }
  } finally {
    methods.forEach((m, i) => (console[m] = savedConsole[i] as (typeof console)[typeof m]))
    process.stdout.write = savedOut
    process.stderr.write = savedErr
  }
}
