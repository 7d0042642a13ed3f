/**
 * The bodies of the restore APIs and of the cluster delete, checked as documented. Strict on purpose:
 * a field the SDK's model does not have (e.g. `ipv6_enable`) is refused, so the tests prove what the
 * action sends. Each violation is one readable message for a 400 DWS.0001.
 */
import { isObject, UUID } from './validate.js'

export type PublicBindType = 'auto_assign' | 'not_use' | 'bind_existing'

export interface RestoreInput {
  name: string
  subnetId?: string
  securityGroupId?: string
  vpcId?: string
  availabilityZone?: string
  port?: number
  publicIp?: { public_bind_type: PublicBindType; eip_id?: string }
  enterpriseProjectId?: string
}

export interface TableName {
  schema: string
  table: string
}

export interface TableRestoreInput {
  caseSensitive: boolean
  database: string
  sources: TableName[]
  targets: TableName[]
}

type Checked<T> = { input: T } | { error: string }

const CLUSTER_NAME = /^[A-Za-z][A-Za-z0-9_-]{3,63}$/
/** The fields of the SDK's `Restore` model (huaweicloud-sdk-nodejs-v3 services/dws/v2/model/Restore.ts). */
const RESTORE_FIELDS = new Set([
  'name',
  'subnet_id',
  'security_group_id',
  'vpc_id',
  'availability_zone',
  'port',
  'public_ip',
  'enterprise_project_id'
])
const PUBLIC_IP_FIELDS = new Set(['public_bind_type', 'eip_id'])
const BIND_TYPES: readonly PublicBindType[] = ['auto_assign', 'not_use', 'bind_existing']
const TABLE_RESTORE_FIELDS = new Set(['case_sensitive', 'database', 'restore_table_list', 'target_table_list'])
const TABLE_FIELDS = new Set(['schema_name', 'table_name'])

/** Thrown inside a validator; its message becomes the 400's. */
class Invalid extends Error {}

function invalid(message: string): never {
  throw new Invalid(message)
}

function checked<T>(parse: () => T): Checked<T> {
  try {
    return { input: parse() }
  } catch (error) {
    if (error instanceof Invalid) return { error: error.message }
    throw error
  }
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch {
    return invalid('The request body is not valid JSON.')
  }
}

function onlyKnown(value: Record<string, unknown>, known: ReadonlySet<string>, where: string): void {
  const unknown = Object.keys(value).find((key) => !known.has(key))
  if (unknown !== undefined) invalid(`${where}${unknown} is not a parameter of this API.`)
}

/** A string field, absent when missing or null. */
function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined
  return typeof value === 'string' ? value : invalid(`${field} must be a string.`)
}

function optionalUuid(value: unknown, field: string): string | undefined {
  const text = optionalString(value, field)
  if (text !== undefined && !UUID.test(text)) invalid(`${field} '${text}' is not a UUID.`)
  return text
}

export function validateRestoreBody(raw: string): Checked<RestoreInput> {
  return checked(() => {
    const parsed = parseJson(raw)
    if (!isObject(parsed) || !isObject(parsed.restore)) invalid('The request body must be {"restore":{"name":...}}.')
    onlyKnown(parsed, new Set(['restore']), '')
    const r = parsed.restore
    onlyKnown(r, RESTORE_FIELDS, 'restore.')
    const name = optionalString(r.name, 'restore.name')
    if (name === undefined || name === '') invalid('restore.name is required.')
    if (!CLUSTER_NAME.test(name)) {
      invalid(`restore.name '${name}' is invalid: it must start with a letter and be 4 to 64 characters of letters, digits, '-' and '_'.`)
    }
    const port = r.port
    if (port !== undefined && port !== null && !(Number.isInteger(port) && (port as number) >= 8000 && (port as number) <= 30000)) {
      invalid(`restore.port ${JSON.stringify(port)} is invalid: it must be a whole number from 8000 to 30000.`)
    }
    const enterpriseProjectId = optionalString(r.enterprise_project_id, 'restore.enterprise_project_id')
    if (enterpriseProjectId !== undefined && enterpriseProjectId !== '0' && !UUID.test(enterpriseProjectId)) {
      invalid(`restore.enterprise_project_id '${enterpriseProjectId}' is neither 0 nor a UUID.`)
    }
    return {
      name,
      subnetId: optionalUuid(r.subnet_id, 'restore.subnet_id'),
      securityGroupId: optionalUuid(r.security_group_id, 'restore.security_group_id'),
      vpcId: optionalUuid(r.vpc_id, 'restore.vpc_id'),
      availabilityZone: optionalString(r.availability_zone, 'restore.availability_zone'),
      port: typeof port === 'number' ? port : undefined,
      publicIp: publicIpOf(r.public_ip),
      enterpriseProjectId
    }
  })
}

