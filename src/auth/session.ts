/**
 * Credentials from a sign-in that expires: signed in on first use, signed in again before the next
 * request once expiry is near, and dropped when the service says they expired. One sign-in at a
 * time, however many requests ask. Pure but for the injected sign-in, clock and callbacks.
 */
import type { CredentialProvider, Credentials } from '../cloud/credentials.js'
import type { Log } from '../kernel/log.js'
import { isoSeconds, type Clock } from '../kernel/time.js'

export interface Session {
  credentials: Credentials
  /** ms since the epoch */
  expiresAt: number
  /** who the credentials act as: the assumed agency's URN, or the federated user */
  identity: string
  /** the project the credentials are scoped to, when the sign-in says */
  projectId?: string
}

/** What the run reports about a sign-in (log line, summary). */
export interface SignedIn {
  identity: string
  expiresAt: number
  projectId?: string
  /** 1 for the first sign-in, 2 for the first renewal, ... */
  count: number
}

/** Renew this long before expiry: a request signed just before it must still arrive in time. */
export const RENEW_BEFORE_MS = 5 * 60 * 1000

export interface SessionDeps {
  clock: Clock
  log: Log
  onSignedIn?: (signedIn: SignedIn) => void
}

export function expiringCredentials(signIn: () => Promise<Session>, deps: SessionDeps): CredentialProvider {
  let current: { session: Session; renewAt: number } | undefined
  let pending: Promise<Session> | undefined
  let count = 0

  const start = (): Promise<Session> =>
    signIn().then((session) => {
      const now = deps.clock.now()
      // A session shorter than twice the margin is renewed halfway, not on every request.
      const renewAt = Math.max(session.expiresAt - RENEW_BEFORE_MS, now + (session.expiresAt - now) / 2)
      current = { session, renewAt }
      count += 1
      deps.log.info(`${count === 1 ? 'Signed in' : 'Signed in again'} as ${session.identity}, expiring at ${isoSeconds(session.expiresAt)}`)
      deps.onSignedIn?.({ identity: session.identity, expiresAt: session.expiresAt, projectId: session.projectId, count })
      return session
    })

  return {
    async get() {
      if (current && deps.clock.now() < current.renewAt) return current.session.credentials
      pending ??= start().finally(() => {
        pending = undefined
      })
      return (await pending).credentials
    },
    invalidate() {
      current = undefined
    }
  }
}
