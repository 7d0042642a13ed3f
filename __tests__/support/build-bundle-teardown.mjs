// Jest globalTeardown of the e2e project: removes the bundle build-bundle.mjs built for this run
// (only that one: a bundle named by the caller through DWS_ACTION_BUNDLE is left alone).
import { rmSync } from 'node:fs'
import { BUNDLE_DIR_KEY } from './build-bundle.mjs'

export default function removeBundle() {
  const dir = globalThis[BUNDLE_DIR_KEY]
  if (typeof dir !== 'string') return
  rmSync(dir, { recursive: true, force: true })
  Reflect.deleteProperty(globalThis, BUNDLE_DIR_KEY)
  delete process.env.DWS_ACTION_BUNDLE
}
