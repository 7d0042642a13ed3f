/**
 * Turns whatever stopped the run into the one annotation the user sees: a title, a message, and a
 * hint that says what to fix. Every hint lives here; the permissions come from the operation that
 * failed. Pure.
 */
import { describeClaims, IdTokenError, NoIdTokenError } from '../../auth/github-id-token.js'
import { SignInError } from '../../auth/sign-in-error.js'
import { UnexpectedAnswerError } from '../../cloud/answers.js'
import { ApiError, authFailureOf, isClusterBusy, isClusterNotFound, TransportError, UnreadableAnswerError } from '../../cloud/errors.js'
import { ProjectLookupError } from '../../cloud/iam.js'
import type { Operation } from '../../cloud/operation.js'
import { RetriesExhaustedError } from '../../cloud/retry.js'
import { ClusterStateError, NameTakenByOtherClusterError, NameTakenError, UnusableSnapshotError } from '../../dws/create.js'
import { ClusterBusyError } from '../../dws/busy.js'
import { OutcomeUnknownError } from '../../dws/once.js'
import { SnapshotFailedError, WaitTimeoutError } from '../../dws/wait.js'
import type { CloudConfig } from '../inputs/cloud.js'
import { InputError } from '../inputs/input-error.js'
import { ResultFileError } from '../runner/io.js'
import { requestTitle, type Title } from './titles.js'

export interface Failure {
  /** without the action's name, which annotationTitle adds */
  title: Title
  message: string
  hint: string
  /** a user or service error whose stack trace would only be noise */
  expected: boolean
}

/** What the run knew when it failed, so messages can name it. */
export interface FailureContext {
  clusterId?: string
  /** clusterId is the cluster this step restored, not one the inputs gave */
  clusterRestored?: boolean
  region?: string
  projectId?: string
  /** where the credentials came from: input, HUAWEI_CLOUD_* or HUAWEICLOUD_SDK_* */
  credentialSource?: string
  maxAttempts?: number
}

/** Makes an expected failure: a user or service error, shown without a stack. */
export type FailureMaker = (title: Title, message: string, hint?: string) => Failure

/** An action's own failures, beside the ones every action shares: undefined for an error it does not know. */
export type OwnFailures = (error: unknown, context: FailureContext, failure: FailureMaker) => Failure | undefined

