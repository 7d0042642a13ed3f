/**
 * Name and description templates: `{token}` expansion, then making the result acceptable to DWS.
 * Pure (no I/O): main.ts builds the WorkflowContext and logs the notices from `changes`.
 *
 * Template syntax:
 * - `{token}` is replaced by the token's value; names are case-sensitive and exact (`{ sha }` is unknown).
 * - `{{` and `}}` stand for a literal `{` and `}` (in a name they then become `-` like any other character).
 * - A `{` without its `}`, or a lone `}`, is an input error rather than being passed through, so a typo
 *   such as `{sha7` fails loudly instead of producing a surprising name.
 * - A token whose value is undefined or empty in this run is an error: an empty value would silently
 *   merge neighbouring parts of the name and could collide with another run's name.
 */
import { createHash } from 'node:crypto'
import { InputError } from './input-error.js'
import { quoteInput } from './sanitize.js'

export interface WorkflowContext {
  /** 'owner/repo' */
  repository?: string
  sha?: string
  refName?: string
  runId?: string
  runNumber?: string
  runAttempt?: string
  workflow?: string
  job?: string
  eventName?: string
  actor?: string
  prNumber?: string
}

export const TEMPLATE_TOKENS: readonly string[] = Object.freeze([
  'repo',
  'owner',
  'repository',
  'ref_name',
  'sha',
  'sha7',
  'run_id',
  'run_number',
  'run_attempt',
  'workflow',
  'job',
  'event',
  'actor',
  'pr_number',
  'cluster_id',
  'date',
  'time',
  'timestamp'
])

const TOKEN_SET: ReadonlySet<string> = new Set(TEMPLATE_TOKENS)

function present(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/** Values for every token; undefined where this run has none (expandTemplate reports it if used). */
export function tokenValues(ctx: WorkflowContext, clusterId: string, now: Date): Record<string, string | undefined> {
  const repository = present(ctx.repository)
  // Only a well-formed 'owner/repo' yields owner and repo; anything else leaves them unavailable.
  const slash = repository?.indexOf('/') ?? -1
  const owner = repository !== undefined && slash > 0 ? repository.slice(0, slash) : undefined
  const repo = repository !== undefined && slash > 0 ? present(repository.slice(slash + 1)) : undefined
  const sha = present(ctx.sha)

  const date = `${pad(now.getUTCFullYear(), 4)}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`
  const time = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`

  return {
    repo,
    owner,
    repository,
    ref_name: present(ctx.refName),
    sha,
    sha7: sha?.slice(0, 7),
    run_id: present(ctx.runId),
    run_number: present(ctx.runNumber),
    run_attempt: present(ctx.runAttempt),
    workflow: present(ctx.workflow),
    job: present(ctx.job),
    event: present(ctx.eventName),
    actor: present(ctx.actor),
    pr_number: present(ctx.prNumber),
    cluster_id: present(clusterId),
    date,
    time,
    timestamp: `${date}T${time}Z`
  }
}

function validTokensList(): string {
  return TEMPLATE_TOKENS.map((t) => `{${t}}`).join(', ')
}

/** Replaces `{token}`s; `input` is the input's name (`name` or `description`) for error messages. */
export function expandTemplate(template: string, values: Record<string, string | undefined>, input: string): string {
  let out = ''
  let i = 0
  while (i < template.length) {
    const ch = template[i]
    if (ch === '{') {
      if (template[i + 1] === '{') {
        out += '{'
        i += 2
        continue
      }
      const end = template.indexOf('}', i + 1)
      if (end < 0) {
        throw new InputError(
          input,
          `unterminated '{' at position ${i + 1} in ${quoteInput(template)}; write '{{' for a literal brace. Valid tokens: ${validTokensList()}`
        )
      }
      const token = template.slice(i + 1, end)
      if (!TOKEN_SET.has(token)) {
        throw new InputError(input, `unknown token ${quoteInput(`{${token}}`)}. Valid tokens: ${validTokensList()}`)
      }
      const value = values[token]
      if (value === undefined || value === '') {
        throw new InputError(
          input,
          `token '{${token}}' has no value in this run${token === 'pr_number' ? ' (it is only set for pull request events)' : ''}. Valid tokens: ${validTokensList()}`
        )
      }
      out += value
      i = end + 1
    } else if (ch === '}') {
      if (template[i + 1] === '}') {
        out += '}'
        i += 2
        continue
      }
      throw new InputError(input, `unmatched '}' at position ${i + 1} in ${quoteInput(template)}; write '}}' for a literal brace`)
    } else {
      out += ch
      i += 1
    }
  }
  return out
}

export interface Sanitised {
  value: string
  /** What was changed, for a notice; empty when value is the plain expansion. */
  changes: string[]
}

export const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{3,63}$/
const NAME_MAX = 64
const NAME_CUT = 55

/**
 * Makes an expanded name valid, in the order issue 2 fixes. The hash suffix is taken over the
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

  if (name.length < 4) {
    throw new InputError(
      'name',
      `${quoteInput(expanded)} gives ${quoteInput(name)} after sanitising, which is shorter than the 4 characters a snapshot name needs ` +
        `(letters, digits, '-' and '_', starting with a letter)`
    )
  }
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
