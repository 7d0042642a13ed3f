/** The snapshot this run asks for: the templates expanded with the workflow run, then made acceptable to DWS. */
import type { Log } from '../log.js'
import { SnapshotNameError, toDescription, toSnapshotName } from '../dws/names.js'
import type { SnapshotSpec } from '../dws/types.js'
import type { Clock } from '../time.js'
import type { Config } from './inputs.js'
import { InputError } from './input-error.js'
import type { Env } from './io.js'
import { expandTemplate, tokenValues } from './template.js'
import { readWorkflowContext } from './workflow-context.js'

export async function snapshotSpec(config: Config, env: Env, clock: Clock, log: Log): Promise<SnapshotSpec> {
  const values = tokenValues(await readWorkflowContext(env), config.clusterId, new Date(clock.now()))
  const expandedName = expandTemplate(config.nameTemplate, values, 'name')
  const name = validName(expandedName)
  if (name.changes.length > 0) {
    log.notice(`Snapshot name '${expandedName}' was made valid as '${name.value}': ${name.changes.join('; ')}.`)
  }
  const description = toDescription(expandTemplate(config.descriptionTemplate, values, 'description'))
  if (description.changes.length > 0) log.notice(`Snapshot description changed: ${description.changes.join('; ')}.`)
  return { name: name.value, clusterId: config.clusterId, description: description.value }
}

function validName(expanded: string): ReturnType<typeof toSnapshotName> {
  try {
    return toSnapshotName(expanded)
  } catch (error) {
    if (error instanceof SnapshotNameError) throw new InputError('name', error.message)
    throw error
  }
}
