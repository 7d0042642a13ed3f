/**
 * Name and description templates: `{token}` expansion. Pure (no I/O): the caller builds the
 * WorkflowContext; what DWS accepts as a name is dws/names.ts's business.
 *
 * Template syntax:
 * - `{token}` is replaced by the token's value; names are case-sensitive and exact (`{ sha }` is unknown).
 * - `{{` and `}}` stand for a literal `{` and `}` (in a name they then become `-` like any other character).
 * - A `{` without its `}`, or a lone `}`, is an input error rather than being passed through, so a typo
 *   such as `{sha7` fails loudly instead of producing a surprising name.
 * - A token whose value is undefined or empty in this run is an error: an empty value would silently
 *   merge neighbouring parts of the name and could collide with another run's name.
 */
import { closestMatches } from '../../kernel/did-you-mean.js'
import { quoteInput } from '../../kernel/sanitize.js'
import { InputError } from './input-error.js'

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
  'cluster_name',
  'cluster_short',
  'date',
  'time',
  'timestamp'
])

/** The restore action's cluster name template also knows the snapshot it restores. */
export const RESTORE_TOKENS: readonly string[] = Object.freeze([...TEMPLATE_TOKENS, 'snapshot_name'])

function present(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/** The cluster a name is made for: its id, and its name where the step knows it. */
export interface ClusterTokens {
  id: string
  name?: string
}

/** Values for every token; undefined where this run has none (expandTemplate reports it if used). */
export function tokenValues(ctx: WorkflowContext, cluster: ClusterTokens, now: Date): Record<string, string | undefined> {
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
    cluster_id: present(cluster.id),
    cluster_name: present(cluster.name),
    // Its first 8 hex digits: enough to tell a project's clusters apart in a name, at a fifth of the length.
    cluster_short: present(cluster.id.slice(0, 8)),
    date,
    time,
    timestamp: `${date}T${time}Z`
  }
}

function validTokensList(tokens: readonly string[]): string {
  return tokens.map((t) => `{${t}}`).join(', ')
}

/** A template read into its parts: literal text (`{{`/`}}` already the braces they stand for) and tokens. */
export type TemplatePart = { text: string; token?: undefined } | { token: string; text?: undefined }

/** The one reader of the template syntax; `input` names the input in its errors. */
export function tokenize(template: string, input: string, tokens: readonly string[] = TEMPLATE_TOKENS): TemplatePart[] {
  const parts: TemplatePart[] = []
  let text = ''
  let i = 0
  while (i < template.length) {
    const ch = template.charAt(i)
    const next = template.charAt(i + 1)
    if ((ch === '{' || ch === '}') && next === ch) {
      text += ch
      i += 2
    } else if (ch === '{') {
      const end = template.indexOf('}', i + 1)
      if (end < 0) {
        throw new InputError(
          input,
          `unterminated '{' at position ${i + 1} in ${quoteInput(template)}; write '{{' for a literal brace. Valid tokens: ${validTokensList(tokens)}`
        )
      }
      const token = template.slice(i + 1, end)
      if (!tokens.includes(token)) {
        const [closest] = closestMatches(token.trim(), tokens, { most: 1 })
        const guess = closest === undefined ? '' : ` (did you mean {${closest}}?)`
        throw new InputError(input, `unknown token ${quoteInput(`{${token}}`)}${guess}. Valid tokens: ${validTokensList(tokens)}`)
      }
      if (text) parts.push({ text })
      parts.push({ token })
      text = ''
      i = end + 1
    } else if (ch === '}') {
      throw new InputError(input, `unmatched '}' at position ${i + 1} in ${quoteInput(template)}; write '}}' for a literal brace`)
    } else {
      text += ch
      i += 1
    }
  }
  if (text) parts.push({ text })
  return parts
}

/** Replaces `{token}`s; `input` is the input's name (`name` or `description`) for error messages. */
export function expandTemplate(
  template: string,
  values: Record<string, string | undefined>,
  input: string,
  tokens: readonly string[] = TEMPLATE_TOKENS
): string {
  return tokenize(template, input, tokens)
    .map((part) => {
      if (part.token === undefined) return part.text
      const value = values[part.token]
      if (value === undefined || value === '') {
        throw new InputError(
          input,
          `token '{${part.token}}' has no value in this run${TOKEN_NOTES[part.token] ?? ''}. Valid tokens: ${validTokensList(tokens)}`
        )
      }
      return value
    })
    .join('')
}

/** Why a token can lack a value, where that is not obvious. */
const TOKEN_NOTES: Record<string, string> = {
  pr_number: ' (it is only set for pull request events)',
  cluster_name: ' (the service names no such cluster)'
}

/** The template's literal text before its first token: the part every expansion shares. The whole template when it has no token. */
export function literalPrefix(template: string, input: string): string {
  const parts = tokenize(template, input)
  const first = parts.findIndex((part) => part.token !== undefined)
  return (first < 0 ? parts : parts.slice(0, first)).map((part) => part.text ?? '').join('')
}

/** Whether the template uses the token. */
export function usesToken(template: string, token: string, input: string): boolean {
  return tokenize(template, input).some((part) => part.token === token)
}
