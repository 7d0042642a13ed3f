/**
 * The layers of src/, visible in its folders, import only downward and never in a cycle:
 *   the entry points (src/*.ts) → action/ → auth/, dws/ → cloud/ → kernel/.
 * Inside action/: step/ (the skeleton) → report/ → plan/ → inputs/ → runner/ (the runner's port).
 * Only action/ knows GitHub Actions, and inside it only runner/ talks to @actions/core: nothing
 * below action/ imports @actions/core (or @actions/github, which the bundles no longer use) or reads process.env.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const SRC = fileURLToPath(new URL('../src', import.meta.url))

const BELOW_ACTION = ['auth', 'dws', 'cloud', 'kernel'] as const
const ACTION = ['action/step', 'action/report', 'action/plan', 'action/inputs', 'action/runner'] as const
type Layer = 'entry' | (typeof ACTION)[number] | (typeof BELOW_ACTION)[number]

/** Each layer may import itself and the layers after it in ACTION, then those below action/. */
const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  entry: ['entry', ...ACTION, ...BELOW_ACTION],
  ...(Object.fromEntries(ACTION.map((layer, i) => [layer, [...ACTION.slice(i), ...BELOW_ACTION]])) as Record<
    (typeof ACTION)[number],
    Layer[]
  >),
  auth: ['auth', 'cloud', 'kernel'],
  dws: ['dws', 'cloud', 'kernel'],
  cloud: ['cloud', 'kernel'],
  kernel: ['kernel']
}

function layerOf(file: string): Layer {
  const parts = file.split('/')
  if (parts.length === 1) return 'entry'
  const folder = parts[0] === 'action' ? `action/${parts[1] ?? ''}` : parts[0]
  const layer = [...ACTION, ...BELOW_ACTION].find((l) => l === folder)
  if (layer === undefined || (parts[0] === 'action' && parts.length !== 3) || (parts[0] !== 'action' && parts.length !== 2)) {
    throw new Error(`src/${file} is in no known layer`)
  }
  return layer
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
  const resolved = specifiers.map((s) =>
    s.startsWith('.')
      ? relative(SRC, resolve(dirname(join(SRC, file)), s.replace(/\.js$/, '.ts')))
          .split('\\')
          .join('/')
      : undefined
  )
  // Files outside src/ (package.json, action.yml) are data, not layers.
  const imports = resolved.filter((r): r is string => r !== undefined && !r.startsWith('..'))
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
    expect([...layers].sort()).toEqual(['entry', ...ACTION, ...BELOW_ACTION].sort())
  })

  test('imports only go downward', () => {
    expect(upwardImports(modules)).toEqual([])
  })

  test('no import cycle', () => {
    expect(findCycle(modules)).toBeUndefined()
  })

  test('below action/, nothing knows GitHub Actions or reads the process environment', () => {
    const below = modules.filter((m) => (BELOW_ACTION as readonly string[]).includes(layerOf(m.file)))
    expect(below.length).toBeGreaterThan(10)
    for (const m of below) {
      expect({ file: m.file, packages: m.packages.filter((p) => p === '@actions/core' || p === '@actions/github') }).toEqual({
        file: m.file,
        packages: []
      })
      expect({ file: m.file, readsEnv: /process\.env/.test(m.text) }).toEqual({ file: m.file, readsEnv: false })
    }
  })

  test('inside action/, only runner/ talks to @actions/core', () => {
    const users = modules.filter((m) => m.packages.includes('@actions/core')).map((m) => layerOf(m.file))
    expect([...new Set(users)]).toEqual(['action/runner'])
  })

  test('the checks catch an upward import and a cycle in a broken copy', () => {
    const broken: Module[] = [
      { file: 'action/inputs/cloud.ts', imports: ['action/report/failure.ts'], packages: [], text: '' },
      { file: 'cloud/api.ts', imports: ['dws/types.ts'], packages: [], text: '' },
      { file: 'dws/types.ts', imports: ['dws/client.ts'], packages: [], text: '' },
      { file: 'dws/client.ts', imports: ['dws/types.ts'], packages: [], text: '' }
    ]
    expect(upwardImports(broken)).toEqual(['action/inputs/cloud.ts → action/report/failure.ts', 'cloud/api.ts → dws/types.ts'])
    expect(findCycle(broken)).toEqual(['dws/types.ts', 'dws/client.ts', 'dws/types.ts'])
  })
})
