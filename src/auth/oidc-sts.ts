/** Keyless sign-in through IAM v5 STS: a GitHub ID token for an agency's temporary keys. */
import type { CloudApi } from '../cloud/api.js'
import type { CredentialProvider } from '../cloud/credentials.js'
import { withRetries, type RetryContext } from '../cloud/retry.js'
import { assumeAgencyWithOidc } from '../cloud/sts.js'
import { freshIdToken, idTokenClaims, type IdTokenSource } from './github-id-token.js'
import { expiringCredentials, type SignedIn } from './session.js'
import { SignInError } from './sign-in-error.js'

export interface OidcStsConfig {
  way: 'oidc-sts'
  stsEndpoint: URL
  providerUrn: string
  agencyUrn: string
  audience: string
  sessionName: string
  durationSeconds: number
}

/** What a keyless provider needs from the run: it knows neither GitHub Actions nor the runner. */
export interface SignInDeps {
  /** sends the unsigned exchanges */
  api: CloudApi
  idToken: IdTokenSource
  registerSecret: (value: string) => void
  /** clock, log, stats and the step's deadline; transient exchange failures are retried like any call */
  retry: RetryContext
  onSignedIn?: (signedIn: SignedIn) => void
}

export function oidcStsCredentials(config: OidcStsConfig, deps: SignInDeps): CredentialProvider {
  const { clock, log } = deps.retry
  return expiringCredentials(
    async () => {
      const idToken = await freshIdToken(config.audience, { ...deps, clock, log, clean: deps.api.clean })
      const request = {
        idToken,
        providerUrn: config.providerUrn,
        agencyUrn: config.agencyUrn,
        sessionName: config.sessionName,
        durationSeconds: config.durationSeconds
      }
      try {
        const session = await withRetries(
          () => assumeAgencyWithOidc(deps.api, config.stsEndpoint, request, (values) => values.forEach(deps.registerSecret)),
          deps.retry
        )
        return {
          credentials: {
            kind: 'aksk',
            accessKeyId: session.accessKeyId,
            secretAccessKey: session.secretAccessKey,
            securityToken: session.securityToken
          },
          expiresAt: session.expiresAt,
          identity: session.agencyUrn
        }
      } catch (error) {
        throw new SignInError('oidc-sts', error as Error, idTokenClaims(idToken, deps.api.clean))
      }
    },
    { clock, log, onSignedIn: deps.onSignedIn }
  )
}
