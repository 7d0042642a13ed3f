/**
 * The workflow run the in-process tests pretend to be. @actions/github reads the context from the
 * process environment when it is first loaded, so a test file sets it before running the action.
 */
export const WORKFLOW_ENV = {
  GITHUB_REPOSITORY: 'acme/shop-api',
  GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  GITHUB_RUN_ID: '987654321',
  GITHUB_RUN_NUMBER: '42',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_WORKFLOW: 'Release',
  GITHUB_JOB: 'snapshot',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_ACTOR: 'octocat'
} as const

export function useWorkflowEnv(): void {
  Object.assign(process.env, WORKFLOW_ENV)
}
