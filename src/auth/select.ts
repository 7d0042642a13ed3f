/**
 * The one way this run signs in, as configured, made into the credential provider every request
 * awaits. The keyless exchanges are loaded on the runs that sign in that way only.
 */
import type { CredentialProvider, Credentials } from '../cloud/credentials.js'
import type { OidcIamConfig } from './oidc-iam.js'
import type { OidcStsConfig, SignInDeps } from './oidc-sts.js'
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
      return loadedOnFirstUse(async () => (await import('./oidc-sts.js')).oidcStsCredentials(signIn, deps))
    case 'oidc-iam':
      return loadedOnFirstUse(async () => (await import('./oidc-iam.js')).oidcIamCredentials(signIn, deps))
  }
}

/** A provider whose module is loaded by the first request; before that there is nothing to invalidate. */
function loadedOnFirstUse(load: () => Promise<CredentialProvider>): CredentialProvider {
  let loading: Promise<CredentialProvider> | undefined
  let provider: CredentialProvider | undefined
  return {
    get: async () => {
      provider ??= await (loading ??= load())
      return provider.get()
    },
    invalidate: () => provider?.invalidate()
  }
}
