/**
 * The workflow run as the name template sees it, from @actions/github's context (GITHUB_* env and
 * the event payload). Loaded on first use: @actions/github brings octokit, which a run that stops
 * at input validation should not pay for at start-up.
 */
import type { WorkflowContext } from '../inputs/template.js'

export async function readWorkflowContext(env: Record<string, string | undefined>): Promise<WorkflowContext> {
  const { context } = await import('@actions/github')
  const payload = context.payload
  const prNumber = payload.pull_request?.number ?? (payload.issue?.pull_request ? payload.issue.number : undefined)
  const num = (n: number): string | undefined => (Number.isFinite(n) ? String(n) : undefined)
  return {
    repository: env.GITHUB_REPOSITORY,
    sha: context.sha,
    refName: env.GITHUB_REF_NAME,
    runId: num(context.runId),
    runNumber: num(context.runNumber),
    runAttempt: num(context.runAttempt),
    workflow: context.workflow,
    job: context.job,
    eventName: context.eventName,
    actor: context.actor,
    prNumber: prNumber === undefined ? undefined : String(prNumber)
  }
}
