/**
 * Reading Huawei Cloud answers: everything from the network is untrusted data. Ids are validated
 * where they enter, times are normalised to UTC with `Z`, and every string passes `clean` (secrets
 * scrubbed, then made one safe, capped line) before anything else sees it. Pure. The DWS shapes
 * built on these are in dws/answers.ts.
 */

import { isoSeconds } from '../kernel/time.js'
import type { Operation } from './operation.js'

export interface ErrorBody {
  code?: string
  message?: string
  requestId?: string
  /** IAM5-era permission denials carry an encoded explanation, decodable through STS */
  encodedAuthorizationMessage?: boolean
}

/** Secrets scrubbed, then one capped line: how every string from the network enters the action. */
export type Clean = (text: string) => string

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Huawei Cloud project ids: 32 hex digits (some private clouds use other ids safe in a path). */
export const PROJECT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

/** The answer was readable but not what the API documents (wrong types, missing or invalid ids). */
export class UnexpectedAnswerError extends Error {
  constructor(
    readonly operation: Operation,
    detail: string
  ) {
    super(`${operation.name}: the service's answer had an unexpected shape: ${detail}`)
    this.name = 'UnexpectedAnswerError'
  }
}

export type Json = Record<string, unknown>

export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** A lower-case UUID, or undefined when `value` is not one. */
export function asUuid(value: unknown): string | undefined {
  return typeof value === 'string' && UUID_PATTERN.test(value) ? value.toLowerCase() : undefined
}

/** A non-empty string (or finite number) from the answer, cleaned; undefined otherwise. */
export function text(value: unknown, clean: Clean): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return typeof value === 'string' && value !== '' ? clean(value) : undefined
}

const SERVICE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/

/**
 * The service writes `2026-11-28T05:47:35Z`, and in some answers the same without a zone, meaning
 * UTC. Returns ISO 8601 with `Z` (whole seconds), or undefined for anything else.
 */
export function serviceTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const m = SERVICE_TIME.exec(value.trim())
  if (m === null) return undefined
  const zone = m[7] ?? 'Z'
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${offset}`)
  return Number.isNaN(ms) ? undefined : isoSeconds(ms)
}

/** JSON of a value, two levels deep at most: a hostile answer can be nested past any stack. */
export function shallowJson(value: unknown, depth = 2): string {
  if (value === undefined) return 'undefined'
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (depth === 0) return Array.isArray(value) ? '[…]' : '{…}'
  if (Array.isArray(value))
    return `[${value
      .slice(0, 20)
      .map((v) => shallowJson(v, depth - 1))
      .join(',')}]`
  const entries = Object.entries(value).slice(0, 20)
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${shallowJson(v, depth - 1)}`).join(',')}}`
}

/**
 * Error bodies in the shapes Huawei Cloud uses: DWS and the API gateway `{error_code, error_msg}`
 * (sometimes `errCode`/`externalMessage`), Keystone `{"error": {"code", "message"}}`, IAM5 with
 * `encoded_authorization_message`.
 */
export function readErrorBody(json: unknown, clean: Clean): ErrorBody {
  if (!isObject(json)) return {}
  const nested = isObject(json.error) ? json.error : undefined
  const code = text(json.error_code, clean) ?? text(json.errCode, clean) ?? text(json.code, clean) ?? text(nested?.code, clean)
  const message =
    text(json.error_msg, clean) ??
    text(json.externalMessage, clean) ??
    text(json.message, clean) ??
    text(nested?.message, clean) ??
    text(nested?.title, clean)
  return {
    code,
    message,
    requestId: text(json.request_id, clean),
    encodedAuthorizationMessage: typeof json.encoded_authorization_message === 'string' || undefined
  }
}

/** Parsed JSON, undefined for an empty body; throws on anything that is not JSON. */
export function parseJson(operation: Operation, body: string): unknown {
  if (body.trim() === '') return undefined
  try {
    return JSON.parse(body) as unknown
  } catch {
    throw new UnexpectedAnswerError(operation, 'the body is not JSON')
  }
}