export function describeFailure(error: unknown, context: FailureContext = {}, own?: OwnFailures): Failure {
  const failure: FailureMaker = (title, message, hint = '') => ({ title, message, hint, expected: true })
  if (error instanceof InputError) return failure('Invalid input', error.message, error.hint)
  if (error instanceof ResultFileError) {
    return failure(
      'Outputs not written',
      error.message,
      'Check the runner: its file commands (GITHUB_OUTPUT, GITHUB_STATE) must be writable.'
    )
  }
  if (error instanceof NoIdTokenError) return failure('No GitHub ID token', `${error.message}.`, NO_ID_TOKEN_HINT)
  if (error instanceof IdTokenError) return failure('No GitHub ID token', `${error.message}.`, idTokenHint(error))
  if (error instanceof SignInError) {
    return failure(
      'Keyless sign-in failed',
      `${SIGN_IN_NAMES[error.way]} failed: ${error.message}. The GitHub ID token's claims: ${describeClaims(error.claims)}.`,
      signInHint(error, context)
    )
  }
  if (error instanceof ProjectLookupError)
    return failure('Invalid input', new InputError('project_id', `is empty and ${error.message}`).message)
  if (error instanceof OutcomeUnknownError) {
    const inner = describeFailure(error.lastError, context, own)
    return { ...inner, message: error.message }
  }
  if (error instanceof NameTakenError) {
    return failure(
      'Snapshot name already taken',
      error.message,
      'Use a name template that is unique per run (the default includes {run_id} and {run_attempt}), delete the old snapshot, or set if_exists: reuse to adopt it.'
    )
  }
  if (error instanceof NameTakenByOtherClusterError) {
    return failure(
      'Snapshot name taken by another cluster',
      error.message,
      'Include {cluster_id} in the name template, or pick another name: names are unique across all clusters of the project.'
    )
  }
  if (error instanceof UnusableSnapshotError) return failure('Existing snapshot unusable', error.message)
  if (error instanceof ClusterStateError) {
    return failure(
      'Cluster cannot take a snapshot',
      error.message,
      'Check the cluster in the DWS console and bring it back to Available first.'
    )
  }
  if (error instanceof ClusterBusyError) return failure('Cluster busy', error.message, hintFor(error.last, context))
  if (error instanceof ApiError && isClusterNotFound(error)) {
    return failure('Cluster not found', clusterNotFoundMessage(error, context), clusterNotFoundHint(error.operation, context))
  }
  if (error instanceof RetriesExhaustedError) {
    if (isClusterNotFound(error.last)) return describeFailure(error.last, context, own)
    const attempts = error.atDeadline
      ? 'The step gave up as its waiting budget ran out: raise wait_timeout if the service needs longer to recover.'
      : `It failed ${error.attempts} times in a row (max_attempts: ${context.maxAttempts ?? error.attempts}); raise max_attempts for a flakier network.`
    return failure(requestTitle(operationOf(error.last), 'kept failing'), error.message, `${hintFor(error.last, context)} ${attempts}`)
  }
  if (error instanceof ApiError || error instanceof TransportError) {
    return failure(requestTitle(error.operation, 'failed'), error.message, hintFor(error, context))
  }
  if (error instanceof UnreadableAnswerError || error instanceof UnexpectedAnswerError) {
    return failure(
      requestTitle(error.operation, 'failed'),
      error.message,
      'Something other than the DWS service may have answered: check endpoint and proxy settings (https_proxy/no_proxy), then run the step again.'
    )
  }
  if (error instanceof SnapshotFailedError) {
    return failure(
      'Snapshot failed on the service',
      error.message,
      'Check the cluster in the DWS console (its state and failed_reasons), then run the step again.'
    )
  }
  if (error instanceof WaitTimeoutError) return failure('Snapshot not ready in time', error.message)
  const owned = own?.(error, context, failure)
  if (owned) return owned
  if (error instanceof Error) return { title: 'Unexpected error', message: error.message, hint: '', expected: false }
  return { title: 'Unexpected error', message: `Unexpected failure: ${String(error)}`, hint: '', expected: false }
}

const SIGN_IN_NAMES: Record<SignInError['way'], string> = {
  'oidc-sts': 'Keyless sign-in through STS',
  'oidc-iam': 'Keyless sign-in through the IAM v3 identity provider'
}

const NO_ID_TOKEN_HINT =
  'Add `permissions: id-token: write` to the job (with `contents: read`). Pull requests from forks get no ID token: run keyless steps on push, release or workflow_dispatch.'

function idTokenHint(error: IdTokenError): string {
  return /Error Code\s*:\s*40[134]\b/.test(error.message)
    ? 'GitHub refused to issue an ID token: check that the job has `permissions: id-token: write`.'
    : `GitHub's token service did not answer: try again later. The audience asked for was '${error.audience}' (oidc_audience).`
}

