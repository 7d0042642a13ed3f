/**
 * Retention: which of a cluster's snapshots to delete, and why each other one is kept. Pure.
 *
 * A snapshot may be deleted only if every one of these holds: it belongs to this cluster, is MANUAL,
 * carries this action's description marker, has a name matching `keep_match`, is not this run's
 * snapshot, and is in a settled state (AVAILABLE or UNAVAILABLE). Of those, it is kept when it is
 * among the newest `keep_last` usable snapshots (this run's counts as one) or younger than
 * `keep_within` (the union, as restic's `forget` does). Everything else is deleted, oldest first.
 */
import { hasMarker } from './names.js'
import { SNAPSHOT_DELETABLE, SNAPSHOT_USABLE } from './status.js'
import type { Snapshot } from './types.js'

export interface RetentionRule {
  /** keep the newest N usable snapshots (this run's included) */
  keepLast?: number
  /** keep every snapshot younger than this */
  keepWithinMs?: number
  /** glob over snapshot names, `*` any run of characters */
  match: string
}

export interface PlannedSnapshot {
  snapshot: Snapshot
  /** why it is kept, or why it is deleted */
  reason: string
}

export interface RetentionPlan {
  /** oldest first */
  delete: PlannedSnapshot[]
  /** every other snapshot of the list, newest first, with the reason it stays */
  keep: PlannedSnapshot[]
}

export function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${body}$`)
}

function startedMs(snapshot: Snapshot): number | undefined {
  const ms = snapshot.started === undefined ? NaN : Date.parse(snapshot.started)
  return Number.isNaN(ms) ? undefined : ms
}

/**
 * `current` is this run's snapshot: the one just made (or reused), or, in a dry run, the one that
 * would be made (started now). It is never deleted and counts as the newest usable one.
 */
export function planRetention(
  listed: readonly Snapshot[],
  current: Snapshot,
  context: { clusterId: string; rule: RetentionRule; nowMs: number }
): RetentionPlan {
  const { clusterId, rule, nowMs } = context
  const matches = globToRegExp(rule.match)
  const keep: PlannedSnapshot[] = []
  const candidates: { snapshot: Snapshot; started: number }[] = []

  for (const snapshot of listed) {
    if (snapshot.id === current.id) continue
    const reason = protection(snapshot, clusterId, matches, rule.match)
    const started = startedMs(snapshot)
    if (reason !== undefined) keep.push({ snapshot, reason })
    else if (started === undefined) keep.push({ snapshot, reason: 'no readable start time, so it cannot be ordered' })
    else candidates.push({ snapshot, started })
  }

  candidates.sort((a, b) => b.started - a.started || a.snapshot.id.localeCompare(b.snapshot.id))
  const limit = rule.keepLast ?? 0
  // This run's snapshot is the newest usable one: it takes the first of the keep_last places.
  let usableSeen = 1
  const remove: PlannedSnapshot[] = []
  for (const { snapshot, started } of candidates) {
    // Only snapshots that can be restored from count towards keep_last.
    const usable = SNAPSHOT_USABLE.has(snapshot.status)
    const rank = usable ? ++usableSeen : undefined
    const young = rule.keepWithinMs !== undefined && nowMs - started < rule.keepWithinMs
    if (rank !== undefined && rank <= limit) keep.push({ snapshot, reason: `one of the newest ${limit} (keep_last)` })
    else if (young) keep.push({ snapshot, reason: 'younger than keep_within' })
    else remove.push({ snapshot, reason: deleteReason(usable, rule) })
  }

  keep.sort((a, b) => newestFirst(a.snapshot, b.snapshot))
  return { delete: remove.reverse(), keep: [{ snapshot: current, reason: "this run's snapshot" }, ...keep] }
}

/** Snapshots without a readable start time last. */
function newestFirst(a: Snapshot, b: Snapshot): number {
  const ta = startedMs(a) ?? -Infinity
  const tb = startedMs(b) ?? -Infinity
  return ta === tb ? 0 : tb > ta ? 1 : -1
}

/** Why a listed snapshot is not ours to delete, or undefined when it is a candidate. */
function protection(snapshot: Snapshot, clusterId: string, matches: RegExp, glob: string): string | undefined {
  if (snapshot.clusterId !== clusterId) return 'not shown as a snapshot of this cluster'
  if (snapshot.type !== 'MANUAL') return `type ${snapshot.type ?? 'not given'}, not MANUAL`
  if (!hasMarker(snapshot.description)) return 'not made by this action (no marker in its description)'
  if (!matches.test(snapshot.name)) return `name does not match keep_match '${glob}'`
  if (!SNAPSHOT_DELETABLE.has(snapshot.status)) return `status ${snapshot.status}: never deleted`
  return undefined
}

function deleteReason(usable: boolean, rule: RetentionRule): string {
  const parts: string[] = []
  if (rule.keepLast !== undefined) parts.push(usable ? `older than the newest ${rule.keepLast}` : 'failed, so not counted by keep_last')
  if (rule.keepWithinMs !== undefined) parts.push('older than keep_within')
  return parts.join(' and ')
}
