/**
 * The runner binding speaks the runner's protocol itself (src/action/runner/commands.ts): every
 * line and file block it writes is checked here against @actions/core's own, the oracle, for
 * values chosen to break an escape (%, line breaks, ':' and ',' in a title, a forged `::command`).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { jest } from '@jest/globals'
import * as core from '@actions/core'
import { runnerIO } from '../src/action/runner/io.js'

const TRICKY = [
  'plain',
  '',
  '100% done, 50%0A not a break',
  'two\nlines\r\nand a carriage\rreturn',
  'title: with, commas: and colons',
  '::error::forged command',
  'ünïcödé ✅ 日本',
  '%25 already escaped %0D'
]

let dir: string
let saved: NodeJS.ProcessEnv
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runner-io-'))
  saved = { ...process.env }
})
afterEach(() => {
  process.env = saved
  rmSync(dir, { recursive: true, force: true })
  jest.restoreAllMocks()
})

/** What `act` writes to stdout. */
function stdoutOf(act: () => void): string {
  let written = ''
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written += String(chunk)
    return true
  })
  try {
    act()
  } finally {
    jest.restoreAllMocks()
  }
  return written
}

/** A fresh, empty file named by `variable` in process.env. */
function freshFile(variable: string): string {
  const path = join(dir, `${variable}-${Math.random()}`)
  writeFileSync(path, '')
  process.env[variable] = path
  return path
}

const sameDelimiter = (text: string): string => text.replace(/ghadelimiter_[0-9a-f-]{36}/g, 'ghadelimiter_X')

describe('workflow commands on stdout, line for line as @actions/core writes them', () => {
  test.each(TRICKY)('annotations, with and without a title: %j', (text) => {
    const io = runnerIO(process.env)
    for (const level of ['error', 'warning', 'notice'] as const) {
      // An empty title is no title (@actions/core would write `::error ::`, which the runner reads the same).
      const title = text || undefined
      expect(stdoutOf(() => io[level](text, title))).toBe(stdoutOf(() => core[level](text, title ? { title } : {})))
      expect(stdoutOf(() => io[level](text))).toBe(stdoutOf(() => core[level](text)))
    }
  })

  test.each(TRICKY)('mask, debug and plain log lines: %j', (text) => {
    const io = runnerIO(process.env)
    expect(stdoutOf(() => io.setSecret(text))).toBe(stdoutOf(() => core.setSecret(text)))
    expect(stdoutOf(() => io.debug(text))).toBe(stdoutOf(() => core.debug(text)))
    expect(stdoutOf(() => io.info(text))).toBe(stdoutOf(() => core.info(text)))
  })

  test('a forged command inside a message never starts a line of its own', () => {
    const out = stdoutOf(() => runnerIO(process.env).error('x\n::add-mask::y\r\n::error::z', 'a\n::warning::b'))
    expect(out.split('\n').filter((line) => line.startsWith('::'))).toHaveLength(1)
  })
})

describe('outputs and state: the file blocks @actions/core writes, or its stdout commands without a file', () => {
  test.each(TRICKY)('setOutput and saveState to the runner’s files: %j', (value) => {
    const ours = { outputs: freshFile('GITHUB_OUTPUT'), state: freshFile('GITHUB_STATE') }
    const io = runnerIO(process.env)
    io.setOutput('snapshot_id', value)
    io.saveState('cluster', value)
    const theirs = { outputs: freshFile('GITHUB_OUTPUT'), state: freshFile('GITHUB_STATE') }
    core.setOutput('snapshot_id', value)
    core.saveState('cluster', value)
    expect(sameDelimiter(readFileSync(ours.outputs, 'utf8'))).toBe(sameDelimiter(readFileSync(theirs.outputs, 'utf8')))
    expect(sameDelimiter(readFileSync(ours.state, 'utf8'))).toBe(sameDelimiter(readFileSync(theirs.state, 'utf8')))
  })

  test('each block has its own delimiter', () => {
    const path = freshFile('GITHUB_OUTPUT')
    const io = runnerIO(process.env)
    io.setOutput('a', '1')
    io.setOutput('b', '2')
    const delimiters = readFileSync(path, 'utf8').match(/ghadelimiter_[0-9a-f-]{36}/g) ?? []
    expect(delimiters).toHaveLength(4)
    expect(new Set(delimiters).size).toBe(2)
  })

  test('without the runner’s files: the stdout commands', () => {
    delete process.env.GITHUB_OUTPUT
    delete process.env.GITHUB_STATE
    const io = runnerIO(process.env)
    for (const value of TRICKY) {
      expect(stdoutOf(() => io.setOutput('out', value))).toBe(stdoutOf(() => core.setOutput('out', value)))
      expect(stdoutOf(() => io.saveState('st', value))).toBe(stdoutOf(() => core.saveState('st', value)))
    }
  })
})

describe('what the runner gives the step', () => {
  test('inputs (spaces, case, surrounding blanks) and state read as @actions/core reads them', () => {
    Object.assign(process.env, { INPUT_CLUSTER_ID: '  abc \n', INPUT_NAME_TEMPLATE: 'x', STATE_cluster: '{"id":"1"}' })
    const io = runnerIO(process.env)
    for (const name of ['cluster_id', 'CLUSTER_ID', 'name template', 'absent']) expect(io.getInput(name)).toBe(core.getInput(name))
    expect(io.getState('cluster')).toBe(core.getState('cluster'))
    expect(io.getState('absent')).toBe('')
  })

  test.each([
    ['1', true],
    ['0', false],
    ['true', false]
  ])('RUNNER_DEBUG=%s: debug %s, as @actions/core says', (value, debug) => {
    process.env.RUNNER_DEBUG = value
    expect(runnerIO({ RUNNER_DEBUG: value }).isDebug()).toBe(debug)
    expect(core.isDebug()).toBe(debug)
  })

  test('the job summary is appended to, and left alone where the runner gives none', async () => {
    const path = join(dir, 'summary.md')
    writeFileSync(path, '# before\n')
    await runnerIO({ GITHUB_STEP_SUMMARY: path }).appendSummary('### after\n')
    runnerIO({ GITHUB_STEP_SUMMARY: path }).appendSummarySync('sync\n')
    expect(readFileSync(path, 'utf8')).toBe('# before\n### after\nsync\n')
    await expect(runnerIO({}).appendSummary('x')).resolves.toBeUndefined()
  })
})
