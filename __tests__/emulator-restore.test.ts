/**
 * The emulator's restore APIs over real HTTP on loopback, signed with the action's own signer: a snapshot
 * into a new cluster, deleting a cluster, tables back into their cluster with a job. The emulator's clock
 * is a variable the tests move: nothing here sleeps for a lifecycle.
 */
import { EMULATOR_DEFAULTS as D, type Emulator } from '../emulator/index.js'
import { useEmulator, type Answer } from './support/emulator-calls.js'

const T0 = Date.parse('2026-03-02T09:00:00Z')
const P: string = D.projectId
const C: string = D.clusterId
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const t = useEmulator(T0)
const { start } = t
/** A signed call (unless `signed` is false); rejects when the emulator drops the connection. */
const call = (method: string, path: string, body?: string | object, signed = true): Promise<Answer> =>
  t.call(method, path, { body, auth: signed ? 'aksk' : 'none' })

const restore = (snapshotId: string, fields: object, projectId = P): Promise<Answer> =>
  call('POST', `/v1.0/${projectId}/snapshots/${snapshotId}/actions`, { restore: fields })
const cluster = (id: string): Promise<Answer> => call('GET', `/v1.0/${P}/clusters/${id}`)
const clusterList = async (): Promise<any[]> => (await call('GET', `/v1.0/${P}/clusters`)).json.clusters
const snapshotStatus = async (id: string): Promise<string> => (await call('GET', `/v1.0/${P}/snapshots/${id}`)).json.snapshot.status
const deleteCluster = (id: string, body: string | object = { keep_last_manual_snapshot: 0 }): Promise<Answer> =>
  call('DELETE', `/v1.0/${P}/clusters/${id}`, body)
const check = (snapshotId: string, body: object): Promise<Answer> =>
  call('POST', `/v1/${P}/snapshots/${snapshotId}/table-restore-check`, body)
const restoreTables = (snapshotId: string, body: object): Promise<Answer> =>
  call('POST', `/v1/${P}/snapshots/${snapshotId}/table-restore`, body)
const job = (id: string, projectId = P): Promise<Answer> => call('GET', `/v1.0/${projectId}/job/${id}`)

function expectError(a: Answer, status: number, code: string, message?: RegExp): void {
  expect({ status: a.status, code: a.json?.error_code }).toEqual({ status, code })
  expect(a.json.error_msg).toEqual(expect.any(String))
  if (message !== undefined) expect(a.json.error_msg).toMatch(message)
}

const restored = (): ReturnType<Emulator['clusters']> => t.emu.clusters().filter((c) => c.restoredFrom !== undefined)
const snapshotOf = (name = 'before-release', seed: Partial<Parameters<Emulator['addSnapshot']>[0]> = {}): string =>
  t.emu.addSnapshot({ name, ...seed }).id

/** Restores and answers the new cluster's id, failing the test if the restore is refused. */
async function restoredCluster(fields: object = { name: 'restored-1' }, snapshotId = snapshotOf()): Promise<string> {
  const a = await restore(snapshotId, fields)
  expect(a.status).toBe(200)
  return a.json.cluster.id
}

