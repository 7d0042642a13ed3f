import { redactor } from '../src/redact.js'
import { renderSummary, type RunReport } from '../src/summary.js'

describe('redactor', () => {
  const redact = redactor(['AKSECRET', 'SK/with+chars=', 'tok', ''])
  test('replaces every secret, raw and URL-encoded, and leaves other text alone', () => {
    expect(redact('a AKSECRET b SK/with+chars= c SK%2Fwith%2Bchars%3D d AKSECRETAKSECRET')).toBe('a *** b *** c *** d ******')
    expect(redact('region cn-north-4, cluster 8d4a')).toBe('region cn-north-4, cluster 8d4a')
  })
  test('an empty secret masks nothing', () => {
    expect(redactor([''])('abc')).toBe('abc')
  })
})

describe('renderSummary', () => {
  const base: RunReport = {
    clusterId: 'c-1',
    snapshotName: 'shop-api-1-1',
    snapshotId: 'snap-id-1',
    status: 'AVAILABLE',
    created: true,
    dryRun: false,
    startedAt: '2026-11-28T12:00:00Z',
    finishedAt: '2026-11-28T12:30:00Z',
    sizeGb: 12.5,
    elapsedMs: 1_800_400,
    requests: 7,
    retries: 2
  }
  test('success lists cluster, name, id, status, times, size, elapsed and requests', () => {
    const md = renderSummary(base)
    expect(md).toMatch(/^### ✅ DWS snapshot ready/)
    for (const row of ['| Cluster | `c-1` |', '| Snapshot name | `shop-api-1-1` |', '| Snapshot ID | `snap-id-1` |', '| Status | AVAILABLE |',
      '| Created by this step | yes |', '| Started | 2026-11-28T12:00:00Z |', '| Finished | 2026-11-28T12:30:00Z |', '| Size | 12.5 GB |',
      '| Elapsed in this step | 1800 s |', '| API requests | 7 (2 retried) |']) {
      expect(md).toContain(row)
    }
  })
  test('failure shows the error and the hint, escaped, and omits what is unknown', () => {
    const md = renderSummary({ clusterId: 'c-1', dryRun: false, elapsedMs: 0, requests: 1, retries: 0, error: { title: 'Create snapshot failed', message: 'HTTP 502 <html> | x', hint: 'check the proxy' } })
    expect(md).toMatch(/^### ❌ DWS snapshot failed: Create snapshot failed/)
    expect(md).toContain('**Error:** HTTP 502 &lt;html&gt; | x')
    expect(md).toContain('**What to do:** check the proxy')
    expect(md).not.toContain('Snapshot ID')
    expect(md).not.toContain('Size')
  })
  test('a reused snapshot and a dry run read as such', () => {
    expect(renderSummary({ ...base, created: false })).toContain('| Created by this step | no (reused) |')
    expect(renderSummary({ ...base, dryRun: true, snapshotId: undefined, status: undefined })).toMatch(/dry run passed: nothing was created/)
    expect(renderSummary({ ...base, status: 'CREATING' })).toMatch(/accepted by the service/)
  })
})
