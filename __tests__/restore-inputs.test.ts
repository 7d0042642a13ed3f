/**
 * The restore action's inputs (restore/action.yml) read into one RestoreConfig, and the plan made of
 * it once the snapshot is known: the new cluster's name and the table restore request. Pure: no
 * request is made. The cloud inputs both actions share are tested in config.test.ts.
 */
import { InputError } from '../src/action/inputs/input-error.js'
import { readRestoreConfig, type RestoreConfig } from '../src/action/inputs/restore.js'
import type { WorkflowContext } from '../src/action/inputs/template.js'
import { newClusterName, tableRestoreRequest } from '../src/action/plan/restore.js'
import type { Env } from '../src/action/runner/io.js'
import type { Snapshot } from '../src/dws/types.js'
import { MemoryLog } from './support/fakes.js'
import { inputErrorOf, RESTORE_METADATA, restoreInputs } from './support/inputs.js'

const SNAPSHOT = '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c'
const CLUSTER = '8d4a8c21-0b5e-4f3a-9c1d-2e7f6a5b4c3d'
const OTHER = '0b1e6f3a-5c2d-4e8f-9a7b-6c5d4e3f2a1b'
const CLOUD: Record<string, string> = {
  region: 'cn-north-4',
  project_id: '0123456789abcdef0123456789abcdef',
  access_key_id: 'AKTEST',
  secret_access_key: 'SKTEST'
}
const BY_ID = { ...CLOUD, snapshot_id: SNAPSHOT }
const BY_NAME = { ...CLOUD, snapshot_name: 'pre-release-42', cluster_id: CLUSTER }
const TABLES = { ...BY_ID, mode: 'tables', tables: 'public.orders', database: 'shop' }

/** The new-cluster inputs, each with a valid value. */
const NEW_CLUSTER_VALUES: Record<string, string> = {
  cluster_name: 'preview-{snapshot_name}',
  vpc_id: OTHER,
  subnet_id: OTHER,
  security_group_id: OTHER,
  availability_zone: 'cn-north-4a',
  port: '8123',
  enterprise_project_id: '0'
}

function read(inputs: Record<string, string>, env: Env = {}): RestoreConfig {
  return readRestoreConfig(restoreInputs(inputs), env)
}

function errorOf(inputs: Record<string, string>, env: Env = {}): InputError {
  return inputErrorOf(() => read(inputs, env))
}

/** The settings a restore request would carry: what is undefined is not sent. */
function sent(config: RestoreConfig): Record<string, unknown> {
  return JSON.parse(JSON.stringify(config.newCluster?.settings))
}

function tablesOf(text: string, more: Record<string, string> = {}): string[] {
  const config = read({ ...TABLES, tables: text, ...more })
  return config.tables!.tables.map(({ source, target }) => `${source.schema}.${source.table} -> ${target.schema}.${target.table}`)
}

describe('restore/action.yml as read', () => {
  test('declares the restore inputs with the defaults these tests rely on', () => {
    expect(RESTORE_METADATA.defaults).toMatchObject({
      mode: 'new-cluster',
      public_ip: 'none',
      case_sensitive: 'false',
      keep: 'true',
      dry_run: 'false',
      wait: 'true',
      wait_timeout: '3h',
      poll_interval: '30s'
    })
    for (const input of ['snapshot_id', 'snapshot_name', 'cluster_id', 'cluster_name', 'tables', 'database', 'port']) {
      expect(RESTORE_METADATA.inputs).toContain(input)
      expect(RESTORE_METADATA.defaults[input]).toBeUndefined()
    }
  })
})

describe('defaults', () => {
  test('a snapshot id alone: a new cluster named by default, nothing else sent, kept, waited for', () => {
    const config = read(BY_ID)
    expect(config).toMatchObject({
      snapshot: { id: SNAPSHOT },
      newCluster: { nameTemplate: undefined },
      tables: undefined,
      keep: true,
      dryRun: false,
      wait: true,
      waitTimeoutMs: 3 * 3_600_000,
      pollIntervalMs: 30_000
    })
    // Only what is given is sent: the service takes the network from the source cluster, and no public address.
    expect(sent(config)).toEqual({})
    expect(config.cloud).toMatchObject({ region: 'cn-north-4', requestTimeoutMs: 30_000, maxAttempts: 5 })
    expect(config.cloud.dwsEndpoint.href).toBe('https://dws.cn-north-4.myhuaweicloud.com/')
    expect(config.cloud.signIn).toEqual({ way: 'static', credentials: { kind: 'aksk', accessKeyId: 'AKTEST', secretAccessKey: 'SKTEST' } })
  })

  test('the cloud inputs come from the environment as for the snapshot action', () => {
    const config = read(
      { snapshot_id: SNAPSHOT },
      {
        HUAWEI_CLOUD_REGION: 'eu-west-101',
        HUAWEI_CLOUD_ACCESS_KEY_ID: 'ENVAK',
        HUAWEI_CLOUD_SECRET_ACCESS_KEY: 'ENVSK'
      }
    )
    expect(config.cloud.region).toBe('eu-west-101')
    expect(config.cloud.credentialSource).toBe('HUAWEI_CLOUD_*')
    expect(config.cloud.iamEndpoint?.href).toBe('https://iam.eu-west-101.myhuaweicloud.eu/')
  })

  test('without credentials: the cloud inputs’ error, once the snapshot and mode inputs are found sound', () => {
    const keyless = { ...BY_ID, access_key_id: '', secret_access_key: '' }
    expect(errorOf(keyless).input).toBe('access_key_id')
    // The snapshot, and an input of the other mode, are checked first.
    expect(errorOf({ ...keyless, snapshot_id: 'x' }).input).toBe('snapshot_id')
    expect(errorOf({ ...keyless, mode: 'tables', tables: 'public.orders', database: 'shop', vpc_id: OTHER }).input).toBe('vpc_id')
  })
})

