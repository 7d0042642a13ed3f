/**
 * The restore's plan, once the snapshot is known: the new cluster's name (the template expanded
 * with the workflow run, the source cluster and the snapshot, made valid), or the tables request.
 */
import { DwsNameError, fitName, toDwsName } from '../../dws/names.js'
import type { Snapshot, TableRestoreRequest } from '../../dws/types.js'
import type { Log } from '../../kernel/log.js'
import { quoteInput } from '../../kernel/sanitize.js'
import { InputError } from '../inputs/input-error.js'
import type { TableRestoreSettings } from '../inputs/restore.js'
import { expandTemplate, RESTORE_TOKENS, tokenValues, type ClusterTokens, type WorkflowContext } from '../inputs/template.js'

/**
 * The new cluster's name. Without a template: the snapshot's name, cut to leave room for `-r` and
 * the run id, so two runs restoring one snapshot never ask for the same name.
 */
export function newClusterName(
  template: string | undefined,
  snapshot: Snapshot,
  source: ClusterTokens,
  workflow: WorkflowContext,
  now: Date,
  log: Log
): string {
  const values = tokenValues(workflow, source, now)
  try {
    if (template === undefined) return fitName(snapshot.name, `-r${values.run_id ?? values.timestamp ?? ''}`, 'cluster')
    const expanded = expandTemplate(template, { ...values, snapshot_name: snapshot.name }, 'cluster_name', RESTORE_TOKENS)
    const name = toDwsName(expanded, 'cluster')
    if (name.changes.length > 0)
      log.notice(`Cluster name ${quoteInput(expanded)} was made valid as '${name.value}': ${name.changes.join('; ')}.`)
    return name.value
  } catch (error) {
    if (error instanceof DwsNameError) throw new InputError('cluster_name', error.message)
    throw error
  }
}

export function tableRestoreRequest(snapshot: Snapshot, settings: TableRestoreSettings): TableRestoreRequest {
  return { snapshotId: snapshot.id, ...settings }
}
