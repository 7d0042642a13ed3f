/**
 * What signs a request, and where it comes from. A provider is awaited before every request, so
 * temporary credentials can be refreshed mid-run; `invalidate` drops what it holds after the service
 * said the credentials expired, so the next `get` fetches new ones.
 */
import type { AkSkCredentials } from './signer.js'

export type Credentials = ({ kind: 'aksk' } & AkSkCredentials) | { kind: 'token'; token: string }

export interface CredentialProvider {
  get(): Promise<Credentials>
  /** After a 401 that says the credentials expired; a provider of fixed credentials ignores it. */
  invalidate(): void
}
