/**
 * The documentation holds together: docs/TROUBLESHOOTING.md has a section for every annotation title (each
 * annotation links there), every relative link in the repository's Markdown points at a file that exists
 * and every #anchor at a heading of its page (GitHub's anchor rule), no page sends readers to the old
 * TROUBLESHOOTING.md at the root, and the README stays a short user's guide whose inputs and outputs tables
 * are action.yml's.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { marked, type Token, type Tokens } from 'marked'
import { parse as parseYaml } from 'yaml'
import { allTitles } from '../src/action/report/titles.js'
import { headingAnchor } from '../src/action/report/troubleshooting.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
/** Folders that hold no documentation of this repository: installed packages, git, build and test output. */
const NOT_DOCUMENTATION = new Set(['node_modules', '.git', 'dist', 'coverage', '.work'])
const README_MAX_LINES = 480

/** Every Markdown file of the repository, as paths relative to its root. */
function markdownFiles(dir = ROOT): string[] {
  const files: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      if (!NOT_DOCUMENTATION.has(entry.name)) files.push(...markdownFiles(path))
    } else if (entry.name.endsWith('.md')) files.push(relative(ROOT, path))
  }
  return files.sort()
}

const lexed = new Map<string, Token[]>()
/** A Markdown file's tokens, read once. */
function tokensOf(file: string): Token[] {
  let tokens = lexed.get(file)
  if (!tokens) {
    tokens = marked.lexer(readFileSync(join(ROOT, file), 'utf8'))
    lexed.set(file, tokens)
  }
  return tokens
}

/** Every token, nested ones included (table cells, list items, link texts), in document order. */
function all(tokens: Token[]): Token[] {
  const found: Token[] = []
  // The callback is synchronous: walkTokens returns no promise to wait for.
  void marked.walkTokens(tokens, (t) => {
    found.push(t)
  })
  return found
}

/** The text a heading renders as: code spans and link texts count, HTML tags do not. */
function plainText(tokens: Token[]): string {
  return tokens
    .map((t) => {
      if (t.type === 'html') return ''
      if ('tokens' in t && Array.isArray(t.tokens)) return plainText(t.tokens)
      return 'text' in t && typeof t.text === 'string' ? t.text : ''
    })
    .join('')
}

/** The anchors GitHub gives a page's headings; a repeated heading gets -1, -2, ... as on GitHub. */
function anchorsIn(tokens: Token[]): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  for (const heading of all(tokens).filter((t): t is Tokens.Heading => t.type === 'heading')) {
    const anchor = headingAnchor(plainText(heading.tokens))
    const count = seen.get(anchor) ?? 0
    anchors.add(count === 0 ? anchor : `${anchor}-${count}`)
    seen.set(anchor, count + 1)
  }
  return anchors
}

function anchorsOf(file: string): Set<string> {
  return anchorsIn(tokensOf(file))
}

/** Links that leave the repository: a scheme (https:, mailto:) or a protocol-relative URL. */
const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i

/** Each relative link of a page that does not resolve, described; empty when all do. */
function brokenLinks(file: string): { checked: number; broken: string[] } {
  const broken: string[] = []
  let checked = 0
  for (const token of all(tokensOf(file))) {
    if (token.type !== 'link' && token.type !== 'image') continue
    const href = (token as Tokens.Link | Tokens.Image).href
    if (EXTERNAL.test(href)) continue
    checked++
    const hash = href.indexOf('#')
    const path = decodeURIComponent(hash < 0 ? href : href.slice(0, hash))
    const anchor = hash < 0 ? undefined : decodeURIComponent(href.slice(hash + 1))
    const target = path === '' ? join(ROOT, file) : resolve(ROOT, dirname(file), path)
    const inRepository = relative(ROOT, target)
    if (inRepository.startsWith('..')) {
      broken.push(`${file}: ${href} leaves the repository`)
    } else if (!existsSync(target)) {
      broken.push(`${file}: ${href} points at ${inRepository}, which does not exist`)
    } else if (anchor !== undefined) {
      if (!inRepository.endsWith('.md')) broken.push(`${file}: ${href} has an anchor into ${inRepository}, which is not Markdown`)
      else if (!anchorsOf(inRepository).has(anchor)) broken.push(`${file}: ${href} names no heading of ${inRepository}`)
    }
  }
  return { checked, broken }
}

/** The cells of the first table after the heading `title`, as plain text per row. */
function tableAfter(file: string, title: string): string[][] {
  const tokens = tokensOf(file)
  const start = tokens.findIndex((t) => t.type === 'heading' && (t as Tokens.Heading).text === title)
  const table = tokens.slice(start).find((t): t is Tokens.Table => t.type === 'table')
  if (start < 0 || !table) throw new Error(`${file} has no table after the heading '${title}'`)
  return table.rows.map((row) => row.map((cell) => plainText(cell.tokens)))
}

/** The code spans of a table cell's Markdown: `cluster_id`, `agency_urn` → their texts. */
function codeSpans(tokens: Token[]): string[] {
  return all(tokens)
    .filter((t): t is Tokens.Codespan => t.type === 'codespan')
    .map((t) => t.text)
}

