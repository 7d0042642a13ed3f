// Jest globalTeardown of the e2e project: removes the bundles build-bundle.mjs built for this run
// (only those: bundles named by the caller through DWS_DIST_ROOT are left alone).
import { rmSync } from 'node:fs'
import { BUNDLE_DIR_KEY } from './build-bundle.mjs'

export default function removeBundles() {
  const dir = globalThis[BUNDLE_DIR_KEY]
  if (typeof dir !== 'string') return
  rmSync(dir, { recursive: true, force: true })
  Reflect.deleteProperty(globalThis, BUNDLE_DIR_KEY)
  delete process.env.DWS_DIST_ROOT
}
