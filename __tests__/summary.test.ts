/**
 * The summary's structure as GitHub renders it, checked with a GFM parser: one heading, a table
 * with a real header row, the retention tables, the way back with its own link and code blocks
 * only, the request counts folded away; server text never becomes markup anywhere.
 */
import { marked } from 'marked'
import { parse as parseYaml } from 'yaml'
import { restoreUses } from '../src/action/report/troubleshooting.js'
import { retentionLines, retentionReport } from '../src/action/report/retention.js'
import { renderSummary, type RunReport } from '../src/action/report/snapshot-summary.js'
import type { RetentionResult } from '../src/dws/prune.js'
import { restoreGuide } from '../src/dws/restore-guide.js'
import type { Snapshot } from '../src/dws/types.js'

const ID = '5f0a3c1e-9b7d-4e2a-8c6f-1d2e3f4a5b6c'
const PROJECT = '0123456789abcdef0123456789abcdef'
const ready: RunReport = {
  clusterId: 'e0000000-0000-4000-8000-000000000001',
  clusterName: 'warehouse',
  region: 'cn-north-4',
  projectId: PROJECT,
  endpoint: new URL('https://dws.cn-north-4.myhuaweicloud.com'),
  commit: '0123456789abcdef0123456789abcdef01234567',
  ref: 'main',
  snapshotName: 'release-42',
  snapshotId: ID,
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

/** GFM links a bare URL with itself as the text: the reader sees the real target, so that is allowed (see redact-summary.test.ts). */
const html = (md: string): string => (marked.parse(md, { gfm: true }) as string).replace(/<a href="([^"]*)">\1<\/a>/g, '$1')
const count = (text: string, re: RegExp): number => text.match(re)?.length ?? 0

describe('the summary of a snapshot that is ready', () => {
  const md = renderSummary(ready)
  const page = html(md)

  test('one heading, then one table whose header row is its first row (no empty header)', () => {
    expect(count(page, /<h3\b/g)).toBe(1)
    expect(page).toMatch(/<thead>\s*<tr>\s*<th>Cluster<\/th>\s*<th>warehouse \(e0000000-0000-4000-8000-000000000001\)<\/th>/)
    expect(page).not.toMatch(/<th><\/th>/)
    expect(md).toContain('| Region | cn-north-4 |')
    expect(md).toContain('| Taken for | commit 0123456789ab, ref main |')
  })

  test('the way back: the console of the region, a KooCLI command and the HTTP request, with the ids filled in', () => {
    expect(count(page, /<h4\b/g)).toBe(1)
    expect(page).toContain('<a href="https://console.huaweicloud.com/dws/?region=cn-north-4">')
    const blocks = [...page.matchAll(/<pre><code class="language-(\w+)">([\s\S]*?)<\/code><\/pre>/g)].map((m) => [m[1], m[2]])
    expect(blocks).toEqual([
      [
        'sh',
        'hcloud DWS RestoreCluster --cli-region=cn-north-4 \\\n' +
          `  --project_id=${PROJECT} \\\n` +
          `  --snapshot_id=${ID} \\\n` +
          '  --restore.name=release-42-restore\n'
      ],
      [
        'http',
        `POST https://dws.cn-north-4.myhuaweicloud.com/v1.0/${PROJECT}/snapshots/${ID}/actions\n` +
          'Content-Type: application/json\n\n' +
          '{&quot;restore&quot;:{&quot;name&quot;:&quot;release-42-restore&quot;}}\n'
      ]
    ])
  })

  test('the way back as a step: the restore action beside this one, with the snapshot id, a YAML block that parses', () => {
    const uses = restoreUses({ GITHUB_ACTION_REPOSITORY: 'acme/dws-snapshot-action', GITHUB_ACTION_REF: 'v1' })
    expect(uses).toBe('acme/dws-snapshot-action/restore@v1')
    const withStep = marked.parse(renderSummary({ ...ready, restoreUses: uses }), { async: false })
    const yamlBlock = /<pre><code class="language-yaml">([\s\S]*?)<\/code><\/pre>/.exec(withStep)?.[1]
    expect(parseYaml(yamlBlock!.replace(/&quot;/g, '"'))).toEqual([
      { uses: 'acme/dws-snapshot-action/restore@v1', with: { snapshot_id: ID, region: 'cn-north-4' } }
    ])
    // Run by hand or from a local copy: the reader fills in where the action lives.
    expect(restoreUses({})).toBe('<owner>/dws-snapshot-action/restore@v1')
    expect(restoreUses({ GITHUB_ACTION_REPOSITORY: 'acme/x', GITHUB_ACTION_REF: 'v1\n- run: evil' })).toBe(
      '<owner>/dws-snapshot-action/restore@v1'
    )
  })

  test('request counts and retries are folded into a <details> block', () => {
    expect(md).toMatch(/<details><summary>API requests: 7 \(2 retried\)<\/summary>\n\nThis step sent 7 requests/)
    expect(md).not.toMatch(/\| API requests/)
  })

  test('no way back for a snapshot that is not ready, and no size for a failed one', () => {
    const failed = renderSummary({
      ...ready,
      status: 'UNAVAILABLE',
      sizeGb: 0,
      error: { title: 'Snapshot failed on the service', message: 'it failed', hint: '' }
    })
    expect(failed).not.toContain('Size')
    expect(failed).not.toContain('The way back')
    expect(renderSummary({ ...ready, status: 'CREATING' })).not.toContain('The way back')
  })

  test('a reused snapshot has its own heading with its age', () => {
    expect(renderSummary({ ...ready, created: false, snapshotAgeMs: 2 * 3_600_000 })).toMatch(
      /^### ♻️ Reused an existing DWS snapshot, taken 2h ago\n/
    )
  })
})