describe('restore a snapshot into a new cluster', () => {
  test('200 {"cluster":{"id"}}; CREATING with task RESTORING and growing progress for twice the CREATING time, then AVAILABLE with endpoints', async () => {
    const snapshotId = snapshotOf()
    const a = await restore(snapshotId, { name: 'restored-1' })
    expect(a.status).toBe(200)
    expect(a.json).toEqual({ cluster: { id: expect.stringMatching(UUID) } })
    const id: string = a.json.cluster.id
    expect(restored()).toEqual([{ id, name: 'restored-1', status: 'CREATING', projectId: P, restoredFrom: { snapshotId, clusterId: C } }])

    const seen = []
    for (const offset of [0, 60_000, 119_999]) {
      t.clock = T0 + offset
      const c = (await cluster(id)).json.cluster
      seen.push([c.status, c.task_status, c.action_progress, c.endpoints])
    }
    expect(seen).toEqual([
      ['CREATING', 'RESTORING', { RESTORING: '0%' }, []],
      ['CREATING', 'RESTORING', { RESTORING: '50%' }, []],
      ['CREATING', 'RESTORING', { RESTORING: '99%' }, []]
    ])
    expect(await snapshotStatus(snapshotId)).toBe('RESTORING')

    t.clock = T0 + 120_000
    const done = (await cluster(id)).json.cluster
    expect(done).toMatchObject({
      id,
      name: 'restored-1',
      status: 'AVAILABLE',
      task_status: '',
      action_progress: {},
      port: 8000,
      endpoints: [
        {
          connect_info: 'restored-1.dws.myhuaweicloud.com:8000',
          jdbc_url: 'jdbc:postgresql://restored-1.dws.myhuaweicloud.com:8000/<YOUR_DATABASE_name>'
        }
      ],
      vpc_id: D.network.vpcId,
      subnet_id: D.network.subnetId,
      security_group_id: D.network.securityGroupId,
      availability_zone: D.network.availabilityZone,
      enterprise_project_id: '0'
    })
    expect(done).not.toHaveProperty('public_endpoints')
    expect(done).not.toHaveProperty('failed_reasons')
    expect(await snapshotStatus(snapshotId)).toBe('AVAILABLE')
    expect((await clusterList()).map((c) => [c.name, c.status])).toEqual([
      [D.clusterName, 'AVAILABLE'],
      ['restored-1', 'AVAILABLE']
    ])
  })

  test('the configured cluster keeps its view: no restore fields', async () => {
    await restoredCluster()
    expect((await cluster(C)).json.cluster).toEqual({
      id: C,
      name: D.clusterName,
      status: 'AVAILABLE',
      sub_status: 'NORMAL',
      task_status: '',
      action_progress: {}
    })
  })

  test('its own port, network and public access: public endpoints only when a public IP was asked, once it is usable', async () => {
    const snapshotId = snapshotOf()
    const network = {
      vpc_id: 'e0000000-0000-4000-8000-0000000000c1',
      subnet_id: 'e0000000-0000-4000-8000-0000000000c2',
      security_group_id: 'e0000000-0000-4000-8000-0000000000c3',
      availability_zone: 'cn-north-4b',
      enterprise_project_id: 'e0000000-0000-4000-8000-0000000000c4'
    }
    const id = await restoredCluster(
      { name: 'public-one', port: 9000, public_ip: { public_bind_type: 'auto_assign', eip_id: '' }, ...network },
      snapshotId
    )
    expect((await cluster(id)).json.cluster.public_endpoints).toEqual([])
    t.clock = T0 + 120_000
    const c = (await cluster(id)).json.cluster
    expect(c).toMatchObject({
      port: 9000,
      endpoints: [{ connect_info: 'public-one.dws.myhuaweicloud.com:9000' }],
      public_endpoints: [
        { public_connect_info: '203.0.113.10:9000', jdbc_url: 'jdbc:postgresql://203.0.113.10:9000/<YOUR_DATABASE_name>' }
      ],
      public_ip: { public_bind_type: 'auto_assign', eip_id: '' },
      ...network
    })

    const eip = 'e0000000-0000-4000-8000-0000000000d1'
    const bound = await restoredCluster(
      { name: 'bound-one', public_ip: { public_bind_type: 'bind_existing', eip_id: eip } },
      snapshotOf('s2')
    )
    const none = await restoredCluster({ name: 'private-one', public_ip: { public_bind_type: 'not_use' } }, snapshotOf('s3'))
    t.clock += 120_000
    expect((await cluster(bound)).json.cluster).toMatchObject({
      public_ip: { eip_id: eip },
      public_endpoints: [{ public_connect_info: expect.any(String) }]
    })
    expect((await cluster(none)).json.cluster).not.toHaveProperty('public_endpoints')
  })

  test('ACTIVE instead of AVAILABLE, by option or by plan; a restored cluster that is ACTIVE can be snapshotted', async () => {
    await start({ restoreOutcome: 'ACTIVE', restoringMs: 1_000 })
    const id = await restoredCluster()
    t.clock += 1_000
    expect((await cluster(id)).json.cluster.status).toBe('ACTIVE')
    const snap = await call('POST', `/v1.0/${P}/snapshots`, { snapshot: { name: 'of-the-copy', cluster_id: id } })
    expect(snap.status).toBe(200)

    t.emu.nextRestore({ outcome: 'AVAILABLE' })
    const second = await restoredCluster({ name: 'restored-2' }, snapshotOf('second'))
    t.clock += 1_000
    expect((await cluster(second)).json.cluster.status).toBe('AVAILABLE')
  })

  test('a restore planned to fail: FAILED with the default failed_reasons, or CREATE_FAILED with the planned ones; no endpoints', async () => {
    t.emu.nextRestore({ outcome: 'FAILED', restoringMs: 10_000 })
    t.emu.nextRestore({ outcome: 'CREATE_FAILED', failedReasons: { error_code: 'DWS.6001', error_msg: 'no capacity' } })
    const first = await restoredCluster({ name: 'fails-1' }, snapshotOf('a1'))
    const second = await restoredCluster({ name: 'fails-2' }, snapshotOf('a2'))
    t.clock = T0 + 10_000
    expect((await cluster(first)).json.cluster).toMatchObject({
      status: 'FAILED',
      task_status: '',
      action_progress: {},
      endpoints: [],
      failed_reasons: { error_code: 'DWS.9999', error_msg: expect.stringMatching(/restor/i) }
    })
    expect((await cluster(second)).json.cluster.status).toBe('CREATING')
    t.clock = T0 + 120_000
    expect((await cluster(second)).json.cluster).toMatchObject({
      status: 'CREATE_FAILED',
      failed_reasons: { error_code: 'DWS.6001', error_msg: 'no capacity' }
    })
    // A snapshot of a failed cluster is refused like any cluster that is not usable.
    expectError(await call('POST', `/v1.0/${P}/snapshots`, { snapshot: { name: 'of-failed', cluster_id: first } }), 403, 'DWS.7023')
  })

  test('the restoring time and progress shape come from the options unless a plan says otherwise', async () => {
    await start({ restoringMs: 40_000, progress: 'steps' })
    const id = await restoredCluster()
    t.clock = T0 + 38_000
    expect((await cluster(id)).json.cluster.action_progress).toEqual({ RESTORING: '90%' })
    t.clock = T0 + 40_000
    expect((await cluster(id)).json.cluster.status).toBe('AVAILABLE')
  })

  test.each<[string, unknown, RegExp]>([
    ['a name too short', { name: 'abc' }, /restore\.name 'abc'/],
    ['a name starting with a digit', { name: '1restored' }, /restore\.name/],
    ['a name with a dot', { name: 'restored.1' }, /restore\.name/],
    ['a name of 65 characters', { name: `r${'x'.repeat(64)}` }, /restore\.name/],
    ['no name', { port: 8000 }, /restore\.name is required/],
    ['ipv6_enable, which the SDK model does not have', { name: 'restored-1', ipv6_enable: false }, /ipv6_enable/],
    ['an unknown field', { name: 'restored-1', flavor: 'dws.m3.xlarge' }, /flavor/],
    ['a port below 8000', { name: 'restored-1', port: 7999 }, /restore\.port/],
    ['a port as text', { name: 'restored-1', port: '8000' }, /restore\.port/],
    ['a fractional port', { name: 'restored-1', port: 8000.5 }, /restore\.port/],
    ['an unknown bind type', { name: 'restored-1', public_ip: { public_bind_type: 'maybe' } }, /public_bind_type/],
    ['bind_existing without an EIP', { name: 'restored-1', public_ip: { public_bind_type: 'bind_existing' } }, /eip_id/],
    ['an unknown public_ip field', { name: 'restored-1', public_ip: { public_bind_type: 'auto_assign', bandwidth: 5 } }, /bandwidth/],
    ['a subnet that is not a UUID', { name: 'restored-1', subnet_id: 'subnet-a' }, /restore\.subnet_id 'subnet-a'/],
    [
      'an enterprise project that is neither 0 nor a UUID',
      { name: 'restored-1', enterprise_project_id: 'default' },
      /enterprise_project_id/
    ]
  ])('400 DWS.0001 naming the field: %s; nothing is created', async (_, fields, message) => {
    expectError(await restore(snapshotOf(), fields as object), 400, 'DWS.0001', message)
    expect(restored()).toEqual([])
  })

  test('400 DWS.0001 for a body that is not {"restore":{...}} or has other top-level fields', async () => {
    const snapshotId = snapshotOf()
    expectError(await call('POST', `/v1.0/${P}/snapshots/${snapshotId}/actions`, 'not json'), 400, 'DWS.0001', /JSON/)
    expectError(await call('POST', `/v1.0/${P}/snapshots/${snapshotId}/actions`, { name: 'restored-1' }), 400, 'DWS.0001')
    expectError(
      await call('POST', `/v1.0/${P}/snapshots/${snapshotId}/actions`, { restore: { name: 'restored-1' }, dry_run: true }),
      400,
      'DWS.0001',
      /dry_run/
    )
    expect(restored()).toEqual([])
  })

  test('names of 4 and 64 characters are accepted', async () => {
    expect((await restore(snapshotOf('s1'), { name: 'r-_1' })).status).toBe(200)
    expect((await restore(snapshotOf('s2'), { name: `r${'x'.repeat(63)}` })).status).toBe(200)
  })

  test('an unknown snapshot, or one of another project: 400 DWS.5149', async () => {
    const other = 'e0000000000000000000000000000009'
    await start({
      projects: [
        { id: P, name: D.region },
        { id: other, name: 'cn-south-1' }
      ]
    })
    const theirs = t.emu.addSnapshot({ name: 'theirs', projectId: other }).id
    expectError(await restore('e0000000-0000-4000-8000-00000000ffff', { name: 'restored-1' }), 400, 'DWS.5149')
    expectError(await restore(theirs, { name: 'restored-1' }), 400, 'DWS.5149')
    expect(restored()).toEqual([])
  })

  test.each(['CREATING', 'UNAVAILABLE', 'FROZEN'])('a %s snapshot: 403 DWS.7023', async (status) => {
    expectError(await restore(snapshotOf('not-ready', { status }), { name: 'restored-1' }), 403, 'DWS.7023', new RegExp(status))
    expect(restored()).toEqual([])
  })

  test('a snapshot being restored from reads RESTORING and refuses a second restore with 403 DWS.7023', async () => {
    const snapshotId = snapshotOf()
    await restoredCluster({ name: 'restored-1' }, snapshotId)
    expectError(await restore(snapshotId, { name: 'restored-2' }), 403, 'DWS.7023', /RESTORING/)
    // And it cannot be deleted meanwhile.
    expectError(await call('DELETE', `/v1.0/${P}/snapshots/${snapshotId}`), 403, 'DWS.0015')
    expect(restored()).toHaveLength(1)
  })

  test('the name must be free in the project, compared case-insensitively; a DELETING cluster still holds it, a gone one does not', async () => {
    expectError(await restore(snapshotOf('s1'), { name: D.clusterName.toUpperCase() }), 400, 'DWS.0001', /already exists/)
    const id = await restoredCluster({ name: 'copy-a' }, snapshotOf('s2'))
    expectError(await restore(snapshotOf('s3'), { name: 'COPY-A' }), 400, 'DWS.0001', /already exists/)
    expect((await deleteCluster(id)).status).toBe(202)
    expectError(await restore(snapshotOf('s4'), { name: 'copy-a' }), 400, 'DWS.0001', /already exists/)
    t.clock += D.deletingMs
    expect((await restore(snapshotOf('s5'), { name: 'copy-a' })).status).toBe(200)
  })

  test('a restored cluster is seen from its own project only; configured clusters from every project', async () => {
    const other = 'e0000000000000000000000000000009'
    await start({
      projects: [
        { id: P, name: D.region },
        { id: other, name: 'cn-south-1' }
      ]
    })
    const id = await restoredCluster()
    const theirs = (await call('GET', `/v1.0/${other}/clusters`)).json.clusters.map((c: any) => c.id)
    expect(theirs).toEqual([C])
    expectError(await call('GET', `/v1.0/${other}/clusters/${id}`), 404, 'DWS.0047')
    expectError(await call('DELETE', `/v1.0/${other}/clusters/${id}`, { keep_last_manual_snapshot: 0 }), 404, 'DWS.0047')
    expect((await cluster(id)).status).toBe(200)
  })

  test('a lost answer (drop after): the cluster exists once; a retry is refused and creates nothing more; the list finds it', async () => {
    const snapshotId = snapshotOf()
    t.emu.inject('restore', { kind: 'drop', when: 'after' })
    await expect(restore(snapshotId, { name: 'restored-1' })).rejects.toThrow()
    expect(restored()).toEqual([expect.objectContaining({ name: 'restored-1', status: 'CREATING' })])
    expect(t.emu.requests.filter((r) => r.route === 'restore').map((r) => [r.status, r.fault])).toEqual([['dropped', 'drop']])

    expectError(await restore(snapshotId, { name: 'restored-1' }), 403, 'DWS.7023')
    expect(restored()).toHaveLength(1)
    expect((await clusterList()).filter((c) => c.name === 'restored-1').map((c) => c.id)).toEqual([restored()[0]!.id])
  })

  test('a drop before the backend: nothing is created', async () => {
    t.emu.inject('restore', { kind: 'drop', when: 'before' })
    await expect(restore(snapshotOf(), { name: 'restored-1' })).rejects.toThrow()
    expect(restored()).toEqual([])
  })

  test('a restored cluster holds every table of the snapshot: its own snapshot has public.orders, and the name is taken there', async () => {
    const id = await restoredCluster()
    t.clock += 120_000
    const snap = await call('POST', `/v1.0/${P}/snapshots`, { snapshot: { name: 'of-the-copy', cluster_id: id } })
    t.clock += 60_000
    const body = tablesBody([['public.orders', 'public.orders']])
    expect((await check(snap.json.snapshot.id, body)).json.check_table_name_result).toEqual({
      database: 'shop',
      restore_table_list: null,
      target_table_list: ['public.orders']
    })
  })
})

