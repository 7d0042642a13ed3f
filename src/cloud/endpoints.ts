/**
 * Region → service base URLs. Pure. The region tables are a convenience, not a gate: any region string is accepted and
 * `endpoint`/`iam_endpoint` override what is derived (private endpoints, other clouds).
 *
 * Rule: `https://<service>.<region>.myhuaweicloud.com`. The exceptions below are the ones the
 * official SDK's per-service region tables (DwsRegion, IamRegion, StsRegion) list; they differ per
 * service (cn-east-4 has DWS under .cn but IAM under .com), so each service has its own.
 */
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
