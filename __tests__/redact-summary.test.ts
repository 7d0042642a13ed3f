import { marked } from 'marked'
import { MASK, redactor, SecretRegistry } from '../src/kernel/redact.js'
import { oneLine, serverText } from '../src/kernel/sanitize.js'
import { markdownText } from '../src/action/report/markdown.js'
import { renderSummary, type RunReport } from '../src/action/report/snapshot-summary.js'

describe('redactor', () => {
  const redact = redactor(['AKSECRET', 'SK/with+chars=', 'tok', ''])
  test('replaces every secret, raw and URL-encoded, and leaves other text alone', () => {
    expect(redact('a AKSECRET b SK/with+chars= c SK%2Fwith%2Bchars%3D d AKSECRETAKSECRET')).toBe('a *** b *** c *** d ******')
    expect(redact('region cn-north-4, cluster 8d4a')).toBe('region cn-north-4, cluster 8d4a')
  })
  test('an empty secret masks nothing', () => {
    expect(redactor([''])('abc')).toBe('abc')
  })
  test('a secret that contains another is masked whole', () => {
    expect(redactor(['KEY', 'xKEYx'])('[xKEYx] [KEY]')).toBe(`[${MASK}] [${MASK}]`)
  })
})

// Written independently of src/redact.ts: how other software writes a string into text.
const hex = (code: number, width: number): string => code.toString(16).padStart(width, '0')
const unicodeEscape = (code: number): string => `\\u${hex(code, 4)}`
const jsonBody = (s: string): string => JSON.stringify(s).slice(1, -1)
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64')
const b64url = (s: string): string => Buffer.from(s, 'utf8').toString('base64url')
const htmlEscape = (s: string, dq: string, sq: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, dq).replace(/'/g, sq)

const ENCODINGS: [string, (s: string) => string][] = [
  ['raw', (s) => s],
  ['encodeURIComponent', encodeURIComponent],
  ['percent, lower-case hex', (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())],
  ['RFC 3986 percent', (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${hex(c.charCodeAt(0), 2).toUpperCase()}`)],
  [
    'RFC 3986 percent, lower-case hex',
    (s) =>
      encodeURIComponent(s)
        .replace(/[!'()*]/g, (c) => `%${hex(c.charCodeAt(0), 2)}`)
        .replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())
  ],
  ['form (URLSearchParams)', (s) => new URLSearchParams({ v: s }).toString().slice(2)],
  ['base64', b64],
  ['base64 without padding', (s) => b64(s).replace(/=+$/, '')],
  ['base64url', b64url],
  ['base64url with padding', (s) => b64(s).replace(/\+/g, '-').replace(/\//g, '_')],
  ['JSON string', jsonBody],
  ['JSON, / as \\/', (s) => jsonBody(s).replace(/\//g, '\\/')],
  // eslint-disable-next-line no-control-regex -- the range starts at NUL on purpose
  ['JSON, non-ASCII as \\uXXXX', (s) => jsonBody(s).replace(/[^\x00-\x7e]/g, (c) => unicodeEscape(c.charCodeAt(0)))],
  ["JSON, < > & ' = as \\u00XX", (s) => jsonBody(s).replace(/[<>&'=]/g, (c) => unicodeEscape(c.charCodeAt(0)))],
  ['JSON, every non-alphanumeric as \\uxxxx', (s) => s.replace(/[^A-Za-z0-9]/g, (c) => unicodeEscape(c.charCodeAt(0)))],
  ['JSON, every non-alphanumeric as \\uXXXX', (s) => s.replace(/[^A-Za-z0-9]/g, (c) => `\\u${hex(c.charCodeAt(0), 4).toUpperCase()}`)],
  ['HTML &quot; &#39;', (s) => htmlEscape(s, '&quot;', '&#39;')],
  ['HTML &#34; &#39;', (s) => htmlEscape(s, '&#34;', '&#39;')],
  ['HTML &quot; &#x27;', (s) => htmlEscape(s, '&quot;', '&#x27;')],
  ['HTML, quotes raw', (s) => htmlEscape(s, '"', "'")]
]
const SECRETS = ['Fv2/k+Q9=zX8wLm3', 'pa ss<wörd>é&"it\'s!(x)*~', 'HSTA/tok+en é=<']

describe('redactor: every common encoding of a secret', () => {
  const redact = redactor(SECRETS)
  const cases = SECRETS.flatMap((secret) => ENCODINGS.map(([name, encode]) => [name, secret, encode(secret)] as const))
  test.each(cases)('%s of %j is masked inside text', (_name, _secret, encoded) => {
    expect(redact(`before ${encoded} after`)).toBe(`before ${MASK} after`)
  })

  test.each(SECRETS.flatMap((secret) => [0, 1, 2].map((k) => [secret, k] as const)))(
    '%j inside a longer base64 blob after %d bytes is masked',
    (secret, k) => {
      const before = 'PRE'.slice(0, k)
      const blob = b64(`${before}${secret}{"more":"json"}`)
      const n = Buffer.byteLength(secret)
      // The characters whose 6 bits all come from the secret's bytes, which sit at bits 8k..8(k+n).
      const first = Math.ceil((8 * k) / 6)
      const end = Math.floor((8 * (k + n)) / 6)
      expect(redact(blob)).toBe(`${blob.slice(0, first)}${MASK}${blob.slice(end)}`)
      const urlBlob = blob.replace(/\+/g, '-').replace(/\//g, '_')
      expect(redact(urlBlob)).toBe(`${urlBlob.slice(0, first)}${MASK}${urlBlob.slice(end)}`)
    }
  )

  test('a short secret masks only itself, not base64 that happens to contain its encoding', () => {
    const short = redactor(['tok'])
    expect(short(`${b64('tok')} ${b64('token')}`)).toBe(`${b64('tok')} ${b64('token')}`)
    expect(short('a tok b')).toBe(`a ${MASK} b`)
  })

  test('text without secrets is unchanged, including base64 and JSON escapes', () => {
    const text = `${b64('x'.repeat(40))} \\u003c \\/ &amp; %2F + Signature mismatch; X-Auth-Token is missing`
    expect(redact(text)).toBe(text)
  })

  test('a secret straddling the length cap leaks nothing when scrubbed before capping', () => {
    const secret = 'Zq8/LongSecretValue+WithPlentyOfBytes9='
    const text = `${'x'.repeat(290)}${secret}${'y'.repeat(100)}`
    const shown = serverText(redactor([secret])(text))
    for (let i = 0; i + 4 <= secret.length; i++) expect(shown).not.toContain(secret.slice(i, i + 4))
    // Capping first would have left the secret's start in the text.
    expect(serverText(text)).toContain(secret.slice(0, 10))
  })
})

describe('redactor: credentials recognised by shape, without registering them', () => {
  const redact = redactor([])
  test('an AK/SK Authorization value keeps only the algorithm name', () => {
    const header =
      'Authorization: SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, ' +
      'Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe'
    expect(redact(`${header}\nnext line`)).toBe(`Authorization: SDK-HMAC-SHA256 ${MASK}\nnext line`)
    expect(redact(`{"Authorization":"SDK-HMAC-SHA256 Access=AK1,SignedHeaders=host,Signature=ab12"}`)).toBe(
      `{"Authorization":"SDK-HMAC-SHA256 ${MASK}"}`
    )
  })
  test('any hex Signature= is masked', () => {
    expect(redact('expected Signature=0a1B2c3d, got signature=ffee')).toBe(`expected Signature=${MASK}, got signature=${MASK}`)
  })
  test('token headers echoed back are masked, in header, canonical-request, JSON and query form', () => {
    expect(redact('X-Auth-Token: MIIaBc-_+/=')).toBe(`X-Auth-Token: ${MASK}`)
    expect(redact('GET|/v1.0/p/snapshots/||host:dws|x-security-token:gQpjbi1u+/x==|x-sdk-date:20191115T033655Z')).toBe(
      `GET|/v1.0/p/snapshots/||host:dws|x-security-token:${MASK}|x-sdk-date:20191115T033655Z`
    )
    expect(redact(`{"X-Security-Token": "abc.def", "x": 1}`)).toBe(`{"X-Security-Token": "${MASK}", "x": 1}`)
    expect(redact('X-Subject-Token=abc&next=1')).toBe(`X-Subject-Token=${MASK}&next=1`)
  })
})

describe('SecretRegistry', () => {
  test('a secret added later is masked by the same redact function handed out earlier', () => {
    const registry = new SecretRegistry(['FIRST-SECRET'])
    const redact = registry.redact
    expect(redact('FIRST-SECRET TEMP/KEY+1=')).toBe(`${MASK} TEMP/KEY+1=`)
    registry.add('TEMP/KEY+1=')
    expect(redact('FIRST-SECRET TEMP/KEY+1= TEMP%2FKEY%2B1%3D')).toBe(`${MASK} ${MASK} ${MASK}`)
  })
  test('empty and repeated secrets are ignored', () => {
    const registry = new SecretRegistry()
    registry.add('')
    registry.add('AB12CD34')
    registry.add('AB12CD34')
    expect(registry.redact('x AB12CD34 y')).toBe(`x ${MASK} y`)
    expect(registry.redact('nothing here')).toBe('nothing here')
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
    expect(md).toMatch(/^### ✅ DWS snapshot ready\n/)
    for (const row of [
      '| Cluster | c-1 |',
      '| Snapshot name | shop-api-1-1 |',
      '| Snapshot ID | snap-id-1 |',
      '| Status | AVAILABLE |',
      '| Created by this step | yes |',
      '| Started | 2026-11-28T12:00:00Z |',
      '| Finished | 2026-11-28T12:30:00Z |',
      '| Size | 12.5 GB |',
      '| Elapsed in this step | 1800 s |'
    ]) {
      expect(md).toContain(row)
    }
    expect(md).toContain('<details><summary>API requests: 7 (2 retried)</summary>')
    expect(md).not.toContain('Age')
  })
  test('failure shows the error and the hint, escaped, and omits what is unknown', () => {
    const md = renderSummary({
      clusterId: 'c-1',
      dryRun: false,
      elapsedMs: 0,
      requests: 1,
      retries: 0,
      error: { title: 'Create snapshot failed', message: 'HTTP 502 <html> | x', hint: 'check the proxy' }
    })
    expect(md).toMatch(/^### ❌ DWS snapshot failed: Create snapshot failed/)
    expect(md).toContain('**Error:** HTTP 502 &lt;html&gt; \\| x')
    expect(md).toContain('**What to do:** check the proxy')
    expect(md).not.toContain('Snapshot ID')
    expect(md).not.toContain('Size')
  })
  test('a reused snapshot says so in the heading and shows its age; a dry run reads as such', () => {
    const reused = renderSummary({ ...base, created: false, snapshotAgeMs: 95_000 })
    expect(reused).toMatch(/^### ♻️ Reused an existing DWS snapshot, taken 1m35s ago\n/)
    expect(reused).toContain('| Created by this step | no (reused) |')
    expect(reused).toContain('| Age | 1m35s |')
    expect(renderSummary({ ...base, created: false, status: 'CREATING' })).toMatch(
      /^### ♻️ Reused an existing DWS snapshot \(still in progress\)\n/
    )
    expect(renderSummary({ ...base, created: true, snapshotAgeMs: 95_000 })).not.toContain('Age')
    expect(renderSummary({ ...base, dryRun: true, snapshotId: undefined, status: undefined })).toMatch(
      /dry run passed: nothing was created/
    )
    expect(renderSummary({ ...base, status: 'CREATING' })).toMatch(/^### ✅ DWS snapshot accepted by the service\n/)
  })
})

describe('markdownText: network and user text renders as itself (checked with a GFM parser)', () => {
  const PAYLOADS = [
    '# x',
    '[a](http://e)',
    '![i](http://e/i.png)',
    '| a | b |',
    '<img src=x onerror=alert(1)>',
    '<details><summary>x</summary>',
    '`code` ``x``',
    'ok\n## injected',
    '> quote',
    '&lt; is an entity',
    '*b* _i_ ~~s~~ **bold** {x} 1. - + \\',
    '<!-- hidden -->',
    '[ref]: http://e'
  ]

  /**
   * GFM turns a bare URL into a link whose text is the URL itself: the reader still sees the real
   * target, so that is allowed; a link whose text differs from its target (`[text](url)`) is not.
   */
  const withoutBareUrlLinks = (html: string): string => html.replace(/<a href="([^"]*)">\1<\/a>/g, '$1')

  /** The text a reader sees: tags dropped, entities decoded. */
  const visibleText = (html: string): string =>
    html
      .replace(/<[^>]+>/g, '')
      .replace(/&(lt|gt|amp|quot|#39);/g, (_m, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'" })[e]!)
      .trim()

  test.each(PAYLOADS)('%j is shown as text, never as markup', (text) => {
    const html = withoutBareUrlLinks(marked.parseInline(markdownText(text), { gfm: true }) as string)
    expect(html).not.toMatch(/<(a|img|h\d|details|summary|code|em|strong|del|blockquote|!--)\b/)
    expect(visibleText(html)).toBe(oneLine(text))
  })

  test('ids, names and times stay as they are in the raw Markdown', () => {
    for (const value of ['5f0a3c1e-9b7d-4e2a-8c6f-1d2e3f4a5b6c', 'shop-api-1-1', '2026-11-28T12:00:00Z', '12.5 GB']) {
      expect(markdownText(value)).toBe(value)
    }
  })

  test('hostile values in every field leave the summary with its own structure only', () => {
    const hostile = PAYLOADS.join(' ')
    const md = renderSummary({
      clusterId: hostile,
      snapshotName: hostile,
      snapshotId: hostile,
      status: hostile,
      created: true,
      dryRun: false,
      startedAt: hostile,
      finishedAt: hostile,
      elapsedMs: 0,
      requests: 1,
      retries: 0,
      error: { title: hostile, message: hostile, hint: hostile }
    })
    const html = withoutBareUrlLinks(marked.parse(md, { gfm: true }) as string)
    expect(html.match(/<h3\b/g)).toHaveLength(1)
    expect(html.match(/<h\d\b/g)).toHaveLength(1)
    expect(html.match(/<table\b/g)).toHaveLength(1)
    expect(html.match(/<tr\b/g)).toHaveLength(8) // 8 rows, the first of them the header row (no size: the run failed)
    for (const row of html.match(/<tr>[\s\S]*?<\/tr>/g)!) expect(row.match(/<t[dh]\b/g)).toHaveLength(2)
    expect(html).not.toMatch(/<(a|img|code|em|del|blockquote|script)\b/)
    expect(html.match(/<(details|summary)\b/g)).toEqual(['<details', '<summary']) // only the request counts'
    expect(html.match(/<strong\b/g)).toEqual(['<strong', '<strong']) // only the summary's own "Error:" and "What to do:"
    expect(html.match(/<p\b/g)).toHaveLength(3) // the error, the hint, the request counts
  })
})