describe('delete a cluster', () => {
  test('202 without a body; DELETING for the deleting time, then gone: 404 DWS.0047 and out of the list', async () => {
    const id = await restoredCluster()
    t.clock = T0 + 120_000
    const a = await deleteCluster(id)
    expect({ status: a.status, text: a.text }).toEqual({ status: 202, text: '' })
    expect((await cluster(id)).json.cluster).toMatchObject({ status: 'DELETING', action_progress: {} })
    expect((await clusterList()).find((c) => c.id === id)?.status).toBe('DELETING')
    t.clock += D.deletingMs - 1
    expect((await cluster(id)).json.cluster.status).toBe('DELETING')
    t.clock += 1
    expectError(await cluster(id), 404, 'DWS.0047')
    expect((await clusterList()).map((c) => c.id)).toEqual([C])
    expect(restored()).toEqual([expect.objectContaining({ id, status: 'DELETED', deletedAtMs: T0 + 120_000 })])
  })

  test('the deleting time is an option; a gone cluster answers as configured for unknown clusters', async () => {
    await start({ deletingMs: 0, unknownCluster: 'DWS.0047-401' })
    const id = await restoredCluster()
    expect((await deleteCluster(id)).status).toBe(202)
    expectError(await cluster(id), 401, 'DWS.0047')
  })

  test('unknown, malformed, already DELETING, already gone', async () => {
    expectError(await deleteCluster('e0000000-0000-4000-8000-00000000ffff'), 404, 'DWS.0047')
    expectError(await deleteCluster('not-a-uuid'), 400, 'DWS.0001')
    const id = await restoredCluster()
    expect((await deleteCluster(id)).status).toBe(202)
    expectError(await deleteCluster(id), 403, 'DWS.7023')
    t.clock += D.deletingMs
    expectError(await deleteCluster(id), 404, 'DWS.0047')
  })

  test.each<[string, string | object, RegExp]>([
    ['no body', '', /keep_last_manual_snapshot/],
    ['a negative count', { keep_last_manual_snapshot: -1 }, /keep_last_manual_snapshot/],
    ['a count as text', { keep_last_manual_snapshot: '0' }, /keep_last_manual_snapshot/],
    ['another field', { keep_last_manual_snapshot: 0, force: true }, /force/]
  ])('400 DWS.0001 for %s; the cluster stays', async (_, body, message) => {
    const id = await restoredCluster()
    expectError(await deleteCluster(id, body), 400, 'DWS.0001', message)
    expect((await cluster(id)).json.cluster.status).toBe('CREATING')
  })

  test('a cluster still being restored can be deleted: it stops RESTORING and the snapshot is free again', async () => {
    const snapshotId = snapshotOf()
    const id = await restoredCluster({ name: 'restored-1' }, snapshotId)
    t.clock = T0 + 30_000
    expect((await deleteCluster(id)).status).toBe(202)
    expect((await cluster(id)).json.cluster).toMatchObject({ status: 'DELETING', task_status: '', action_progress: {} })
    expect(await snapshotStatus(snapshotId)).toBe('AVAILABLE')
  })

  test('the configured cluster too: snapshots of it are refused while DELETING, and answer unknown once it is gone', async () => {
    expect((await deleteCluster(C)).status).toBe(202)
    expectError(await call('POST', `/v1.0/${P}/snapshots`, { snapshot: { name: 'too-late', cluster_id: C } }), 403, 'DWS.7023')
    t.clock += D.deletingMs
    expectError(await call('POST', `/v1.0/${P}/snapshots`, { snapshot: { name: 'too-late', cluster_id: C } }), 404, 'DWS.0047')
    expect(t.emu.clusters()).toEqual([{ id: C, name: D.clusterName, status: 'DELETED', deletedAtMs: T0 }])
  })
})

