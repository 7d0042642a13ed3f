/**
 * What a newcomer meets first, unit by unit: the hint for an empty required input, the warning for an
 * input the action does not know, titles that name the action and link to their section of
 * TROUBLESHOOTING.md, which has a section for every title.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { InputError } from '../src/action/inputs/input-error.js'
import { readSnapshotConfig } from '../src/action/inputs/snapshot.js'
import {
  closestInput as closestOf,
  emptyInputHint as hintOf,
  unknownInputMessage as messageOf,
  unknownInputs as unknownOf
} from '../src/action/inputs/unknown.js'
import { describeFailure } from '../src/action/report/failure.js'
import { renderSummary } from '../src/action/report/snapshot-summary.js'
import { annotationTitle, FAILURE_TITLES, requestTitle } from '../src/action/report/titles.js'
import { headingAnchor, troubleshootingLink } from '../src/action/report/troubleshooting.js'
import type { Env } from '../src/action/runner/io.js'
import { DWS } from '../src/dws/operations.js'
import { editDistance } from '../src/kernel/did-you-mean.js'
import { SNAPSHOT_METADATA, snapshotInputs } from './support/inputs.js'
import { typescriptFiles } from './support/source-io.js'

/** The snapshot action's declared inputs, as its action.yml lists them. */
const KNOWN_INPUTS = SNAPSHOT_METADATA.inputs
const unknownInputs = (env: Env) => unknownOf(env, KNOWN_INPUTS)
const unknownInputMessage = (input: { name: string; suggestion?: string }) => messageOf(input, KNOWN_INPUTS)
const closestInput = (name: string) => closestOf(name, KNOWN_INPUTS)
const emptyInputHint = (env: Env, what: string, inputs: string[]) => hintOf(env, KNOWN_INPUTS, what, inputs)

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CLUSTER = '8d4a8c21-0b5e-4f3a-9c1d-2e7f6a5b4c3d'

