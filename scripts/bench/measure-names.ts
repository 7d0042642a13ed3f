/**
 * 8. The name check in a large project: one create without waiting (the bundle, real time) in a
 * project of 0, 10 000 and 50 000 snapshots of real size (about LIST_ITEM_BYTES each in the list),
 * wall time and peak RSS. The emulator's own time to build and send the list is measured apart,
 * so that what the action adds can be told from what the server costs.
 */
import { request } from 'node:http'
import { performance } from 'node:perf_hooks'
import { EMULATOR_DEFAULTS as D, startEmulator, type Emulator } from '../../emulator/index.js'
import { signRequest } from '../../src/cloud/signer.js'
import { actionCreate } from './action-runs.js'
import type { RunChild } from './child.js'
import { fail } from './fail.js'
import { LIST_ITEM_BYTES, NAME_CHECK_RUNS, NAME_CHECK_SIZES } from './settings.js'

export interface NameCheckSize {
  snapshots: number
  /** bytes of the list answer */
  listBytes: number
  /** the emulator building and sending the list to a client that only counts the bytes, ms */
  serverMs: number[]
  wallMs: number[]
  rssKb: number[]
}

export async function measureNameCheck(runChild: RunChild): Promise<NameCheckSize[]> {
  console.log(`Measuring the name check in projects of ${NAME_CHECK_SIZES.join(', ')} snapshots (${NAME_CHECK_RUNS} runs each)...`)
  const sizes: NameCheckSize[] = []
  for (const count of NAME_CHECK_SIZES) {
    const emulator = await startEmulator({ creatingMs: 0 })
    try {
      seed(emulator, count)
      const size: NameCheckSize = { snapshots: count, listBytes: 0, serverMs: [], wallMs: [], rssKb: [] }
      for (let i = 0; i < NAME_CHECK_RUNS; i++) {
        const served = await fetchList(emulator)
        size.listBytes = served.bytes
        size.serverMs.push(served.ms)
        const { run } = await actionCreate(runChild, emulator, true)
        if (run.rssKb === undefined) fail('peak RSS could not be read')
        size.wallMs.push(run.wallMs)
        size.rssKb.push(run.rssKb)
      }
      sizes.push(size)
    } finally {
      await emulator.close()
    }
  }
  return sizes
}

/** Snapshots of other names, each about LIST_ITEM_BYTES in the list (the description pads it). */
function seed(emulator: Emulator, count: number): void {
  const padding = 'x'.repeat(Math.max(0, LIST_ITEM_BYTES - 250))
  for (let i = 0; i < count; i++) emulator.addSnapshot({ name: `seeded-${String(i).padStart(6, '0')}`, description: padding, sizeGb: 12.5 })
}

/** One signed list call from here, reading the bytes without parsing them. */
function fetchList(emulator: Emulator): Promise<{ bytes: number; ms: number }> {
  const url = new URL(`/v1.0/${D.projectId}/snapshots`, emulator.url)
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Project-Id': D.projectId }
  Object.assign(headers, signRequest({ method: 'GET', url, headers, body: '' }, D, new Date()))
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      let bytes = 0
      res.on('data', (chunk: Buffer) => (bytes += chunk.length))
      res.on('end', () => resolve({ bytes, ms: performance.now() - started }))
    })
    req.on('error', reject)
    req.end()
  })
}
