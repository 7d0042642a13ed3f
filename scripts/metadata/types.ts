/** What the metadata validator reports: problems, and facts read from the parsed files for the tests. */

type Check = 'parse' | 'actionlint' | 'policy'

export interface Problem {
  file: string
  line?: number
  col?: number
  check: Check
  message: string
}

export interface ActionFacts {
  file: string
  name?: string
  description?: string
  author?: string
  branding?: { icon?: string; color?: string }
  using?: string
  main?: string
  pre?: string
  post?: string
  postIf?: string
  inputs: { id: string; description?: string; required?: boolean; default?: string; defaultType?: string }[]
  outputs: { id: string; description?: string }[]
}

interface StepFacts {
  id?: string
  uses?: string
  if?: string
  run?: string
  env: Record<string, string>
  with: Record<string, string>
}

export interface JobFacts {
  id: string
  if?: string
  /** the jobs this one waits for */
  needs: string[]
  /** strategy.matrix's lists, e.g. { node: ['20', '24'] } */
  matrix: Record<string, string[]>
  timeoutMinutes?: number
  concurrencyGroup?: string
  cancelInProgress?: boolean | string
  /** the job's own `permissions:`, which replace the workflow's for that job */
  permissions?: string | Record<string, string>
  steps: StepFacts[]
}

export interface WorkflowFacts {
  file: string
  hasPermissions: boolean
  /** e.g. { contents: 'read' }, or 'read-all'. */
  permissions?: string | Record<string, string>
  events: string[]
  /** on.push.tags: the tag patterns a push runs the workflow for */
  pushTags: string[]
  /** on.workflow_dispatch.inputs */
  dispatchInputs: { id: string; type?: string; options: string[] }[]
  jobs: JobFacts[]
}

export interface Report {
  problems: Problem[]
  actions: ActionFacts[]
  workflows: WorkflowFacts[]
}
