import type { Clock } from '../../src/kernel/time.js'
import type { Log } from '../../src/kernel/log.js'

/** Virtual time: sleeping advances it at once and records the delay. */
export class FakeClock implements Clock {
  sleeps: number[] = []
  constructor(public time = Date.UTC(2026, 10, 28, 12, 0, 0)) {}
  now(): number {
    return this.time
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms)
    this.time += ms
  }
}

export class MemoryLog implements Log {
  lines: string[] = []
  info(m: string): void {
    this.lines.push(`info: ${m}`)
  }
  notice(m: string): void {
    this.lines.push(`notice: ${m}`)
  }
  warning(m: string): void {
    this.lines.push(`warning: ${m}`)
  }
  debug(m: string): void {
    this.lines.push(`debug: ${m}`)
  }
  get text(): string {
    return this.lines.join('\n')
  }
}
