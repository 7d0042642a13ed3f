/** The shapes the service answers with, kept separate from the HTTP plumbing that sends them. */
import { randomBytes } from 'node:crypto'
import { isoSeconds } from '../src/kernel/time.js'

export interface Reply {
  status: number
  /** An object is sent as JSON; a string is sent as-is (e.g. a proxy's HTML page). */
  body?: string | object
  headers?: Record<string, string>
}

/** 32 hex digits, the form of the gateway's X-Request-Id. */
export function newRequestId(): string {
  return randomBytes(16).toString('hex')
}

export function json(status: number, body: object): Reply {
  return { status, body }
}

/** Errors raised by the DWS backend. */
export function dwsError(status: number, code: string, message: string): Reply {
  return { status, body: { error_code: code, error_msg: message } }
}

/** Busy refusals: real bodies repeat the code and message as `errCode` and `externalMessage`. */
export function busyError(status: number, code: string, message: string): Reply {
  return { status, body: { error_code: code, error_msg: message, errCode: code, externalMessage: message } }
}

/**
 * IAM v3 (Keystone) errors nest everything under `error`, e.g. for a rejected federation token.
 * Like iam5Error, shaped to spread into a status fault: `{ kind: 'status', ...keystoneError(403, '…', 'Forbidden') }`.
 */
export function keystoneError(status: number, message: string, title: string): Reply & { body: object } {
  return { status, body: { error: { code: status, message, title } } }
}

/** IAM5-era permission denials: the flat shape plus a blob STS can decode into the denied action. */
export function iam5Error(status: number, code: string, message: string, requestId: string, encoded: string): Reply & { body: object } {
  return { status, body: { error_code: code, error_msg: message, request_id: requestId, encoded_authorization_message: encoded } }
}

/** Errors raised by the API gateway in front of it: these also carry request_id in the body. */
export function gatewayError(status: number, code: string, message: string, requestId: string): Reply {
  return { status, body: { error_code: code, error_msg: message, request_id: requestId } }
}

export function notFound(requestId: string): Reply {
  return gatewayError(404, 'APIGW.0101', 'The API does not exist or has not been published in the environment', requestId)
}

/** `started`/`finished` as documented (`…Z`) or, zoneless, as the real list likely sends them. */
export function snapshotTime(ms: number, zoneless: boolean): string {
  const text = isoSeconds(ms)
  return zoneless ? text.slice(0, -1) : text
}