describe('restoreGuide', () => {
  const target = { endpoint: new URL('https://dws.x/'), projectId: PROJECT, snapshotId: ID, snapshotName: 'n'.repeat(64) }
  test.each<[string, string]>([
    ['cn-north-4', 'https://console.huaweicloud.com/dws/?region=cn-north-4'],
    ['ap-southeast-1', 'https://console-intl.huaweicloud.com/dws/?region=ap-southeast-1'],
    ['eu-west-101', 'https://console.eu.huaweicloud.com/dws/?region=eu-west-101'],
    ['eu-de', 'https://console.otc.t-systems.com/dws/?region=eu-de']
  ])('%s: console %s', (region, url) => {
    expect(restoreGuide({ ...target, region }).consoleUrl).toBe(url)
  })
  test('no region (endpoint and project given): no console link and no KooCLI, the HTTP request still', () => {
    const guide = restoreGuide({ ...target, region: undefined })
    expect(guide.consoleUrl).toBeUndefined()
    expect(guide.koocli).toBeUndefined()
    expect(guide.http.url).toBe(`https://dws.x/v1.0/${PROJECT}/snapshots/${ID}/actions`)
  })
  test('the suggested cluster name stays within 64 characters', () => {
    expect(restoreGuide({ ...target, region: 'cn-north-4' }).clusterName).toMatch(/^n{56}-restore$/)
  })
})

describe('the retention section', () => {
  const HOSTILE = '<img src=x onerror=alert(1)> [a](http://e) | x **b** `c` <details>'
  const snap = (id: string, name: string): Snapshot => ({ id, name, status: 'AVAILABLE', started: '2026-11-01T00:00:00Z' })
  const result = (dryRun: boolean): RetentionResult => ({
    dryRun,
    plan: {
      delete: [
        { snapshot: snap('d1', HOSTILE), reason: 'older than the newest 2' },
        { snapshot: snap('d2', 'release-2'), reason: 'older than the newest 2' }
      ],
      keep: [
        { snapshot: snap(ID, 'release-42'), reason: "this run's snapshot" },
        { snapshot: snap('k1', HOSTILE), reason: 'not made by this action (no marker in its description)' }
      ]
    },
    deleted: dryRun ? [] : [snap('d1', HOSTILE)],
    failed: dryRun ? [] : [{ snapshot: snap('d2', 'release-2'), error: new Error(HOSTILE) }]
  })
  const rule = 'keep_last 2, names matching release-*'
  const describe_ = (error: unknown) => (error as Error).message

  test('deleted and not deleted in tables, the kept ones folded away; hostile names stay text', () => {
    const md = renderSummary({ ...ready, retention: retentionLines(result(false), undefined, rule, describe_) })
    const page = html(md)
    expect(md).toContain('Deleted 1 snapshot, 1 could not be deleted; 2 kept (keep\\_last 2, names matching release-\\*).')
    expect(count(page, /<table\b/g)).toBe(4) // the run, deleted, not deleted, kept
    for (const row of page.match(/<tr>[\s\S]*?<\/tr>/g) ?? []) expect([2, 4]).toContain(count(row, /<t[dh]\b/g))
    expect(count(page, /<details\b/g)).toBe(2) // kept snapshots, request counts
    expect(page).not.toMatch(/<(img|em|strong><code|code>c)\b/)
    expect(count(page, /<a\b/g)).toBe(1) // the console link only
    expect(count(page, /<strong\b/g)).toBe(3) // Console, KooCLI, API
  })

  test('a dry run shows the plan, and a retention that could not run says so', () => {
    const plan = renderSummary({ ...ready, dryRun: true, retention: retentionLines(result(true), undefined, rule, describe_) })
    expect(plan).toContain('#### Retention plan (dry run: nothing was deleted)')
    expect(plan).toMatch(/\| Would delete \| ID \| Started \| Why \|/)
    expect(plan).toContain('Would delete 2 snapshots; 2 kept')
    const failed = renderSummary({ ...ready, retention: retentionLines(undefined, new Error('HTTP 403'), rule, describe_) })
    expect(failed).toContain('Retention did not run: HTTP 403 Nothing was deleted.')
    expect(retentionReport(undefined, undefined, rule, describe_)).toBeUndefined()
  })
})
