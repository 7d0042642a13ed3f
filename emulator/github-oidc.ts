/**
 * GitHub's OIDC token service as a runner sees it: RS256 ID tokens with the claims GitHub issues,
 * its JWKS, and the verification a relying party (STS, IAM) does with them. node:crypto only.
 */
import { createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto'

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'

export type Claims = Record<string, string | number>

/** What a relying party found wrong with a token; undefined when it is good. */
export type TokenProblem = 'malformed' | 'signature' | 'issuer' | 'audience' | 'expired' | 'not yet valid'

const base64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url')

export class GitHubOidc {
  private pair: { privateKey: KeyObject; publicKey: KeyObject } | undefined
  readonly kid = randomUUID()

  constructor(
    readonly issuer: string,
    private readonly baseClaims: Claims,
    private readonly ttlMs: number
  ) {}

  /** Made on first use: an RSA key takes up to a second, and most emulators never issue a token. */
  private get privateKey(): KeyObject {
    return this.keys().privateKey
  }

  private get publicKey(): KeyObject {
    return this.keys().publicKey
  }

  private keys(): { privateKey: KeyObject; publicKey: KeyObject } {
    this.pair ??= generateKeyPairSync('rsa', { modulusLength: 2048 })
    return this.pair
  }

  /** A signed ID token for `audience` (GitHub's default is the owner's URL), valid from `nowMs` for the configured lifetime. */
  issue(audience: string | undefined, nowMs: number): string {
    const now = Math.floor(nowMs / 1000)
    const owner = String(this.baseClaims.repository_owner ?? 'acme')
    const claims: Claims = {
      jti: randomUUID(),
      ...this.baseClaims,
      aud: audience ?? `https://github.com/${owner}`,
      iss: this.issuer,
      iat: now,
      nbf: now - 5,
      exp: Math.floor((nowMs + this.ttlMs) / 1000)
    }
    const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: this.kid }))
    const payload = base64url(JSON.stringify(claims))
    const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), this.privateKey)
    return `${header}.${payload}.${base64url(signature)}`
  }

  jwks(): { keys: object[] } {
    const jwk = this.publicKey.export({ format: 'jwk' })
    return { keys: [{ ...jwk, kid: this.kid, alg: 'RS256', use: 'sig' }] }
  }

  /** Verifies signature (against the published JWKS), issuer, audience and time, as STS and IAM do. */
  check(jwt: string, audiences: readonly string[], nowMs: number): { claims: Claims } | { problem: TokenProblem } {
    const parts = jwt.split('.')
    if (parts.length !== 3) return { problem: 'malformed' }
    const [header = '', payload = '', signature = ''] = parts
    let head: unknown
    let claims: unknown
    try {
      head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'))
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    } catch {
      return { problem: 'malformed' }
    }
    if (!isRecord(head) || !isRecord(claims)) return { problem: 'malformed' }
    const key = this.jwks().keys.find((k) => (k as { kid?: string }).kid === head.kid)
    if (head.alg !== 'RS256' || key === undefined) return { problem: 'signature' }
    const publicKey = createPublicKey({ key: key as import('node:crypto').JsonWebKey, format: 'jwk' })
    if (!verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))) {
      return { problem: 'signature' }
    }
    // The providers trust GitHub's issuer: tokens issued under another (an emulator option) are refused.
    if (claims.iss !== GITHUB_ISSUER) return { problem: 'issuer' }
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
    if (!aud.some((a) => typeof a === 'string' && audiences.includes(a))) return { problem: 'audience' }
    const now = nowMs / 1000
    if (typeof claims.exp !== 'number' || claims.exp <= now) return { problem: 'expired' }
    if (typeof claims.nbf === 'number' && claims.nbf > now + 60) return { problem: 'not yet valid' }
    return { claims: claims as Claims }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** IAM's StringMatch: `*` any run of characters, `?` one character, the rest literal. */
export function stringMatch(pattern: string, value: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${source}$`, 's').test(value)
}

/** The claims GitHub puts in a token for a push to main of acme/shop-api (the e2e harness's workflow context). */
export const DEFAULT_GITHUB_CLAIMS: Claims = {
  sub: 'repo:acme/shop-api:ref:refs/heads/main',
  ref: 'refs/heads/main',
  sha: '0123456789abcdef0123456789abcdef01234567',
  repository: 'acme/shop-api',
  repository_owner: 'acme',
  repository_id: '700000001',
  repository_owner_id: '700000002',
  repository_visibility: 'private',
  run_id: '987654321',
  run_number: '42',
  run_attempt: '1',
  actor: 'octocat',
  workflow: 'Release',
  event_name: 'push',
  ref_type: 'branch',
  job_workflow_ref: 'acme/shop-api/.github/workflows/release.yml@refs/heads/main',
  runner_environment: 'github-hosted'
}
