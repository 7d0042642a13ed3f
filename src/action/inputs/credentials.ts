/**
 * Keys or a token given to the step: from its inputs, or from one family of environment variables
 * (what huaweicloud/auth-action exports, or the names Huawei's SDKs read). Pure.
 */
import type { Credentials } from '../../cloud/credentials.js'
import type { Env } from '../runner/io.js'
import { InputError } from './input-error.js'
import type { Inputs } from './reader.js'
import { emptyInputHint } from './unknown.js'

/** Where the credentials were read: the action's inputs, one family of environment variables, or a keyless sign-in. */
export type CredentialSource = 'input' | 'HUAWEI_CLOUD_*' | 'HUAWEICLOUD_SDK_*' | 'oidc-sts' | 'oidc-iam'

/** Each environment family: a key pair and the security token issued with it, never mixed with another family. */
const ENV_FAMILIES = [
  {
    source: 'HUAWEI_CLOUD_*',
    accessKeyId: 'HUAWEI_CLOUD_ACCESS_KEY_ID',
    secretAccessKey: 'HUAWEI_CLOUD_SECRET_ACCESS_KEY',
    securityToken: 'HUAWEI_CLOUD_SECURITY_TOKEN'
  },
  {
    // The names Huawei's SDKs read (e.g. the Java SDK's EnvCredentialProvider).
    source: 'HUAWEICLOUD_SDK_*',
    accessKeyId: 'HUAWEICLOUD_SDK_AK',
    secretAccessKey: 'HUAWEICLOUD_SDK_SK',
    securityToken: 'HUAWEICLOUD_SDK_SECURITY_TOKEN'
  }
] as const

export interface SourcedCredentials {
  credentials: Credentials
  source: CredentialSource
}

/**
 * Explicit inputs win over the environment, and credentials are only ever taken from one place:
 * an access key from one source with a secret from another would fail as a confusing 401, and a
 * security token left in the environment by an earlier step must not be signed with other keys.
 */
export function readCredentials(inputs: Inputs, env: Env): SourcedCredentials {
  const fromInput = (name: string): string => headerSafe(inputs.get(name), name, '')
  const token = fromInput('auth_token')
  const ak = fromInput('access_key_id')
  const sk = fromInput('secret_access_key')
  const securityToken = fromInput('security_token')
  if (token) {
    if (ak || sk) {
      throw new InputError('auth_token', 'give either auth_token or access_key_id/secret_access_key, not both')
    }
    if (securityToken) {
      throw new InputError('security_token', 'goes with temporary access keys, not with auth_token')
    }
    return { credentials: { kind: 'token', token }, source: 'input' }
  }
  if (ak || sk) {
    if (!ak) throw new InputError('access_key_id', 'is required when secret_access_key is given')
    if (!sk) throw new InputError('secret_access_key', 'is required when access_key_id is given')
    return { credentials: akskCredentials(ak, sk, securityToken), source: 'input' }
  }
  if (securityToken) {
    throw new InputError(
      'security_token',
      'is given without access_key_id and secret_access_key; a security token is only valid with the temporary keys issued with it'
    )
  }
  for (const family of ENV_FAMILIES) {
    const found = readEnvFamily(env, family)
    if (found) return { credentials: found, source: family.source }
  }
  throw new InputError(
    'access_key_id',
    'no credentials: set access_key_id and secret_access_key (or run huaweicloud/auth-action before this step), or auth_token',
    emptyInputHint(env, inputs.metadata.inputs, 'a credential', ['access_key_id', 'secret_access_key', 'auth_token'])
  )
}

/** Key variables set in the environment, by name (never value). */
export function envKeysPresent(env: Env): string[] {
  return ENV_FAMILIES.flatMap((f) => [f.accessKeyId, f.secretAccessKey, f.securityToken]).filter((name) => env[name]?.trim())
}

/** The family's credentials, undefined when its key pair is not set at all, or an error when only half is. */
function readEnvFamily(env: Env, family: (typeof ENV_FAMILIES)[number]): Credentials | undefined {
  const fromEnv = (name: string, input: string): string => headerSafe(env[name]?.trim() ?? '', input, `env ${name} `)
  const ak = fromEnv(family.accessKeyId, 'access_key_id')
  const sk = fromEnv(family.secretAccessKey, 'secret_access_key')
  if (!ak && !sk) return undefined
  if (!ak) throw new InputError('access_key_id', `env ${family.secretAccessKey} is set but ${family.accessKeyId} is empty`)
  if (!sk) throw new InputError('secret_access_key', `env ${family.accessKeyId} is set but ${family.secretAccessKey} is empty`)
  return akskCredentials(ak, sk, fromEnv(family.securityToken, 'security_token'))
}

function akskCredentials(accessKeyId: string, secretAccessKey: string, securityToken: string): Credentials {
  return securityToken ? { kind: 'aksk', accessKeyId, secretAccessKey, securityToken } : { kind: 'aksk', accessKeyId, secretAccessKey }
}

/** What a header value may hold: printable ASCII, no spaces, no line breaks (after trimming). */
const HEADER_SAFE = /^[\x21-\x7e]*$/

/**
 * Returns `value` if it can be sent in an HTTP header; otherwise an error that says what is wrong
 * and where, never the value: it is a secret (and a pasted line break would split the header).
 * `label` names an env variable the value came from ('' for the input itself).
 */
function headerSafe(value: string, input: string, label: string): string {
  if (HEADER_SAFE.test(value)) return value
  let position = 0
  for (const ch of value) {
    position += 1
    const problem = describeUnsafe(ch)
    if (problem) {
      throw new InputError(
        input,
        `${label}contains ${problem} at position ${position} of the trimmed value; ` +
          'credentials are printable ASCII without spaces (the value is not shown)'
      )
    }
  }
  return value
}

function describeUnsafe(ch: string): string | undefined {
  const code = ch.codePointAt(0) ?? 0
  if (code >= 0x21 && code <= 0x7e) return undefined
  if (ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029' || ch === '\u0085') return 'a line break'
  if (ch === ' ') return 'a space'
  if (ch === '\t') return 'a tab'
  // The code point of a character that cannot be part of a valid credential reveals nothing of it.
  const codePoint = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
  return code < 0x20 || code === 0x7f ? `a control character (${codePoint})` : `a non-ASCII character (${codePoint})`
}
