/**
 * Scrubs secret values from any text before it is printed. `::add-mask::` only protects what the
 * runner prints, and only the exact bytes; this also covers local runs and messages that quote a
 * request back in some encoding (the gateway's 401 echoes its canonical request, which holds the
 * signed X-Security-Token; a server may echo a body as JSON, HTML, form data or base64). Pure.
 */
export type Redact = (text: string) => string

export const MASK = '***'

/** Base64 forms shorter than this are too likely to occur by chance in unrelated text. */
const MIN_BASE64_FORM = 8

/**
 * Secrets can be added at any time (temporary credentials arrive mid-run, again at every renewal);
 * `redact` always uses every secret added so far. Each secret's pattern is built once, when it is
 * added: a run that renews its credentials every few minutes never recompiles the earlier ones.
 */
export class SecretRegistry {
  private readonly secrets = new Map<string, RegExp>()
  /** the patterns, longest secret first, so a secret that contains another is masked whole */
  private ordered: RegExp[] | undefined

  constructor(secrets: readonly string[] = []) {
    for (const secret of secrets) this.add(secret)
  }

  /** Registers a secret; empty strings and repeats are ignored. */
  add(secret: string): void {
    if (!secret || this.secrets.has(secret)) return
    this.secrets.set(secret, secretPattern(secret))
    this.ordered = undefined
  }

  /** A bound function, so it can be handed around like any `Redact`. */
  readonly redact: Redact = (text) => {
    let masked = scrubCredentialPatterns(text)
    this.ordered ??= [...this.secrets].sort(([a], [b]) => b.length - a.length).map(([, pattern]) => pattern)
    for (const pattern of this.ordered) masked = masked.replace(pattern, MASK)
    return masked
  }
}

/** For callers whose secrets are all known up front. */
export function redactor(secrets: readonly string[]): Redact {
  return new SecretRegistry(secrets).redact
}

/**
 * Credentials recognised by shape, whoever registered what: a signed `Authorization` value, any hex
 * `Signature=`, and token headers echoed back (`X-Auth-Token: …`, IAM's `X-Subject-Token`, or
 * `x-security-token:…` in the canonical request, where the gateway writes `|` for line breaks).
 */
const AKSK_AUTHORIZATION = /\b(SDK-HMAC-SHA256)(?:[ \t]*,?[ \t]*(?:Access|SignedHeaders|Signature)=[^\s,|"'<>\\]*)+/g
const HEX_SIGNATURE = /\b(Signature=)[0-9A-Fa-f]+/gi
const TOKEN_HEADER = /\b(X-(?:Auth|Security|Subject)-Token)(["']?[ \t]*[:=][ \t]*["']?)[^\s|"'<>,;\\&]+/gi

function scrubCredentialPatterns(text: string): string {
  return text.replace(AKSK_AUTHORIZATION, `$1 ${MASK}`).replace(HEX_SIGNATURE, `$1${MASK}`).replace(TOKEN_HEADER, `$1$2${MASK}`)
}

/**
 * One RegExp for a secret: written as a pattern that matches it in any mix of the text encodings
 * below (a JSON encoder may escape some characters and not others), then its base64 forms, longest first.
 */
function secretPattern(secret: string): RegExp {
  const base64 = base64Forms(secret)
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
  return new RegExp([textPattern(secret), ...base64].join('|'), 'g')
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
}

/** A hex number that matches in upper or lower case: 'a9' → '[aA]9'. */
function anyCaseHex(hex: string): string {
  return hex.replace(/[a-f]/gi, (d) => `[${d.toLowerCase()}${d.toUpperCase()}]`)
}

const NAMED_ENTITY: Record<string, string[]> = {
  '&': ['&amp;'],
  '<': ['&lt;'],
  '>': ['&gt;'],
  '"': ['&quot;'],
  "'": ['&apos;']
}

/**
 * Every way one character of a secret is written in text that quotes it back: as itself;
 * percent-encoded (its UTF-8 bytes, either hex case, `+` for a space as forms write it); JSON-escaped
 * (`\"`, `\\`, `\/`, `\uXXXX` in either case, by UTF-16 unit); HTML-escaped (named entities,
 * `&#NN;`, `&#xHH;` with or without leading zeros).
 */
function characterPattern(ch: string): string {
  const alternatives = new Set<string>([escapeRegExp(ch)])
  const percent = [...Buffer.from(ch, 'utf8')].map((byte) => `%${anyCaseHex(byte.toString(16).padStart(2, '0'))}`).join('')
  alternatives.add(percent)
  if (ch === ' ') alternatives.add('\\+')
  const units = Array.from({ length: ch.length }, (_, i) => ch.charCodeAt(i))
  alternatives.add(units.map((unit) => `\\\\u${anyCaseHex(unit.toString(16).padStart(4, '0'))}`).join(''))
  if ('"\\/'.includes(ch)) alternatives.add(`\\\\${escapeRegExp(ch)}`)
  const code = ch.codePointAt(0) ?? 0
  alternatives.add(`&#0*${code};`)
  alternatives.add(`&#[xX]0*${anyCaseHex(code.toString(16))};`)
  for (const entity of NAMED_ENTITY[ch] ?? []) alternatives.add(escapeRegExp(entity))
  return alternatives.size === 1 ? escapeRegExp(ch) : `(?:${[...alternatives].join('|')})`
}

function textPattern(secret: string): string {
  return Array.from(secret, characterPattern).join('')
}

/**
 * The secret's UTF-8 bytes in base64 and base64url: whole (with and without padding), and the part
 * that stays the same wherever it sits in a longer blob. Preceded by k bytes (k = 0, 1, 2 cover every
 * alignment), output character i holds bits 6i..6i+5, so only the characters whose bits all come
 * from the secret are stable: from ceil(8k/6) up to floor(8(k+n)/6).
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  const standard: string[] = []
  const whole = bytes.toString('base64')
  standard.push(whole, whole.replace(/=+$/, ''))
  for (const k of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64')
    standard.push(encoded.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6)))
  }
  const urlSafe = standard.map((form) => form.replace(/\+/g, '-').replace(/\//g, '_'))
  return [...standard, ...urlSafe].filter((form) => form.length >= MIN_BASE64_FORM)
}
