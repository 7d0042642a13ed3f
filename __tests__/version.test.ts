import { readFileSync } from 'node:fs'
import { ACTION_VERSION, USER_AGENT } from '../src/action/version.js'

test('ACTION_VERSION matches package.json, and the User-Agent names the action and version', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  expect(ACTION_VERSION).toBe(pkg.version)
  expect(USER_AGENT).toBe(`dws-snapshot-action/${pkg.version}`)
})
