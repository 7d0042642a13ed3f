/**
 * Every secret the run holds, from the moment it exists: masked on the runner and scrubbed (in
 * every encoding) from everything the action writes. Temporary credentials minted mid-run are
 * registered the same way.
 */
import { SecretRegistry, type Redact } from '../redact.js'
import type { ActionIO } from './io.js'

export class Secrets {
  private readonly registry = new SecretRegistry()
  readonly redact: Redact = this.registry.redact

  constructor(private readonly io: ActionIO) {}

  register(value: string): void {
    if (!value) return
    this.io.setSecret(value)
    this.registry.add(value)
  }
}