/** The trust condition most likely to have failed, from the service's words; oidc:sub unless they say otherwise. */
function signInHint(error: SignInError, context: FailureContext): string {
  const last = error.last
  if (!(last instanceof ApiError)) return hintFor(last, context)
  const said = `${last.errorCode ?? ''} ${last.errorMsg ?? ''}`
  if (/expired|\bexp\b/i.test(said)) {
    return "The ID token had expired when the service read it: check the runner's clock (self-hosted runners), then run the step again."
  }
  const sts = error.way === 'oidc-sts'
  if (last.status === 400 && sts) {
    return 'Check oidc_provider_urn and agency_urn (iam::<account-id>:oidcProvider:<name>, iam::<account-id>:agency:<name>), and that session_duration is at most the agency’s maximum session duration.'
  }
  if (last.status === 404) {
    return sts
      ? 'The OIDC provider or the agency does not exist in this account, or sts_endpoint is wrong: check oidc_provider_urn, agency_urn and sts_endpoint.'
      : 'No identity provider has this idp_id in this IAM endpoint’s account: check idp_id and iam_endpoint (or region).'
  }
  if (last.status !== 401 && last.status !== 403) return hintFor(last, context)
  if (/\baud(ience)?\b|client.?id/i.test(said)) {
    return sts
      ? 'Condition oidc:aud: oidc_audience must be one of the OIDC provider’s client ids, and the agency’s trust policy must allow it.'
      : 'The identity provider’s client id must equal oidc_audience.'
  }
  if (/\biss(uer)?\b/i.test(said)) {
    return 'Condition oidc:iss: the provider’s issuer must be https://token.actions.githubusercontent.com (or your enterprise’s issuer).'
  }
  if (/signature|signing key|jwks|\bkid\b/i.test(said)) {
    return sts
      ? 'The ID token’s signature was not accepted: check the OIDC provider’s issuer URL and thumbprint.'
      : 'The ID token’s signature was not accepted: IAM v3 keeps a copy of GitHub’s signing keys; paste the current JWKS (https://token.actions.githubusercontent.com/.well-known/jwks) into the identity provider’s signing key.'
  }
  return sts
    ? 'Condition oidc:sub: the agency’s trust policy must match the sub claim above (a branch, an environment, a tag and a pull request each give a different sub; repositories created or renamed since 2026-07-15 use repo:<owner>@<id>/<repo>@<id>:…), with oidc_provider_urn as the federated principal.'
    : 'The identity provider’s mapping rules must match the claims above (remote conditions on sub or repository), and map to a user group with DWS permissions in this project.'
}

function operationOf(error: Error): Operation {
  return error instanceof ApiError || error instanceof TransportError || error instanceof UnreadableAnswerError
    ? error.operation
    : { name: 'A request' }
}

function where(context: FailureContext): string {
  const parts = [context.projectId ? `project ${context.projectId}` : '', context.region ? `region ${context.region}` : '']
  return parts.filter(Boolean).join(', ') || 'this project and region'
}

function clusterNotFoundMessage(error: ApiError, context: FailureContext): string {
  return (
    `Cluster ${context.clusterId ?? '(unknown id)'} was not found in ${where(context)}, or these credentials have no permission for it ` +
    `(${error.message}).`
  )
}

function clusterNotFoundHint(operation: Operation, context: FailureContext): string {
  const permission = operation.permission
    ? `the IAM user or agency needs ${operation.permission} for this cluster`
    : 'check the IAM policies'
  if (context.clusterRestored) {
    return `The cluster this step restored is gone: look in the DWS console's operation log for who deleted it; if it is still listed there, ${permission}.`
  }
  return (
    `Check cluster_id (the console shows it on the cluster's Basic Information page) and that region${context.region ? ` (${context.region})` : ''} ` +
    `is the cluster's region; if both are right, ${permission}.`
  )
}

function credentialsFrom(context: FailureContext): string {
  switch (context.credentialSource) {
    case undefined:
      return 'the credentials'
    case 'input':
      return 'the credentials from the inputs'
    default:
      return `the credentials from env ${context.credentialSource}`
  }
}

