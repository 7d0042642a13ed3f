import { readFileSync } from 'node:fs'
import { Region } from '@huaweicloud/huaweicloud-sdk-core/region/region.js'
import { IamRegion } from '@huaweicloud/huaweicloud-sdk-iam/v3/IamRegion.js'
import {
  DWS_DOMAIN_EXCEPTIONS,
  IAM_DOMAIN_EXCEPTIONS,
  STS_REGIONS,
  dwsEndpointFor,
  iamEndpointFor,
  stsEndpointFor
} from '../src/cloud/endpoints.js'
import { parseBaseUrl } from '../src/action/inputs/base-url.js'
import { InputError } from '../src/action/inputs/input-error.js'

/** A region → endpoint table copied from the SDK's source (DWS and STS are not published on npm). */
interface SdkRegionTable {
  source: { repository: string; path: string; commit: string }
  regions: Record<string, string>
}

function sdkTable(file: string): Map<string, string> {
  const table = JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8')) as SdkRegionTable
  return new Map(Object.entries(table.regions))
}

/** Oracle: the IamRegion table of the published IAM SDK package, read from its static members. */
function sdkIamTable(): Map<string, string> {
  const regions = Object.values(IamRegion).filter((value): value is Region => value instanceof Region)
  return new Map(regions.map((region) => [region.id, region.endpoints[0]!]))
}

const SDK_DWS = sdkTable('sdk-dws-regions.json')
const SDK_STS = sdkTable('sdk-sts-regions.json')
const SDK_IAM = sdkIamTable()

describe('oracle tables', () => {
  // A filter that found nothing, or a fixture that lost its rows, would make every comparison below pass.
  test('are loaded and hold one endpoint per region', () => {
    expect(SDK_DWS.size).toBeGreaterThanOrEqual(31)
    expect(SDK_STS.size).toBeGreaterThanOrEqual(12)
    expect(SDK_IAM.size).toBeGreaterThanOrEqual(28)
    for (const id of SDK_IAM.keys()) expect(IamRegion.valueOf(id).endpoints).toHaveLength(1)
  })
})

describe.each([
  ['dws', SDK_DWS, dwsEndpointFor, DWS_DOMAIN_EXCEPTIONS],
  ['iam', SDK_IAM, iamEndpointFor, IAM_DOMAIN_EXCEPTIONS]
])('%s endpoints', (service, sdk, endpointFor, exceptions) => {
  test('every region of the SDK table derives the SDK endpoint', () => {
    const derived = [...sdk.keys()].map((region) => [region, endpointFor(region)])
    expect(Object.fromEntries(derived)).toEqual(Object.fromEntries(sdk))
  })

  test('every exception is in the SDK table with that domain', () => {
    for (const [region, domain] of exceptions) {
      expect([region, sdk.get(region)]).toEqual([region, `https://${service}.${region}.${domain}`])
    }
  })

  test('a region the SDK does not list follows the rule', () => {
    expect(endpointFor('xx-future-9')).toBe(`https://${service}.xx-future-9.myhuaweicloud.com`)
    expect(endpointFor('constructor')).toBe(`https://${service}.constructor.myhuaweicloud.com`)
  })

  test('eu-west-101 is under myhuaweicloud.eu and eu-de is Open Telekom Cloud', () => {
    expect(endpointFor('eu-west-101')).toBe(`https://${service}.eu-west-101.myhuaweicloud.eu`)
    expect(endpointFor('eu-de')).toBe(`https://${service}.eu-de.otc.t-systems.com`)
  })
})

test('IAM stays under .com where DWS moved to .cn', () => {
  expect(dwsEndpointFor('cn-east-4')).toBe('https://dws.cn-east-4.myhuaweicloud.cn')
  expect(iamEndpointFor('cn-east-4')).toBe('https://iam.cn-east-4.myhuaweicloud.com')
})

describe('stsEndpointFor', () => {
  test('every region of the SDK table gives the SDK endpoint', () => {
    const derived = [...SDK_STS.keys()].map((region) => [region, stsEndpointFor(region)])
    expect(Object.fromEntries(derived)).toEqual(Object.fromEntries(SDK_STS))
  })

  test('knows no region the SDK does not list', () => {
    expect([...STS_REGIONS].filter((region) => !SDK_STS.has(region))).toEqual([])
    for (const region of ['cn-north-1', 'eu-west-101', 'eu-de', 'xx-future-9']) {
      expect(stsEndpointFor(region)).toBeUndefined()
    }
  })
})

function parseError(value: string, input = 'endpoint'): InputError {
  try {
    parseBaseUrl(value, input)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error(`expected an InputError for ${JSON.stringify(value)}`)
}

describe('parseBaseUrl', () => {
  test('accepts https anywhere and http only on loopback', () => {
    expect(parseBaseUrl('https://dws.example.com', 'endpoint').href).toBe('https://dws.example.com/')
    expect(parseBaseUrl('http://127.0.0.1:8080', 'endpoint').port).toBe('8080')
    expect(parseBaseUrl('http://[::1]:8080', 'endpoint').hostname).toBe('[::1]')
    expect(parseError('http://dws.example.com').message).toMatch(/only https:\/\/ is allowed/)
    expect(parseError('ftp://dws.example.com').message).toMatch(/must start with https/)
  })

  test('names the input and quotes the value', () => {
    expect(parseError('https://dws.example.com/#top', 'iam_endpoint').message).toBe(
      "Input 'iam_endpoint': 'https://dws.example.com/#***' must be a plain base URL without credentials, query or fragment"
    )
  })

  test('shows a URL with credentials without them', () => {
    const { message } = parseError('https://user:s3cret@dws.example.com')
    expect(message).toContain("'https://***@dws.example.com'")
    expect(message).toMatch(/without credentials/)
    expect(message).not.toContain('s3cret')
    expect(message).not.toContain('user')
  })

  test.each([
    ['unparseable', 'https://user:pa ss@[bad', /not a URL/],
    ['unparseable, with a slash', 'https://user:pa/ss@dws.example.com', /not a URL/],
    ['an @ inside the password', 'https://user:pa@ss@dws.example.com', /without credentials/],
    ['no scheme', 'user:pa.ss@dws.example.com', /must start with https/],
    ['http', 'http://user:pa.ss@dws.example.com', /only https:\/\/ is allowed/]
  ])('never echoes the password of a URL that is %s', (_case, value, reason) => {
    const { message } = parseError(value)
    expect(message).toMatch(reason)
    expect(message).not.toMatch(/pa.?ss|user/)
    expect(message).toContain('***@')
  })

  test('does not echo a query, which may carry a token', () => {
    const { message } = parseError('https://dws.example.com/?X-Auth-Token=t0ken')
    expect(message).toContain("'https://dws.example.com/?***'")
    expect(message).not.toContain('t0ken')
  })

  test('quotes a value on one line and capped', () => {
    const line = parseError('not a url\n::warning::x').message
    expect(line).toContain("'not a url\\n::warning::x'")
    expect(line).not.toContain('\n')
    const long = parseError('x'.repeat(500)).message
    expect(long).toContain('(500 characters in all)')
    expect(long.length).toBeLessThan(400)
  })
})