describe('the snapshot to restore', () => {
  test('by id: written in lower case, as the service does; surrounding whitespace trimmed', () => {
    expect(read({ ...CLOUD, snapshot_id: SNAPSHOT.toUpperCase() }).snapshot).toEqual({ id: SNAPSHOT })
    expect(read({ ...CLOUD, snapshot_id: ` ${SNAPSHOT}\n` }).snapshot).toEqual({ id: SNAPSHOT })
  })

  test('by name among a cluster’s snapshots: the name as written, the cluster id in lower case', () => {
    expect(read(BY_NAME).snapshot).toEqual({ name: 'pre-release-42', clusterId: CLUSTER })
    expect(read({ ...BY_NAME, snapshot_name: 'PRE-Release-42', cluster_id: CLUSTER.toUpperCase() }).snapshot).toEqual({
      name: 'PRE-Release-42',
      clusterId: CLUSTER
    })
  })

  test('a name of 64 characters is looked up; a short one too (the lookup names the closest)', () => {
    const long = `a${'b'.repeat(63)}`
    expect(read({ ...BY_NAME, snapshot_name: long }).snapshot).toEqual({ name: long, clusterId: CLUSTER })
    expect(read({ ...BY_NAME, snapshot_name: 'pre' }).snapshot).toEqual({ name: 'pre', clusterId: CLUSTER })
  })

  test.each([
    [
      'snapshot_name',
      { snapshot_name: 'pre-release-42' },
      /^Input 'snapshot_name': give either snapshot_id or snapshot_name \(with cluster_id\), not both$/
    ],
    ['cluster_id', { cluster_id: CLUSTER }, /^Input 'cluster_id': is only used with snapshot_name: snapshot_id names the snapshot alone$/],
    [
      'snapshot_id',
      { snapshot_id: '' },
      /^Input 'snapshot_id': is required but empty: give the ID of the snapshot to restore .* or snapshot_name with cluster_id$/
    ],
    ['snapshot_id', { snapshot_id: '  \n ' }, /is required but empty/],
    ['snapshot_name', { snapshot_id: '', cluster_id: CLUSTER }, /^Input 'snapshot_name': is required but empty/],
    ['snapshot_id', { snapshot_id: 'pre-release-42' }, /^Input 'snapshot_id': 'pre-release-42' is not a snapshot ID; expected a UUID$/],
    ['snapshot_id', { snapshot_id: SNAPSHOT.replace(/-/g, '') }, /is not a snapshot ID; expected a UUID/],
    ['snapshot_id', { snapshot_id: `${SNAPSHOT}0` }, /is not a snapshot ID/],
    ['snapshot_id', { snapshot_id: `{${SNAPSHOT}}` }, /is not a snapshot ID/],
    ['snapshot_id', { snapshot_id: SNAPSHOT.replace('3f', 'g3') }, /is not a snapshot ID/]
  ])('%s: %j is refused', (input, change, message) => {
    const error = errorOf({ ...BY_ID, ...change })
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
  })

  test.each([
    [
      'cluster_id',
      { cluster_id: '' },
      /^Input 'cluster_id': is required with snapshot_name: the snapshot is looked up among that cluster’s$/
    ],
    ['cluster_id', { cluster_id: 'my-cluster' }, /^Input 'cluster_id': 'my-cluster' is not a cluster ID; expected a UUID$/],
    [
      'snapshot_name',
      { snapshot_name: '' },
      /^Input 'snapshot_name': is required but empty: with cluster_id, it names the snapshot among that cluster’s \(or give snapshot_id alone\)$/
    ],
    ['snapshot_name', { snapshot_name: `a${'b'.repeat(64)}` }, /^Input 'snapshot_name': 'ab{64}' is not a snapshot name$/],
    ['snapshot_name', { snapshot_name: 'pre release 42' }, /'pre release 42' is not a snapshot name/],
    ['snapshot_name', { snapshot_name: 'pre\trelease' }, /'pre\\trelease' is not a snapshot name/],
    ['snapshot_name', { snapshot_name: "pre-release-42'" }, /is not a snapshot name/],
    ['snapshot_name', { snapshot_name: 'pre-"release"' }, /is not a snapshot name/]
  ])('by name, %s: %j is refused', (input, change, message) => {
    const error = errorOf({ ...BY_NAME, ...change })
    expect(error.input).toBe(input)
    expect(error.message).toMatch(message)
  })

  test('a bad name is named before a missing cluster id', () => {
    expect(errorOf({ ...BY_NAME, snapshot_name: 'a b', cluster_id: '' }).input).toBe('snapshot_name')
  })

  describe('an empty snapshot_id: the hint says why a value can be empty', () => {
    test('a step output that is empty, or a variable or secret that is not defined', () => {
      const { hint } = errorOf({ ...CLOUD })
      expect(hint).toContain("If it comes from ${{ steps.<id>.outputs.snapshot_id }}, check that <id> is the snapshot step's id")
      expect(hint).toContain('a misspelt, skipped or failed step gives an empty string, without an error.')
      expect(hint).toContain('If snapshot_id comes from ${{ vars.NAME }} or ${{ secrets.NAME }}, that variable or secret is not defined')
      expect(hint).not.toMatch(/does not know|This run is for a pull request|This run was started by Dependabot/)
    })

    test('a misspelt input that would have given the snapshot is named first, with the input it meant', () => {
      const { hint } = errorOf({ ...CLOUD }, { 'INPUT_SNAPSHOT-ID': SNAPSHOT, INPUT_SNAPSHOTNAME: 'x', 'INPUT_CLUSTER-ID': CLUSTER })
      expect(hint).toContain("The step has an input 'snapshot-id', which this action does not know: did you mean 'snapshot_id'?")
      expect(hint).toContain("The step has an input 'snapshotname', which this action does not know: did you mean 'snapshot_name'?")
      expect(hint.indexOf("'snapshot-id'")).toBeLessThan(hint.indexOf('vars.NAME'))
      // Not an input that gives the snapshot: the runner's own warning covers it.
      expect(hint).not.toContain('cluster-id')
      // A declared input, given empty, is not a misspelling.
      expect(errorOf({ ...CLOUD }, { INPUT_SNAPSHOT_ID: '' }).hint).not.toContain('does not know')
    })

    test('the run’s event and actor add what applies to them', () => {
      expect(errorOf({ ...CLOUD }, { GITHUB_EVENT_NAME: 'pull_request' }).hint).toContain(
        'This run is for a pull request: if it comes from a fork, it gets no secrets.'
      )
      expect(errorOf({ ...CLOUD }, { GITHUB_ACTOR: 'dependabot[bot]', GITHUB_EVENT_NAME: 'pull_request' }).hint).toContain(
        'This run was started by Dependabot'
      )
    })

    test('cluster_id given but snapshot_name empty: the error and its hint are about snapshot_name', () => {
      const error = errorOf({ ...CLOUD, cluster_id: CLUSTER })
      expect(error.input).toBe('snapshot_name')
      expect(error.hint).toContain('If snapshot_name comes from ${{ vars.NAME }} or ${{ secrets.NAME }}')
      expect(error.hint).not.toContain('steps.<id>.outputs.snapshot_id')
    })

    test('other errors of the snapshot inputs carry no hint', () => {
      expect(errorOf({ ...BY_ID, snapshot_id: 'x' }).hint).toBe('')
      expect(errorOf({ ...BY_NAME, cluster_id: '' }).hint).toBe('')
    })
  })
})

