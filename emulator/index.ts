/** The DWS + IAM emulator for tests, the demo and local trials. Not part of the action's bundle. */
export { startEmulator } from './server.js'
export { EMULATOR_DEFAULTS } from './defaults.js'
export { CLOCK_SKEW_MS } from './auth.js'
export { iam5Error, keystoneError } from './responses.js'
export { GITHUB_ISSUER, stringMatch } from './github-oidc.js'
export type {
  AccessKey,
  BusyAnswer,
  ClusterConfig,
  ContentEncoding,
  Emulator,
  EmulatorOptions,
  Fault,
  OffsetReading,
  OidcOptions,
  ProgressShape,
  ProjectConfig,
  RecordedRequest,
  RouteName,
  SnapshotFailureDetail,
  SnapshotPlan,
  SnapshotRecord,
  SnapshotSeed,
  SnapshotStatus,
  SnapshotView,
  UnknownClusterAnswer
} from './types.js'
