/** An in-memory ActionIO: the whole action runs in-process, and every effect on the runner is recorded. */
import type { ActionIO, Env, ResultFile } from '../../src/action/runner/io.js'

export interface Annotation {
  level: 'error' | 'warning' | 'notice'
  message: string
  title?: string
}

export class MemoryIO implements ActionIO {
  readonly outputs: Record<string, string> = {}
  readonly secrets: string[] = []
  readonly lines: string[] = []
  readonly annotations: Annotation[] = []
  summary = ''
  exitCode: number | undefined
  /** set to make every setOutput throw, as a GITHUB_OUTPUT that breaks during the run does */
  outputError: Error | undefined
  /** what the runner's result files answer to the check before any change (undefined: writable) */
  readonly fileProblems: Partial<Record<ResultFile, string>> = {}
  readonly state: Record<string, string> = {}
  /** where getIDToken gets its tokens (e.g. the emulator); unset, it fails as a runner without the permission does */
  idTokens: ((audience: string) => Promise<string> | string) | undefined
  /** every audience an ID token was asked for */
  readonly idTokenAudiences: string[] = []
  /** set to make writing the job summary throw, as an unwritable GITHUB_STEP_SUMMARY does */
  summaryError: Error | undefined
  /** sees each info line as it is logged: a test acts at a moment of the run (breaks a file, cancels) */
  onInfo: ((line: string) => void) | undefined

  constructor(
    private readonly inputs: Record<string, string>,
    readonly env: Env = {},
    private readonly debugMode = false
  ) {}

  getInput(name: string): string {
    return this.inputs[name] ?? ''
  }
  setOutput(name: string, value: string): void {
    if (this.outputError) throw this.outputError
    this.outputs[name] = value
  }
  saveState(name: string, value: string): void {
    this.state[name] = value
  }
  getState(name: string): string {
    return this.state[name] ?? ''
  }
  resultFileProblem(file: ResultFile): string | undefined {
    return this.fileProblems[file]
  }
  setSecret(value: string): void {
    this.secrets.push(value)
  }
  isDebug(): boolean {
    return this.debugMode
  }
  info(message: string): void {
    this.lines.push(message)
    this.onInfo?.(message)
  }
  debug(message: string): void {
    this.lines.push(`debug: ${message}`)
  }
  notice(message: string, title?: string): void {
    this.annotations.push({ level: 'notice', message, title })
  }
  warning(message: string, title?: string): void {
    this.annotations.push({ level: 'warning', message, title })
  }
  error(message: string, title?: string): void {
    this.annotations.push({ level: 'error', message, title })
  }
  appendSummary(markdown: string): Promise<void> {
    if (this.summaryError) return Promise.reject(this.summaryError)
    this.summary += markdown
    return Promise.resolve()
  }
  appendSummarySync(markdown: string): void {
    if (this.summaryError) throw this.summaryError
    this.summary += markdown
  }
  async getIDToken(audience: string): Promise<string> {
    this.idTokenAudiences.push(audience)
    if (!this.idTokens) throw new Error('no ID token in this test')
    return this.idTokens(audience)
  }
  setExitCode(code: number): void {
    this.exitCode = code
  }

  get errors(): Annotation[] {
    return this.annotations.filter((a) => a.level === 'error')
  }
  /** everything the run printed or wrote, for secret checks */
  get shown(): string {
    return [
      ...this.lines,
      ...this.annotations.map((a) => `${a.title ?? ''} ${a.message}`),
      this.summary,
      JSON.stringify(this.outputs)
    ].join('\n')
  }
}
