// Jest globalSetup of the e2e project (jest.config.js): the end-to-end tests run bundles built from
// src/ for this run, not the committed dist/, which `npm test` does not rebuild: a change in src/
// must not pass against a stale bundle. Every bundle of every action is built once per jest run, by
// the build `npm run build` runs (scripts/build.ts), only when e2e tests are selected, into a fresh
// temp directory that build-bundle-teardown.mjs removes.
// Plain .mjs: jest loads global hooks outside the test sandbox, where ts-jest's ESM mode does not apply.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx')
export const BUNDLE_DIR_KEY = '__DWS_E2E_BUNDLE_DIR__'

export default function buildBundles() {
  // Set by the caller: run those bundles as they are (e.g. DWS_DIST_ROOT=. to test the committed dist/).
  if (process.env.DWS_DIST_ROOT) {
    process.stderr.write(`e2e bundles: ${process.env.DWS_DIST_ROOT}/dist (DWS_DIST_ROOT, not rebuilt)\n`)
    return
  }
  const dir = mkdtempSync(join(tmpdir(), 'dws-e2e-bundle-'))
  const started = Date.now()
  const built = spawnSync(TSX, [join(ROOT, 'scripts', 'build.ts'), '--out', dir], { cwd: ROOT, encoding: 'utf8' })
  const fail = (message) => {
    rmSync(dir, { recursive: true, force: true })
    throw new Error(message)
  }
  if (built.status !== 0 || !existsSync(join(dir, 'dist', 'index.js'))) {
    fail(`the end-to-end bundles could not be built (exit ${built.status ?? built.signal}):\n${built.stdout}\n${built.stderr}`)
  }
  // The bundles are ESM: without ncc's {"type":"module"} beside them, node would load them as CommonJS and fail.
  if (JSON.parse(readFileSync(join(dir, 'dist', 'package.json'), 'utf8')).type !== 'module') {
    fail(`ncc wrote no {"type":"module"} package.json beside the bundle in ${dir}`)
  }
  globalThis[BUNDLE_DIR_KEY] = dir
  // Inherited by the test workers, which jest starts after this hook; read by scripts/run-bundle.ts.
  process.env.DWS_DIST_ROOT = dir
  process.stderr.write(`e2e bundles: built from src/ in ${((Date.now() - started) / 1000).toFixed(1)} s (${dir})\n`)
}