describe('mode', () => {
  test('new-cluster by default; the choice is read without case', () => {
    expect(read(BY_ID).newCluster).toBeDefined()
    expect(read({ ...BY_ID, mode: 'New-Cluster' }).newCluster).toBeDefined()
    const tables = read({ ...TABLES, mode: 'TABLES' })
    expect(tables.tables).toBeDefined()
    expect(tables.newCluster).toBeUndefined()
  })

  test.each(['table', 'new_cluster', 'cluster', 'both'])('%s is refused, listing the modes', (mode) => {
    const error = errorOf({ ...BY_ID, mode })
    expect(error.input).toBe('mode')
    expect(error.message).toBe(`Input 'mode': '${mode}' is not one of: new-cluster, tables`)
  })

  test.each(Object.keys(NEW_CLUSTER_VALUES))('mode: tables refuses %s, a new-cluster input, rather than ignore it', (input) => {
    const error = errorOf({ ...TABLES, [input]: NEW_CLUSTER_VALUES[input]! })
    expect(error.input).toBe(input)
    expect(error.message).toBe(`Input '${input}': is not used with mode: tables; remove it, or set mode to new-cluster`)
  })

  test.each(['auto', OTHER])('mode: tables refuses public_ip %s', (publicIp) => {
    const error = errorOf({ ...TABLES, public_ip: publicIp })
    expect(error.input).toBe('public_ip')
    expect(error.message).toBe("Input 'public_ip': is not used with mode: tables; remove it, or set mode to new-cluster")
  })

  test('mode: tables takes public_ip none, the default written out, and keep: true', () => {
    expect(read({ ...TABLES, public_ip: 'none', keep: 'true' }).tables).toBeDefined()
  })

  test.each([
    ['tables', 'public.orders'],
    ['database', 'shop']
  ])('mode: new-cluster refuses %s, a tables input', (input, value) => {
    const error = errorOf({ ...BY_ID, [input]: value })
    expect(error.input).toBe(input)
    expect(error.message).toBe(`Input '${input}': is not used with mode: new-cluster; remove it, or set mode to tables`)
  })

  test('mode: tables with keep: false is refused: there is no new cluster to delete', () => {
    for (const keep of ['false', 'FALSE']) {
      const error = errorOf({ ...TABLES, keep })
      expect(error.input).toBe('keep')
      expect(error.message).toBe("Input 'keep': false deletes a new cluster, and mode: tables makes none; remove it")
    }
    expect(errorOf({ ...TABLES, keep: 'no' }).message).toBe("Input 'keep': 'no' is not a boolean; use true or false")
  })
})

