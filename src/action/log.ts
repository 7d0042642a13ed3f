/** The Log the lower layers write to, bound to the runner: secrets scrubbed, no line able to start a workflow command. */
import type { Log } from '../log.js'
import type { Redact } from '../redact.js'
import type { ActionIO } from './io.js'

export function actionLog(io: ActionIO, redact: Redact): Log {
  return {
    // The runner reads '::' at the start of any line of plain output as a command; annotations are escaped by @actions/core.
    info: (message) => io.info(noCommands(redact(message))),
    notice: (message) => io.notice(redact(message)),
    warning: (message) => io.warning(redact(message)),
    debug: (message) => io.debug(redact(message))
  }
}

function noCommands(text: string): string {
  return text.replace(/^(\s*)::/gm, '$1: :')
}
