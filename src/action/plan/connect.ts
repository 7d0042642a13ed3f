/**
 * The step's way to the service, shared by both actions: one transport (kept connections), one
 * retry context (the step's deadline, one 429 backoff for every call), the credential provider of
 * the way it signs in, and the project. Signing in and finding the project happen once, on the
 * first call that needs them; a keyless sign-in comes before anything else, so a trust problem is
 * the first and only failure.
 */
import pkg from '../../../package.json' with { type: 'json' }
import { NoIdTokenError, type IdTokenSource } from '../../auth/github-id-token.js'
import { credentialProvider, type SignInConfig } from '../../auth/select.js'
import { SessionNameError, toSessionName } from '../../auth/session-name.js'
import type { SignedIn } from '../../auth/session.js'
import { CloudApi } from '../../cloud/api.js'
import { lookupProjectId } from '../../cloud/iam.js'
import { DEFAULT_BACKOFF, Throttle, withRetries, type RetryContext } from '../../cloud/retry.js'
import { DwsClient } from '../../dws/client.js'
import type { CloudConfig, SignInInputs } from '../inputs/cloud.js'
import { InputError } from '../inputs/input-error.js'
import type { Log } from '../../kernel/log.js'
import type { Redact } from '../../kernel/redact.js'
import { quoteInput } from '../../kernel/sanitize.js'
import type { Clock } from '../../kernel/time.js'
import type { CallStats } from '../../cloud/retry.js'
import type { Transport } from '../../cloud/transport.js'
import type { ActionIO } from '../runner/io.js'
import { expandTemplate, tokenValues, type WorkflowContext } from '../inputs/template.js'

/** Sent in the User-Agent of every request, so the service's logs can tell this action's calls apart. */
export const USER_AGENT = `dws-snapshot-action/${pkg.version}`

export interface CloudSession {
  /** every call's retry context: the step's clock, log, counters, deadline and backoff */
  readonly retry: RetryContext
  /** the DWS calls of the project: signs in and finds the project on first use */
  client(): Promise<DwsClient>
  /** the project, once known */
  projectId(): string | undefined
  /** who a keyless sign-in acted as, and until when */
  signedIn(): SignedIn | undefined
}

/** What connecting needs from the step. */
export interface StepServices {
  readonly io: ActionIO
  readonly clock: Clock
  readonly log: Log
  readonly stats: CallStats
  readonly random: (() => number) | undefined
  readonly redact: Redact
  readonly registerSecret: (value: string) => void
  transport(userAgent: string): Transport
  preconnect(url: URL): void
}

export interface ConnectOptions {
  /** clock time (ms) after which no pause runs: the step's waiting budget */
  deadline: number
  workflow: WorkflowContext
  /** names the STS session (several clusters share one, named for the first) */
  clusterId: string
  /** told the project once it is known (given, from the sign-in, or looked up) */
  onProject?: (projectId: string) => void
}

