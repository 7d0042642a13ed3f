/**
 * Memory that does not grow with the answer: the bundle, run as the runner runs it, meets a 100 MB
 * answer to one call at a time (JSON padded with whitespace, one huge string, ~100 000 list items),
 * streamed by the emulator without holding it. Each run must end with one clear error naming the
 * call and the size (or, for the create, find the snapshot its lost answer made), with a peak RSS
 * far below the answer's size. A memory bound, asserted in a child process; no time is asserted.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FloodShape, RouteName } from '../emulator/index.js'
import { emu, errors, expectNoSecrets, run, start } from './support/e2e-harness.js'

const HUNDRED_MB = 100 * 1024 * 1024
/** The bound the issue sets for a 100 MB answer. */
const PEAK_RSS_BYTES = 150 * 1024 * 1024

let dir: string
let preload: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dws-memory-'))
  preload = join(dir, 'rss.mjs')
  // Written at exit, whatever the exit: the peak resident set of the whole process.
  writeFileSync(
    preload,
    "import { writeFileSync } from 'node:fs'\nprocess.on('exit', () => writeFileSync(process.env.RSS_FILE, String(process.resourceUsage().maxRSS * 1024)))\n"
  )
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))
afterEach(async () => {
  await emu?.close()
})

async function floodRun(route: RouteName, shape: FloodShape, inputs: Record<string, string> = {}) {
  await start()
  emu.inject(route, { kind: 'flood', bytes: HUNDRED_MB, shape })
  const rssFile = join(dir, `${route}-${shape}.rss`)
  const given: Record<string, string> = { wait: 'false', ...inputs }
  // The IAM endpoint is the emulator's too (the harness names the project, so none is looked up).
  if (given.iam_endpoint === '') given.iam_endpoint = emu.url
  const result = await run(given, { preload, env: { RSS_FILE: rssFile }, timeoutMs: 60_000 })
  expectNoSecrets(result)
  const peak = Number(readFileSync(rssFile, 'utf8'))
  return { result, peak }
}

describe('a 100 MB answer to any call', () => {
  test.each<[RouteName, FloodShape, RegExp]>([
    ['list', 'whitespace', /^List snapshots failed: the answer from [\d.:]+ (is|was) .*larger than 64 MiB/],
    ['list', 'string', /^List snapshots failed: the answer from [\d.:]+ (is|was) .*larger than 64 MiB/],
    ['list', 'items', /^List snapshots failed: the answer from [\d.:]+ (is|was) .*larger than 64 MiB/]
  ])('the project’s snapshot list, %s, as %s: one clear error, bounded memory', async (route, shape, message) => {
    const { result, peak } = await floodRun(route, shape)
    expect(result.code).toBe(1)
    expect(errors(result)).toHaveLength(1)
    expect(errors(result)[0]!.message).toMatch(message)
    expect(peak).toBeLessThan(PEAK_RSS_BYTES)
  })

  test.each<[RouteName, FloodShape, Record<string, string>, RegExp]>([
    ['projects', 'whitespace', { project_id: '', iam_endpoint: '' }, /^Look up project failed: .*is larger than 1 MiB/],
    ['clusters', 'items', { cluster_id: '', cluster_name: 'emulator-cluster' }, /^List clusters failed: .*larger than 64 MiB/],
    ['cluster', 'string', { dry_run: 'true' }, /^Get cluster failed: .*is larger than 1 MiB/],
    ['details', 'string', { wait: 'true' }, /^Get snapshot failed: .*is larger than 1 MiB/]
  ])('%s as %s: one clear error naming the call and the size, bounded memory', async (route, shape, inputs, message) => {
    const { result, peak } = await floodRun(route, shape, inputs)
    expect(result.code).toBe(1)
    expect(errors(result)).toHaveLength(1)
    expect(errors(result)[0]!.message).toMatch(message)
    expect(peak).toBeLessThan(PEAK_RSS_BYTES)
  })

  test('the create: its answer is too large to read, so the snapshot it made is found by name, never made twice', async () => {
    const { result, peak } = await floodRun('create', 'whitespace')
    expect(errors(result)).toEqual([])
    expect(result.code).toBe(0)
    expect(emu.snapshots()).toHaveLength(1)
    expect(result.outputs.snapshot_id).toBe(emu.snapshots()[0]!.id)
    expect(peak).toBeLessThan(PEAK_RSS_BYTES)
  })
})
