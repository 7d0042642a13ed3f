/**
 * The layers of src/, visible in its folders, import only downward and never in a cycle:
 *   main.ts, index.ts → action/ → auth/, dws/ → cloud/ → the kernel (time, log, sanitize, redact).
 * Only action/ knows GitHub Actions: nothing below it imports @actions/core or @actions/github or
 * reads process.env.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const SRC = fileURLToPath(new URL('../src', import.meta.url))

type Layer = 'entry' | 'action' | 'auth' | 'dws' | 'cloud' | 'kernel'

const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  entry: ['entry', 'action', 'auth', 'dws', 'cloud', 'kernel'],
  action: ['action', 'auth', 'dws', 'cloud', 'kernel'],
  auth: ['auth', 'cloud', 'kernel'],
  dws: ['dws', 'cloud', 'kernel'],
  cloud: ['cloud', 'kernel'],
  kernel: ['kernel']
}

function layerOf(file: string): Layer {
  const [first, second] = file.split('/')
  if (second === undefined) return first === 'main.ts' || first === 'index.ts' ? 'entry' : 'kernel'
  if (first === 'action' || first === 'auth' || first === 'dws' || first === 'cloud') return first
  throw new Error(`src/${file} is in no known layer`)
}

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [relative(SRC, path).split('\\').join('/')] : []
  })
}

interface Module {
  file: string
  /** src-relative paths of the project's modules it imports */
  imports: string[]
  /** package imports */
  packages: string[]
  text: string
}

function readModule(file: string): Module {
  const text = readFileSync(join(SRC, file), 'utf8')
  const specifiers = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName)
  const imports = specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) =>
      relative(SRC, resolve(dirname(join(SRC, file)), s.replace(/\.js$/, '.ts')))
        .split('\\')
        .join('/')
    )
  return { file, imports, packages: specifiers.filter((s) => !s.startsWith('.')), text }
}

/** Each import that goes against the layering, as 'from → to'. */
function upwardImports(modules: readonly Module[]): string[] {
  return modules.flatMap((m) =>
    m.imports.filter((target) => !MAY_IMPORT[layerOf(m.file)].includes(layerOf(target))).map((target) => `${m.file} → ${target}`)
  )
}

/** One cycle as a path of files, or undefined. */
function findCycle(modules: readonly Module[]): string[] | undefined {
  const edges = new Map(modules.map((m) => [m.file, m.imports]))
  const state = new Map<string, 'visiting' | 'done'>()
  const stack: string[] = []
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === 'done') return undefined
    if (state.get(file) === 'visiting') return [...stack.slice(stack.indexOf(file)), file]
    state.set(file, 'visiting')
    stack.push(file)
    for (const next of edges.get(file) ?? []) {
      const cycle = visit(next)
      if (cycle) return cycle
    }
    stack.pop()
    state.set(file, 'done')
    return undefined
  }
  for (const m of modules) {
    const cycle = visit(m.file)
    if (cycle) return cycle
  }
  return undefined
}

const modules = sourceFiles().map(readModule)

describe('the layers of src/', () => {
  test('every module is in a layer, and the layers are all there', () => {
    const layers = new Set(modules.map((m) => layerOf(m.file)))
    expect([...layers].sort()).toEqual(['action', 'auth', 'cloud', 'dws', 'entry', 'kernel'])
  })

  test('imports only go downward', () => {
    expect(upwardImports(modules)).toEqual([])
  })

  test('no import cycle', () => {
    expect(findCycle(modules)).toBeUndefined()
  })

  test('below action/, nothing knows GitHub Actions or reads the process environment', () => {
    const below = modules.filter((m) => !['entry', 'action'].includes(layerOf(m.file)))
    expect(below.length).toBeGreaterThan(10)
    for (const m of below) {
      expect({ file: m.file, packages: m.packages.filter((p) => p === '@actions/core' || p === '@actions/github') }).toEqual({
        file: m.file,
        packages: []
      })
      expect({ file: m.file, readsEnv: /process\.env/.test(m.text) }).toEqual({ file: m.file, readsEnv: false })
    }
  })

  test('the checks catch an upward import and a cycle in a broken copy', () => {
    const broken: Module[] = [
      { file: 'cloud/api.ts', imports: ['dws/types.ts'], packages: [], text: '' },
      { file: 'dws/types.ts', imports: ['dws/client.ts'], packages: [], text: '' },
      { file: 'dws/client.ts', imports: ['dws/types.ts'], packages: [], text: '' }
    ]
    expect(upwardImports(broken)).toEqual(['cloud/api.ts → dws/types.ts'])
    expect(findCycle(broken)).toEqual(['dws/types.ts', 'dws/client.ts', 'dws/types.ts'])
  })
})