/** A table restore body pairing `schema.table` sources with targets. */
function tablesBody(pairs: [string, string][], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const detail = (name: string): { schema_name: string; table_name: string } => {
    const dot = name.indexOf('.')
    return { schema_name: name.slice(0, dot), table_name: name.slice(dot + 1) }
  }
  return {
    case_sensitive: true,
    database: 'shop',
    restore_table_list: pairs.map(([from]) => detail(from)),
    target_table_list: pairs.map(([, to]) => detail(to)),
    ...extra
  }
}

describe('table restore: the name check', () => {
  test('a dropped table back under its own name passes: both lists null', async () => {
    const a = await check(snapshotOf(), tablesBody([['public.orders', 'public.orders']]))
    expect(a.status).toBe(200)
    expect(a.json).toEqual({ check_table_name_result: { database: 'shop', restore_table_list: null, target_table_list: null } })
  })

  test('rejections: a source not in the snapshot, a target that exists, bad characters, a target named twice', async () => {
    const a = await check(
      snapshotOf(),
      tablesBody([
        ['public.nope', 'public.nope'],
        ['public.orders', 'public.customers'],
        ['sales.invoices', 'sales.invoices-old'],
        ['public.orders', 'public.orders_copy'],
        ['public.customers', 'public.orders_copy'],
        ['public.bad;drop', 'public.fine']
      ])
    )
    expect(a.json.check_table_name_result).toEqual({
      database: 'shop',
      restore_table_list: ['public.nope', 'public.bad;drop'],
      target_table_list: ['public.customers', 'sales.invoices-old', 'public.orders_copy']
    })
  })

  test('case_sensitive false folds names and the database; true compares them exactly', async () => {
    const snapshotId = snapshotOf()
    const pairs: [string, string][] = [
      ['PUBLIC.Orders', 'public.orders_copy'],
      ['public.orders', 'Public.Customers']
    ]
    expect((await check(snapshotId, tablesBody(pairs, { case_sensitive: false, database: 'SHOP' }))).json.check_table_name_result).toEqual({
      database: 'SHOP',
      restore_table_list: null,
      target_table_list: ['Public.Customers']
    })
    expect((await check(snapshotId, tablesBody(pairs))).json.check_table_name_result).toEqual({
      database: 'shop',
      restore_table_list: ['PUBLIC.Orders'],
      target_table_list: null
    })
  })

  test('an unknown database: every source is rejected', async () => {
    const a = await check(snapshotOf(), tablesBody([['public.orders', 'public.orders']], { database: 'warehouse' }))
    expect(a.json.check_table_name_result).toEqual({
      database: 'warehouse',
      restore_table_list: ['public.orders'],
      target_table_list: null
    })
  })

  test('the catalogue comes from the options, or from the cluster config', async () => {
    const own = 'e0000000-0000-4000-8000-000000000002'
    await start({
      tables: { snapshot: { crm: ['public.leads'] }, live: { crm: [] } },
      clusters: [
        { id: C, name: D.clusterName },
        { id: own, name: 'own-tables', tables: { snapshot: { hr: ['people.staff'] }, live: { hr: ['people.staff'] } } }
      ]
    })
    const first = await check(snapshotOf('s1'), tablesBody([['public.leads', 'public.leads']], { database: 'crm' }))
    expect(first.json.check_table_name_result).toEqual({ database: 'crm', restore_table_list: null, target_table_list: null })
    const second = await check(snapshotOf('s2', { clusterId: own }), tablesBody([['people.staff', 'people.staff']], { database: 'hr' }))
    expect(second.json.check_table_name_result).toEqual({ database: 'hr', restore_table_list: null, target_table_list: ['people.staff'] })
  })

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['no case_sensitive', { case_sensitive: undefined }, /case_sensitive/],
    ['case_sensitive as text', { case_sensitive: 'true' }, /case_sensitive/],
    ['no database', { database: undefined }, /database/],
    ['no target_table_list', { target_table_list: undefined }, /target_table_list/],
    ['lists of different lengths', { target_table_list: [] }, /pair up/],
    ['an empty restore_table_list', { restore_table_list: [], target_table_list: [] }, /at least one/],
    ['an unknown field', { schema: 'public' }, /schema/],
    ['a table entry with another field', { restore_table_list: [{ schema_name: 'public', table_name: 'orders', owner: 'x' }] }, /owner/],
    ['a table entry without table_name', { restore_table_list: [{ schema_name: 'public' }] }, /restore_table_list\[0\]\.table_name/]
  ])('400 DWS.0001 naming the field: %s', async (_, change, message) => {
    const body = { ...tablesBody([['public.orders', 'public.orders']]), ...change }
    expectError(await check(snapshotOf(), JSON.parse(JSON.stringify(body))), 400, 'DWS.0001', message)
  })

  test('an unknown snapshot: 400 DWS.5149; the snapshot of a cluster that is gone: the unknown-cluster answer', async () => {
    expectError(await check('e0000000-0000-4000-8000-00000000ffff', tablesBody([['public.orders', 'public.orders']])), 400, 'DWS.5149')
    const snapshotId = snapshotOf()
    await deleteCluster(C)
    t.clock += D.deletingMs
    expectError(await check(snapshotId, tablesBody([['public.orders', 'public.orders']])), 404, 'DWS.0047')
  })
})

