/**
 * The restore action's inputs → one validated RestoreConfig, before any request. Pure: every error
 * names the input to fix. The cloud inputs (region, credentials, ...) are the snapshot action's.
 */
import { UUID_PATTERN } from '../../cloud/answers.js'
import { DwsNameError, toDwsName } from '../../dws/names.js'
import type { SnapshotChoice } from '../../dws/restore.js'
import type { RestoreRequest, TableName } from '../../dws/types.js'
import { quoteInput } from '../../kernel/sanitize.js'
import type { Env } from '../runner/io.js'
import { readCloudConfig, type CloudConfig } from './cloud.js'
import { InputError } from './input-error.js'
import { listEntries, type Inputs } from './reader.js'
import { emptyInputHint } from './unknown.js'
import { RESTORE_TOKENS, tokenize } from './template.js'

/** What the new cluster gets besides its name: what is left out the service takes from the source cluster. */
export type NewClusterSettings = Omit<RestoreRequest, 'snapshotId' | 'clusterName'>

export interface TableRestoreSettings {
  database: string
  caseSensitive: boolean
  tables: { source: TableName; target: TableName }[]
}

export interface RestoreConfig {
  snapshot: SnapshotChoice
  /** new-cluster mode: the name template (undefined: the default, the snapshot's name and the run id) and the settings */
  newCluster?: { nameTemplate: string | undefined; settings: NewClusterSettings }
  /** tables mode */
  tables?: TableRestoreSettings
  /** false: the post step deletes the cluster this step made */
  keep: boolean
  dryRun: boolean
  wait: boolean
  waitTimeoutMs: number
  pollIntervalMs: number
  cloud: CloudConfig
}

const SECOND = 1000
const POLL_INTERVAL = { min: { ms: 5 * SECOND, text: '5s' } }
const WAIT_TIMEOUT = { min: { ms: SECOND, text: '1s' }, max: { ms: 72 * 3600 * SECOND, text: '72h' } }
const NEW_CLUSTER_INPUTS = [
  'cluster_name',
  'vpc_id',
  'subnet_id',
  'security_group_id',
  'availability_zone',
  'port',
  'enterprise_project_id'
] as const
const TABLES_INPUTS = ['tables', 'database', 'case_sensitive'] as const

export function readRestoreConfig(inputs: Inputs, env: Env): RestoreConfig {
  const snapshot = readSnapshotChoice(inputs, env)
  const mode = inputs.choice('mode', ['new-cluster', 'tables'] as const)
  const keep = inputs.boolean('keep')
  // Inputs of the other mode would be silently ignored: a slip worth stopping for.
  // An input left at its default (case_sensitive: false, public_ip: none) changes nothing, so it may stay.
  const given = (name: string): boolean => inputs.get(name) !== '' && inputs.get(name).toLowerCase() !== inputs.metadata.defaults[name]
  const stray = [...(mode === 'tables' ? NEW_CLUSTER_INPUTS : TABLES_INPUTS), mode === 'tables' ? 'public_ip' : ''].find(
    (name) => name !== '' && given(name)
  )
  if (stray !== undefined) throw new InputError(stray, `is not used with mode: ${mode}; remove it, or set mode to ${otherMode(mode)}`)
  if (mode === 'tables' && !keep) {
    throw new InputError('keep', 'false deletes a new cluster, and mode: tables makes none; remove it')
  }
  const cloud = readCloudConfig(inputs, env)
  return {
    snapshot,
    newCluster: mode === 'new-cluster' ? readNewCluster(inputs) : undefined,
    tables: mode === 'tables' ? readTables(inputs) : undefined,
    keep,
    dryRun: inputs.boolean('dry_run'),
    wait: inputs.boolean('wait'),
    waitTimeoutMs: inputs.duration('wait_timeout', WAIT_TIMEOUT),
    pollIntervalMs: inputs.duration('poll_interval', POLL_INTERVAL),
    cloud
  }
}

function otherMode(mode: 'new-cluster' | 'tables'): string {
  return mode === 'tables' ? 'new-cluster' : 'tables'
}

