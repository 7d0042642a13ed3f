/**
 * Where this action lives, as the runner names it: the annotation's link to its section of the
 * troubleshooting guide (in this action's repository, at the ref the workflow used, so the page
 * matches the code that ran), and the restore action beside it. Pure: the caller passes the env.
 */
import type { Env } from '../runner/io.js'

/** The guide, from the repository's root: one section per annotation title. */
export const TROUBLESHOOTING_FILE = 'docs/TROUBLESHOOTING.md'

/** owner/name as GitHub spells it */
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/
/** a tag, a branch or a commit SHA; nothing that could end the URL or start a query */
const REF = /^[A-Za-z0-9_./-]+$/
const SERVER = /^https:\/\/[A-Za-z0-9.-]+(:\d+)?$/

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to '-'. */
export function headingAnchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

/**
 * A link to the title's section. The runner names the action's repository and ref for `uses: owner/repo@ref`
 * (GITHUB_ACTION_REPOSITORY, GITHUB_ACTION_REF); without them (a local `uses: ./`, a run by hand), the
 * file and section are named instead.
 */
export function troubleshootingLink(env: Env, title: string): string {
  const source = actionSource(env)
  const server = (env.GITHUB_SERVER_URL ?? '').replace(/\/+$/, '') || 'https://github.com'
  if (source && SERVER.test(server))
    return `${server}/${source.repository}/blob/${source.ref}/${TROUBLESHOOTING_FILE}#${headingAnchor(title)}`
  return `${TROUBLESHOOTING_FILE}, section '${title}', in this action's repository`
}

/** The restore action's `uses:` for a workflow that runs this one as `uses: owner/repo@ref`; a placeholder otherwise. */
export function restoreUses(env: Env): string {
  const source = actionSource(env)
  return source ? `${source.repository}/restore@${source.ref}` : '<owner>/dws-snapshot-action/restore@v1'
}

/** The repository and ref the runner took this action from, when both are plain enough to write into a link or a workflow. */
function actionSource(env: Env): { repository: string; ref: string } | undefined {
  const repository = env.GITHUB_ACTION_REPOSITORY ?? ''
  const ref = env.GITHUB_ACTION_REF ?? ''
  return REPOSITORY.test(repository) && REF.test(ref) && !ref.includes('..') ? { repository, ref } : undefined
}