describe('table restore: the job', () => {
  test('{"job_id"}; INIT with growing progress while it runs, the snapshot RESTORING; then SUCCESS at 100% and the table is back', async () => {
    const snapshotId = snapshotOf()
    const a = await restoreTables(snapshotId, tablesBody([['public.orders', 'public.orders']]))
    expect(a.status).toBe(200)
    expect(a.json).toEqual({ job_id: expect.stringMatching(/^[0-9a-f]{32}$/) })
    const id: string = a.json.job_id

    expect((await job(id)).json).toEqual({
      job_id: id,
      job_name: expect.any(String),
      begin_time: '2026-03-02T09:00:00',
      end_time: null,
      status: 'INIT',
      failed_code: null,
      failed_detail: null,
      progress: '0%'
    })
    expect(await snapshotStatus(snapshotId)).toBe('RESTORING')
    t.clock = T0 + 30_000
    expect((await job(id)).json).toMatchObject({ status: 'INIT', progress: '50%' })
    t.clock = T0 + 60_000
    expect((await job(id)).json).toMatchObject({ status: 'SUCCESS', progress: '100%', end_time: '2026-03-02T09:01:00', failed_code: null })
    expect(await snapshotStatus(snapshotId)).toBe('AVAILABLE')
    expect(t.emu.tableRestores()).toEqual([
      {
        jobId: id,
        projectId: P,
        snapshotId,
        clusterId: C,
        database: 'shop',
        tables: [{ from: 'public.orders', to: 'public.orders' }],
        status: 'SUCCESS'
      }
    ])
    // Restored, so the name is taken now.
    expect(
      (await check(snapshotId, tablesBody([['public.orders', 'public.orders']]))).json.check_table_name_result.target_table_list
    ).toEqual(['public.orders'])
  })

  test('a job planned to fail: FAIL with failed_code and failed_detail; the table is not restored', async () => {
    t.emu.nextTableRestore({
      runningMs: 5_000,
      outcome: 'FAIL',
      failedCode: 'RestoreTableTask-fail:DWS.1234',
      failedDetail: 'DWS.1234:disk full'
    })
    const snapshotId = snapshotOf()
    const id = (await restoreTables(snapshotId, tablesBody([['public.orders', 'public.orders']]))).json.job_id
    t.clock = T0 + 5_000
    expect((await job(id)).json).toMatchObject({
      status: 'FAIL',
      failed_code: 'RestoreTableTask-fail:DWS.1234',
      failed_detail: 'DWS.1234:disk full',
      end_time: '2026-03-02T09:00:05'
    })
    expect(
      (await check(snapshotId, tablesBody([['public.orders', 'public.orders']]))).json.check_table_name_result.target_table_list
    ).toBeNull()
  })

  test('a failed job has a default code and detail in the documented shape; pending statuses share the running time', async () => {
    t.emu.nextTableRestore({ outcome: 'FAIL', pending: ['INIT', 'RUNNING'] })
    const id = (await restoreTables(snapshotOf(), tablesBody([['public.orders', 'public.orders']]))).json.job_id
    const statuses = []
    for (const offset of [0, 29_999, 30_000, 59_999, 60_000]) {
      t.clock = T0 + offset
      statuses.push((await job(id)).json.status)
    }
    expect(statuses).toEqual(['INIT', 'INIT', 'RUNNING', 'RUNNING', 'FAIL'])
    const failed = (await job(id)).json
    expect(failed.failed_code).toMatch(/^\w+-fail:DWS\.\d{4}$/)
    expect(failed.failed_detail).toMatch(/^DWS\.\d{4}:.*public\.orders/)
  })

  test('the running time is an option', async () => {
    await start({ tableRestoreMs: 1_000 })
    const id = (await restoreTables(snapshotOf(), tablesBody([['public.orders', 'public.orders']]))).json.job_id
    t.clock += 1_000
    expect((await job(id)).json.status).toBe('SUCCESS')
  })

  test('names the check rejects: 400 DWS.0001 naming them, no job', async () => {
    const a = await restoreTables(snapshotOf(), tablesBody([['public.orders', 'public.customers']]))
    expectError(a, 400, 'DWS.0001', /public\.customers/)
    expect(t.emu.tableRestores()).toEqual([])
  })

  test('refusals: the snapshot RESTORING (403 DWS.7023), another job on the cluster (409 DWS.0011), the cluster not usable (403 DWS.7023), a snapshot running (409)', async () => {
    const first = snapshotOf('s1')
    const second = snapshotOf('s2')
    await restoreTables(first, tablesBody([['public.orders', 'public.orders']]))
    expectError(await restoreTables(first, tablesBody([['public.orders', 'public.orders_2']])), 403, 'DWS.7023')
    expectError(await restoreTables(second, tablesBody([['public.orders', 'public.orders_2']])), 409, 'DWS.0011')
    t.clock += 60_000
    t.emu.setClusterStatus(C, 'UNAVAILABLE')
    expectError(await restoreTables(second, tablesBody([['public.orders', 'public.orders_2']])), 403, 'DWS.7023')
    t.emu.setClusterStatus(C, 'AVAILABLE')
    expect((await call('POST', `/v1.0/${P}/snapshots`, { snapshot: { name: 'running-now', cluster_id: C } })).status).toBe(200)
    expectError(await restoreTables(second, tablesBody([['public.orders', 'public.orders_2']])), 409, 'DWS.0011')
    expect(t.emu.tableRestores()).toHaveLength(1)
  })

  test('an unknown job, or one of another project: 404', async () => {
    const other = 'e0000000000000000000000000000009'
    await start({
      projects: [
        { id: P, name: D.region },
        { id: other, name: 'cn-south-1' }
      ]
    })
    const id = (await restoreTables(snapshotOf(), tablesBody([['public.orders', 'public.orders']]))).json.job_id
    expectError(await job('0123456789abcdef0123456789abcdef'), 404, 'DWS.0015')
    expectError(await job(id, other), 404, 'DWS.0015')
  })

  test('a lost answer (drop after): one job runs; a retry is refused', async () => {
    const snapshotId = snapshotOf()
    t.emu.inject('table-restore', { kind: 'drop', when: 'after' })
    await expect(restoreTables(snapshotId, tablesBody([['public.orders', 'public.orders']]))).rejects.toThrow()
    expect(t.emu.tableRestores()).toEqual([expect.objectContaining({ status: 'INIT' })])
    expectError(await restoreTables(snapshotId, tablesBody([['public.orders', 'public.orders']])), 403, 'DWS.7023')
    expect(t.emu.tableRestores()).toHaveLength(1)
  })
})