describe('the new cluster', () => {
  test('every setting given: the ids in lower case, the port a number, an existing elastic IP', () => {
    const config = read({
      ...BY_ID,
      cluster_name: ' preview-{snapshot_name}-{run_attempt} ',
      vpc_id: OTHER.toUpperCase(),
      subnet_id: CLUSTER.toUpperCase(),
      security_group_id: SNAPSHOT,
      availability_zone: 'eu-west-101b',
      port: '8123',
      public_ip: OTHER.toUpperCase(),
      enterprise_project_id: CLUSTER.toUpperCase()
    })
    expect(config.newCluster?.nameTemplate).toBe('preview-{snapshot_name}-{run_attempt}')
    expect(sent(config)).toEqual({
      vpcId: OTHER,
      subnetId: CLUSTER,
      securityGroupId: SNAPSHOT,
      availabilityZone: 'eu-west-101b',
      port: 8123,
      publicIp: { bind: 'bind_existing', eipId: OTHER },
      enterpriseProjectId: CLUSTER
    })
  })

  test('public_ip auto asks for a new elastic IP; enterprise project 0 is the default project', () => {
    expect(sent(read({ ...BY_ID, public_ip: 'auto', enterprise_project_id: '0' }))).toEqual({
      publicIp: { bind: 'auto_assign' },
      enterpriseProjectId: '0'
    })
    expect(sent(read({ ...BY_ID, public_ip: 'none' }))).toEqual({})
  })

  test('public_ip reads its words without case, as mode and the booleans do', () => {
    expect(sent(read({ ...BY_ID, public_ip: 'Auto' }))).toEqual({ publicIp: { bind: 'auto_assign' } })
    expect(sent(read({ ...BY_ID, public_ip: 'NONE' }))).toEqual({})
    expect(read({ ...TABLES, public_ip: 'None' }).tables).toBeDefined()
  })

  test.each(['true', 'TRUE', 'maybe'])('case_sensitive %s is a tables-mode input: refused in new-cluster mode', (value) => {
    const error = errorOf({ ...BY_ID, case_sensitive: value })
    expect(error.input).toBe('case_sensitive')
    expect(error.message).toBe("Input 'case_sensitive': is not used with mode: new-cluster; remove it, or set mode to tables")
  })

  test('case_sensitive false, its default written out, changes nothing and may stay in new-cluster mode', () => {
    expect(read({ ...BY_ID, case_sensitive: 'False' }).newCluster).toBeDefined()
  })

  test.each([
    ['port', '8000', { port: 8000 }],
    ['port', '30000', { port: 30000 }],
    ['availability_zone', 'cn-north-4a', { availabilityZone: 'cn-north-4a' }],
    ['availability_zone', `a${'1'.repeat(63)}`, { availabilityZone: `a${'1'.repeat(63)}` }]
  ])('%s %s is taken', (input, value, settings) => {
    expect(sent(read({ ...BY_ID, [input]: value }))).toEqual(settings)
  })

  // <value> stands for the value as quoted in the message.
  test.each([
    ['vpc_id', 'vpc-1', '<value> is not an ID; expected a UUID'],
    ['subnet_id', `${OTHER}x`, '<value> is not an ID; expected a UUID'],
    ['security_group_id', 'default', '<value> is not an ID; expected a UUID'],
    ['availability_zone', 'CN-NORTH-4A', '<value> is not an availability zone, e.g. cn-north-4a'],
    ['availability_zone', 'cn north 4a', '<value> is not an availability zone, e.g. cn-north-4a'],
    ['availability_zone', '-cn-north-4a', '<value> is not an availability zone, e.g. cn-north-4a'],
    ['availability_zone', 'cn-north-4a,cn-north-4b', '<value> is not an availability zone, e.g. cn-north-4a'],
    ['availability_zone', `a${'1'.repeat(64)}`, '<value> is not an availability zone, e.g. cn-north-4a'],
    ['port', '7999', '<value> must be a whole number from 8000 to 30000'],
    ['port', '30001', '<value> must be a whole number from 8000 to 30000'],
    ['port', '8000.5', '<value> must be a whole number from 8000 to 30000'],
    ['port', '-8000', '<value> must be a whole number from 8000 to 30000'],
    ['port', '80 00', '<value> must be a whole number from 8000 to 30000'],
    ['port', 'default', '<value> must be a whole number from 8000 to 30000'],
    ['public_ip', 'yes', "<value> is not 'none', 'auto' or the ID of an elastic IP; expected a UUID"],
    ['public_ip', 'eip-1', "<value> is not 'none', 'auto' or the ID of an elastic IP; expected a UUID"],
    ['enterprise_project_id', 'default', "<value> is not '0' or an enterprise project ID; expected a UUID"],
    ['enterprise_project_id', '00', "<value> is not '0' or an enterprise project ID; expected a UUID"],
    ['cluster_name', 'preview-{snapshot}', "unknown token '{snapshot}'. Valid tokens: {repo}, {owner}, "],
    ['cluster_name', 'preview-{ snapshot_name }', "unknown token '{ snapshot_name }' (did you mean {snapshot_name}?). Valid tokens: "],
    ['cluster_name', 'preview-{snapshot_name', "unterminated '{' at position 9 in <value>; write '{{' for a literal brace. Valid tokens: "],
    ['cluster_name', 'preview}-{snapshot_name}', "unmatched '}' at position 8 in <value>; write '}}' for a literal brace"]
  ])('%s %j is refused', (input, value, message) => {
    const error = errorOf({ ...BY_ID, [input]: value })
    expect(error.input).toBe(input)
    expect(error.message).toContain(`Input '${input}': ${message.replace('<value>', () => `'${value}'`)}`)
  })

  test('the name template knows the snapshot action’s tokens and {snapshot_name}', () => {
    const template =
      '{repo}-{owner}-{repository}-{ref_name}-{sha}-{sha7}-{run_id}-{run_number}-{run_attempt}-{workflow}-{job}-{event}-' +
      '{actor}-{pr_number}-{cluster_id}-{cluster_name}-{cluster_short}-{date}-{time}-{timestamp}-{snapshot_name}-{{x}}'
    expect(read({ ...BY_ID, cluster_name: template }).newCluster?.nameTemplate).toBe(template)
    const { message } = errorOf({ ...BY_ID, cluster_name: '{snapshot_nam}' })
    expect(message).toMatch(/Valid tokens: \{repo\}, .*\{timestamp\}, \{snapshot_name\}$/)
  })
})

