/**
 * ts-jest in ESM mode: the package is "type": "module" and the toolkit packages are ESM-only.
 * Two projects so that only runs that include end-to-end tests pay for bundling src/ (~7 s, once
 * per run): their globalSetup builds a fresh bundle for scripts/run-bundle.ts to run.
 */
const typescriptEsm = {
  preset: 'ts-jest',
  resolver: 'ts-jest-resolver',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] }
}
/** Tests that run the bundled action; the name is the contract (run-bundle.ts refuses to run elsewhere under jest). */
const E2E = '<rootDir>/__tests__/**/e2e*.test.ts'

export default {
  projects: [
    {
      ...typescriptEsm,
      displayName: 'unit',
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/(.*/)?e2e[^/]*\\.test\\.ts$']
    },
    {
      ...typescriptEsm,
      displayName: 'e2e',
      testMatch: [E2E],
      globalSetup: '<rootDir>/__tests__/support/build-bundle.mjs',
      globalTeardown: '<rootDir>/__tests__/support/build-bundle-teardown.mjs'
    }
  ],
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/__tests__/support/count-reporter.js'],

  // Coverage (on with --coverage, as `npm test` runs it): V8's own counters, which work with native
  // ESM where babel instrumentation does not. Files never loaded in-process count as 0%.
  collectCoverageFrom: ['<rootDir>/src/**/*.ts'],
  coverageProvider: 'v8',
  coverageDirectory: '<rootDir>/coverage',
  // text-summary prints the lines figure; json-summary keeps it in coverage/coverage-summary.json.
  coverageReporters: ['text-summary', 'json-summary'],
  // npm test fails below 90 % of the lines of src/ run in-process (the bundle's runs in child processes do not count).
  coverageThreshold: { global: { lines: 90 } }
}
