/** Maps method + path to one of the emulated APIs. Paths match exactly, as the gateway's API table does. */
import type { RouteName } from './types.js'

type ParamName = 'projectId' | 'snapshotId' | 'clusterId' | 'actionName' | 'jobId'
export type RouteMatch = { name: RouteName } & Partial<Record<ParamName, string>>

const SEGMENT = '([^/]+)'
const TABLE: { method: string; pattern: RegExp; name: RouteName; params: ParamName[] }[] = [
  { method: 'GET', pattern: /^\/v3\/projects$/, name: 'projects', params: [] },
  { method: 'POST', pattern: new RegExp(`^/v1\\.0/${SEGMENT}/snapshots$`), name: 'create', params: ['projectId'] },
  { method: 'GET', pattern: new RegExp(`^/v1\\.0/${SEGMENT}/snapshots$`), name: 'list', params: ['projectId'] },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1\\.0/${SEGMENT}/snapshots/${SEGMENT}$`),
    name: 'details',
    params: ['projectId', 'snapshotId']
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/v1\\.0/${SEGMENT}/snapshots/${SEGMENT}$`),
    name: 'delete',
    params: ['projectId', 'snapshotId']
  },
  { method: 'GET', pattern: new RegExp(`^/v1\\.0/${SEGMENT}/clusters$`), name: 'clusters', params: ['projectId'] },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1\\.0/${SEGMENT}/clusters/${SEGMENT}$`),
    name: 'cluster',
    params: ['projectId', 'clusterId']
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/v1\\.0/${SEGMENT}/clusters/${SEGMENT}/snapshots$`),
    name: 'cluster-snapshots',
    params: ['projectId', 'clusterId']
  },
  { method: 'GET', pattern: /^\/oidc\/token$/, name: 'oidc-token', params: [] },
  { method: 'GET', pattern: /^\/oidc\/\.well-known\/jwks$/, name: 'jwks', params: [] },
  { method: 'POST', pattern: /^\/v5\/agencies\/assume-with-oidc$/, name: 'sts', params: [] },
  { method: 'POST', pattern: /^\/v3\.0\/OS-AUTH\/id-token\/tokens$/, name: 'iam-token', params: [] },
  {
    // Cluster tasks are a /v1 API, not /v1.0.
    method: 'GET',
    pattern: new RegExp(`^/v1/${SEGMENT}/clusters/${SEGMENT}/actions/${SEGMENT}$`),
    name: 'cluster-action',
    params: ['projectId', 'clusterId', 'actionName']
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/v1\\.0/${SEGMENT}/snapshots/${SEGMENT}/actions$`),
    name: 'restore',
    params: ['projectId', 'snapshotId']
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/v1\\.0/${SEGMENT}/clusters/${SEGMENT}$`),
    name: 'delete-cluster',
    params: ['projectId', 'clusterId']
  },
  {
    // /v1 as the URI and the Go SDK have it; the page's example says /v2, which the gateway here does not know.
    method: 'POST',
    pattern: new RegExp(`^/v1/${SEGMENT}/snapshots/${SEGMENT}/table-restore-check$`),
    name: 'table-restore-check',
    params: ['projectId', 'snapshotId']
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/v1/${SEGMENT}/snapshots/${SEGMENT}/table-restore$`),
    name: 'table-restore',
    params: ['projectId', 'snapshotId']
  },
  { method: 'GET', pattern: new RegExp(`^/v1\\.0/${SEGMENT}/job/${SEGMENT}$`), name: 'job', params: ['projectId', 'jobId'] }
]

/** Routes the gateway lets through unsigned: GitHub's endpoints, and the exchanges whose body carries the proof. */
export const UNSIGNED_ROUTES: ReadonlySet<RouteName> = new Set(['oidc-token', 'jwks', 'sts', 'iam-token'])

/** Every route name, for callers that take one as text (the CLI's --fault). */
export const ROUTE_NAMES: readonly RouteName[] = [...new Set(TABLE.map((route) => route.name))]

/** undefined: no such API (or not with this method), which the gateway answers 404 APIGW.0101. */
export function matchRoute(method: string, pathname: string): RouteMatch | undefined {
  for (const route of TABLE) {
    if (route.method !== method) continue
    const m = route.pattern.exec(pathname)
    if (m === null) continue
    const match: RouteMatch = { name: route.name }
    route.params.forEach((param, i) => {
      const raw = m[i + 1] ?? ''
      let value: string
      try {
        value = decodeURIComponent(raw)
      } catch {
        value = raw
      }
      match[param] = value
    })
    return match
  }
  return undefined
}