describe('tables', () => {
  test('one schema.table per line, restored under its own name or beside it; blank lines and spacing ignored', () => {
    const config = read({
      ...TABLES,
      tables: '\n  public.orders\r\n\n\tsales.invoices  ->  sales.invoices_restored \nsales.items->archive.items_2026\n\n',
      database: ' shop '
    })
    expect(config.tables).toEqual({
      database: 'shop',
      caseSensitive: false,
      tables: [
        { source: { schema: 'public', table: 'orders' }, target: { schema: 'public', table: 'orders' } },
        { source: { schema: 'sales', table: 'invoices' }, target: { schema: 'sales', table: 'invoices_restored' } },
        { source: { schema: 'sales', table: 'items' }, target: { schema: 'archive', table: 'items_2026' } }
      ]
    })
    expect(config.newCluster).toBeUndefined()
    expect(config.keep).toBe(true)
  })

  test('names are kept as written; case_sensitive says how the service matches them', () => {
    expect(tablesOf('Public.Orders -> Public.Orders_Old')).toEqual(['Public.Orders -> Public.Orders_Old'])
    expect(read({ ...TABLES, case_sensitive: 'TRUE' }).tables?.caseSensitive).toBe(true)
    expect(read({ ...TABLES, case_sensitive: 'False' }).tables?.caseSensitive).toBe(false)
  })

  test('identifiers: a letter or _ first, then letters, digits, _ and $, at most 63 characters', () => {
    const longest = `t${'x'.repeat(62)}`
    expect(tablesOf(`_s1.t$2\n${longest}.${longest}`)).toEqual([`_s1.t$2 -> _s1.t$2`, `${longest}.${longest} -> ${longest}.${longest}`])
    expect(read({ ...TABLES, database: 'Shop_2$' }).tables?.database).toBe('Shop_2$')
  })

  const NOT_SCHEMA_TABLE = "is not schema.table (letters, digits, '_' and '$', starting with a letter or '_', at most 63 each)"
  test.each([
    ['orders', 'orders'],
    ['public.orders.x', 'public.orders.x'],
    ['"public"."Orders"', '"public"."Orders"'],
    ['public.1orders', 'public.1orders'],
    ['public.$orders', 'public.$orders'],
    ['public.or-ders', 'public.or-ders'],
    ['public.or ders', 'public.or ders'],
    ['.orders', '.orders'],
    ['public.', 'public.'],
    [`public.t${'x'.repeat(63)}`, `public.t${'x'.repeat(63)}`],
    [`s${'x'.repeat(63)}.t`, `s${'x'.repeat(63)}.t`],
    ['public.orders ->', ''],
    ['-> public.orders', ''],
    ['public.orders -> old', 'old'],
    ['public.orders -> public.', 'public.'],
    ['public.orders, public.items', 'public.orders, public.items']
  ])('%j is refused: %j is not schema.table', (line, part) => {
    const error = errorOf({ ...TABLES, tables: `public.first\n${line}` })
    expect(error.input).toBe('tables')
    expect(error.message).toBe(`Input 'tables': '${line}': '${part}' ${NOT_SCHEMA_TABLE}`)
  })

  test.each([
    ['public.a -> public.b -> public.c', "'public.a -> public.b -> public.c' has more than one '->'"],
    ['public.orders\npublic.orders', "restores two tables into 'public.orders'"],
    [
      'public.Orders\nPUBLIC.orders',
      "restores two tables into 'public.Orders' and 'PUBLIC.orders', the same table as case_sensitive is false"
    ],
    ['public.a -> public.c\npublic.b -> public.c', "restores two tables into 'public.c'"],
    ['public.a -> public.b\npublic.b', "restores two tables into 'public.b'"]
  ])('%j is refused', (tables, message) => {
    const error = errorOf({ ...TABLES, tables })
    expect(error.input).toBe('tables')
    expect(error.message).toBe(`Input 'tables': ${message}`)
  })

  test('the first line that is wrong is named', () => {
    expect(errorOf({ ...TABLES, tables: 'public.a\nbad\nworse' }).message).toMatch(/^Input 'tables': 'bad'/)
  })

  test('case_sensitive: true tells tables apart by case; the same name twice is still refused', () => {
    expect(tablesOf('public.Orders\npublic.orders', { case_sensitive: 'true' })).toEqual([
      'public.Orders -> public.Orders',
      'public.orders -> public.orders'
    ])
    expect(errorOf({ ...TABLES, case_sensitive: 'true', tables: 'public.Orders\npublic.Orders' }).message).toBe(
      "Input 'tables': restores two tables into 'public.Orders'"
    )
  })

  test('at most 100 tables per step; blank lines do not count', () => {
    const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `public.t${i}`)
    expect(read({ ...TABLES, tables: names(100).join('\n\n') }).tables?.tables).toHaveLength(100)
    const error = errorOf({ ...TABLES, tables: names(101).join('\n') })
    expect(error.input).toBe('tables')
    expect(error.message).toBe("Input 'tables': names 101 tables; at most 100 per step")
  })

  test.each([
    [
      'tables',
      { tables: '' },
      "Input 'tables': is required with mode: tables: one schema.table per line (or schema.table -> schema.new_table)"
    ],
    ['tables', { tables: ' \n\n ' }, "Input 'tables': is required with mode: tables:"],
    ['database', { database: '' }, "Input 'database': is required with mode: tables: the database the tables are in"],
    ['database', { database: 'my-shop' }, "Input 'database': 'my-shop' is not a database name"],
    ['database', { database: '"Shop"' }, `Input 'database': '"Shop"' is not a database name`],
    ['database', { database: '1shop' }, 'is not a database name'],
    ['database', { database: `d${'x'.repeat(63)}` }, 'is not a database name'],
    ['case_sensitive', { case_sensitive: 'yes' }, "Input 'case_sensitive': 'yes' is not a boolean; use true or false"]
  ])('%s: %j is refused', (input, change, message) => {
    const error = errorOf({ ...TABLES, ...change })
    expect(error.input).toBe(input)
    expect(error.message).toContain(message)
  })
})

