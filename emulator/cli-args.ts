/**
 * The emulator CLI's arguments -> a validated configuration, or a message for the user. Pure: no I/O,
 * so every flag and fault spec can be unit-tested without starting anything.
 */
import { STATUS_CODES } from 'node:http'
import { parseDuration } from '../src/kernel/duration.js'
import { parseArgs } from 'node:util'
import { EMULATOR_DEFAULTS } from './defaults.js'
import { iam5Error, keystoneError } from './responses.js'
import { ROUTE_NAMES } from './routes.js'
import type { BusyAnswer, ContentEncoding, EmulatorOptions, Fault, FloodShape, RouteName, UnknownClusterAnswer } from './types.js'

export const USAGE = `Usage: npm run emulator -- [options]

  --port N                  port on 127.0.0.1 (default: any free port)
  --creating DURATION       how long a snapshot stays CREATING, e.g. 30s, 2m, 1h30m, 500ms (default ${EMULATOR_DEFAULTS.creatingMs}ms)
  --end-status STATUS       what created snapshots become: AVAILABLE (default) or UNAVAILABLE
  --busy DURATION           create answers "cluster busy" for this long after start
  --busy-code CODE          that answer: DWS.0011 (409, default), DWS.7023 (403) or DWS.9999 (400, message naming DWS.7023)
  --linger DURATION         the cluster's task stays SNAPSHOTTING this long after a snapshot finishes (create answers busy meanwhile)
  --zoneless                write started/finished without a zone, e.g. 2026-11-28T05:47:35 (UTC)
  --unknown-cluster ANSWER  how an unknown cluster id is answered: DWS.0047-404 (default), DWS.0047-401 or DWS.0015-403
  --restoring DURATION      how long a cluster restored from a snapshot stays CREATING (default twice --creating)
  --restore-fail            restored clusters end FAILED, with failed_reasons, instead of AVAILABLE
  --fault ROUTE=SPEC        script a fault; repeatable, faults on one route apply in the order given
  -h, --help                this text

ROUTE: ${ROUTE_NAMES.join(', ')}
SPEC, optionally followed by xN to apply it to the next N requests (503x3):
  NNN                 answer that HTTP status with the service's usual error body; nothing is applied
  NNN-keystone        that status with an IAM v3 body {"error":{"code":NNN,"message":...,"title":...}}
  NNN-iam5            that status with an IAM5 body carrying encoded_authorization_message
  drop, drop-after    close the connection without an answer; drop-after first applies the request
  delayDURATION       wait, then answer normally, e.g. delay2s
  stall               apply, send the headers and half the body, then hang
  gzip, deflate, br   the real answer compressed with that Content-Encoding
  x-unknown           the real answer uncompressed, labelled Content-Encoding: x-unknown
  mangle-empty, mangle-truncated, mangle-html, mangle-bad-id
                      apply, then answer with the real status: {} / cut-off JSON / an HTML page / a non-UUID id
  flood-whitespace, flood-string, flood-items
                      apply, then answer 100 MB: JSON padded with spaces / one huge string / ~100 000 list items

Examples: npm run emulator -- --creating 30s --fault create=503x2 --fault details=gzip --busy 20s --busy-code DWS.7023
          npm run emulator -- --restoring 5m --fault restore=drop-after      (a slow restore whose answer is lost)`

export interface ScriptedFault {
  route: RouteName
  fault: Fault
  times: number
}

export interface CliConfig {
  port: number
  creatingMs: number
  faults: ScriptedFault[]
  /** Busy from start for `ms` (real time). */
  busy: { ms: number; answer: BusyAnswer } | undefined
  options: Pick<EmulatorOptions, 'zonelessTimes' | 'taskLingerMs' | 'unknownCluster' | 'snapshotOutcome' | 'restoringMs' | 'restoreOutcome'>
}

export type CliParse = { kind: 'run'; config: CliConfig } | { kind: 'help' } | { kind: 'error'; message: string }