/** What the user should check or change, in one sentence. */
export function hintFor(error: unknown, context: FailureContext = {}): string {
  if (error instanceof TransportError) return transportHint(error)
  if (!(error instanceof ApiError)) return ''
  const { status, errorMsg } = error
  if (isClusterBusy(error)) {
    return 'The cluster is running another operation (often an automated snapshot) or is not in a state that allows snapshots; try again later or raise wait_timeout.'
  }
  if (status === 401) return authHint(error, context)
  if (status === 403) {
    const permission = error.operation.permission
    const decode = error.encodedAuthorizationMessage
      ? ' The answer carries an encoded authorization message: decode it with the STS decode-authorization-message API to see which policy denied it.'
      : ''
    return permission
      ? `The resource does not exist or you have no permission for it: the IAM user or agency needs ${permission} in this project (and region).${decode}`
      : `The IAM user or agency is not allowed to ${error.operation.name.toLowerCase()}: check its policies for this project.${decode}`
  }
  if (status === 404) {
    return 'Check region, endpoint, project_id and cluster_id: one of them does not match an existing cluster in this account.'
  }
  if (status === 407) return transportHintFor('proxy-auth', '')
  if (status === 400 && /name/i.test(errorMsg ?? '')) {
    return 'Snapshot names must be unique, 4-64 characters, start with a letter and use only letters, digits, - and _: change the name template.'
  }
  if (status === 429) return 'The API is throttling requests: try again later, or lower how many jobs call it at once.'
  if (status === 503) return 'The service is unavailable for the moment: try again later.'
  if (status >= 500) {
    return error.bodyExcerpt !== undefined
      ? 'A gateway or proxy answered instead of the service: check endpoint and proxy settings, or try again later.'
      : 'The service had an internal error: try again later.'
  }
  if (error.bodyExcerpt !== undefined) {
    return 'Something other than the DWS service answered: check endpoint and proxy settings (https_proxy/no_proxy).'
  }
  return 'The service rejected the request: check the inputs named in the message.'
}

function authHint(error: ApiError, context: FailureContext): string {
  if (context.credentialSource === 'oidc-sts' || context.credentialSource === 'oidc-iam') {
    return 'The credentials from the keyless sign-in were refused, also after signing in again: check that the agency (or the federated user’s group) may call DWS in this region and project, and that endpoint is in the region of the sign-in.'
  }
  const from = credentialsFrom(context)
  switch (authFailureOf(error)) {
    case 'clock':
      return "The runner's clock is more than 15 minutes off the service's: requests are signed with the time. Fix the clock (NTP) on a self-hosted runner."
    case 'expired-token':
      return `The IAM token has expired or belongs to another region (${from}): get a new token for this region.`
    case 'unknown-key':
      return `The service does not know the access key (${from}): check access_key_id, and that the key is enabled and belongs to this cloud (Huawei Cloud, Europe or Open Telekom Cloud).`
    case 'signature':
      return `Signature mismatch with ${from}: secret_access_key does not belong to access_key_id, or temporary keys are missing their security_token.`
    default:
      return `Check ${from}: access_key_id/secret_access_key (and security_token for temporary keys) or auth_token.`
  }
}

function transportHint(error: TransportError): string {
  return transportHintFor(error.failure, error.host)
}

function transportHintFor(failure: TransportError['failure'], host: string): string {
  switch (failure) {
    case 'dns':
      return `The host ${host} does not resolve: check region and endpoint.`
    case 'tls':
      return `The TLS connection to ${host} failed: check endpoint and proxy settings; a private CA can be added with NODE_EXTRA_CA_CERTS.`
    case 'timeout':
      return `${host} did not answer in time: check network and proxy settings, or raise request_timeout.`
    case 'proxy-auth':
      return 'The proxy requires authentication: put its user and password in https_proxy (https://user:password@proxy:port), or add the host to no_proxy.'
    case 'too-large':
      return `The answer from ${host} was larger than this action accepts: check endpoint and proxy settings.`
    case 'encoding':
      return `The answer from ${host} used a compression this action cannot decode: check proxy settings.`
    case 'invalid-request':
      return 'A credential or another input holds a character that cannot be sent in an HTTP header: copy it again without spaces or line breaks.'
    default:
      return `Could not reach ${host}: check endpoint, network and proxy settings (https_proxy/no_proxy).`
  }
}

/** What the run knows from its cloud inputs, for the messages of any failure. */
export function cloudFailureContext(config: CloudConfig): FailureContext {
  return {
    region: config.region,
    projectId: config.projectId,
    credentialSource: config.credentialSource,
    maxAttempts: config.maxAttempts
  }
}