describe('the gateway in front of the new routes', () => {
  test.each<[string, string, string]>([
    ['restore', 'POST', `/v1.0/${P}/snapshots/x/actions`],
    ['delete-cluster', 'DELETE', `/v1.0/${P}/clusters/${C}`],
    ['table-restore-check', 'POST', `/v1/${P}/snapshots/x/table-restore-check`],
    ['table-restore', 'POST', `/v1/${P}/snapshots/x/table-restore`],
    ['job', 'GET', `/v1.0/${P}/job/x`]
  ])('%s must be signed: 401 APIGW.0301 unsigned, and nothing happens', async (route, method, path) => {
    expectError(await call(method, path, { keep_last_manual_snapshot: 0 }, false), 401, 'APIGW.0301')
    expect(t.emu.requests.at(-1)?.route).toBe(route)
    expect(t.emu.clusters().map((c) => c.status)).toEqual(['AVAILABLE'])
  })

  test('the table restore lives under /v1, not the /v2 of the page example: 404 APIGW.0101', async () => {
    expectError(
      await call('POST', `/v2/${P}/snapshots/${snapshotOf()}/table-restore`, tablesBody([['public.orders', 'public.orders']])),
      404,
      'APIGW.0101'
    )
  })

  test('a status fault on a new route answers instead of the backend', async () => {
    t.emu.inject('job', { kind: 'status', status: 503 })
    expectError(await job('anything'), 503, 'APIGW.0613')
    expectError(await job('anything'), 404, 'DWS.0015')
  })
})