function inputErrorOf(inputs: Record<string, string>, env: Env = {}): InputError {
  try {
    readSnapshotConfig(snapshotInputs(inputs), env)
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

describe('an empty required input names the usual causes', () => {
  test('cluster_id: undefined vars./secrets., forks and Dependabot', () => {
    const error = inputErrorOf({ region: 'cn-north-4', access_key_id: 'AK', secret_access_key: 'SK' })
    expect(error.message).toBe(
      "Input 'cluster_id': is required but empty: give the ID (UUID) of the DWS cluster to snapshot (or several, one per line), or cluster_name"
    )
    expect(error.hint).toMatch(
      /^If cluster_id comes from \$\{\{ vars\.NAME \}\} or \$\{\{ secrets\.NAME \}\}, that variable or secret is not defined/
    )
    expect(error.hint).toMatch(/pull request from a fork/)
    expect(error.hint).toMatch(/Dependabot runs see only Dependabot secrets/)
    expect(describeFailure(error)).toMatchObject({ title: 'Invalid input', hint: error.hint })
  })

  test('the credentials: the same causes, naming a credential', () => {
    const error = inputErrorOf({ cluster_id: CLUSTER, region: 'cn-north-4' })
    expect(error.message).toMatch(/^Input 'access_key_id': no credentials/)
    expect(error.hint).toMatch(/^If a credential comes from \$\{\{ vars\.NAME \}\}/)
  })

  test('a Dependabot run is told where its secrets live; a pull request run that forks get none', () => {
    expect(emptyInputHint({ GITHUB_ACTOR: 'dependabot[bot]' }, 'cluster_id', ['cluster_id'])).toMatch(
      /This run was started by Dependabot: store the secret under Settings > Secrets and variables > Dependabot\.$/
    )
    expect(emptyInputHint({ GITHUB_ACTOR: 'octocat', GITHUB_TRIGGERING_ACTOR: 'dependabot[bot]' }, 'x', [])).toMatch(
      /started by Dependabot/
    )
    expect(emptyInputHint({ GITHUB_EVENT_NAME: 'pull_request' }, 'cluster_id', ['cluster_id'])).toMatch(
      /This run is for a pull request: if it comes from a fork/
    )
    const plain = emptyInputHint({ GITHUB_EVENT_NAME: 'push', GITHUB_ACTOR: 'octocat' }, 'cluster_id', ['cluster_id'])
    expect(plain).not.toMatch(/This run/)
  })

  test('a misspelt input given instead is named first', () => {
    const env = { INPUT_CLUSTERID: CLUSTER, 'INPUT_SECRET-ACCESS-KEY': 'x', INPUT_COLOUR: 'red' }
    const clusterHint = inputErrorOf({ region: 'cn-north-4', access_key_id: 'AK', secret_access_key: 'SK' }, env).hint
    expect(clusterHint).toMatch(
      /^The step has an input 'clusterid', which this action does not know: did you mean 'cluster_id'\? If cluster_id comes from/
    )
    const credentialHint = inputErrorOf({ cluster_id: CLUSTER, region: 'cn-north-4' }, env).hint
    expect(credentialHint).toMatch(
      /^The step has an input 'secret-access-key', which this action does not know: did you mean 'secret_access_key'\? If a credential/
    )
    expect(credentialHint).not.toMatch(/clusterid|colour/)
  })

  test('other input errors carry no hint', () => {
    expect(inputErrorOf({ cluster_id: 'prod' }).hint).toBe('')
  })
})

describe('inputs the action does not know', () => {
  test('a dash for an underscore, a missing underscore: the declared input is suggested', () => {
    const env = { 'INPUT_WAIT-TIMEOUT': '2h', INPUT_CLUSTERID: CLUSTER, INPUT_WAIT_TIMEOUT: '1h', INPUT_NAME: 'x', PATH: '/bin' }
    expect(unknownInputs(env)).toEqual([
      { name: 'clusterid', suggestion: 'cluster_id' },
      { name: 'wait-timeout', suggestion: 'wait_timeout' }
    ])
  })

  test('declared inputs, other variables and a bare INPUT_ are not reported', () => {
    const env: Env = { INPUT_: 'x', INPUTS: 'x', MY_INPUT_X: 'x' }
    for (const input of KNOWN_INPUTS) env[`INPUT_${input.toUpperCase()}`] = ''
    expect(unknownInputs(env)).toEqual([])
  })

  test('a name far from every input gets the list of inputs instead of a guess', () => {
    expect(unknownInputs({ INPUT_COLOUR: 'red' })).toEqual([{ name: 'colour' }])
    expect(unknownInputMessage({ name: 'colour' })).toBe(
      `Input 'colour' is not an input of this action, so its value is ignored. The inputs are: ${KNOWN_INPUTS.join(', ')}.`
    )
  })

  test('the warning names the input meant', () => {
    expect(unknownInputMessage({ name: 'wait-timeout', suggestion: 'wait_timeout' })).toBe(
      "Input 'wait-timeout' is not an input of this action, so its value is ignored: did you mean 'wait_timeout'? Rename it in the step's with:."
    )
  })

  test.each<[string, string | undefined]>([
    ['wait-timeout', 'wait_timeout'],
    ['WAIT TIMEOUT', 'wait_timeout'],
    ['clusterid', 'cluster_id'],
    ['clsuter_id', 'cluster_id'],
    ['regoin', 'region'],
    ['max_attempt', 'max_attempts'],
    ['poll-intervall', 'poll_interval'],
    ['if-exist', 'if_exists'],
    ['dryrun', 'dry_run'],
    ['timeout', undefined],
    ['secret_key', undefined],
    ['ab', undefined]
  ])('closest input to %s: %s', (given, expected) => {
    expect(closestInput(given)).toBe(expected)
  })

  test('edit distance: insertions, deletions, substitutions, neighbours swapped', () => {
    expect(editDistance('', 'abc')).toBe(3)
    expect(editDistance('abc', '')).toBe(3)
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(editDistance('ab', 'ba')).toBe(1)
    expect(editDistance('region', 'region')).toBe(0)
  })
})

describe('titles name the action and link to their section', () => {
  test('the annotation title is the action name, a colon, and the title', () => {
    expect(annotationTitle('DWS snapshot', 'Invalid input')).toBe('DWS snapshot: Invalid input')
    expect(annotationTitle('DWS snapshot', requestTitle(DWS.listSnapshots, 'kept failing'))).toBe(
      'DWS snapshot: List snapshots kept failing'
    )
  })

  test('the link points into the action repository at the ref the workflow used', () => {
    const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_ACTION_REPOSITORY: 'acme/dws-snapshot-action', GITHUB_ACTION_REF: 'v1' }
    expect(troubleshootingLink(env, 'Invalid input')).toBe(
      'https://github.com/acme/dws-snapshot-action/blob/v1/docs/TROUBLESHOOTING.md#invalid-input'
    )
    expect(
      troubleshootingLink({ ...env, GITHUB_SERVER_URL: 'https://ghe.example.com/', GITHUB_ACTION_REF: 'a'.repeat(40) }, 'Cluster busy')
    ).toBe(`https://ghe.example.com/acme/dws-snapshot-action/blob/${'a'.repeat(40)}/docs/TROUBLESHOOTING.md#cluster-busy`)
    expect(troubleshootingLink({ GITHUB_ACTION_REPOSITORY: 'acme/x', GITHUB_ACTION_REF: 'main' }, 'Cluster busy')).toBe(
      'https://github.com/acme/x/blob/main/docs/TROUBLESHOOTING.md#cluster-busy'
    )
  })

  test('without a usable repository or ref (uses: ./, a run by hand, odd values) the file and section are named', () => {
    const named = "docs/TROUBLESHOOTING.md, section 'Cluster busy', in this action's repository"
    expect(troubleshootingLink({}, 'Cluster busy')).toBe(named)
    expect(troubleshootingLink({ GITHUB_ACTION_REPOSITORY: '', GITHUB_ACTION_REF: '' }, 'Cluster busy')).toBe(named)
    expect(troubleshootingLink({ GITHUB_ACTION_REPOSITORY: 'acme/x', GITHUB_ACTION_REF: 'v1?x=1' }, 'Cluster busy')).toBe(named)
    expect(troubleshootingLink({ GITHUB_ACTION_REPOSITORY: 'acme/x', GITHUB_ACTION_REF: '../../evil' }, 'Cluster busy')).toBe(named)
    expect(troubleshootingLink({ GITHUB_ACTION_REPOSITORY: 'acme/x y', GITHUB_ACTION_REF: 'v1' }, 'Cluster busy')).toBe(named)
    const http = { GITHUB_SERVER_URL: 'http://evil.example', GITHUB_ACTION_REPOSITORY: 'acme/x', GITHUB_ACTION_REF: 'v1' }
    expect(troubleshootingLink(http, 'Cluster busy')).toBe(named)
  })

  test('GitHub heading anchors', () => {
    expect(headingAnchor('Invalid input')).toBe('invalid-input')
    expect(headingAnchor('Look up project kept failing')).toBe('look-up-project-kept-failing')
    expect(headingAnchor('Sign in (keyless): step 1')).toBe('sign-in-keyless-step-1')
  })

  test('the summary links the section; a named file stays text', () => {
    const report = { clusterId: CLUSTER, dryRun: false, elapsedMs: 0, requests: 0, retries: 0 }
    const url = 'https://github.com/acme/dws_snapshot/blob/v1/docs/TROUBLESHOOTING.md#cluster-busy'
    const linked = renderSummary({ ...report, error: { title: 'Cluster busy', message: 'm', hint: 'h', help: url } })
    expect(linked).toContain(`**Troubleshooting:** [TROUBLESHOOTING.md](${url})`)
    const text = renderSummary({ ...report, error: { title: 'Cluster busy', message: 'm', hint: '', help: 'https://x/ [a](b)' } })
    expect(text).toContain('**Troubleshooting:** https://x/ \\[a\\](b)')
  })
})

describe('the list of titles keeps up with the source', () => {
  const files = typescriptFiles(join(ROOT, 'src'))

  test('every failure title is used outside the list', () => {
    const elsewhere = files
      .filter((f) => !f.endsWith(join('report', 'titles.ts')))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n')
    for (const title of FAILURE_TITLES) expect({ title, used: elsewhere.includes(`'${title}'`) }).toEqual({ title, used: true })
  })
})
