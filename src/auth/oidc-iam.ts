/** Keyless sign-in through IAM v3 federation: a GitHub ID token for a project-scoped IAM token. */
import type { CredentialProvider } from '../cloud/credentials.js'
import { federatedToken } from '../cloud/iam.js'
import { withRetries } from '../cloud/retry.js'
import { freshIdToken, idTokenClaims } from './github-id-token.js'
import type { SignInDeps } from './oidc-sts.js'
import { expiringCredentials } from './session.js'
import { SignInError } from './sign-in-error.js'

export interface OidcIamConfig {
  way: 'oidc-iam'
  iamEndpoint: URL
  idpId: string
  audience: string
  /** by id when known, else by name (the region's): the token's scope, so no project lookup is needed */
  project: { id: string } | { name: string }
}

export function oidcIamCredentials(config: OidcIamConfig, deps: SignInDeps): CredentialProvider {
  const { clock, log } = deps.retry
  return expiringCredentials(
    async () => {
      const idToken = await freshIdToken(config.audience, { ...deps, clock, log, clean: deps.api.clean })
      try {
        const token = await withRetries(
          () =>
            federatedToken(deps.api, config.iamEndpoint, { idpId: config.idpId, idToken, project: config.project }, deps.registerSecret),
          deps.retry
        )
        return {
          credentials: { kind: 'token', token: token.token },
          expiresAt: token.expiresAt,
          identity: token.user,
          projectId: token.projectId
        }
      } catch (error) {
        throw new SignInError('oidc-iam', error as Error, idTokenClaims(idToken, deps.api.clean))
      }
    },
    { clock, log, onSignedIn: deps.onSignedIn }
  )
}
