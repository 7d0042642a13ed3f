/**
 * The workflow run as the name template sees it: the runner's GITHUB_* variables, and the pull
 * request's number from the event payload (the file at GITHUB_EVENT_PATH). Read here rather than
 * through @actions/github, whose import brings octokit and an HTTP client for eleven variables.
 */
import { readFile } from 'node:fs/promises'
import type { WorkflowContext } from '../inputs/template.js'

export async function readWorkflowContext(env: Record<string, string | undefined>): Promise<WorkflowContext> {
  const prNumber = pullRequestNumber(await readEvent(env.GITHUB_EVENT_PATH))
  return {
    repository: env.GITHUB_REPOSITORY,
    sha: env.GITHUB_SHA,
    refName: env.GITHUB_REF_NAME,
    runId: count(env.GITHUB_RUN_ID),
    runNumber: count(env.GITHUB_RUN_NUMBER),
    runAttempt: count(env.GITHUB_RUN_ATTEMPT),
    workflow: env.GITHUB_WORKFLOW,
    job: env.GITHUB_JOB,
    eventName: env.GITHUB_EVENT_NAME,
    actor: env.GITHUB_ACTOR,
    prNumber: prNumber === undefined ? undefined : String(prNumber)
  }
}

/** A run id or number as the template writes it: digits only, else undefined (the token then fails as unset). */
function count(value: string | undefined): string | undefined {
  const n = Number.parseInt(value ?? '', 10)
  return Number.isFinite(n) ? String(n) : undefined
}

/** The payload; without a readable file (a run by hand) there is none, and {pr_number} is unset. */
async function readEvent(path: string | undefined): Promise<unknown> {
  if (!path) return undefined
  try {
    return JSON.parse(await readFile(path, 'utf8'))
  } catch {
    return undefined
  }
}

/** pull_request.number, or issue.number when the issue is a pull request (a comment on one). */
function pullRequestNumber(payload: unknown): number | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined
  const { pull_request: pr, issue } = payload as {
    pull_request?: { number?: unknown }
    issue?: { number?: unknown; pull_request?: unknown }
  }
  const number = pr?.number ?? (issue?.pull_request ? issue.number : undefined)
  return typeof number === 'number' && Number.isSafeInteger(number) && number > 0 ? number : undefined
}
