/**
 * What a step of the action is given and gives back against the emulator, the same whether the
 * action runs in-process (in-process.ts) or as the bundle (e2e-harness.ts).
 */
import { EMULATOR_DEFAULTS as D, type SnapshotRecord } from '../../emulator/index.js'

export const SECURITY_TOKEN = 'EmulatorSecurityTokenNotARealSecret-xyz'
/** Temporary keys: the emulator accepts them only with SECURITY_TOKEN. */
export const TEMP_KEY = {
  accessKeyId: 'EMULATORTEMPKEY00001',
  secretAccessKey: 'EmulatorTempSecretNotARealSecret0001',
  securityToken: SECURITY_TOKEN
}
/** The emulator's keys: its own pair, and the temporary ones. */
export const ACCESS_KEYS = [{ accessKeyId: D.accessKeyId, secretAccessKey: D.secretAccessKey }, TEMP_KEY]

/** Annotation titles name the action first: `DWS snapshot: Invalid input`. */
export const TITLE_PREFIX = 'DWS snapshot: '

/** The inputs of a step that snapshots the emulator's cluster with its access keys, then `overrides`. */
export function stepInputs(endpoint: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    cluster_id: D.clusterId,
    region: D.region,
    project_id: D.projectId,
    endpoint,
    access_key_id: D.accessKeyId,
    secret_access_key: D.secretAccessKey,
    ...overrides
  }
}

/** Every output of a step that created `snap` of the emulator's cluster and waited until it was AVAILABLE. */
export function expectAvailableOutputs(outputs: Record<string, string>, snap: SnapshotRecord): void {
  expect(outputs).toEqual({
    snapshot_name: snap.name,
    snapshot_id: snap.id,
    created: 'true',
    status: 'AVAILABLE',
    started_at: snap.started,
    finished_at: snap.finished,
    size_gb: '1.5',
    duration_seconds: String((Date.parse(snap.finished) - Date.parse(snap.started)) / 1000),
    deleted_snapshots: '[]',
    snapshots: expect.any(String)
  })
  expect(JSON.parse(outputs.snapshots!)).toEqual([
    expect.objectContaining({
      cluster_id: D.clusterId,
      snapshot_id: snap.id,
      snapshot_name: snap.name,
      status: 'AVAILABLE',
      created: true,
      size_gb: 1.5,
      error: ''
    })
  ])
}
