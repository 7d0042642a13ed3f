/**
 * Region → service base URLs, and the rule that credentials only travel over https.
 * Pure. The region table is a convenience, not a gate: any region string is accepted and
 * `endpoint`/`iam_endpoint` override what is derived (private endpoints, other clouds).
 */
import { InputError } from './input-error.js'

/** Regions whose endpoints are not under myhuaweicloud.com (the SDK's region table). */
const DOMAIN_BY_REGION: Record<string, string> = {
  'eu-west-101': 'myhuaweicloud.eu',
  'ap-southeast-4': 'myhuaweicloud.cn',
  'tr-west-1': 'myhuaweicloud.cn',
  'cn-south-4': 'myhuaweicloud.cn',
  'cn-north-12': 'myhuaweicloud.cn',
  'cn-east-4': 'myhuaweicloud.cn'
}

/** Open Telekom Cloud shares the DWS API under its own domain (eu-de is the documented one). */
const OTC_REGION = /^eu-de$/

function domainFor(region: string): string {
  if (OTC_REGION.test(region)) return 'otc.t-systems.com'
  return DOMAIN_BY_REGION[region] ?? 'myhuaweicloud.com'
}

export function dwsEndpointFor(region: string): string {
  return `https://dws.${region}.${domainFor(region)}`
}

export function iamEndpointFor(region: string): string {
  return `https://iam.${region}.${domainFor(region)}`
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]'])

function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname)
}

/**
 * Parses a base URL given by the user (or derived) and refuses anything that would send signed
 * requests in clear text: `http://` is only allowed to loopback, where the emulator runs.
 */
export function parseBaseUrl(value: string, input: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InputError(input, `'${value}' is not a URL; expected e.g. https://dws.cn-north-4.myhuaweicloud.com`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(input, `'${value}' must start with https://`)
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new InputError(input, `'${value}' uses http://; only https:// is allowed (http:// only for a loopback emulator)`)
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError(input, `'${value}' must be a plain base URL without credentials, query or fragment`)
  }
  return url
}
