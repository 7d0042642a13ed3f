/**
 * A GitHub workflow: GitHub's parser and converter, actionlint, this repository's policy
 * (workflow-policy.ts), and the facts the tests assert on (events, dispatch inputs, jobs, steps).
 */
import { convertWorkflowTemplate, isBoolean, isMapping, isNumber, isSequence, parseWorkflow } from '@actions/workflow-parser'
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token'
import { actionlint } from './actionlint.js'
import { child, entries, items, parserProblems, scalarText, textMap, trace } from './tokens.js'
import type { JobFacts, Problem, WorkflowFacts } from './types.js'
import { checkPermissions, checkRun, checkUses } from './workflow-policy.js'

export async function validateWorkflow(file: string, content: string): Promise<{ problems: Problem[]; facts?: WorkflowFacts }> {
  const { problems, root } = await parse(file, content)
  problems.push(...(await actionlint(file, content)))
  if (!root || !isMapping(root)) {
    if (!problems.some((p) => p.check === 'parse')) problems.push({ file, check: 'parse', message: 'not a workflow mapping' })
    return { problems }
  }
  const permissions = child(root, 'permissions')
  problems.push(...checkPermissions(file, permissions))
  const on = child(root, 'on')
  const lines = content.split(/\r?\n/)
  const jobs = entries(child(root, 'jobs')).map(([jobId, job]) => {
    const read = readJob(file, lines, jobId, job)
    problems.push(...read.problems)
    return read.facts
  })
  return {
    problems,
    facts: {
      file,
      hasPermissions: permissions !== undefined,
      permissions: permissionsOf(permissions),
      events: eventNames(on),
      pushTags: items(child(child(on, 'push'), 'tags')).map((t) => scalarText(t) ?? ''),
      dispatchInputs: entries(child(child(on, 'workflow_dispatch'), 'inputs')).map(([id, def]) => ({
        id,
        type: scalarText(child(def, 'type')),
        options: items(child(def, 'options')).map((t) => scalarText(t) ?? '')
      })),
      jobs
    }
  }
}

/** GitHub's parser, then its converter (which reports what the schema alone does not). */
async function parse(file: string, content: string): Promise<{ problems: Problem[]; root?: TemplateToken }> {
  const problems: Problem[] = []
  let parsed
  try {
    parsed = parseWorkflow({ name: file, content }, trace)
  } catch (e) {
    problems.push({ file, check: 'parse', message: `cannot parse: ${(e as Error).message}` })
  }
  if (!parsed) return { problems }
  problems.push(...parserProblems(file, parsed.context))
  if (parsed.value && problems.length === 0) {
    try {
      await convertWorkflowTemplate(parsed.context, parsed.value)
      problems.push(...parserProblems(file, parsed.context))
    } catch (e) {
      problems.push({ file, check: 'parse', message: `cannot convert: ${(e as Error).message}` })
    }
  }
  return { problems, root: parsed.value }
}

/** `permissions:` as a scope → access mapping, or one word such as 'read-all'. */
function permissionsOf(token: TemplateToken | undefined): string | Record<string, string> | undefined {
  return token && isMapping(token) ? textMap(token) : scalarText(token)
}

/** `on:` as a mapping, a list or a single event name. */
function eventNames(on: TemplateToken | undefined): string[] {
  if (on && isMapping(on)) return entries(on).map(([k]) => k)
  if (on && isSequence(on)) return items(on).map((t) => scalarText(t) ?? '')
  if (on) return [scalarText(on) ?? '']
  return []
}

/** `needs:` as a list or a single job id. */
function namesOf(token: TemplateToken | undefined): string[] {
  if (token && isSequence(token)) return items(token).map((t) => scalarText(t) ?? '')
  const one = scalarText(token)
  return one === undefined ? [] : [one]
}

function readJob(file: string, lines: string[], jobId: string, job: TemplateToken): { problems: Problem[]; facts: JobFacts } {
  const problems = checkUses(file, lines, child(job, 'uses'), `jobs.${jobId}.uses`)
  const timeout = child(job, 'timeout-minutes')
  const concurrency = child(job, 'concurrency')
  const cancel = child(concurrency, 'cancel-in-progress')
  const facts: JobFacts = {
    id: jobId,
    if: scalarText(child(job, 'if')),
    needs: namesOf(child(job, 'needs')),
    matrix: Object.fromEntries(
      entries(child(child(job, 'strategy'), 'matrix'))
        .filter(([, v]) => isSequence(v))
        .map(([k, v]) => [k, items(v).map((t) => scalarText(t) ?? '')])
    ),
    timeoutMinutes: timeout && isNumber(timeout) ? timeout.value : undefined,
    concurrencyGroup: concurrency && isMapping(concurrency) ? scalarText(child(concurrency, 'group')) : scalarText(concurrency),
    cancelInProgress: cancel && isBoolean(cancel) ? cancel.value : scalarText(cancel),
    permissions: permissionsOf(child(job, 'permissions')),
    steps: []
  }
  items(child(job, 'steps')).forEach((step, i) => {
    const where = `jobs.${jobId}.steps[${i}]`
    problems.push(...checkUses(file, lines, child(step, 'uses'), where))
    problems.push(...checkRun(file, child(step, 'run'), where))
    facts.steps.push({
      id: scalarText(child(step, 'id')),
      uses: scalarText(child(step, 'uses')),
      if: scalarText(child(step, 'if')),
      run: scalarText(child(step, 'run')),
      env: textMap(child(step, 'env')),
      with: textMap(child(step, 'with'))
    })
  })
  return { problems, facts }
}