/** '30s', '2m', '1h30m', '500ms' -> ms: the action's duration grammar, with milliseconds. */
function parseCliDuration(text: string): number | undefined {
  const ms = parseDuration(text, { milliseconds: true })
  return ms !== undefined && Number.isFinite(ms) ? ms : undefined
}

const BUSY_ANSWERS: Record<BusyAnswer['code'], BusyAnswer> = {
  'DWS.0011': { status: 409, code: 'DWS.0011' },
  'DWS.7023': { status: 403, code: 'DWS.7023' },
  'DWS.9999': { status: 400, code: 'DWS.9999' }
}
const BUSY_CODES = Object.keys(BUSY_ANSWERS) as BusyAnswer['code'][]
const UNKNOWN_CLUSTER_ANSWERS: readonly UnknownClusterAnswer[] = ['DWS.0047-404', 'DWS.0047-401', 'DWS.0015-403']
const END_STATUSES = ['AVAILABLE', 'UNAVAILABLE'] as const
const ENCODINGS: readonly ContentEncoding[] = ['gzip', 'deflate', 'br', 'x-unknown']

/** A hostile answer's size: far past anything real. */
const FLOOD_BYTES = 100 * 1024 * 1024

const MANGLES: Record<string, Extract<Fault, { kind: 'mangle' }>> = {
  'mangle-empty': { kind: 'mangle', body: '{}' },
  'mangle-truncated': { kind: 'mangle', body: '{"snapshot":{"id":"ab' },
  'mangle-html': {
    kind: 'mangle',
    body: '<html><head><title>Sign in</title></head><body>Please sign in to continue.</body></html>',
    headers: { 'Content-Type': 'text/html; charset=utf-8' }
  },
  'mangle-bad-id': { kind: 'mangle', body: '{"snapshot":{"id":"not-a-uuid"}}' }
}

/** Keystone's own wording for the statuses it commonly answers. */
const KEYSTONE_MESSAGES: Record<number, string> = {
  400: 'Request parameter is invalid.',
  401: 'The request you have made requires authentication.',
  403: 'You are not authorized to perform the requested action.',
  404: 'Could not find the requested resource.'
}

/** A bad argument; parseCliArgs turns it into its `error` result. */
class UsageError extends Error {}

function usage(message: string): never {
  throw new UsageError(message)
}

/** One fault without its xN suffix. */
function parseFault(spec: string): Fault {
  const status = /^(\d{3})(?:-(keystone|iam5))?$/.exec(spec)
  if (status !== null) return statusFault(Number(status[1]), status[2])
  if (spec === 'drop') return { kind: 'drop', when: 'before' }
  if (spec === 'drop-after') return { kind: 'drop', when: 'after' }
  if (spec === 'stall') return { kind: 'stall' }
  const flood = /^flood-(whitespace|string|items)$/.exec(spec)?.[1]
  if (flood !== undefined) return { kind: 'flood', bytes: FLOOD_BYTES, shape: flood as FloodShape }
  if ((ENCODINGS as readonly string[]).includes(spec)) return { kind: 'encode', encoding: spec as ContentEncoding }
  const mangle = MANGLES[spec]
  if (mangle !== undefined) return mangle
  if (spec.startsWith('delay')) {
    return { kind: 'delay', ms: parseCliDuration(spec.slice('delay'.length)) ?? usage(`'${spec}': delay needs a duration, e.g. delay2s`) }
  }
  return usage(`'${spec}' is not a fault`)
}

function statusFault(status: number, shape: string | undefined): Fault {
  if (status < 400 || status > 599) usage(`${status} is not an error status (400-599)`)
  if (shape === 'keystone') {
    const title = STATUS_CODES[status] ?? 'Error'
    return { kind: 'status', ...keystoneError(status, KEYSTONE_MESSAGES[status] ?? `${title}.`, title) }
  }
  if (shape === 'iam5') {
    // The CLI cannot know the request id in advance; the body's is made up.
    const requestId = 'e0000000000000000000000000000000'
    const reply = iam5Error(
      status,
      'APIGW.0302',
      'The IAM user is not authorized to access the API.',
      requestId,
      'emulator-encoded-authorization-message'
    )
    return { kind: 'status', ...reply }
  }
  return { kind: 'status', status }
}

