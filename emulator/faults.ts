/** Scripted faults, queued per route and consumed one per request in arrival order. */
import { gatewayError, dwsError, type Reply } from './responses.js'
import type { Fault, RouteName } from './types.js'

export class FaultQueue {
  private readonly queues = new Map<RouteName, Fault[]>()

  inject(route: RouteName, fault: Fault, times = 1): void {
    if (!Number.isInteger(times) || times < 1) throw new Error(`inject: times must be a positive integer, got ${times}`)
    const queue = this.queues.get(route) ?? []
    for (let i = 0; i < times; i++) queue.push(fault)
    this.queues.set(route, queue)
  }

  take(route: RouteName): Fault | undefined {
    return this.queues.get(route)?.shift()
  }
}

/** A status fault's answer; without a body, the body the service would send for that status. */
export function statusFaultReply(fault: Extract<Fault, { kind: 'status' }>, requestId: string): Reply {
  const base = fault.body !== undefined ? { status: fault.status, body: fault.body } : defaultErrorFor(fault.status, requestId)
  return { ...base, headers: fault.headers ?? {} }
}

/** The real answer's status (unless scripted) with the scripted raw body, labelled JSON unless the fault's headers say otherwise. */
export function mangledReply(fault: Extract<Fault, { kind: 'mangle' }>, real: Reply): Reply {
  return { status: fault.status ?? real.status, body: fault.body, headers: { 'Content-Type': 'application/json', ...fault.headers } }
}

function defaultErrorFor(status: number, requestId: string): Reply {
  switch (status) {
    case 400:
      return dwsError(status, 'DWS.0001', 'Incorrect parameter.')
    case 401:
      return gatewayError(status, 'APIGW.0301', 'Incorrect IAM authentication information.', requestId)
    case 403:
      return dwsError(status, 'DWS.0015', 'The resource does not exist or you do not have permission to access it.')
    case 404:
      return gatewayError(status, 'APIGW.0101', 'The API does not exist or has not been published in the environment', requestId)
    case 409:
      return dwsError(status, 'DWS.0011', 'Another operation is being performed on the cluster. Try again later.')
    case 429:
      return gatewayError(status, 'APIGW.0308', 'The throttling threshold has been reached.', requestId)
    case 500:
      return dwsError(status, 'DWS.0005', 'Server failure. Try again later.')
    case 502:
    case 504:
      return gatewayError(status, 'APIGW.0201', 'Request error. Backend unavailable or timed out.', requestId)
    case 503:
      return gatewayError(status, 'APIGW.0613', 'Service unavailable. Try again later.', requestId)
    default:
      return dwsError(status, 'DWS.9999', `Injected fault with status ${status}.`)
  }
}
