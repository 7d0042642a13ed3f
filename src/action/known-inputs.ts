/**
 * The inputs action.yml declares, in its order. A test keeps this list equal to action.yml's, so an
 * input added there is known here once it is added to both.
 */
export const KNOWN_INPUTS: readonly string[] = Object.freeze([
  'cluster_id',
  'cluster_name',
  'max_parallel',
  'name',
  'description',
  'region',
  'project_id',
  'endpoint',
  'iam_endpoint',
  'access_key_id',
  'secret_access_key',
  'security_token',
  'auth_token',
  'oidc_provider_urn',
  'agency_urn',
  'idp_id',
  'oidc_audience',
  'session_name',
  'session_duration',
  'sts_endpoint',
  'dry_run',
  'wait',
  'wait_timeout',
  'poll_interval',
  'max_attempts',
  'if_exists',
  'request_timeout',
  'keep_last',
  'keep_within',
  'keep_match'
])
