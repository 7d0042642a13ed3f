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
  ClusterRecord,
  ContentEncoding,
  Emulator,
  EmulatorOptions,
  Fault,
  FloodShape,
  OffsetReading,
  OidcOptions,
  ProgressShape,
  ProjectConfig,
  RecordedRequest,
  RestoreOutcome,
  RestorePlan,
  RouteName,
  SnapshotFailureDetail,
  SnapshotPlan,
  SnapshotRecord,
  SnapshotSeed,
  SnapshotStatus,
  SnapshotView,
  TableCatalogue,
  TableRestorePlan,
  TableRestoreRecord,
  UnknownClusterAnswer
} from './types.js'