describe('keep, dry run and waiting', () => {
  test('the YAML spellings of the booleans; durations as written', () => {
    expect(read({ ...BY_ID, keep: 'False', dry_run: 'TRUE', wait: 'false', wait_timeout: '1h30m', poll_interval: '1m' })).toMatchObject({
      keep: false,
      dryRun: true,
      wait: false,
      waitTimeoutMs: 5_400_000,
      pollIntervalMs: 60_000
    })
  })

  test.each([
    ['wait_timeout', '1s', 1000],
    ['wait_timeout', '72h', 72 * 3_600_000],
    ['wait_timeout', '90s', 90_000],
    ['poll_interval', '5s', 5000],
    ['poll_interval', '2h', 7_200_000]
  ])('%s %s is taken at its bound or within', (input, value, ms) => {
    const config = read({ ...BY_ID, [input]: value })
    expect(input === 'wait_timeout' ? config.waitTimeoutMs : config.pollIntervalMs).toBe(ms)
  })

  const DURATION = "is not a duration such as '90s', '45m', '2h' or '1h30m' (whole numbers; units h, m, s in that order)"
  test.each([
    ['keep', 'yes', '<value> is not a boolean; use true or false'],
    ['keep', '0', '<value> is not a boolean; use true or false'],
    ['dry_run', 'on', '<value> is not a boolean; use true or false'],
    ['wait', 'tRUE', '<value> is not a boolean; use true or false'],
    ['wait_timeout', '0s', 'must be between 1s and 72h (got <value>)'],
    ['wait_timeout', '73h', 'must be between 1s and 72h (got <value>)'],
    ['wait_timeout', '72h1s', 'must be between 1s and 72h (got <value>)'],
    ['wait_timeout', '3', `<value> ${DURATION}`],
    ['wait_timeout', '3H', `<value> ${DURATION}`],
    ['wait_timeout', '1d', `<value> ${DURATION}`],
    ['wait_timeout', '1 h', `<value> ${DURATION}`],
    ['wait_timeout', `${'9'.repeat(30)}h`, '<value> is too long a duration'],
    ['poll_interval', '4s', 'must be at least 5s (got <value>)'],
    ['poll_interval', '0s', 'must be at least 5s (got <value>)'],
    ['poll_interval', '30', `<value> ${DURATION}`],
    ['poll_interval', '500ms', `<value> ${DURATION}`]
  ])('%s %j is refused', (input, value, message) => {
    const error = errorOf({ ...BY_ID, [input]: value })
    expect(error.input).toBe(input)
    expect(error.message).toBe(`Input '${input}': ${message.replace('<value>', () => `'${value}'`)}`)
  })
})

