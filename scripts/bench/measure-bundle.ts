/**
 * 1. Bundle size: dist/index.js and each chunk, and which of them start-up loads — proved by running
 * a copy of dist/ WITHOUT its chunks, which must still reach input validation.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { RunChild } from './child.js'
import { DIST, WORK } from './settings.js'

interface BundleRow {
  file: string
  size: number
  gzip: number
  when: 'start-up' | 'lazy, verified' | 'start-up?'
}

export interface BundleFigures {
  rows: BundleRow[]
  chunks: string[]
  chunksLazy: boolean
  startupBytes: number
  totalBytes: number
  refStartupBytes: number
  refCreateBytes: number
}

/** The action's first line when it stops at input validation (no inputs given). */
export const STOPPED_AT_INPUTS = /Input 'cluster_id'/

export async function measureBundle(runChild: RunChild, references: { startup: string; create: string }): Promise<BundleFigures> {
  const distFiles = readdirSync(DIST)
    .filter((f) => f.endsWith('.js'))
    .sort((a, b) => (a === 'index.js' ? -1 : b === 'index.js' ? 1 : a.localeCompare(b)))
  const chunks = distFiles.filter((f) => f !== 'index.js')
  const chunksLazy = await startsWithoutChunks(runChild)
  const rows: BundleRow[] = distFiles.map((f) => {
    const bytes = readFileSync(join(DIST, f))
    const when = f === 'index.js' ? 'start-up' : chunksLazy ? 'lazy, verified' : 'start-up?'
    return { file: `dist/${f}`, size: bytes.length, gzip: gzipSync(bytes).length, when }
  })
  return {
    rows,
    chunks,
    chunksLazy,
    startupBytes: rows.filter((r) => r.when === 'start-up' || r.when === 'start-up?').reduce((a, r) => a + r.size, 0),
    totalBytes: rows.reduce((a, r) => a + r.size, 0),
    refStartupBytes: statSync(references.startup).size,
    refCreateBytes: statSync(references.create).size
  }
}

async function startsWithoutChunks(runChild: RunChild): Promise<boolean> {
  const probe = join(WORK, 'probe-no-chunks')
  rmSync(probe, { recursive: true, force: true })
  mkdirSync(probe, { recursive: true })
  // Everything but the chunks: the bundle, its package.json and its assets (its action-inputs.yml).
  for (const file of readdirSync(DIST)) {
    const path = join(DIST, file)
    if (statSync(path).isFile() && (file === 'index.js' || !file.endsWith('.js'))) copyFileSync(path, join(probe, file))
  }
  const run = await runChild(join(probe, 'index.js'))
  return run.code === 1 && STOPPED_AT_INPUTS.test(run.stdout) && !/Cannot find module|ERR_MODULE_NOT_FOUND/.test(run.stderr)
}
