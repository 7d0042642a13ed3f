/** Credentials given to the action as they are (keys, keys with a security token, or an IAM token): nothing to refresh. */
import type { CredentialProvider, Credentials } from '../cloud/credentials.js'

/** `registerSecret` is told every secret value at once, so it is masked before any request. */
export function staticCredentials(credentials: Credentials, registerSecret: (value: string) => void): CredentialProvider {
  const secrets =
    credentials.kind === 'token'
      ? [credentials.token]
      : [credentials.accessKeyId, credentials.secretAccessKey, credentials.securityToken ?? '']
  for (const secret of secrets) if (secret) registerSecret(secret)
  return {
    get: () => Promise.resolve(credentials),
    invalidate: () => undefined
  }
}
