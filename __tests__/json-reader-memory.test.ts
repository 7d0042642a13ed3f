/**
 * The readers' memory does not grow with the answer: ~100 MB answers, generated as they are fed in
 * 64 KiB chunks, go through a reader in a child process whose peak RSS must stay under 150 MB (a
 * bound, not a time). The child runs under tsx's loader, with which it starts at ~80 MB on this
 * machine (plain Node: ~40 MB).
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CHILD = join(ROOT, '__tests__', 'support', 'json-reader-memory.ts')
const MB = 1000 * 1000
const PEAK_RSS_LIMIT = 150 * 1024 * 1024

interface Report {
  outcome: { answer?: unknown; error?: { name: string; message: string } }
  received: number
  maxBuffered: number
  rss: number
  maxRss: number
}

function run(scenario: string): Report {
  // Without jest's NODE_OPTIONS: a plain Node process with the tsx loader.
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, scenario], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 })
  if (child.status !== 0) throw new Error(`the child failed (${child.status ?? child.signal}): ${child.stderr}`)
  return JSON.parse(child.stdout) as Report
}

describe('peak RSS with ~100 MB answers read through the readers', () => {
  test('100 000 snapshots of ~1 KB: all read, one kept, one item buffered at a time', () => {
    const report = run('list')
    expect(report.outcome.answer).toMatchObject({ items: 100_000, kept: [{ name: 'daily-77777' }], scalars: { count: 100_000 } })
    expect(report.received).toBeGreaterThan(100 * MB)
    expect(report.maxBuffered).toBeLessThanOrEqual(4096)
    expect(report.maxRss).toBeLessThan(PEAK_RSS_LIMIT)
  })

  test('100 MB of whitespace before a small answer: read to the end, nothing of it buffered', () => {
    const report = run('whitespace')
    expect(report.outcome.answer).toMatchObject({ listType: 'array', items: 0, scalars: { count: 0 } })
    expect(report.received).toBeGreaterThanOrEqual(100 * MB)
    expect(report.maxBuffered).toBeLessThanOrEqual(1024)
    expect(report.maxRss).toBeLessThan(PEAK_RSS_LIMIT)
  })

  test('a 100 MB string where the list should be: checked to its end, never buffered', () => {
    const report = run('string in a list answer')
    expect(report.outcome.answer).toMatchObject({ listType: 'string', items: 0, scalars: { count: 0 } })
    expect(report.received).toBeGreaterThanOrEqual(100 * MB)
    expect(report.maxBuffered).toBeLessThanOrEqual(1024)
    expect(report.maxRss).toBeLessThan(PEAK_RSS_LIMIT)
  })

  test('a 100 MB string in a single-object answer: refused at the 1 MiB cap, the rest never read', () => {
    const report = run('string as a single object')
    expect(report.outcome.error).toEqual({
      name: 'AnswerTooLargeError',
      message: 'the answer (whitespace aside) is larger than 1 MiB (the cap was passed at byte 1048576)'
    })
    // Stopped in the chunk that passed the cap.
    expect(report.received).toBeLessThanOrEqual(1024 * 1024 + 64 * 1024)
    expect(report.maxBuffered).toBe(1024 * 1024)
    expect(report.maxRss).toBeLessThan(PEAK_RSS_LIMIT)
  })
})
