/** GitHub's ID token as the keyless providers ask for it: bound to the runner, or one clear error where the job has none. */
import type { IdTokenSource } from '../auth/github-id-token.js'
import type { ActionIO } from './io.js'

/** The runner gives no ID token: the job lacks `id-token: write`, or it runs for a fork's pull request. */
export class NoIdTokenError extends Error {
  constructor() {
    super(
      'Keyless sign-in needs a GitHub ID token, and this job has none (ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set)'
    )
    this.name = 'NoIdTokenError'
  }
}

/** Checked before any request; the request token that authorises fetching ID tokens is a secret too. */
export function githubIdTokens(io: ActionIO, registerSecret: (value: string) => void): IdTokenSource {
  const url = io.env.ACTIONS_ID_TOKEN_REQUEST_URL?.trim()
  const requestToken = io.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN?.trim()
  if (!url || !requestToken) throw new NoIdTokenError()
  registerSecret(requestToken)
  return (audience) => io.getIDToken(audience)
}

/** For the ways that need no ID token: asking for one is a bug. */
export const noIdTokens: IdTokenSource = () => Promise.reject(new Error('internal error: this way of signing in uses no ID token'))
