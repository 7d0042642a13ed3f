import { ApiError, TransportError } from '../src/cloud/errors.js'
import { backoffMs, DEFAULT_BACKOFF, parseRetryAfter, RetriesExhaustedError, withRetries, type RetryContext } from '../src/cloud/retry.js'
import { FakeClock, MemoryLog } from './support/fakes.js'
import { DWS } from '../src/dws/operations.js'

const api = (status: number, code?: string, retryAfter?: string) =>
  new ApiError(DWS.createSnapshot, status, code, 'msg', 'req-1', undefined, retryAfter)

function context(maxAttempts = 5, random = () => 0.5): RetryContext & { clock: FakeClock; log: MemoryLog } {
  return {
    policy: { ...DEFAULT_BACKOFF, maxAttempts },
    clock: new FakeClock(),
    log: new MemoryLog(),
    stats: { requests: 0, retries: 0 },
    random
  }
}

describe('backoffMs', () => {
  test.each([
    [1, 1, 1000],
    [2, 1, 2000],
    [3, 1, 4000],
    [5, 1, 16000],
    [6, 1, 30000],
    [10, 1, 30000],
    [3, 0.5, 2000],
    [3, 0, 0]
  ])('attempt %i with random %f waits %i ms (full jitter, capped at 30 s)', (attempt, random, expected) => {
    expect(backoffMs(attempt, 1000, 30000, () => random)).toBe(expected)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 10, 28, 12, 0, 0)
  test.each([
    ['7', 7000],
    [' 0 ', 0],
    ['Sat, 28 Nov 2026 12:00:30 GMT', 30000],
    ['Sat, 28 Nov 2026 11:59:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined]
  ])('%j → %j ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected)
  })
})

describe('withRetries', () => {
  test('retries transient failures with growing jittered delays, then succeeds', async () => {
    const ctx = context()
    const failures = [api(503), new TransportError(DWS.createSnapshot, 'reset', 'h', true, 'reset'), api(429)]
    const result = await withRetries(async () => {
      const next = failures.shift()
      if (next) throw next
      return 'ok'
    }, ctx)
    expect(result).toBe('ok')
    expect(ctx.clock.sleeps).toEqual([500, 1000, 2000])
    // Requests are counted where they are sent (the cloud API); withRetries counts the retries.
    expect(ctx.stats).toEqual({ requests: 0, retries: 3 })
    expect(ctx.log.lines.filter((l) => /trying again in/.test(l))).toHaveLength(3)
    expect(ctx.log.text).toMatch(/HTTP 503.*attempt 1 of 5, trying again in 500ms/)
  })

  test('honours Retry-After, capped', async () => {
    const ctx = context()
    const failures = [api(429, 'APIGW.0308', '3'), api(503, undefined, '3600')]
    await withRetries(async () => {
      const next = failures.shift()
      if (next) throw next
      return 1
    }, ctx)
    expect(ctx.clock.sleeps).toEqual([3000, 60000])
    expect(ctx.log.text).toContain('as Retry-After asks')
  })

  test.each([
    ['400', api(400, 'DWS.0001')],
    ['401', api(401, 'APIGW.0301')],
    ['403', api(403, 'DWS.0015')],
    ['404', api(404, 'DWS.0047')],
    ['busy 409', api(409, 'DWS.0011')],
    ['busy 403', api(403, 'DWS.7023')],
    ['dns', new TransportError(DWS.getSnapshot, 'dns', 'dws.nowhere', false, 'ENOTFOUND')],
    ['tls', new TransportError(DWS.getSnapshot, 'tls', 'dws.x', false, 'cert')]
  ])('never retries a %s failure', async (_label, error) => {
    const ctx = context()
    let calls = 0
    await expect(
      withRetries(async () => {
        calls++
        throw error
      }, ctx)
    ).rejects.toBe(error)
    expect(calls).toBe(1)
    expect(ctx.clock.sleeps).toEqual([])
  })

  test('gives up after max_attempts, saying how many were made and the last answer', async () => {
    const ctx = context(3)
    let calls = 0
    const promise = withRetries(async () => {
      calls++
      throw api(502, 'APIGW.0201')
    }, ctx)
    await expect(promise).rejects.toBeInstanceOf(RetriesExhaustedError)
    await expect(promise).rejects.toThrow(/HTTP 502 \(bad gateway\) APIGW\.0201: msg \(request id req-1\) \(gave up after 3 attempts\)/)
    expect(calls).toBe(3)
    expect(ctx.clock.sleeps).toHaveLength(2)
  })

  test('with max_attempts 1 the original error is returned unchanged', async () => {
    const error = api(503)
    await expect(withRetries(async () => Promise.reject(error), context(1))).rejects.toBe(error)
  })

  test('beforeRetry can settle the call instead of a new attempt', async () => {
    const ctx = context()
    let calls = 0
    const result = await withRetries(
      async () => {
        calls++
        throw new TransportError(DWS.createSnapshot, 'timeout', 'h', true, 'deadline')
      },
      ctx,
      { beforeRetry: async () => 'found' }
    )
    expect(result).toBe('found')
    expect(calls).toBe(1)
  })

  test('no pause runs past the deadline, Retry-After included: the call gives up instead', async () => {
    const ctx = context()
    ctx.deadline = ctx.clock.now() + 10_000
    const error = await withRetries(async () => Promise.reject(api(429, 'APIGW.0308', '30')), ctx).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RetriesExhaustedError)
    expect((error as Error).message).toMatch(/gave up after 1 attempt, as the step reached wait_timeout/)
    expect(ctx.clock.sleeps).toEqual([])
  })

  test('untilDeadline keeps going past max_attempts, each pause capped, and stops at the deadline', async () => {
    const ctx = context(2, () => 1)
    ctx.deadline = ctx.clock.now() + 60_000
    let calls = 0
    const error = await withRetries(
      async () => {
        calls++
        throw api(503)
      },
      ctx,
      { untilDeadline: true, capMs: 5_000 }
    ).catch((e: unknown) => e)
    expect(calls).toBeGreaterThan(10)
    expect(Math.max(...ctx.clock.sleeps)).toBeLessThanOrEqual(5_000)
    expect(ctx.clock.now() - Date.UTC(2026, 10, 28, 12)).toBeLessThanOrEqual(60_000)
    expect((error as RetriesExhaustedError).atDeadline).toBe(true)
  })
})
