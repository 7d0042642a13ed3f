/**
 * The snapshot action's inputs and their env fallbacks → one validated SnapshotConfig. Pure: the
 * caller passes the inputs and the environment, so tests need no runner. Every error names the
 * input to fix.
 */
import type { IfExists } from '../../dws/create.js'
import { sanitisedPrefix } from '../../dws/names.js'
import type { RetentionRule } from '../../dws/retention.js'
import { quoteInput } from '../../kernel/sanitize.js'
import { literalPrefix } from './template.js'
import type { Env } from '../runner/io.js'
import { readCloudConfig, type CloudConfig } from './cloud.js'
import { parseClusterIds, parseClusterNames } from './clusters.js'
import { InputError } from './input-error.js'
import { readDuration, type Inputs } from './reader.js'
import { emptyInputHint } from './unknown.js'

/** The clusters a step snapshots: by id, or by name (resolved with one listing of the project's clusters). */
export type ClusterSelection = { by: 'id'; ids: string[] } | { by: 'name'; names: string[] }

export interface SnapshotConfig {
  clusters: ClusterSelection
  /** how many DWS calls may be in flight at once */
  maxParallel: number
  nameTemplate: string
  descriptionTemplate: string
  cloud: CloudConfig
  dryRun: boolean
  wait: boolean
  waitTimeoutMs: number
  pollIntervalMs: number
  ifExists: IfExists
  /** undefined: no pruning (neither keep_last nor keep_within is set) */
  retention: RetentionRule | undefined
}

const SECOND = 1000
const POLL_INTERVAL = { min: { ms: 5 * SECOND, text: '5s' } }
const WAIT_TIMEOUT = { min: { ms: SECOND, text: '1s' }, max: { ms: 72 * 3600 * SECOND, text: '72h' } }
const MAX_PARALLEL = 20

export function readSnapshotConfig(inputs: Inputs, env: Env): SnapshotConfig {
  const clusters = readClusters(inputs, env)
  const cloud = readCloudConfig(inputs, env)
  const pollIntervalMs = inputs.duration('poll_interval', POLL_INTERVAL)
  const waitTimeoutMs = inputs.duration('wait_timeout', WAIT_TIMEOUT)
  const nameTemplate = inputs.orDefault('name')
  const wait = inputs.boolean('wait')
  const retention = readRetention(inputs, nameTemplate)
  if (retention && !wait) {
    throw new InputError(
      'wait',
      "must be true when keep_last or keep_within is set: older snapshots are deleted only after this run's snapshot is AVAILABLE"
    )
  }
  return {
    clusters,
    maxParallel: inputs.integer('max_parallel', 1, MAX_PARALLEL),
    nameTemplate,
    descriptionTemplate: inputs.orDefault('description'),
    cloud,
    dryRun: inputs.boolean('dry_run'),
    wait,
    waitTimeoutMs,
    pollIntervalMs,
    ifExists: inputs.choice('if_exists', ['fail', 'reuse'] as const),
    retention
  }
}

/** Names are 4-64 letters, digits, '-' and '_': a pattern with anything else could never match. */
const KEEP_MATCH = /^[A-Za-z0-9_*-]{1,64}$/
const KEEP_LAST_MAX = 10_000

function readRetention(inputs: Inputs, nameTemplate: string): RetentionRule | undefined {
  const keepLastInput = inputs.get('keep_last')
  const keepWithinInput = inputs.get('keep_within')
  if (!keepLastInput && !keepWithinInput) return undefined
  const keepLast = keepLastInput ? inputs.integer('keep_last', 1, KEEP_LAST_MAX, keepLastInput) : undefined
  const keepWithinMs = keepWithinInput
    ? readDuration(keepWithinInput, 'keep_within', { min: { ms: SECOND, text: '1s' } }, { days: true })
    : undefined
  const matchInput = inputs.get('keep_match')
  let match: string
  if (matchInput) {
    if (!KEEP_MATCH.test(matchInput)) {
      throw new InputError(
        'keep_match',
        `${quoteInput(matchInput)} is not a name pattern: use letters, digits, '-', '_' and '*' (any run of characters), at most 64`
      )
    }
    match = matchInput
  } else {
    const prefix = sanitisedPrefix(literalPrefix(nameTemplate, 'name'))
    if (!prefix) {
      throw new InputError(
        'keep_match',
        `is required with keep_last or keep_within when the name template starts with a token (${quoteInput(nameTemplate)}): ` +
          "give a pattern such as 'release-*' that matches only the snapshots this workflow makes"
      )
    }
    match = `${prefix}*`
  }
  return { keepLast, keepWithinMs, match }
}

/** Exactly one of cluster_id and cluster_name, each one or more clusters. */
function readClusters(inputs: Inputs, env: Env): ClusterSelection {
  const ids = inputs.get('cluster_id')
  const names = inputs.get('cluster_name')
  if (ids && names) throw new InputError('cluster_name', 'give either cluster_id or cluster_name, not both')
  if (names) return { by: 'name', names: parseClusterNames(names) }
  if (!ids) {
    throw new InputError(
      'cluster_id',
      'is required but empty: give the ID (UUID) of the DWS cluster to snapshot (or several, one per line), or cluster_name',
      emptyInputHint(env, inputs.metadata.inputs, 'cluster_id', ['cluster_id', 'cluster_name'])
    )
  }
  return { by: 'id', ids: parseClusterIds(ids) }
}
