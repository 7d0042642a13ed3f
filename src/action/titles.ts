/**
 * Every title an annotation of this action can carry, in one place: TROUBLESHOOTING.md has a
 * section for each (a test checks it), and each annotation links to its section. On the runner the
 * title is prefixed with the action's name, so in a job with several actions the reader knows which
 * one spoke.
 */

/** The action's name as annotation titles and the job summary show it. */
const ACTION_NAME = 'DWS snapshot'

/** Titles of the failures describeFailure (failure.ts) and main.ts report. */
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
  'Unexpected error'
] as const

/** Titles of warnings. */
const WARNING_TITLES = ['Unknown input'] as const

/**
 * The API calls the action makes, as their errors name them (the `operation` of a request). A call
 * that fails gives `<operation> failed`, one that failed on every attempt `<operation> kept failing`.
 */
export const REQUEST_OPERATIONS = [
  'Look up project',
  'Create snapshot',
  'List snapshots',
  'Get snapshot',
  'Get cluster',
  'Get snapshot task',
  'List clusters',
  'List cluster snapshots',
  'Delete snapshot'
] as const

export type FailureTitle = (typeof FAILURE_TITLES)[number]
declare const requestTitleBrand: unique symbol
/** `<operation> failed` or `<operation> kept failing`, made only by requestTitle, so no other title slips past the list. */
export type RequestTitle = string & { readonly [requestTitleBrand]: true }
export type Title = FailureTitle | (typeof WARNING_TITLES)[number] | RequestTitle

export function requestTitle(operation: string, outcome: 'failed' | 'kept failing'): RequestTitle {
  return `${operation} ${outcome}` as RequestTitle
}

/** All titles, for the documentation check. */
export function allTitles(): string[] {
  return [
    ...FAILURE_TITLES,
    ...WARNING_TITLES,
    ...REQUEST_OPERATIONS.flatMap((operation) => [requestTitle(operation, 'failed'), requestTitle(operation, 'kept failing')])
  ]
}

/** The title as the runner shows it: `DWS snapshot: Invalid input`. */
export function annotationTitle(title: Title): string {
  return `${ACTION_NAME}: ${title}`
}
