/**
 * GitHub's OIDC ID token: fetched fresh for every exchange (it lives about 5 minutes), retried on
 * transient failure, registered as a secret the moment it arrives. Its non-secret claims are read
 * for error messages, to compare with a trust policy; the token itself is never shown.
 */
import type { Clean } from '../cloud/answers.js'
import { retry, type Verdict } from '../cloud/retry.js'
import type { Log } from '../kernel/log.js'
import type { Clock } from '../kernel/time.js'

/** Asks the runner for an ID token with this audience (the binding is the action layer's). */
export type IdTokenSource = (audience: string) => Promise<string>

export interface IdTokenDeps {
  idToken: IdTokenSource
  registerSecret: (value: string) => void
  clock: Clock
  log: Log
  clean: Clean
}

/** The claims shown when an exchange fails: what trust policies and mapping rules test. None is secret. */
const SHOWN_CLAIMS = ['iss', 'aud', 'sub', 'repository', 'ref', 'environment', 'job_workflow_ref'] as const

export type ShownClaims = Partial<Record<(typeof SHOWN_CLAIMS)[number], string>>

const ATTEMPTS = 3
const PAUSE_MS = 2000

/** The runner gives no ID token: the job lacks `id-token: write`, or it runs for a fork's pull request. */
export class NoIdTokenError extends Error {
  constructor() {
    super(
      'Keyless sign-in needs a GitHub ID token, and this job has none (ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set)'
    )
    this.name = 'NoIdTokenError'
  }
}

/** Every attempt to get an ID token failed; the message is the last failure's, cleaned. */
export class IdTokenError extends Error {
  constructor(
    readonly audience: string,
    readonly attempts: number,
    detail: string
  ) {
    super(`Could not get a GitHub ID token for audience '${audience}' (${attempts} attempt${attempts === 1 ? '' : 's'}): ${detail}`)
    this.name = 'IdTokenError'
  }
}

/**
 * @actions/core words its failures as text: a 5xx or 429 status, or none at all (the connection
 * failed), is worth another try; a 4xx is not.
 */
export function isTransientIdTokenFailure(message: string): boolean {
  if (/Error Code\s*:\s*(5\d\d|429|undefined)\b/.test(message)) return true
  return /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|EPIPE|socket hang up/i.test(message)
}

export async function freshIdToken(audience: string, deps: IdTokenDeps): Promise<string> {
  const judge = (error: unknown, attempt: number): Verdict<string> => {
    const message = error instanceof Error ? error.message : String(error)
    const detail = deps.clean(message)
    if (attempt >= ATTEMPTS || !isTransientIdTokenFailure(message))
      return { kind: 'give-up', error: new IdTokenError(audience, attempt, detail) }
    return {
      kind: 'again',
      delayMs: PAUSE_MS * attempt,
      say: `Getting a GitHub ID token failed (${detail}); attempt ${attempt} of ${ATTEMPTS}, trying again`
    }
  }
  const run = async (): Promise<string> => {
    const token = await deps.idToken(audience)
    deps.registerSecret(token)
    if (!token) throw new Error('the runner answered an empty token')
    return token
  }
  // Not a request to the service: its retries are not counted with the API's.
  return retry({ run, judge }, { clock: deps.clock, log: deps.log })
}

/**
 * The shown claims of a JWT, each cleaned; {} when the token cannot be read. Reads the payload
 * only: the signature is the exchange's business.
 */
export function idTokenClaims(jwt: string, clean: Clean): ShownClaims {
  const payload = jwt.split('.')[1]
  if (payload === undefined) return {}
  let claims: unknown
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
  } catch {
    return {}
  }
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) return {}
  const shown: ShownClaims = {}
  for (const name of SHOWN_CLAIMS) {
    const value = (claims as Record<string, unknown>)[name]
    const textValue = typeof value === 'string' ? value : Array.isArray(value) ? value.filter((v) => typeof v === 'string').join(', ') : ''
    if (textValue) shown[name] = clean(textValue)
  }
  return shown
}

/** `iss=…, aud=…, sub=…`: the claims as one line for a message. */
export function describeClaims(claims: ShownClaims): string {
  const parts = SHOWN_CLAIMS.filter((name) => claims[name] !== undefined).map((name) => `${name}=${claims[name] ?? ''}`)
  return parts.length ? parts.join(', ') : '(the ID token could not be read)'
}
