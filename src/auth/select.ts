/** The one way this run signs in, as configured, made into the credential provider every request awaits. */
import type { CredentialProvider, Credentials } from '../cloud/credentials.js'
import { oidcIamCredentials, type OidcIamConfig } from './oidc-iam.js'
import { oidcStsCredentials, type OidcStsConfig, type SignInDeps } from './oidc-sts.js'
import { staticCredentials } from './static.js'

export type { OidcIamConfig } from './oidc-iam.js'
export type { OidcStsConfig, SignInDeps } from './oidc-sts.js'

/** Keys or a token given to the action, or one of the two keyless exchanges. */
export type SignInConfig = { way: 'static'; credentials: Credentials } | OidcStsConfig | OidcIamConfig

export function credentialProvider(signIn: SignInConfig, deps: SignInDeps): CredentialProvider {
  switch (signIn.way) {
    case 'static':
      return staticCredentials(signIn.credentials, deps.registerSecret)
    case 'oidc-sts':
      return oidcStsCredentials(signIn, deps)
    case 'oidc-iam':
      return oidcIamCredentials(signIn, deps)
  }
}
