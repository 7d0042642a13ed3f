/**
 * The DWS rules for snapshot names and descriptions: making an expanded template acceptable to the
 * service, and saying what was changed. Pure.
 */
import { createHash } from 'node:crypto'
import { quoteInput } from '../sanitize.js'

/** Nothing valid is left of the expanded name; the action reports it as an error in the `name` input. */
export class SnapshotNameError extends Error {
  constructor(
    readonly expanded: string,
    readonly sanitised: string
  ) {
    super(
      `${quoteInput(expanded)} gives ${quoteInput(sanitised)} after sanitising, which is shorter than the 4 characters a snapshot name needs ` +
        `(letters, digits, '-' and '_', starting with a letter)`
    )
    this.name = 'SnapshotNameError'
  }
}

export interface Sanitised {
  value: string
  /** What was changed, for a notice; empty when value is the plain expansion. */
  changes: string[]
}

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{3,63}$/
const NAME_MAX = 64
const NAME_CUT = 55

/**
 * Makes an expanded name valid: replace, trim, prefix, shorten, in that order. The hash suffix is taken over the
 * sanitised name before cutting (after the `snap-` prefix): that is the string that would have been
 * the name, and hashing it keeps two long names distinct whenever their untruncated forms differ.
 */
export function toSnapshotName(expanded: string): Sanitised {
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
    name = `snap-${name}`
    changes.push(`prefixed 'snap-' because a name must start with a letter`)
  }

  if (name.length > NAME_MAX) {
    const hash = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 8)
    const before = name.length
    name = `${name.slice(0, NAME_CUT).replace(/[-_]+$/, '')}-${hash}`
    changes.push(`shortened from ${before} to ${name.length} characters, ending in a hash of the full name`)
  }

  if (name.length < 4) throw new SnapshotNameError(expanded, name)
  // Guard against a bug in the steps above rather than sending the service a name it will reject.
  if (!NAME_PATTERN.test(name)) {
    throw new Error(`internal error: sanitised name '${name}' does not match ${NAME_PATTERN.source}`)
  }
  return { value: name, changes }
}

const DESCRIPTION_MAX = 256
const DESCRIPTION_FORBIDDEN = /[!<>'=&"]/g

/**
 * Removes the characters DWS rejects and cuts to 256. Length is counted in UTF-16 code units (the
 * stricter of the plausible server-side counts, so it is also <= 256 code points); a cut that would
 * land between the halves of a surrogate pair drops the whole pair.
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

  if (text.length > DESCRIPTION_MAX) {
    const before = text.length
    let cut = DESCRIPTION_MAX
    const last = text.charCodeAt(cut - 1)
    if (last >= 0xd800 && last <= 0xdbff) cut -= 1 // high surrogate: its partner is past the cut
    text = text.slice(0, cut)
    changes.push(`cut from ${before} to ${text.length} characters`)
  }
  return { value: text, changes }
}
