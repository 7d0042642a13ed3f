/**
 * The DWS rules for names (snapshots and clusters share them: 4-64 characters, a letter first,
 * then letters, digits, '-' and '_') and snapshot descriptions: making an expanded template
 * acceptable to the service, and saying what was changed. Pure.
 */
import { createHash } from 'node:crypto'
import { quoteInput } from '../kernel/sanitize.js'

export type NameOf = 'snapshot' | 'cluster'

/** Nothing valid is left of the expanded name; the action reports it as an error in the input that gave it. */
export class DwsNameError extends Error {
  constructor(
    readonly expanded: string,
    readonly sanitised: string,
    of: NameOf = 'snapshot'
  ) {
    super(
      `${quoteInput(expanded)} gives ${quoteInput(sanitised)} after sanitising, which is shorter than the 4 characters a ${of} name needs ` +
        `(letters, digits, '-' and '_', starting with a letter)`
    )
    this.name = 'DwsNameError'
  }
}

export interface Sanitised {
  value: string
  /** What was changed, for a notice; empty when value is the plain expansion. */
  changes: string[]
}

/** What a name that does not start with a letter is given in front: it says what the thing is. */
const PREFIX: Record<NameOf, string> = { snapshot: 'snap-', cluster: 'cluster-' }

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{3,63}$/
const NAME_MAX = 64
const NAME_CUT = 55

/**
 * Makes an expanded name valid: replace, trim, prefix, shorten, in that order. The hash suffix is taken over the
 * sanitised name before cutting (after the prefix): that is the string that would have been
 * the name, and hashing it keeps two long names distinct whenever their untruncated forms differ.
 */
export function toDwsName(expanded: string, of: NameOf = 'snapshot'): Sanitised {
  const changes: string[] = []
  let name = expanded

  let runs = 0
  name = name.replace(/[^A-Za-z0-9_-]+/g, () => {
    runs += 1
    return '-'
  })
  if (runs > 0) {
    changes.push(`replaced ${runs} run(s) of characters outside [A-Za-z0-9_-] with '-'`)
  }

  const trimmed = name.replace(/^[-_]+|[-_]+$/g, '')
  if (trimmed !== name) {
    changes.push(`trimmed leading/trailing '-' and '_'`)
    name = trimmed
  }

  // An empty name has no first character to fix: it falls through to the too-short error below.
  if (name.length > 0 && !/^[A-Za-z]/.test(name)) {
    name = `${PREFIX[of]}${name}`
    changes.push(`prefixed '${PREFIX[of]}' because a name must start with a letter`)
  }

  if (name.length > NAME_MAX) {
    const hash = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 8)
    const before = name.length
    name = `${name.slice(0, NAME_CUT).replace(/[-_]+$/, '')}-${hash}`
    changes.push(`shortened from ${before} to ${name.length} characters, ending in a hash of the full name`)
  }

  if (name.length < 4) throw new DwsNameError(expanded, name, of)
  // Guard against a bug in the steps above rather than sending the service a name it will reject.
  if (!NAME_PATTERN.test(name)) {
    throw new Error(`internal error: sanitised name '${name}' does not match ${NAME_PATTERN.source}`)
  }
  return { value: name, changes }
}

/**
 * `base` cut so that `base` + `suffix` is a valid name of at most 64 characters: the suffix (e.g.
 * `-r123456789`, which tells runs apart) is kept whole. `base` is made valid first.
 */
export function fitName(base: string, suffix: string, of: NameOf = 'snapshot'): string {
  const valid = toDwsName(base, of).value
  const room = NAME_MAX - suffix.length
  return toDwsName(`${valid.slice(0, room).replace(/[-_]+$/, '')}${suffix}`, of).value
}

const DESCRIPTION_MAX = 256
const DESCRIPTION_FORBIDDEN = /[!<>'=&"]/g

/**
 * Ends every description this action writes: retention deletes only snapshots that carry it, so a
 * hand-made snapshot with a similar name is never touched. Names and descriptions cannot be edited
 * after creation, so the marker cannot be added to a snapshot later (or removed from one).
 */
export const DESCRIPTION_MARKER = '[dws-snapshot-action]'

/** True when a description ends with the marker (trailing spaces allowed). */
export function hasMarker(description: string | undefined): boolean {
  return description?.trimEnd().endsWith(DESCRIPTION_MARKER) ?? false
}

/**
 * Removes the characters DWS rejects, cuts to what leaves room for the marker, and appends it. Length
 * is counted in UTF-16 code units (the stricter of the plausible server-side counts, so the result is
 * also <= 256 code points); a cut that would land between the halves of a surrogate pair drops the
 * whole pair.
 */
export function toDescription(expanded: string): Sanitised {
  const changes: string[] = []
  let removed = 0
  let text = expanded.replace(DESCRIPTION_FORBIDDEN, () => {
    removed += 1
    return ''
  })
  if (removed > 0) {
    changes.push(`removed ${removed} character(s) the service rejects (! < > ' = & ")`)
  }
  text = text.trimEnd()
  if (text.endsWith(DESCRIPTION_MARKER)) text = text.slice(0, -DESCRIPTION_MARKER.length).trimEnd()

  const room = DESCRIPTION_MAX - DESCRIPTION_MARKER.length - (text === '' ? 0 : 1)
  if (text.length > room) {
    const before = text.length
    let cut = room
    const last = text.charCodeAt(cut - 1)
    if (last >= 0xd800 && last <= 0xdbff) cut -= 1 // high surrogate: its partner is past the cut
    text = text.slice(0, cut)
    changes.push(`cut from ${before} to ${text.length} characters to leave room for the marker ${DESCRIPTION_MARKER}`)
  }
  return { value: text === '' ? DESCRIPTION_MARKER : `${text} ${DESCRIPTION_MARKER}`, changes }
}

/**
 * The start every name made from a template with this literal prefix has, after the same repairs
 * toDwsName makes: runs of other characters become '-', leading '-'/'_' go, a first character
 * that is not a letter gets 'snap-', and a long name keeps only its first 55 characters (without
 * the '-'/'_' a cut leaves at its end). '' when the template starts with a token, or nothing of its
 * prefix survives.
 */
export function sanitisedPrefix(literal: string): string {
  let prefix = literal.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[-_]+/, '')
  if (prefix === '') return ''
  if (!/^[A-Za-z]/.test(prefix)) prefix = `${PREFIX.snapshot}${prefix}`
  return prefix.length >= NAME_CUT ? prefix.slice(0, NAME_CUT).replace(/[-_]+$/, '') : prefix
}
