/** Turns whatever stopped the run into the one annotation the user sees: a title, a message, a hint. Pure. */
import { ClusterBusyError, NameTakenError } from './create.js'
import { ApiError, hintFor, TransportError } from './errors.js'
import { InputError } from './input-error.js'
import { RetriesExhaustedError } from './retry.js'
import { SnapshotFailedError, WaitTimeoutError } from './wait.js'

export interface Failure {
  title: string
  message: string
  hint: string
  /** a user or service error whose stack trace would only be noise */
  expected: boolean
}

export function describeFailure(error: unknown): Failure {
  if (error instanceof InputError) {
    return { title: 'Invalid input', message: error.message, hint: '', expected: true }
  }
  if (error instanceof NameTakenError) {
    return {
      title: 'Snapshot name already taken',
      message: error.message,
      hint: 'Use a name template that is unique per run (the default includes {run_id} and {run_attempt}), delete the old snapshot, or set if_exists: reuse to adopt it.',
      expected: true
    }
  }
  if (error instanceof ClusterBusyError) {
    return { title: 'Cluster busy', message: error.message, hint: hintFor(error.last), expected: true }
  }
  if (error instanceof RetriesExhaustedError) {
    return { title: `${operationOf(error.last)} kept failing`, message: error.message, hint: hintFor(error.last), expected: true }
  }
  if (error instanceof ApiError || error instanceof TransportError) {
    return { title: `${error.operation} failed`, message: error.message, hint: hintFor(error), expected: true }
  }
  if (error instanceof SnapshotFailedError) {
    return {
      title: 'Snapshot failed on the service',
      message: error.message,
      hint: 'Check the cluster in the DWS console (its state and failed_reasons), then run the step again.',
      expected: true
    }
  }
  if (error instanceof WaitTimeoutError) {
    return { title: 'Snapshot not ready in time', message: error.message, hint: '', expected: true }
  }
  if (error instanceof Error) {
    return { title: 'DWS snapshot failed', message: error.message, hint: '', expected: false }
  }
  return { title: 'DWS snapshot failed', message: `Unexpected failure: ${String(error)}`, hint: '', expected: false }
}

function operationOf(error: Error): string {
  return error instanceof ApiError || error instanceof TransportError ? error.operation : 'A request'
}
