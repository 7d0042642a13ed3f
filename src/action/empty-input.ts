/**
 * Why a required input is empty, for the hint of its error: the usual causes are not typos but
 * values GitHub silently leaves empty. Pure: the caller passes the env.
 */
import type { Env } from './io.js'
import { unknownInputs } from './unknown-inputs.js'

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_review', 'pull_request_review_comment'])

/**
 * `what` names the value in the hint (e.g. `cluster_id` or `a credential`); `inputs` are the inputs
 * that would have given it, so that a misspelt one given instead is named first.
 */
export function emptyInputHint(env: Env, what: string, inputs: readonly string[]): string {
  const misspelt = unknownInputs(env).filter((u) => u.suggestion !== undefined && inputs.includes(u.suggestion))
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
