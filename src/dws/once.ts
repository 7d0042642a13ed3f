/**
 * Exactly one: a request that makes one named thing (a snapshot, a restored cluster) is never sent
 * twice blindly. After any answer that leaves its outcome unknown (a timeout once it was sent, a
 * reset, a 5xx, a success that cannot be read), the name is looked up before the request is sent
 * again or the step gives up: a thing the lost request made is found and reported, never doubled.
 */
import { outcomeUnknown } from '../cloud/errors.js'
import { RetriesExhaustedError } from '../cloud/retry.js'

/** The request may have made its thing although its answer was lost, and no such thing was found yet. */
export class OutcomeUnknownError extends Error {
  constructor(
    readonly lastError: Error,
    /** what the user should know and do, e.g. that nothing by the name was found yet */
    advice: string
  ) {
    super(`${lastError.message.replace(/\.$/, '')}. ${advice}`)
    this.name = 'OutcomeUnknownError'
  }
}

export class OnceByName<T> {
  /** a request may have been carried out although its answer was lost */
  mayExist = false

  constructor(
    private readonly lookUp: () => Promise<T | undefined>,
    /** e.g. `snapshot named 'release-42'` */
    private readonly wanted: string,
    private readonly verb = 'A create'
  ) {}

  /** For withRetries' `beforeRetry`: after a lost answer, what the request may have made, before it is sent again. */
  readonly beforeRetry = async (lastError: unknown): Promise<T | undefined> => {
    if (!outcomeUnknown(lastError)) return undefined
    this.mayExist = true
    return this.lookUp()
  }

  /**
   * After the request failed for good: the thing, when a lost answer may have made it (or when the
   * service's refusal may mean someone else took the name meanwhile, `conflict`); else undefined.
   */
  async afterFailure(error: unknown, conflict = false): Promise<T | undefined> {
    if (outcomeUnknown(error) || (error instanceof RetriesExhaustedError && outcomeUnknown(error.last))) this.mayExist = true
    return this.mayExist || conflict ? this.lookUp() : undefined
  }

  /** The error to report: said to be of unknown outcome when the request may have been carried out. */
  failure(error: unknown): unknown {
    if (!this.mayExist) return error
    return new OutcomeUnknownError(
      error as Error,
      `${this.verb} may have reached the service although its answer was lost, and no ${this.wanted} was found yet: ` +
        'look for it before running the step again.'
    )
  }
}