describe('values quoted in errors', () => {
  const HUGE = `x${'y'.repeat(4999)}`
  test.each([
    ['snapshot_id', BY_ID],
    ['snapshot_name', BY_NAME],
    ['cluster_id', BY_NAME],
    ['mode', BY_ID],
    ['vpc_id', BY_ID],
    ['availability_zone', BY_ID],
    ['port', BY_ID],
    ['public_ip', BY_ID],
    ['enterprise_project_id', BY_ID],
    ['keep', BY_ID],
    ['wait_timeout', BY_ID],
    ['poll_interval', BY_ID],
    ['database', TABLES],
    ['tables', TABLES]
  ])('a 5000-character %s is quoted cut, with its length', (input, base) => {
    const error = errorOf({ ...base, [input]: HUGE })
    expect(error.input).toBe(input)
    expect(error.message).toContain(`'${HUGE.slice(0, 200)}… (5000 characters in all)'`)
    expect(error.message.length).toBeLessThan(input === 'tables' ? 700 : 400)
  })

  test('control characters are shown as escapes, so a message stays one line and cannot start a workflow command', () => {
    const name = errorOf({ ...BY_NAME, snapshot_name: 'pre\n::error::x' })
    expect(name.message).toBe("Input 'snapshot_name': 'pre\\n::error::x' is not a snapshot name")
    const table = errorOf({ ...TABLES, tables: 'public.orders\u001b[31m' })
    expect(table.message).toContain("'public.orders\\u001b[31m'")
    const zone = errorOf({ ...BY_ID, availability_zone: 'cn-north-4a\u202e' })
    expect(zone.message).toContain("'cn-north-4a\\u202e'")
    for (const error of [name, table, zone]) expect(error.message).not.toMatch(/[\p{Cc}\u202e]/u)
  })
})