/** 'create=503x3' -> 503 on the next three creates. */
function parseFaultArg(arg: string): ScriptedFault {
  const eq = arg.indexOf('=')
  if (eq < 0) usage(`--fault '${arg}' is not ROUTE=SPEC`)
  const route = arg.slice(0, eq)
  if (!(ROUTE_NAMES as readonly string[]).includes(route))
    usage(`--fault '${arg}': unknown route '${route}' (one of ${ROUTE_NAMES.join(', ')})`)
  const repeated = /^(.+)x(\d+)$/.exec(arg.slice(eq + 1))
  const spec = repeated?.[1] ?? arg.slice(eq + 1)
  const times = repeated === null ? 1 : Number(repeated[2])
  if (times < 1) usage(`--fault '${arg}': xN needs N of 1 or more`)
  try {
    return { route: route as RouteName, fault: parseFault(spec), times }
  } catch (error) {
    throw error instanceof UsageError ? new UsageError(`--fault '${arg}': ${error.message}`) : error
  }
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined || (allowed as readonly string[]).includes(value)) return value as T | undefined
  return usage(`${flag} '${value}' is not one of ${allowed.join(', ')}`)
}

function duration(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  return parseCliDuration(value) ?? usage(`${flag} '${value}' is not a duration`)
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0
  const port = Number(value)
  return /^\d+$/.test(value) && port <= 65535 ? port : usage(`--port '${value}' is not a port number`)
}

export function parseCliArgs(argv: readonly string[]): CliParse {
  try {
    return parseOrThrow(argv)
  } catch (error) {
    // node:util's parseArgs throws TypeErrors for unknown flags and missing values: those are usage errors too.
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      return { kind: 'error', message: (error as Error).message }
    }
    throw error
  }
}

function parseOrThrow(argv: readonly string[]): CliParse {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      creating: { type: 'string' },
      'end-status': { type: 'string' },
      busy: { type: 'string' },
      'busy-code': { type: 'string' },
      linger: { type: 'string' },
      zoneless: { type: 'boolean' },
      'unknown-cluster': { type: 'string' },
      restoring: { type: 'string' },
      'restore-fail': { type: 'boolean' },
      fault: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' }
    }
  })
  if (values.help) return { kind: 'help' }

  const busyMs = duration('--busy', values.busy)
  const busyCode = oneOf('--busy-code', values['busy-code'], BUSY_CODES)
  if (busyCode !== undefined && busyMs === undefined) usage('--busy-code needs --busy DURATION')
  const lingerMs = duration('--linger', values.linger)
  const unknownCluster = oneOf('--unknown-cluster', values['unknown-cluster'], UNKNOWN_CLUSTER_ANSWERS)
  const endStatus = oneOf('--end-status', values['end-status'], END_STATUSES)
  const restoringMs = duration('--restoring', values.restoring)

  return {
    kind: 'run',
    config: {
      port: parsePort(values.port),
      creatingMs: duration('--creating', values.creating) ?? EMULATOR_DEFAULTS.creatingMs,
      faults: (values.fault ?? []).map(parseFaultArg),
      busy: busyMs === undefined ? undefined : { ms: busyMs, answer: BUSY_ANSWERS[busyCode ?? 'DWS.0011'] },
      options: {
        ...(values.zoneless ? { zonelessTimes: true } : {}),
        ...(lingerMs !== undefined ? { taskLingerMs: lingerMs } : {}),
        ...(unknownCluster !== undefined ? { unknownCluster } : {}),
        ...(endStatus !== undefined ? { snapshotOutcome: endStatus } : {}),
        ...(restoringMs !== undefined ? { restoringMs } : {}),
        ...(values['restore-fail'] ? { restoreOutcome: 'FAILED' as const } : {})
      }
    }
  }
}
