/** The benchmark stops at the first thing it cannot measure, saying why. */

export function fail(message: string): never {
  console.error(`bench: ${message}`)
  process.exit(1)
}

/** Stops with what a child process printed. */
export function explain(what: string, run: { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }): never {
  fail(
    `${what}: exit ${run.code ?? run.signal}\n--- stdout ---\n${run.stdout.slice(0, 3000)}\n--- stderr ---\n${run.stderr.slice(0, 3000)}`
  )
}
