import { ApiError, failureKind, hintFor, outcomeUnknown, TransportError } from '../src/errors.js'

const api = (status: number, code?: string, msg?: string, excerpt?: string, operation = 'Create snapshot') =>
  new ApiError(operation, status, code, msg, 'req-9', excerpt, undefined)
const transport = (failure: TransportError['failure'], sent = false) => new TransportError('Create snapshot', failure, 'dws.example:443', sent, 'detail')

describe('failureKind', () => {
  test.each([
    [api(429, 'APIGW.0308'), 'transient'],
    [api(500, 'DWS.0005'), 'transient'],
    [api(500, 'DWS.9999'), 'transient'],
    [api(502, 'APIGW.0201'), 'transient'],
    [api(503, 'APIGW.0613'), 'transient'],
    [api(504), 'transient'],
    [api(409, 'DWS.0011'), 'busy'],
    [api(403, 'DWS.7023'), 'busy'],
    [api(400, 'DWS.0001'), 'permanent'],
    [api(401, 'APIGW.0301'), 'permanent'],
    [api(403, 'DWS.0015'), 'permanent'],
    [api(403, 'APIGW.0302'), 'permanent'],
    [api(404, 'DWS.0047'), 'permanent'],
    [api(501), 'permanent'],
    [transport('refused'), 'transient'],
    [transport('reset'), 'transient'],
    [transport('timeout'), 'transient'],
    [transport('other'), 'transient'],
    [transport('dns'), 'permanent'],
    [transport('tls'), 'permanent'],
    [new Error('bug'), 'permanent']
  ])('%s is %s', (error, kind) => {
    expect(failureKind(error)).toBe(kind)
  })
})

describe('outcomeUnknown', () => {
  test.each([
    [transport('reset', true), true],
    [transport('timeout', true), true],
    [transport('refused', false), false],
    [transport('timeout', false), false],
    [api(500), true],
    [api(503), true],
    [api(429), false],
    [api(400), false]
  ])('%s → %s', (error, unknown) => {
    expect(outcomeUnknown(error)).toBe(unknown)
  })
})

describe('ApiError message', () => {
  test('names the operation, status, code, message and request id', () => {
    expect(api(403, 'DWS.0015', 'permission denied').message).toBe('Create snapshot failed: HTTP 403 DWS.0015: permission denied (request id req-9)')
  })
  test('quotes a non-JSON excerpt when there is no service error body', () => {
    expect(api(502, undefined, undefined, 'Bad Gateway nginx').message).toBe(
      `Create snapshot failed: HTTP 502; the answer was not the service's JSON: "Bad Gateway nginx" (request id req-9)`
    )
  })
})

describe('hintFor', () => {
  test.each([
    [api(401, 'APIGW.0301'), /access_key_id\/secret_access_key.*auth_token.*clock/],
    [api(401, 'APIGW.0303'), /clock/],
    [api(401, 'APIGW.0307'), /token has expired or belongs to another region/],
    [api(403, 'APIGW.0302'), /permission dws:cluster:createSnapshot/],
    [api(403, 'DWS.0015', 'x', undefined, 'List snapshots'), /dws:openAPISnapshot:list/],
    [api(403, 'DWS.0015', 'x', undefined, 'Get snapshot'), /dws:openAPISnapshot:detail/],
    [api(403, 'DWS.0015', 'x', undefined, 'Get cluster'), /not allowed to get cluster/],
    [api(404, 'DWS.0047'), /region, endpoint, project_id and cluster_id/],
    [api(404, 'APIGW.0101'), /region, endpoint, project_id and cluster_id/],
    [api(400, 'DWS.0001', 'The snapshot name is invalid'), /4-64 characters, start with a letter/],
    [api(400, 'DWS.0001', 'description too long'), /rejected the request/],
    [api(409, 'DWS.0011'), /another operation/],
    [api(403, 'DWS.7023'), /another operation/],
    [api(429, 'APIGW.0308'), /throttling/],
    [api(500, 'DWS.0005'), /internal error/],
    [api(502, undefined, undefined, 'Bad gateway'), /gateway or proxy answered/],
    [api(403, undefined, undefined, 'Access denied by proxy'), /permission/],
    [api(200, undefined, undefined, '<html>'), /Something other than the DWS service answered/],
    [transport('dns'), /dws\.example:443 does not resolve: check region and endpoint/],
    [transport('tls'), /TLS connection to dws\.example:443 failed/],
    [transport('timeout'), /did not answer in time.*request_timeout/],
    [transport('refused'), /Could not reach dws\.example:443/]
  ])('%s → %s', (error, hint) => {
    expect(hintFor(error)).toMatch(hint)
  })
})
