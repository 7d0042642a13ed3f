/**
 * A problem with what the user wrote in the workflow (an input or the env fallback it stands for).
 * main.ts reports it without a stack trace, before any request is sent.
 */
export class InputError extends Error {
  constructor(
    /** the input's name as written in `with:`, e.g. `cluster_id` */
    readonly input: string,
    message: string,
    /** what to check, when the message alone does not say it (e.g. why a required input is empty) */
    readonly hint = ''
  ) {
    super(`Input '${input}': ${message}`)
    this.name = 'InputError'
  }
}