function publicIpOf(value: unknown): RestoreInput['publicIp'] {
  if (value === undefined || value === null) return undefined
  if (!isObject(value)) invalid('restore.public_ip must be an object {"public_bind_type":...,"eip_id":...}.')
  onlyKnown(value, PUBLIC_IP_FIELDS, 'restore.public_ip.')
  const bindType = value.public_bind_type
  if (typeof bindType !== 'string' || !(BIND_TYPES as readonly string[]).includes(bindType)) {
    invalid(`restore.public_ip.public_bind_type must be one of ${BIND_TYPES.join(', ')}.`)
  }
  const eipId = optionalString(value.eip_id, 'restore.public_ip.eip_id')
  if (bindType === 'bind_existing' && (eipId === undefined || !UUID.test(eipId))) {
    invalid('restore.public_ip.eip_id must name an EIP (a UUID) when public_bind_type is bind_existing.')
  }
  return { public_bind_type: bindType as PublicBindType, ...(eipId !== undefined ? { eip_id: eipId } : {}) }
}

/**
 * The body of table-restore-check and table-restore. All four fields are required, as the docs and the
 * Go SDK (no omitempty) have them. Name characters are not judged here: the check reports them.
 */
export function validateTableRestoreBody(raw: string): Checked<TableRestoreInput> {
  return checked(() => {
    const parsed = parseJson(raw)
    if (!isObject(parsed)) invalid('The request body must be a JSON object.')
    onlyKnown(parsed, TABLE_RESTORE_FIELDS, '')
    const caseSensitive = parsed.case_sensitive
    if (typeof caseSensitive !== 'boolean') invalid('case_sensitive is required: true or false.')
    const database = parsed.database
    if (typeof database !== 'string' || database === '') invalid('database is required.')
    const sources = tableList(parsed.restore_table_list, 'restore_table_list')
    if (sources.length === 0) invalid('restore_table_list must name at least one table.')
    const targets = tableList(parsed.target_table_list, 'target_table_list')
    if (targets.length !== sources.length) {
      invalid(`target_table_list has ${targets.length} tables and restore_table_list ${sources.length}: they must pair up.`)
    }
    return { caseSensitive, database, sources, targets }
  })
}

function tableList(value: unknown, field: string): TableName[] {
  if (!Array.isArray(value)) return invalid(`${field} is required: a list of {"schema_name":...,"table_name":...}.`)
  return value.map((entry: unknown, i) => {
    const where = `${field}[${i}]`
    if (!isObject(entry)) invalid(`${where} must be {"schema_name":...,"table_name":...}.`)
    onlyKnown(entry, TABLE_FIELDS, `${where}.`)
    const { schema_name: schema, table_name: table } = entry
    if (typeof schema !== 'string' || schema === '') invalid(`${where}.schema_name is required.`)
    if (typeof table !== 'string' || table === '') invalid(`${where}.table_name is required.`)
    return { schema, table }
  })
}

/** `{"keep_last_manual_snapshot": N}`, required by the docs and the Go SDK; the number of manual snapshots to keep. */
export function validateDeleteClusterBody(raw: string): Checked<{ keepLastManualSnapshot: number }> {
  return checked(() => {
    if (raw.trim() === '') invalid('keep_last_manual_snapshot is required.')
    const parsed = parseJson(raw)
    if (!isObject(parsed)) invalid('The request body must be {"keep_last_manual_snapshot":N}.')
    onlyKnown(parsed, new Set(['keep_last_manual_snapshot']), '')
    const keep = parsed.keep_last_manual_snapshot
    if (!Number.isInteger(keep) || (keep as number) < 0) invalid('keep_last_manual_snapshot is required: a whole number, 0 or more.')
    return { keepLastManualSnapshot: keep as number }
  })
}
