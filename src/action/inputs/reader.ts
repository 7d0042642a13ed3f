/**
 * Reading an action's inputs: trimmed, with action.yml's defaults, and typed (booleans, whole
 * numbers, choices, durations) with an error that names the input and what is wrong. Pure: the
 * runner's reader and the metadata are passed in.
 */
import { durationForm, parseDuration, type DurationUnits } from '../../kernel/duration.js'
import { quoteInput } from '../../kernel/sanitize.js'
import type { ActionMetadata } from '../runner/metadata.js'
import { InputError } from './input-error.js'

export class Inputs {
  constructor(
    private readonly read: (name: string) => string,
    readonly metadata: ActionMetadata
  ) {}

  /** The trimmed value, '' when not given. Only declared inputs can be read: a typo here is a bug. */
  get(name: string): string {
    if (!this.metadata.inputs.includes(name)) throw new Error(`internal error: '${name}' is not an input in action.yml`)
    return this.read(name).trim()
  }

  /** The value, or action.yml's default when not given. */
  orDefault(name: string): string {
    const value = this.get(name)
    if (value) return value
    const fallback = this.metadata.defaults[name]
    if (fallback === undefined) throw new Error(`internal error: input '${name}' has no default in action.yml`)
    return fallback
  }

  boolean(name: string): boolean {
    const value = this.orDefault(name)
    // The YAML 1.2 core-schema spellings, as @actions/core's getBooleanInput accepts them.
    if (['true', 'True', 'TRUE'].includes(value)) return true
    if (['false', 'False', 'FALSE'].includes(value)) return false
    throw new InputError(name, `${quoteInput(value)} is not a boolean; use true or false`)
  }

  /** A whole number in [min, max]; `value` when the caller has it from elsewhere. */
  integer(name: string, min: number, max: number, value = this.orDefault(name)): number {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InputError(name, `${quoteInput(value)} must be a whole number from ${min} to ${max}`)
    }
    return Number(value)
  }

  choice<T extends string>(name: string, choices: readonly T[]): T {
    const value = this.orDefault(name)
    const found = choices.find((c) => c === value.toLowerCase())
    if (!found) throw new InputError(name, `${quoteInput(value)} is not one of: ${choices.join(', ')}`)
    return found
  }

  /** Milliseconds within [range.min, range.max] (each said in the error as written, e.g. '5s'). */
  duration(name: string, range: DurationRange, units: DurationUnits = {}): number {
    return readDuration(this.orDefault(name), name, range, units)
  }
}

export interface DurationRange {
  min: { ms: number; text: string }
  max?: { ms: number; text: string }
}

export function readDuration(text: string, input: string, range: DurationRange, units: DurationUnits = {}): number {
  const ms = parseDuration(text, units)
  if (ms === undefined) throw new InputError(input, `${quoteInput(text)} is not ${durationForm(units)}`)
  if (ms === Number.POSITIVE_INFINITY) throw new InputError(input, `${quoteInput(text)} is too long a duration`)
  const { min, max } = range
  if (ms < min.ms || (max !== undefined && ms > max.ms)) {
    const bounds = max === undefined ? `at least ${min.text}` : `between ${min.text} and ${max.text}`
    throw new InputError(input, `must be ${bounds} (got ${quoteInput(text)})`)
  }
  return ms
}

/** The entries of a list input: split on line breaks (and commas, where entries cannot hold one), trimmed, empty ones dropped. */
export function listEntries(text: string, commas = true): string[] {
  return text
    .split(commas ? /[\n,]/ : /\n/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
}
