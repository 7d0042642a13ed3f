/** Clearly fake identities the emulator accepts when the caller configures none. */
export const EMULATOR_DEFAULTS = {
  region: 'cn-north-4',
  // 32 hex digits like a real project id, but obviously made up.
  projectId: 'e0000000000000000000000000000001',
  clusterId: 'e0000000-0000-4000-8000-000000000001',
  clusterName: 'emulator-cluster',
  accessKeyId: 'EMULATORACCESSKEY001',
  secretAccessKey: 'EmulatorSecretAccessKeyNotARealSecret001',
  authToken: 'emulator-iam-token-not-a-real-token',
  /** Keyless sign-in: the account, OIDC provider, agency and IAM v3 identity provider the emulator trusts. */
  providerUrn: 'iam::e0000000000000000000000000000002:oidcProvider:github-actions',
  agencyUrn: 'iam::e0000000000000000000000000000002:agency:dws-snapshot',
  idpId: 'github-actions',
  audience: 'sts.huaweicloud.com',
  idTokenRequestToken: 'emulator-id-token-request-token-not-a-real-secret',
  /** Short, so a demo run finishes quickly; tests inject a clock instead. */
  creatingMs: 2000
} as const
