/** The pieces of keyless sign-in that need no network: renewal timing, session names, ID-token claims and failures. */
import { describeClaims, freshIdToken, idTokenClaims, isTransientIdTokenFailure, IdTokenError } from '../src/auth/github-id-token.js'
import { toSessionName, SessionNameError } from '../src/auth/session-name.js'
import { expiringCredentials, RENEW_BEFORE_MS, type Session, type SignedIn } from '../src/auth/session.js'
import { FakeClock, MemoryLog } from './support/fakes.js'

const MINUTE = 60_000
const clean = (text: string): string => text

function session(n: number, expiresAt: number): Session {
  return { credentials: { kind: 'token', token: `token-${n}` }, expiresAt, identity: `user-${n}` }
}

describe('expiringCredentials', () => {
  test('signs in on first use, reuses until 5 minutes before expiry, then signs in again', async () => {
    const clock = new FakeClock(0)
    const log = new MemoryLog()
    const seen: SignedIn[] = []
    let n = 0
    const provider = expiringCredentials(() => Promise.resolve(session(++n, clock.now() + 60 * MINUTE)), {
      clock,
      log,
      onSignedIn: (s) => seen.push(s)
    })
    expect(await provider.get()).toEqual({ kind: 'token', token: 'token-1' })
    clock.time = 60 * MINUTE - RENEW_BEFORE_MS - 1
    expect(await provider.get()).toEqual({ kind: 'token', token: 'token-1' })
    clock.time += 1
    expect(await provider.get()).toEqual({ kind: 'token', token: 'token-2' })
    expect(seen.map((s) => s.count)).toEqual([1, 2])
    expect(log.lines).toEqual([
      'info: Signed in as user-1, expiring at 1970-01-01T01:00:00Z',
      'info: Signed in again as user-2, expiring at 1970-01-01T01:55:00Z'
    ])
  })

  test('one sign-in for requests that ask at once; invalidate forces the next', async () => {
    const clock = new FakeClock(0)
    let n = 0
    const provider = expiringCredentials(() => Promise.resolve(session(++n, 3600 * 1000)), { clock, log: new MemoryLog() })
    const [a, b] = await Promise.all([provider.get(), provider.get()])
    expect(a).toBe(b)
    expect(n).toBe(1)
    provider.invalidate()
    expect(await provider.get()).toEqual({ kind: 'token', token: 'token-2' })
  })

  test('a session shorter than twice the margin is renewed halfway, not on every request', async () => {
    const clock = new FakeClock(0)
    let n = 0
    const provider = expiringCredentials(() => Promise.resolve(session(++n, clock.now() + 4 * MINUTE)), { clock, log: new MemoryLog() })
    await provider.get()
    clock.time = 2 * MINUTE - 1
    await provider.get()
    expect(n).toBe(1)
    clock.time = 2 * MINUTE
    await provider.get()
    expect(n).toBe(2)
  })

  test('a failed sign-in is not cached: the next request tries again', async () => {
    const clock = new FakeClock(0)
    let n = 0
    const provider = expiringCredentials(() => (++n === 1 ? Promise.reject(new Error('no')) : Promise.resolve(session(n, 3600 * 1000))), {
      clock,
      log: new MemoryLog()
    })
    await expect(provider.get()).rejects.toThrow('no')
    expect(await provider.get()).toEqual({ kind: 'token', token: 'token-2' })
  })
})

describe('toSessionName', () => {
  test('valid names pass unchanged', () => {
    expect(toSessionName('github-123-1')).toEqual({ value: 'github-123-1', changes: [] })
    expect(toSessionName('a_b+c=d,e.f@g-h')).toEqual({ value: 'a_b+c=d,e.f@g-h', changes: [] })
  })
  test('other characters become -, and it is cut at 128', () => {
    expect(toSessionName('Release workflow/main').value).toBe('Release-workflow-main')
    const long = toSessionName('x'.repeat(200))
    expect(long.value).toHaveLength(128)
    expect(long.changes).toEqual(['cut to 128 characters'])
  })
  test('shorter than 2 characters is an error', () => {
    expect(() => toSessionName('x')).toThrow(SessionNameError)
  })
})

describe('the ID token', () => {
  const jwt = (claims: object): string => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`

  test('only the non-secret claims a trust policy tests are shown, each cleaned', () => {
    const claims = idTokenClaims(
      jwt({
        iss: 'https://token.actions.githubusercontent.com',
        aud: ['a', 'b'],
        sub: 'repo:o/r:environment:prod',
        environment: 'prod',
        jti: 'x',
        actor: 'octocat'
      }),
      (t) => t.toUpperCase()
    )
    expect(claims).toEqual({
      iss: 'HTTPS://TOKEN.ACTIONS.GITHUBUSERCONTENT.COM',
      aud: 'A, B',
      sub: 'REPO:O/R:ENVIRONMENT:PROD',
      environment: 'PROD'
    })
    expect(describeClaims({ iss: 'i', sub: 's' })).toBe('iss=i, sub=s')
  })

  test('a token that cannot be read has no claims', () => {
    expect(idTokenClaims('not-a-jwt', clean)).toEqual({})
    expect(idTokenClaims('a.!!!.c', clean)).toEqual({})
    expect(idTokenClaims(`a.${Buffer.from('[1]').toString('base64url')}.c`, clean)).toEqual({})
    expect(describeClaims({})).toBe('(the ID token could not be read)')
  })

  test.each<[string, boolean]>([
    ['Error message: Failed to get ID Token. \n Error Code : 503\n Error Message: unavailable', true],
    ['Failed to get ID Token. Error Code : 429', true],
    ['Failed to get ID Token. Error Code : undefined Error Message: connect ECONNREFUSED 127.0.0.1:1', true],
    ['read ECONNRESET', true],
    ['Failed to get ID Token. Error Code : 403 Error Message: forbidden', false],
    ['Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable', false]
  ])('%j transient: %s', (message, transient) => {
    expect(isTransientIdTokenFailure(message)).toBe(transient)
  })

  test('fetched fresh, registered as a secret; a 4xx is not retried', async () => {
    const clock = new FakeClock(0)
    const registered: string[] = []
    const deps = { clock, log: new MemoryLog(), clean, registerSecret: (v: string) => registered.push(v) }
    expect(await freshIdToken('aud', { ...deps, idToken: (a) => Promise.resolve(`jwt-for-${a}`) })).toBe('jwt-for-aud')
    expect(registered).toEqual(['jwt-for-aud'])
    let calls = 0
    const refused = freshIdToken('aud', { ...deps, idToken: () => (calls++, Promise.reject(new Error('Error Code : 403'))) })
    await expect(refused).rejects.toThrow(IdTokenError)
    expect(calls).toBe(1)
    await expect(freshIdToken('aud', { ...deps, idToken: () => Promise.resolve('') })).rejects.toThrow(/empty token/)
  })
})
