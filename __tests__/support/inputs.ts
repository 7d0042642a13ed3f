/** Inputs of each action as a step would give them: its action.yml's declared names and defaults, read from the file. */
import { InputError } from '../../src/action/inputs/input-error.js'
import { Inputs } from '../../src/action/inputs/reader.js'
import { readActionMetadata } from '../../src/action/runner/metadata.js'

export const SNAPSHOT_METADATA = readActionMetadata(new URL('../../action.yml', import.meta.url))
export const RESTORE_METADATA = readActionMetadata(new URL('../../restore/action.yml', import.meta.url))

export function snapshotInputs(values: Record<string, string>): Inputs {
  return new Inputs((name) => values[name] ?? '', SNAPSHOT_METADATA)
}

export function restoreInputs(values: Record<string, string>): Inputs {
  return new Inputs((name) => values[name] ?? '', RESTORE_METADATA)
}

/** The InputError `read` throws; fails the test when it throws another error or none. */
export function inputErrorOf(read: () => unknown): InputError {
  try {
    read()
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('expected an InputError')
}