describe('the plan, once the snapshot is known', () => {
  const snapshot: Snapshot = { id: SNAPSHOT, name: 'pre-release-42', status: 'AVAILABLE', clusterId: CLUSTER }
  const source = { id: CLUSTER, name: 'warehouse' }
  const workflow: WorkflowContext = {
    repository: 'acme/shop',
    sha: '0123456789abcdef0123456789abcdef01234567',
    refName: 'main',
    runId: '987654321',
    runNumber: '42',
    runAttempt: '2',
    eventName: 'push'
  }
  const now = new Date(Date.UTC(2026, 10, 28, 12, 34, 56))

  function name(template: string | undefined, options: { snapshot?: Snapshot; workflow?: WorkflowContext; source?: typeof source } = {}) {
    const log = new MemoryLog()
    const value = newClusterName(template, options.snapshot ?? snapshot, options.source ?? source, options.workflow ?? workflow, now, log)
    return { value, log: log.lines }
  }

  function nameError(template: string | undefined, options: Parameters<typeof name>[1] = {}): InputError {
    return inputErrorOf(() => name(template, options))
  }

  describe('the new cluster’s name', () => {
    test('by default: the snapshot’s name, -r and the run id, so two runs never ask for one name', () => {
      expect(name(undefined)).toEqual({ value: 'pre-release-42-r987654321', log: [] })
    })

    test('by default, a long snapshot name is cut to leave the run id whole, without a dash before it', () => {
      const long = { ...snapshot, name: `${'a'.repeat(52)}-${'b'.repeat(11)}` }
      expect(name(undefined, { snapshot: long }).value).toBe(`${'a'.repeat(52)}-r987654321`)
      const longest = { ...snapshot, name: 'c'.repeat(64) }
      const { value } = name(undefined, { snapshot: longest })
      expect(value).toBe(`${'c'.repeat(53)}-r987654321`)
      expect(value).toHaveLength(64)
    })

    test('by default, without a run id: the time instead', () => {
      expect(name(undefined, { workflow: { ...workflow, runId: '' } }).value).toBe('pre-release-42-r20261128T123456Z')
    })

    test('a template: the workflow, the source cluster and the snapshot expanded; nothing to say when it is valid as it is', () => {
      expect(name('preview-{snapshot_name}-{run_attempt}')).toEqual({ value: 'preview-pre-release-42-2', log: [] })
      expect(name('{cluster_name}-{cluster_short}-{sha7}-{date}').value).toBe('warehouse-8d4a8c21-0123456-20261128')
      expect(name('copy_{repo}_{{x}}').value).toBe('copy_shop_-x')
    })

    test('a template expanded to an invalid name is made valid, with a notice that says how', () => {
      const { value, log } = name('Preview of {snapshot_name} (#{run_number})')
      expect(value).toBe('Preview-of-pre-release-42-42')
      expect(log).toEqual([
        "notice: Cluster name 'Preview of pre-release-42 (#42)' was made valid as 'Preview-of-pre-release-42-42': " +
          "replaced 4 run(s) of characters outside [A-Za-z0-9_-] with '-'; trimmed leading/trailing '-' and '_'."
      ])
    })

    test('a name that would not start with a letter is prefixed cluster-, with a notice', () => {
      expect(name('{run_id}-preview')).toEqual({
        value: 'cluster-987654321-preview',
        log: [
          "notice: Cluster name '987654321-preview' was made valid as 'cluster-987654321-preview': prefixed 'cluster-' because a name must start with a letter."
        ]
      })
    })

    test('a long expansion is cut to 64 characters, ending in a hash of the whole', () => {
      const { value, log } = name(`{snapshot_name}-${'z'.repeat(70)}`)
      expect(value).toHaveLength(64)
      expect(value).toMatch(/^pre-release-42-z+-[0-9a-f]{8}$/)
      expect(log[0]).toMatch(/shortened from 85 to 64 characters, ending in a hash of the full name/)
      expect(name(`{snapshot_name}-${'z'.repeat(71)}`).value).not.toBe(value)
    })

    test.each([
      ['db', "'db' gives 'db' after sanitising"],
      ['{{}}', "'{}' gives '' after sanitising"],
      ['--_ !', "'--_ !' gives '' after sanitising"],
      ['x-{run_attempt}', "'x-2' gives 'x-2' after sanitising"]
    ])('%j gives too short a name: an error in cluster_name', (template, message) => {
      const error = nameError(template)
      expect(error.input).toBe('cluster_name')
      expect(error.message).toBe(
        `Input 'cluster_name': ${message}, which is shorter than the 4 characters a cluster name needs ` +
          "(letters, digits, '-' and '_', starting with a letter)"
      )
    })

    test.each([
      ['db', "'db' gives 'db' after sanitising"],
      ['{{}}', "'{}' gives '' after sanitising"]
    ])('%j, with no token, is refused when the inputs are read: before any request', (template, message) => {
      const error = errorOf({ ...BY_ID, cluster_name: template })
      expect(error.input).toBe('cluster_name')
      expect(error.message).toMatch(`Input 'cluster_name': ${message}, which is shorter than the 4 characters`)
      expect(read({ ...BY_ID, cluster_name: 'db-{run_id}' }).newCluster?.nameTemplate).toBe('db-{run_id}')
    })

    test('a token without a value in this run is an error in cluster_name that says why', () => {
      const pr = nameError('preview-{pr_number}')
      expect(pr.input).toBe('cluster_name')
      expect(pr.message).toMatch(
        /^Input 'cluster_name': token '\{pr_number\}' has no value in this run \(it is only set for pull request events\)/
      )
      const unnamed = nameError('copy-{cluster_name}', { source: { id: CLUSTER, name: '' } })
      expect(unnamed.message).toMatch(/token '\{cluster_name\}' has no value in this run \(the service names no such cluster\)/)
      expect(nameError('copy-{run_id}', { workflow: { ...workflow, runId: undefined } }).message).toMatch(/token '\{run_id\}' has no value/)
    })
  })

  test('the table restore request: the snapshot’s id and the tables as read', () => {
    const config = read({ ...TABLES, tables: 'public.orders -> public.orders_old', case_sensitive: 'true' })
    expect(tableRestoreRequest(snapshot, config.tables!)).toEqual({
      snapshotId: SNAPSHOT,
      database: 'shop',
      caseSensitive: true,
      tables: [{ source: { schema: 'public', table: 'orders' }, target: { schema: 'public', table: 'orders_old' } }]
    })
  })
})
