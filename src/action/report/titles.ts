/**
 * Every title an annotation of either action can carry, in one place: docs/TROUBLESHOOTING.md has a
 * section for each (a test checks it), and each annotation links to its section. On the runner the
 * title is prefixed with the action's name, so in a job with several actions the reader knows which
 * one spoke.
 */
import { LOOK_UP_PROJECT } from '../../cloud/iam.js'
import type { Operation } from '../../cloud/operation.js'
import { DWS, DWS_OPERATIONS } from '../../dws/operations.js'

/** Titles of the failures describeFailure (failure.ts) and the step report. */
export const FAILURE_TITLES = [
  'Invalid input',
  'Snapshot name already taken',
  'Snapshot name taken by another cluster',
  'Existing snapshot unusable',
  'Cluster cannot take a snapshot',
  'Cluster busy',
  'Cluster not found',
  'Snapshot failed on the service',
  'Snapshot not ready in time',
  'Outputs not written',
  'No GitHub ID token',
  'Keyless sign-in failed',
  'Snapshot not found',
  'Snapshot not restorable',
  'Restore failed on the service',
  'Cluster not ready in time',
  'Cluster cannot restore tables',
  'Tables rejected',
  'Table restore failed',
  'Table restore not done in time',
  'Cluster not deleted',
  'Unexpected error'
] as const

/** Titles of warnings. */
const WARNING_TITLES = ['Unknown input'] as const

/**
 * The calls whose failures carry their own title: `<name> failed`, or `<name> kept failing` after
 * every attempt. Not the delete of a cluster: however it fails, the annotation is `Cluster not
 * deleted`, naming the cluster that may go on costing.
 */
export const TITLED_OPERATIONS: readonly Operation[] = [
  LOOK_UP_PROJECT,
  ...DWS_OPERATIONS.filter((operation) => operation !== DWS.deleteCluster)
]

export type FailureTitle = (typeof FAILURE_TITLES)[number]
declare const requestTitleBrand: unique symbol
/** `<operation> failed` or `<operation> kept failing`, made only by requestTitle, so no other title slips past the list. */
export type RequestTitle = string & { readonly [requestTitleBrand]: true }
export type Title = FailureTitle | (typeof WARNING_TITLES)[number] | RequestTitle

export function requestTitle(operation: Operation, outcome: 'failed' | 'kept failing'): RequestTitle {
  return `${operation.name} ${outcome}` as RequestTitle
}

/** All titles, for the documentation check. */
export function allTitles(): string[] {
  return [
    ...FAILURE_TITLES,
    ...WARNING_TITLES,
    ...TITLED_OPERATIONS.flatMap((operation) => [requestTitle(operation, 'failed'), requestTitle(operation, 'kept failing')])
  ]
}

/** The title as the runner shows it: `DWS snapshot: Invalid input`. */
export function annotationTitle(actionName: string, title: Title): string {
  return `${actionName}: ${title}`
}
