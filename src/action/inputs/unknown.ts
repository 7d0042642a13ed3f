/**
 * Inputs that are not what the user meant. An input the step gives that action.yml does not declare
 * (`wait-timeout: 2h`, `clusterid: ...`) would otherwise be ignored, leaving the default or an empty
 * input in place: the runner warns too, but among its own messages; this names the input to use
 * instead. And a required input left empty is seldom a typo: GitHub silently leaves undefined
 * variables and secrets empty, which the hint of its error says. Pure: the caller passes the env.
 */
import { closestMatches } from '../../kernel/did-you-mean.js'
import { quoteInput } from '../../kernel/sanitize.js'
import type { Env } from '../runner/io.js'

export interface UnknownInput {
  /** the name as the runner passes it (lower case: it upper-cases INPUT_* names) */
  name: string
  /** the declared input it most likely meant, if any is close */
  suggestion?: string
}

const PREFIX = 'INPUT_'

/** The runner's env name of an input: INPUT_ and the name upper-cased, spaces as '_' (as @actions/core reads it). */
const envName = (input: string): string => PREFIX + input.replace(/ /g, '_').toUpperCase()

/** Inputs are compared ignoring case and '-' versus '_'. */
const normalise = (name: string): string => name.toLowerCase().replace(/[-\s]/g, '_')

/** Every INPUT_* variable that is not a declared input, with the closest declared name. */
export function unknownInputs(env: Env, known: readonly string[]): UnknownInput[] {
  const declared = new Set(known.map(envName))
  return Object.keys(env)
    .filter((key) => key.startsWith(PREFIX) && key.length > PREFIX.length && !declared.has(key))
    .sort()
    .map((key) => {
      const name = key.slice(PREFIX.length).toLowerCase()
      const suggestion = closestInput(name, known)
      return suggestion === undefined ? { name } : { name, suggestion }
    })
}

/** The declared input a given name most likely meant, if any is close. */
export function closestInput(name: string, known: readonly string[]): string | undefined {
  return closestMatches(name, known, { normalise })[0]
}

/** The warning for one unknown input. */
export function unknownInputMessage(input: UnknownInput, known: readonly string[]): string {
  const what = `Input ${quoteInput(input.name)} is not an input of this action, so its value is ignored`
  return input.suggestion !== undefined
    ? `${what}: did you mean '${input.suggestion}'? Rename it in the step's with:.`
    : `${what}. The inputs are: ${known.join(', ')}.`
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_review', 'pull_request_review_comment'])

/**
 * Why a required value is empty. `what` names it in the hint (e.g. `cluster_id` or `a credential`);
 * `inputs` are the inputs that would have given it, so that a misspelt one given instead is named first.
 */
export function emptyInputHint(env: Env, known: readonly string[], what: string, inputs: readonly string[]): string {
  const misspelt = unknownInputs(env, known).filter((u) => u.suggestion !== undefined && inputs.includes(u.suggestion))
  const causes = misspelt.map(
    (u) => `The step has an input '${u.name}', which this action does not know: did you mean '${u.suggestion ?? ''}'?`
  )
  causes.push(
    `If ${what} comes from \${{ vars.NAME }} or \${{ secrets.NAME }}, that variable or secret is not defined for this repository, ` +
      "its organisation or the job's environment (GitHub gives an undefined one as an empty string, without an error).",
    'Secrets are empty in runs for a pull request from a fork, and Dependabot runs see only Dependabot secrets.'
  )
  const actor = env.GITHUB_TRIGGERING_ACTOR || env.GITHUB_ACTOR
  if (actor === 'dependabot[bot]') {
    causes.push('This run was started by Dependabot: store the secret under Settings > Secrets and variables > Dependabot.')
  } else if (PULL_REQUEST_EVENTS.has(env.GITHUB_EVENT_NAME ?? '')) {
    causes.push('This run is for a pull request: if it comes from a fork, it gets no secrets.')
  }
  return causes.join(' ')
}
