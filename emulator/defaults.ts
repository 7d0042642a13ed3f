import type { TableCatalogue } from './types.js'

/** public.orders is in the snapshots but no longer in the cluster: dropped by mistake, restorable under its own name. */
const TABLES: TableCatalogue = {
  snapshot: { shop: ['public.orders', 'public.customers', 'sales.invoices'] },
  live: { shop: ['public.customers', 'sales.invoices'] }
}

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
  creatingMs: 2000,
  /** How long a deleted cluster reads DELETING before it is gone. */
  deletingMs: 3000,
  /** The AVAILABLE snapshot the CLI seeds, so a restore can be tried at once. */
  snapshotId: 'e0000000-0000-4000-8000-00000000000a',
  snapshotName: 'emulator-snapshot',
  /** The source cluster's network, which a restored cluster inherits unless the restore names its own. */
  network: {
    vpcId: 'e0000000-0000-4000-8000-0000000000b1',
    subnetId: 'e0000000-0000-4000-8000-0000000000b2',
    securityGroupId: 'e0000000-0000-4000-8000-0000000000b3',
    availabilityZone: 'cn-north-4a'
  },
  tables: TABLES
} as const

/** A restore takes roughly 1.5-2x as long as the backup did (user guide): twice the CREATING time unless told otherwise. */
export function defaultRestoringMs(creatingMs: number): number {
  return 2 * creatingMs
}
