import {
  ApiError,
  authFailureOf,
  failureKind,
  isClusterNotFound,
  outcomeUnknown,
  TransportError,
  UnreadableAnswerError
} from '../src/cloud/errors.js'
import { describeFailure, hintFor } from '../src/action/report/failure.js'
import type { Operation } from '../src/cloud/operation.js'
import { LOOK_UP_PROJECT } from '../src/cloud/iam.js'
import { RetriesExhaustedError } from '../src/cloud/retry.js'
import { DWS } from '../src/dws/operations.js'

const api = (status: number, code?: string, msg?: string, excerpt?: string, operation: Operation = DWS.createSnapshot) =>
  new ApiError(operation, status, code, msg, 'req-9', excerpt, undefined)
const transport = (failure: TransportError['failure'], sent = false) =>
  new TransportError(DWS.createSnapshot, failure, 'dws.example:443', sent, 'detail')

describe('failureKind', () => {
  test.each([
    [api(429, 'APIGW.0308'), 'transient'],
    [api(500, 'DWS.0005'), 'transient'],
    [api(500, 'DWS.9999'), 'transient'],
    [api(502, 'APIGW.0201'), 'transient'],
    [api(503, 'APIGW.0613'), 'transient'],
    [api(504), 'transient'],
    [api(409, 'DWS.0011'), 'busy'],
    [api(400, 'DWS.9999', 'DWS.7023: The cluster status does not allow this operation.'), 'busy'],
    [api(500, 'DWS.9999', 'Internal error'), 'transient'],
    [new UnreadableAnswerError(DWS.createSnapshot, 'empty'), 'transient'],
    [transport('proxy-auth'), 'permanent'],
    [transport('too-large'), 'permanent'],
    [transport('encoding'), 'permanent'],
    [transport('invalid-request'), 'permanent'],
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
    [new UnreadableAnswerError(DWS.createSnapshot, 'empty'), true],
    [api(400), false]
  ])('%s → %s', (error, unknown) => {
    expect(outcomeUnknown(error)).toBe(unknown)
  })
})

describe('ApiError message', () => {
  test('names the operation, status, code, message and request id', () => {
    expect(api(403, 'DWS.0015', 'permission denied').message).toBe(
      'Create snapshot failed: HTTP 403 DWS.0015: permission denied (request id req-9)'
    )
  })
  test('503 reads as service unavailable', () => {
    expect(api(503, 'APIGW.0613', 'x').message).toMatch(/HTTP 503 \(service unavailable\) APIGW\.0613/)
  })
  test('quotes a non-JSON excerpt when there is no service error body', () => {
    expect(api(502, undefined, undefined, 'Bad Gateway nginx').message).toBe(
      `Create snapshot failed: HTTP 502 (bad gateway); the answer was not the service's JSON: "Bad Gateway nginx" (request id req-9)`
    )
  })
})

describe('hintFor', () => {
  test.each([
    [api(401, 'APIGW.0301'), /access_key_id\/secret_access_key.*auth_token/],
    [
      api(401, 'APIGW.0301', 'Incorrect IAM authentication information: verify aksk signature fail, error: signature mismatch'),
      /Signature mismatch.*secret_access_key does not belong/
    ],
    [api(401, 'APIGW.0301', 'Incorrect IAM authentication information: access key not found'), /does not know the access key/],
    [api(401, 'APIGW.0303'), /clock is more than 15 minutes off/],
    [api(401, 'APIGW.0307'), /token has expired or belongs to another region/],
    [api(403, 'APIGW.0302'), /no permission for it: the IAM user or agency needs dws:cluster:createSnapshot/],
    [api(403, 'DWS.0015', 'x', undefined, DWS.listSnapshots), /does not exist or you have no permission.*dws:cluster:listSnapshot/],
    [api(403, 'DWS.0015', 'x', undefined, DWS.getSnapshot), /dws:cluster:getSnapshotDetail/],
    [api(403, 'DWS.0015', 'x', undefined, DWS.getCluster), /dws:cluster:getDetail/],
    [api(403, 'IAM.0003', 'x', undefined, LOOK_UP_PROJECT), /iam:projects:listProjects/],
    [api(503, 'APIGW.0613'), /unavailable for the moment/],
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
    [transport('refused'), /Could not reach dws\.example:443/],
    [transport('proxy-auth'), /proxy requires authentication/]
  ])('%s → %s', (error, hint) => {
    expect(hintFor(error)).toMatch(hint)
  })

  test('401 hints say where the credentials came from', () => {
    const signature = api(401, 'APIGW.0301', 'verify aksk signature fail, error: signature mismatch')
    expect(hintFor(signature, { credentialSource: 'HUAWEICLOUD_SDK_*' })).toMatch(/credentials from env HUAWEICLOUD_SDK_\*/)
    expect(hintFor(signature, { credentialSource: 'input' })).toMatch(/credentials from the inputs/)
  })
})

describe('authFailureOf', () => {
  test.each([
    [api(401, 'APIGW.0303', 'x'), 'clock'],
    [api(401, 'APIGW.0301', 'X-Sdk-Date is more than 15 minutes from the server time'), 'clock'],
    [api(401, 'APIGW.0307', 'The token must be updated.'), 'expired-token'],
    [api(401, 'APIGW.0301', 'verify aksk signature fail, error: access key not found'), 'unknown-key'],
    [api(401, 'APIGW.0301', 'verify aksk signature fail, error: signature mismatch'), 'signature'],
    [api(401, 'APIGW.0301', 'Authorization not found.'), 'other']
  ])('%s → %s', (error, kind) => {
    expect(authFailureOf(error)).toBe(kind)
  })
})

describe('unknown cluster', () => {
  test.each([
    [api(401, 'DWS.0047', 'The cluster does not exist.'), true],
    [api(404, 'DWS.0047'), true],
    [api(404, 'DWS.3027'), true],
    [api(403, 'DWS.0015', 'x', undefined, DWS.createSnapshot), true],
    [api(403, 'DWS.0015', 'x', undefined, DWS.getCluster), true],
    [api(403, 'DWS.0015', 'x', undefined, DWS.listSnapshots), false],
    [api(401, 'APIGW.0301'), false]
  ])('%s → %s', (error, found) => {
    expect(isClusterNotFound(error)).toBe(found)
  })

  test('says "not found in this project/region, or no permission", naming the cluster and region, not blaming credentials', () => {
    const failure = describeFailure(api(401, 'DWS.0047', 'The cluster does not exist.'), {
      clusterId: '8d4a8c21-0b5e-4f3a-9c1d-2e7f6a5b4c3d',
      region: 'cn-north-4',
      projectId: '0123456789abcdef0123456789abcdef'
    })
    expect(failure.title).toBe('Cluster not found')
    expect(failure.message).toMatch(
      /Cluster 8d4a8c21-0b5e-4f3a-9c1d-2e7f6a5b4c3d was not found in project 0123456789abcdef0123456789abcdef, region cn-north-4, or these credentials have no permission for it/
    )
    expect(failure.hint).toMatch(/cluster_id/)
    expect(failure.hint).not.toMatch(/access_key_id|secret_access_key/)
  })

  test('"kept failing" says how many attempts and mentions max_attempts', () => {
    const failure = describeFailure(new RetriesExhaustedError(5, api(502, 'APIGW.0201', 'backend')), { maxAttempts: 5 })
    expect(failure.title).toBe('Create snapshot kept failing')
    expect(failure.hint).toMatch(/failed 5 times in a row \(max_attempts: 5\); raise max_attempts/)
  })
})