/** snapshot_id, or snapshot_name with cluster_id. */
function readSnapshotChoice(inputs: Inputs, env: Env): SnapshotChoice {
  const id = inputs.get('snapshot_id')
  const name = inputs.get('snapshot_name')
  const clusterId = inputs.get('cluster_id')
  if (id && name) throw new InputError('snapshot_name', 'give either snapshot_id or snapshot_name (with cluster_id), not both')
  if (id) {
    if (clusterId) throw new InputError('cluster_id', 'is only used with snapshot_name: snapshot_id names the snapshot alone')
    return { id: uuid(id, 'snapshot_id', 'a snapshot ID') }
  }
  if (!name && clusterId) {
    throw new InputError(
      'snapshot_name',
      'is required but empty: with cluster_id, it names the snapshot among that cluster’s (or give snapshot_id alone)',
      emptyInputHint(env, inputs.metadata.inputs, 'snapshot_name', ['snapshot_name', 'snapshot_id'])
    )
  }
  if (!name) {
    throw new InputError(
      'snapshot_id',
      'is required but empty: give the ID of the snapshot to restore (e.g. steps.<id>.outputs.snapshot_id), or snapshot_name with cluster_id',
      "If it comes from ${{ steps.<id>.outputs.snapshot_id }}, check that <id> is the snapshot step's id and that the step ran and succeeded: " +
        'a misspelt, skipped or failed step gives an empty string, without an error. ' +
        emptyInputHint(env, inputs.metadata.inputs, 'snapshot_id', ['snapshot_id', 'snapshot_name'])
    )
  }
  if (name.length > 64 || /[\s'"]/.test(name)) throw new InputError('snapshot_name', `${quoteInput(name)} is not a snapshot name`)
  if (!clusterId) throw new InputError('cluster_id', 'is required with snapshot_name: the snapshot is looked up among that cluster’s')
  return { name, clusterId: uuid(clusterId, 'cluster_id', 'a cluster ID') }
}

function uuid(value: string, input: string, what: string): string {
  if (!UUID_PATTERN.test(value)) throw new InputError(input, `${quoteInput(value)} is not ${what}; expected a UUID`)
  return value.toLowerCase()
}

/** An availability zone as the service names them: cn-north-4a, eu-west-101b. */
const ZONE = /^[a-z0-9][a-z0-9-]{0,63}$/

function readNewCluster(inputs: Inputs): RestoreConfig['newCluster'] {
  const template = inputs.get('cluster_name')
  // The template's syntax and tokens are checked now; it is expanded once the snapshot is known.
  const parts = template ? tokenize(template, 'cluster_name', RESTORE_TOKENS) : []
  // A name without tokens is known already: one that can never be valid is refused before any request.
  if (parts.length > 0 && parts.every((part) => 'text' in part)) literalClusterName(parts.map((part) => part.text).join(''))
  // Only what is given is sent: the service takes the rest from the source cluster.
  const settings: NewClusterSettings = {}
  const readInput = (input: string): string | undefined => {
    const value = inputs.get(input)
    return value ? uuid(value, input, 'an ID') : undefined
  }
  settings.vpcId = readInput('vpc_id')
  settings.subnetId = readInput('subnet_id')
  settings.securityGroupId = readInput('security_group_id')
  const zone = inputs.get('availability_zone')
  if (zone && !ZONE.test(zone))
    throw new InputError('availability_zone', `${quoteInput(zone)} is not an availability zone, e.g. cn-north-4a`)
  if (zone) settings.availabilityZone = zone
  const port = inputs.get('port')
  if (port) settings.port = inputs.integer('port', 8000, 30000, port)
  const publicIp = inputs.orDefault('public_ip')
  const word = publicIp.toLowerCase()
  if (word === 'auto') settings.publicIp = { bind: 'auto_assign' }
  else if (word !== 'none') {
    settings.publicIp = { bind: 'bind_existing', eipId: uuid(publicIp, 'public_ip', "'none', 'auto' or the ID of an elastic IP") }
  }
  const project = inputs.get('enterprise_project_id')
  if (project)
    settings.enterpriseProjectId = project === '0' ? '0' : uuid(project, 'enterprise_project_id', "'0' or an enterprise project ID")
  return { nameTemplate: template || undefined, settings }
}

function literalClusterName(name: string): void {
  try {
    toDwsName(name, 'cluster')
  } catch (error) {
    if (error instanceof DwsNameError) throw new InputError('cluster_name', error.message)
    throw error
  }
}

/** GaussDB's unquoted identifiers, as the table restore takes them: a letter or '_', then letters, digits, '_' or '$', at most 63. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/
const MAX_TABLES = 100

function readTables(inputs: Inputs): TableRestoreSettings {
  const text = inputs.get('tables')
  const database = inputs.get('database')
  if (!text)
    throw new InputError('tables', 'is required with mode: tables: one schema.table per line (or schema.table -> schema.new_table)')
  if (!database) throw new InputError('database', 'is required with mode: tables: the database the tables are in')
  if (!IDENTIFIER.test(database)) throw new InputError('database', `${quoteInput(database)} is not a database name`)
  const caseSensitive = inputs.boolean('case_sensitive')
  const lines = listEntries(text, false)
  if (lines.length > MAX_TABLES) throw new InputError('tables', `names ${lines.length} tables; at most ${MAX_TABLES} per step`)
  const tables = lines.map((line) => {
    const [from = '', to, ...more] = line.split('->').map((part) => part.trim())
    if (more.length > 0) throw new InputError('tables', `${quoteInput(line)} has more than one '->'`)
    const source = tableName(from, line)
    return { source, target: to === undefined ? source : tableName(to, line) }
  })
  const key = (t: TableName): string => (caseSensitive ? `${t.schema}.${t.table}` : `${t.schema}.${t.table}`.toLowerCase())
  const targets = tables.map((t) => key(t.target))
  const twice = targets.findIndex((target, i) => targets.indexOf(target) !== i)
  if (twice >= 0) {
    const first = tables[targets.indexOf(targets[twice] ?? '')]?.target
    const again = tables[twice]?.target
    const written = (t: TableName | undefined) => `'${t?.schema ?? ''}.${t?.table ?? ''}'`
    const how =
      written(first) === written(again)
        ? written(first)
        : `${written(first)} and ${written(again)}, the same table as case_sensitive is false`
    throw new InputError('tables', `restores two tables into ${how}`)
  }
  return { database, caseSensitive, tables }
}

function tableName(text: string, line: string): TableName {
  const [schema = '', table, ...more] = text.split('.')
  if (table === undefined || more.length > 0 || !IDENTIFIER.test(schema) || !IDENTIFIER.test(table)) {
    throw new InputError(
      'tables',
      `${quoteInput(line)}: ${quoteInput(text)} is not schema.table (letters, digits, '_' and '$', starting with a letter or '_', at most 63 each)`
    )
  }
  return { schema, table }
}
