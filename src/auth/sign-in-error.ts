/** A keyless sign-in that failed, with what the user needs to compare against the trust setup. */
import { RetriesExhaustedError } from '../cloud/retry.js'
import type { ShownClaims } from './github-id-token.js'

export type OidcWay = 'oidc-sts' | 'oidc-iam'

export class SignInError extends Error {
  constructor(
    readonly way: OidcWay,
    /** what the exchange threw: an ApiError, TransportError, RetriesExhaustedError, ... */
    readonly failure: Error,
    readonly claims: ShownClaims
  ) {
    super(failure.message)
    this.name = 'SignInError'
  }

  /** The last error of the exchange, past any retries. */
  get last(): Error {
    return this.failure instanceof RetriesExhaustedError ? this.failure.last : this.failure
  }
}
