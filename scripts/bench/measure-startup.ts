/**
 * 2. Start-up: `node dist/index.js` stopping at input validation, vs the reference action (the three
 * toolkit packages at top level, reading inputs only) and `node -e 0`, interleaved.
 */
import type { RunChild } from './child.js'
import { explain } from './fail.js'
import { STOPPED_AT_INPUTS } from './measure-bundle.js'
import { BUNDLE, STARTUP_RUNS, WARMUPS } from './settings.js'

export interface StartupFigures {
  node: number[]
  ref: number[]
  action: number[]
}

export async function measureStartup(runChild: RunChild, refStartup: string): Promise<StartupFigures> {
  console.log(`Measuring start-up (${WARMUPS} warm-ups + ${STARTUP_RUNS} runs each, interleaved)...`)
  const commands: { key: keyof StartupFigures; script?: string; args?: string[] }[] = [
    { key: 'node', args: ['-e', '0'] },
    { key: 'ref', script: refStartup },
    { key: 'action', script: BUNDLE }
  ]
  const startup: StartupFigures = { node: [], ref: [], action: [] }
  for (let round = 0; round < WARMUPS + STARTUP_RUNS; round++) {
    // Rotate the order each round so no command always runs right after the same other one.
    for (let k = 0; k < commands.length; k++) {
      const cmd = commands[(round + k) % commands.length]!
      const run = await runChild(cmd.script, { args: cmd.args })
      if (cmd.key === 'action' && (run.code !== 1 || !STOPPED_AT_INPUTS.test(run.stdout)))
        explain('dist/index.js should stop at input validation', run)
      if (cmd.key !== 'action' && run.code !== 0) explain(`${cmd.key} start-up run failed`, run)
      if (round >= WARMUPS) startup[cmd.key].push(run.wallMs)
    }
  }
  return startup
}
