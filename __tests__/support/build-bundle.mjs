// Jest globalSetup of the e2e project (jest.config.js): the end-to-end tests run a bundle built from
// src/ for this run, not the committed dist/, which `npm test` does not rebuild: a change in src/
// must not pass against a stale bundle. Built once per jest run (~7 s), only when e2e tests are
// selected, into a fresh temp directory that build-bundle-teardown.mjs removes.
// Plain .mjs: jest loads global hooks outside the test sandbox, where ts-jest's ESM mode does not apply.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const NCC = join(ROOT, 'node_modules', '@vercel', 'ncc', 'dist', 'ncc', 'cli.js')
export const BUNDLE_DIR_KEY = '__DWS_E2E_BUNDLE_DIR__'

export default function buildBundle() {
  // Set by the caller: run that bundle as it is (e.g. DWS_ACTION_BUNDLE=dist/index.js to test what ships).
  if (process.env.DWS_ACTION_BUNDLE) {
    process.stderr.write(`e2e bundle: ${process.env.DWS_ACTION_BUNDLE} (DWS_ACTION_BUNDLE, not rebuilt)\n`)
    return
  }
  const dir = mkdtempSync(join(tmpdir(), 'dws-e2e-bundle-'))
  const started = Date.now()
  // The same build as `npm run build` (ncc type-checks too), without ncc's shared cache: a build
  // running at the same time in this folder cannot feed this one.
  const built = spawnSync(process.execPath, [NCC, 'build', join(ROOT, 'src', 'index.ts'), '-o', dir, '--no-cache'], {
    cwd: ROOT,
    encoding: 'utf8'
  })
  if (built.status !== 0 || !existsSync(join(dir, 'index.js'))) {
    rmSync(dir, { recursive: true, force: true })
    throw new Error(
      `ncc could not bundle src/index.ts for the end-to-end tests (exit ${built.status ?? built.signal}):\n${built.stdout}\n${built.stderr}`
    )
  }
  // The bundle is ESM: without ncc's {"type":"module"} beside it, node would load it as CommonJS and fail.
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  if (manifest.type !== 'module') {
    rmSync(dir, { recursive: true, force: true })
    throw new Error(`ncc wrote no {"type":"module"} package.json beside the bundle in ${dir}`)
  }
  globalThis[BUNDLE_DIR_KEY] = dir
  // Inherited by the test workers, which jest starts after this hook; read by scripts/run-bundle.ts.
  process.env.DWS_ACTION_BUNDLE = join(dir, 'index.js')
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  process.stderr.write(`e2e bundle: built from ${relative(process.cwd(), join(ROOT, 'src')) || '.'}/ in ${seconds} s (${dir})\n`)
}