const FILES = markdownFiles()

describe('docs/TROUBLESHOOTING.md', () => {
  const file = join('docs', 'TROUBLESHOOTING.md')
  const sections = (tokensOf(file).filter((t) => t.type === 'heading') as Tokens.Heading[]).filter((h) => h.depth === 2)

  test('has a section for every annotation title, and no other', () => {
    expect(sections.map((h) => h.text).sort()).toEqual(allTitles().sort())
  })

  test('every in-page link points at a section', () => {
    const anchors = new Set(sections.map((h) => headingAnchor(h.text)))
    const links = all(tokensOf(file))
      .filter((t): t is Tokens.Link => t.type === 'link' && t.href.startsWith('#'))
      .map((t) => t.href.slice(1))
    expect(links.length).toBeGreaterThan(5)
    for (const link of links) expect({ link, known: anchors.has(link) }).toEqual({ link, known: true })
  })

  test('the old file at the root is gone, so no link can still reach it', () => {
    expect(existsSync(join(ROOT, 'TROUBLESHOOTING.md'))).toBe(false)
  })
})

describe('links between the Markdown files', () => {
  test('every Markdown file is found, outside node_modules and build output', () => {
    expect(FILES).toEqual(
      expect.arrayContaining([
        'CHANGELOG.md',
        'CONTRIBUTING.md',
        'README.md',
        'SECURITY.md',
        join('docs', 'TROUBLESHOOTING.md'),
        join('docs', 'keyless.md'),
        join('docs', 'security.md'),
        join('docs', 'waiting-and-retries.md')
      ])
    )
    expect(FILES.filter((f) => f.split(/[\\/]/).some((part) => NOT_DOCUMENTATION.has(part)))).toEqual([])
  })

  test.each(FILES)('every relative link and anchor in %s resolves', (file) => {
    expect(brokenLinks(file).broken).toEqual([])
  })

  test('links in tables, lists and paragraphs are all checked', () => {
    // The README links from its tables (inputs, examples), lists and paragraphs: a walk that missed one
    // kind would check far fewer.
    expect(brokenLinks('README.md').checked).toBeGreaterThan(30)
    expect(brokenLinks(join('docs', 'TROUBLESHOOTING.md')).checked).toBeGreaterThan(10)
  })

  test('anchors follow GitHub: code spans, links and punctuation in a heading, and repeated headings', () => {
    const page = marked.lexer('# Usage\n\n## Usage\n\n## After `auth/action` & [the way back](#x)\n\n```\n## not a heading\n```\n')
    expect([...anchorsIn(page)]).toEqual(['usage', 'usage-1', 'after-authaction--the-way-back'])
    expect(anchorsOf('README.md')).toContain('sign-in-without-stored-keys-recommended')
  })

  test('no page tells readers that TROUBLESHOOTING.md is at the root', () => {
    const stale: string[] = []
    for (const file of FILES) {
      const tokens = tokensOf(file)
      // Link texts may name the file: their targets are checked above.
      const inLinks = new Set<Token>()
      for (const link of all(tokens).filter((t) => t.type === 'link')) for (const t of all((link as Tokens.Link).tokens)) inLinks.add(t)
      for (const t of all(tokens)) {
        if (inLinks.has(t) || ('tokens' in t && Array.isArray(t.tokens) && t.tokens.length > 0)) continue
        const text = 'text' in t && typeof t.text === 'string' ? t.text : ''
        if (/(?<!docs\/)TROUBLESHOOTING\.md/.test(text)) stale.push(`${file}: ${text.slice(0, 80)}`)
      }
    }
    expect(stale).toEqual([])
  })
})

describe('the README', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>
    outputs: Record<string, unknown>
  }

  test(`is a user's guide of at most ${README_MAX_LINES} lines`, () => {
    expect(readme.trimEnd().split('\n').length).toBeLessThanOrEqual(README_MAX_LINES)
  })

  test("lists every input of action.yml once, each with action.yml's default", () => {
    const tokens = tokensOf('README.md')
    const start = tokens.findIndex((t) => t.type === 'heading' && (t as Tokens.Heading).text === 'Inputs')
    const table = tokens.slice(start).find((t): t is Tokens.Table => t.type === 'table')!
    const rows = table.rows.map(([name, fallback]) => ({ names: codeSpans(name!.tokens), fallback: codeSpans(fallback!.tokens) }))
    expect(rows.flatMap((r) => r.names).sort()).toEqual(Object.keys(action.inputs).sort())
    for (const { names, fallback } of rows) {
      for (const input of names) {
        const declared = action.inputs[input]!.default
        if (declared !== undefined) expect({ input, default: fallback }).toEqual({ input, default: [declared] })
      }
    }
  })

  test('lists every output of action.yml once', () => {
    const names = tableAfter('README.md', 'Outputs').map(([name]) => name!)
    expect(names.sort()).toEqual(Object.keys(action.outputs).sort())
  })
})
