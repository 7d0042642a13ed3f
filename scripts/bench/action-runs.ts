/** Runs of the action and of the reference create against the emulator, with the requests each made. */
import { EMULATOR_DEFAULTS as D, type Emulator, type RecordedRequest } from '../../emulator/index.js'
import type { Child, RunChild } from './child.js'
import { explain } from './fail.js'
import { BUNDLE } from './settings.js'

export const BASE_INPUTS = {
  cluster_id: D.clusterId,
  project_id: D.projectId,
  access_key_id: D.accessKeyId,
  secret_access_key: D.secretAccessKey
}

let runSeq = 0
/** A run id no earlier bench run used, so the emulator's duplicate-name check never fires. */
export const nextRunId = (): string => String(Date.now() % 1_000_000_000) + String(++runSeq).padStart(3, '0')

/** Requests the emulator recorded while `body` ran. */
export async function countRequests<T>(emulator: Emulator, body: () => Promise<T>): Promise<{ result: T; requests: RecordedRequest[] }> {
  const before = emulator.requests.length
  const result = await body()
  return { result, requests: emulator.requests.slice(before) }
}

/** Another way to the emulator: the endpoint to use instead of its own, and the CA that endpoint's certificate needs. */
export interface Via {
  url: string
  caFile: string
}

/** One create without waiting (wait: false). */
export async function actionCreate(
  runChild: RunChild,
  emulator: Emulator,
  measureRss = false,
  via?: Via
): Promise<{ run: Child; calls: number }> {
  const runId = nextRunId()
  const { result: run, requests } = await countRequests(emulator, () =>
    runChild(BUNDLE, {
      inputs: { ...BASE_INPUTS, endpoint: via?.url ?? emulator.url, name: `bench-{run_id}`, wait: 'false' },
      env: { GITHUB_RUN_ID: runId },
      measureRss,
      caFile: via?.caFile
    })
  )
  if (run.code !== 0 || !run.outputs.snapshot_id || run.outputs.created !== 'true') explain('action create (wait: false) failed', run)
  return { run, calls: requests.length }
}

/** The reference: the same signed create, nothing else. */
export async function referenceCreate(
  runChild: RunChild,
  refCreate: string,
  emulator: Emulator,
  measureRss = false,
  via?: Via
): Promise<{ run: Child; calls: number }> {
  const runId = nextRunId()
  const { result: run, requests } = await countRequests(emulator, () =>
    runChild(refCreate, {
      inputs: { ...BASE_INPUTS, endpoint: via?.url ?? emulator.url, name: `bench-ref-${runId}` },
      env: { GITHUB_RUN_ID: runId },
      measureRss,
      caFile: via?.caFile
    })
  )
  if (run.code !== 0 || !run.outputs.snapshot_id) explain('reference create failed', run)
  return { run, calls: requests.length }
}
