/** Where the pure modules report progress; main.ts binds it to @actions/core, with secrets scrubbed. */
export interface Log {
  info(message: string): void
  notice(message: string): void
  warning(message: string): void
  debug(message: string): void
}
