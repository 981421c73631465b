import { afterEach, describe, expect, it } from 'vitest'
import {
  BATCH_MAX_DATABASE_BYTES,
  BATCH_MAX_DATABASES,
  batchingApplies,
  unitsOf,
} from '../../../electron/engine/backup/batch-units.ts'
import type { BackupPlan, PlanTarget } from '../../../shared/job-protocol.ts'

const target = (database: string, estimatedBytes = 100_000): PlanTarget => ({
  databases: [database],
  fileName: `${database}.sql.zst`,
  estimatedBytes,
  grants: 'none',
})
const planOf = (targets: PlanTarget[], over: Partial<BackupPlan> = {}): BackupPlan =>
  ({ targets, parallel: 1, extraDumpArgs: [], captureGtid: false, ...over }) as BackupPlan
const tenants = (n: number): PlanTarget[] =>
  Array.from({ length: n }, (_, i) => target(`dbsf_nbc_c${String(i + 1).padStart(3, '0')}`))
const none = new Set<string>()

describe('unitsOf: which targets share one dump', () => {
  it('cuts consecutive small databases into even batches of at most 16, one per worker at least', () => {
    expect(unitsOf(planOf(tenants(20)), none, true).map((u) => u.length)).toEqual([10, 10])
    expect(unitsOf(planOf(tenants(20), { parallel: 4 }), none, true).map((u) => u.length)).toEqual([
      5, 5, 5, 5,
    ])
    const many = unitsOf(planOf(tenants(300)), none, true)
    expect(Math.max(...many.map((u) => u.length))).toBeLessThanOrEqual(BATCH_MAX_DATABASES)
    expect(many.flat()).toEqual([...Array(300).keys()])
  })

  it('dumps alone a database with views, a big one, an odd name, or several databases in one file', () => {
    const targets = [
      target('a1'),
      target('a2'),
      target('with_view'),
      target('a3'),
      target('big', BATCH_MAX_DATABASE_BYTES + 1),
      target('a4'),
      target('a5'),
      target('ödd'),
      { ...target('x'), databases: ['x', 'y'] },
    ]
    expect(unitsOf(planOf(targets), new Set(['with_view']), true)).toEqual([
      [0, 1],
      [2],
      [3],
      [4],
      [5, 6],
      [7],
      [8],
    ])
  })

  it('batches nothing when batching does not apply, or when workers outnumber the pairs', () => {
    expect(unitsOf(planOf(tenants(5)), none, false)).toEqual([[0], [1], [2], [3], [4]])
    expect(unitsOf(planOf(tenants(3), { parallel: 4 }), none, true)).toEqual([[0], [1], [2]])
    expect(unitsOf(planOf(tenants(5), { parallel: 4 }), none, true)).toEqual([[0, 1], [2, 3], [4]])
  })
})

describe('batchingApplies', () => {
  const mariadb = { flavor: 'mariadb' } as const
  afterEach(() => {
    delete process.env.SFDB_BATCH_DUMPS
  })

  it('only for mariadb-dump, without extra dump arguments, GTID capture or SFDB_BATCH_DUMPS=0', () => {
    expect(batchingApplies(planOf(tenants(2)), mariadb)).toBe(true)
    expect(batchingApplies(planOf(tenants(1)), mariadb)).toBe(false)
    expect(batchingApplies(planOf(tenants(2)), { flavor: 'mysql' })).toBe(false)
    expect(batchingApplies(planOf(tenants(2), { extraDumpArgs: ['--skip-comments'] }), mariadb)).toBe(false)
    expect(batchingApplies(planOf(tenants(2), { captureGtid: true }), mariadb)).toBe(false)
    process.env.SFDB_BATCH_DUMPS = '0'
    expect(batchingApplies(planOf(tenants(2)), mariadb)).toBe(false)
  })
})