/** Checks what can be checked without a request (an ID token for keyless sign-in, the session name); sends nothing. */
export function connect(step: StepServices, config: CloudConfig, options: ConnectOptions): CloudSession {
  const { io, log } = step
  const idToken = config.signIn.way === 'static' ? noIdTokens : githubIdTokens(io, step.registerSecret)
  const signIn = concreteSignIn(config.signIn, options.workflow, options.clusterId, step)
  const transport = step.transport(USER_AGENT)
  // The handshake with DWS can overlap whatever the step does before its first call.
  step.preconnect(config.dwsEndpoint)
  const retry: RetryContext = {
    policy: { ...DEFAULT_BACKOFF, maxAttempts: config.maxAttempts },
    clock: step.clock,
    log,
    stats: step.stats,
    random: step.random,
    deadline: options.deadline,
    throttle: new Throttle()
  }
  const common = { userAgent: USER_AGENT, requestTimeoutMs: config.requestTimeoutMs, transport, retry, redact: step.redact }
  let signedIn: SignedIn | undefined
  const credentials = credentialProvider(signIn, {
    api: new CloudApi(common),
    idToken,
    registerSecret: step.registerSecret,
    retry,
    onSignedIn: (known) => (signedIn = known)
  })
  log.debug(
    `DWS endpoint ${config.dwsEndpoint.origin}; IAM endpoint ${config.iamEndpoint?.origin ?? '(not needed)'}; ` +
      `credentials: ${describeSignIn(signIn)} from ${config.credentialSource}`
  )
  if (config.ignoredEnvKeys.length > 0) {
    log.debug(`Keyless sign-in chosen by the inputs: ignoring the keys in env ${config.ignoredEnvKeys.join(', ')}`)
  }
  const api = new CloudApi({ ...common, credentials })
  let projectId = config.projectId
  let client: Promise<DwsClient> | undefined
  const open = async (): Promise<DwsClient> => {
    if (signIn.way !== 'static') await credentials.get()
    projectId ??= signedIn?.projectId ?? (await lookUpProject(api, config, retry))
    options.onProject?.(projectId)
    return new DwsClient(api, config.dwsEndpoint, projectId)
  }
  return {
    retry,
    client: () => (client ??= open()),
    projectId: () => projectId,
    signedIn: () => signedIn
  }
}

async function lookUpProject(api: CloudApi, config: CloudConfig, retry: RetryContext): Promise<string> {
  const { iamEndpoint, region } = config
  // readCloudConfig guarantees a region and an IAM endpoint whenever the project is not given.
  if (!iamEndpoint || !region) throw new Error('internal error: no region or IAM endpoint to look the project up with')
  const projectId = await withRetries(() => lookupProjectId(api, iamEndpoint, region), retry)
  retry.log.info(`Project of region ${region}: ${projectId}`)
  return projectId
}

/** The sign-in as configured, made concrete for this run: the STS session name expanded and made valid. */
function concreteSignIn(signIn: SignInInputs, workflow: WorkflowContext, clusterId: string, step: StepServices): SignInConfig {
  if (signIn.way !== 'oidc-sts') return signIn
  const { sessionNameTemplate, ...rest } = signIn
  const values = tokenValues(workflow, { id: clusterId }, new Date(step.clock.now()))
  const expanded = expandTemplate(sessionNameTemplate, values, 'session_name')
  let name: ReturnType<typeof toSessionName>
  try {
    name = toSessionName(expanded)
  } catch (error) {
    if (error instanceof SessionNameError) throw new InputError('session_name', error.message)
    throw error
  }
  if (name.changes.length > 0)
    step.log.debug(`Session name ${quoteInput(expanded)} was made valid as '${name.value}': ${name.changes.join('; ')}.`)
  return { ...rest, sessionName: name.value }
}

/** Checked before any request; the request token that authorises fetching ID tokens is a secret too. */
function githubIdTokens(io: ActionIO, registerSecret: (value: string) => void): IdTokenSource {
  const url = io.env.ACTIONS_ID_TOKEN_REQUEST_URL?.trim()
  const requestToken = io.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN?.trim()
  if (!url || !requestToken) throw new NoIdTokenError()
  registerSecret(requestToken)
  return (audience) => io.getIDToken(audience)
}

/** For the ways that need no ID token: asking for one is a bug. */
const noIdTokens: IdTokenSource = () => Promise.reject(new Error('internal error: this way of signing in uses no ID token'))

/** How this run signs in, in words. */
export function describeSignIn(signIn: SignInConfig): string {
  switch (signIn.way) {
    case 'static':
      return signIn.credentials.kind === 'token' ? 'IAM token' : 'access key pair'
    case 'oidc-sts':
      return `keyless sign-in through STS ${signIn.stsEndpoint.origin} as agency ${signIn.agencyUrn}, session '${signIn.sessionName}'`
    case 'oidc-iam':
      return `keyless sign-in through IAM ${signIn.iamEndpoint.origin}, identity provider ${signIn.idpId}`
  }
}
