/** Lines for the debug log: what the run talks to and how, never a secret, a header or a body. */
import type { SignInConfig } from '../auth/select.js'
import type { Exchange } from '../cloud/transport.js'

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

/** Debug line for one HTTP exchange: never headers or bodies, which hold signatures and secrets. */
export function describeExchange(e: Exchange): string {
  const outcome = e.status !== undefined ? `HTTP ${e.status}` : `no answer (${e.failure ?? 'error'})`
  return `${e.operation}: ${e.method} ${e.url} → ${outcome} in ${Math.round(e.ms)} ms${e.requestId ? `, request id ${e.requestId}` : ''}`
}
