/**
 * Region → service base URLs, and the rule that credentials only travel over https.
 * Pure. The region tables are a convenience, not a gate: any region string is accepted and
 * `endpoint`/`iam_endpoint` override what is derived (private endpoints, other clouds).
 *
 * Rule: `https://<service>.<region>.myhuaweicloud.com`. The exceptions below are the ones the
 * official SDK's per-service region tables (DwsRegion, IamRegion, StsRegion) list; they differ per
 * service (cn-east-4 has DWS under .cn but IAM under .com), so each service has its own.
 */
import { InputError } from './input-error.js'
import { quoteInput } from './sanitize.js'

const DEFAULT_DOMAIN = 'myhuaweicloud.com'

/** Regions whose DWS endpoint is not under myhuaweicloud.com (SDK DwsRegion). */
export const DWS_DOMAIN_EXCEPTIONS: ReadonlyMap<string, string> = new Map([
  ['eu-west-101', 'myhuaweicloud.eu'],
  ['ap-southeast-4', 'myhuaweicloud.cn'],
  ['tr-west-1', 'myhuaweicloud.cn'],
  ['cn-south-4', 'myhuaweicloud.cn'],
  ['cn-north-12', 'myhuaweicloud.cn'],
  ['cn-east-4', 'myhuaweicloud.cn']
])

/** Regions whose IAM endpoint is not under myhuaweicloud.com (SDK IamRegion). */
export const IAM_DOMAIN_EXCEPTIONS: ReadonlyMap<string, string> = new Map([['eu-west-101', 'myhuaweicloud.eu']])

/** STS is only in some regions, so unlike DWS and IAM it is not derived for unknown ones (SDK StsRegion). */
export const STS_REGIONS: ReadonlySet<string> = new Set([
  'cn-north-4',
  'cn-south-1',
  'cn-east-3',
  'cn-southwest-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'sa-brazil-1',
  'la-south-2',
  'af-south-1',
  'tr-west-1'
])

/** Open Telekom Cloud serves the same DWS and IAM APIs under its own domain (eu-de is the documented region). */
const OTC_REGION = 'eu-de'
const OTC_DOMAIN = 'otc.t-systems.com'

function serviceUrl(service: string, region: string, exceptions: ReadonlyMap<string, string>): string {
  const domain = region === OTC_REGION ? OTC_DOMAIN : (exceptions.get(region) ?? DEFAULT_DOMAIN)
  return `https://${service}.${region}.${domain}`
}

export function dwsEndpointFor(region: string): string {
  return serviceUrl('dws', region, DWS_DOMAIN_EXCEPTIONS)
}

export function iamEndpointFor(region: string): string {
  return serviceUrl('iam', region, IAM_DOMAIN_EXCEPTIONS)
}

/** The STS endpoint of a region the SDK knows STS in, else undefined (the caller needs an explicit endpoint). */
export function stsEndpointFor(region: string): string | undefined {
  return STS_REGIONS.has(region) ? `https://sts.${region}.${DEFAULT_DOMAIN}` : undefined
}

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
