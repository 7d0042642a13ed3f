/**
 * A base URL given by the user (endpoint, iam_endpoint) or derived from the region, and the rule that
 * credentials only travel over https. Pure.
 */
import { quoteInput } from '../../kernel/sanitize.js'
import { InputError } from './input-error.js'

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]'])

function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname)
}

/**
 * The value as an error may quote it: everything before the last `@` could be a user and password
 * (also in values the URL parser rejects, or reads as a path), and a query or fragment could carry a token.
 */
function quotableUrl(value: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value)?.[0] ?? ''
  const at = value.lastIndexOf('@')
  const masked = at < 0 ? value : `${scheme}***${value.slice(at)}`
  return quoteInput(masked.replace(/([?#]).*/s, '$1***'))
}

/**
 * Parses a base URL given by the user (or derived) and refuses anything that would send signed
 * requests in clear text: `http://` is only allowed to loopback, where the emulator runs.
 */
export function parseBaseUrl(value: string, input: string): URL {
  const shown = quotableUrl(value)
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InputError(input, `${shown} is not a URL; expected e.g. https://dws.cn-north-4.myhuaweicloud.com`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(input, `${shown} must start with https://`)
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new InputError(input, `${shown} uses http://; only https:// is allowed (http:// only for a loopback emulator)`)
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError(input, `${shown} must be a plain base URL without credentials, query or fragment`)
  }
  return url
}
