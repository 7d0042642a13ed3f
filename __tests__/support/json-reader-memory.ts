/**
 * Child process of json-reader-memory.test.ts (and a measurement on its own):
 *   node --import tsx __tests__/support/json-reader-memory.ts <scenario>
 * feeds a ~100 MB answer, generated as it goes into one reused 64 KiB chunk (the whole answer is
 * never held), through a reader, then prints one JSON line: what the reader made of it, how much
 * it read and buffered, and the process's RSS now and at its peak.
 */
import { listReader, valueReader, type JsonReader } from '../../src/cloud/json-reader.js'

const MiB = 1024 * 1024
const TOTAL = 100 * 1000 * 1000
const CHUNK = 64 * 1024

/** Copies what it is given into one chunk and writes the chunk to the reader each time it is full. */
class ChunkedFeed {
  written = 0
  private readonly chunk = Buffer.alloc(CHUNK)
  private used = 0

  constructor(private readonly reader: JsonReader<unknown>) {}

  add(bytes: Buffer): void {
    for (let at = 0; at < bytes.length;) {
      const copied = bytes.copy(this.chunk, this.used, at)
      at += copied
      this.used += copied
      if (this.used === CHUNK) this.flush()
    }
  }

  /** `count` bytes, `block` over and over. */
  repeat(block: Buffer, count: number): void {
    for (let left = count; left > 0; left -= block.length) this.add(left >= block.length ? block : block.subarray(0, left))
  }

  flush(): void {
    if (this.used === 0) return
    this.reader.write(this.chunk.subarray(0, this.used))
    this.written += this.used
    this.used = 0
  }
}

/** A snapshot of about 1 KB as the list call returns it. */
function snapshot(i: number): string {
  const id = `5f0a3c1e-9b7d-4e2a-8c6f-${String(i).padStart(12, '0')}`
  return JSON.stringify({
    id,
    name: `daily-${i}`,
    description: `Nightly snapshot ${i} — taken before the load ✓ `.padEnd(800, 'x'),
    started: '2026-11-28T05:47:35Z',
    finished: '2026-11-28T06:47:35Z',
    size: 12.5,
    status: 'AVAILABLE',
    type: 'MANUAL',
    cluster_id: '8d4a8c21-0b5e-4f3a-9c1d-2e7f6a5b4c3d'
  })
}

type Scenario = (feed: (reader: JsonReader<unknown>, fill: (feed: ChunkedFeed) => void) => unknown) => unknown

const byName = (wanted: string) => (item: unknown) => {
  const name = (item as { name?: unknown }).name
  return typeof name === 'string' && name.toLowerCase() === wanted ? { name, id: (item as { id?: unknown }).id } : undefined
}

const listLimits = { maxItemBytes: 64 * 1024, maxScalarBytes: 64 * 1024 }

const SCENARIOS: Record<string, Scenario> = {
  /** 100 000 snapshots of ~1 KB, the name check keeping the one that matches. */
  list: (feed) =>
    feed(listReader({ list: { key: 'snapshots', keep: byName('daily-77777') }, ...listLimits }), (out) => {
      out.add(Buffer.from('{"snapshots":['))
      for (let i = 0; i < 100_000; i++) out.add(Buffer.from(i === 0 ? snapshot(i) : `,${snapshot(i)}`))
      out.add(Buffer.from('],"count":100000}'))
    }),
  /** 100 MB of whitespace before a small answer. */
  whitespace: (feed) =>
    feed(listReader({ list: { key: 'snapshots', keep: byName('x') }, ...listLimits }), (out) => {
      out.repeat(Buffer.alloc(CHUNK, ' \r\n\t'), TOTAL)
      out.add(Buffer.from('{"snapshots":[],"count":0}'))
    }),
  /** A string of 100 MB where the list should be: checked to its end, never held. */
  'string in a list answer': (feed) =>
    feed(listReader({ list: { key: 'snapshots', keep: byName('x') }, ...listLimits }), (out) => {
      out.add(Buffer.from('{"snapshots":"'))
      out.repeat(Buffer.alloc(CHUNK, 'aé€😀'), TOTAL)
      out.add(Buffer.from('","count":0}'))
    }),
  /** The same string as a single-object answer: refused once it passes the 1 MiB cap. */
  'string as a single object': (feed) =>
    feed(valueReader({ maxValueBytes: MiB }), (out) => {
      out.add(Buffer.from('{"snapshot":{"name":"'))
      out.repeat(Buffer.alloc(CHUNK, 'aé€😀'), TOTAL)
      out.add(Buffer.from('"}}'))
    })
}

const name = process.argv[2] ?? ''
const scenario = SCENARIOS[name]
if (scenario === undefined) {
  process.stderr.write(`unknown scenario '${name}': one of ${Object.keys(SCENARIOS).join(', ')}\n`)
  process.exit(2)
}
const rssAtStart = process.memoryUsage().rss
const started = performance.now()
let stats = { received: 0, maxBuffered: 0 }
const outcome = scenario((reader, fill) => {
  stats = reader.stats
  const out = new ChunkedFeed(reader)
  try {
    fill(out)
    out.flush()
    return { answer: reader.end() }
  } catch (error) {
    return { error: { name: (error as Error).name, message: (error as Error).message } }
  }
})
const ms = performance.now() - started
process.stdout.write(
  `${JSON.stringify({
    scenario: name,
    outcome,
    received: stats.received,
    maxBuffered: stats.maxBuffered,
    ms: Math.round(ms),
    rssAtStart,
    rss: process.memoryUsage().rss,
    maxRss: process.resourceUsage().maxRSS * 1024
  })}\n`
)
