import { describe, expect, it } from 'vitest'
import type { RestoreItem, RestorePlan } from '../../../../shared/restore-types.ts'
import { filesAtOnce } from '../../../../electron/engine/restore/run/run-restore.ts'

const item = (target: string | null): RestoreItem => ({
  file: `/b/${target ?? 'all'}.sql`,
  key: null,
  target,
  excludeDatabases: [],
  sourceDatabase: null,
  totalSqlBytes: null,
  totalTables: null,
  grantsFile: null,
})
const plan = (targets: (string | null)[], parallel: number): RestorePlan => ({
  mode: 'selection',
  ticket: 'T',
  profileName: 'p',
  connection: { host: 'h', port: 3306, user: 'u', password: 'x' },
  clientBinary: null,
  items: targets.map(item),
  dropTarget: false,
  preBackup: null,
  parallel,
  force: false,
  skipGrants: false,
  verifyFirst: false,
  logDir: '/l',
})

describe('how many files of a restore load at once', () => {
  it('parallel files into distinct databases, at most one per file', () => {
    expect(filesAtOnce(plan(['a', 'a_dmart'], 2))).toBe(2)
    expect(filesAtOnce(plan(['a', 'b', 'c'], 2))).toBe(2)
    expect(filesAtOnce(plan(['a', 'b'], 8))).toBe(2)
  })

  it('one at a time: one file (its tables go parallel instead), parallel 1, a shared target, a combined dump', () => {
    expect(filesAtOnce(plan(['a'], 4))).toBe(1)
    expect(filesAtOnce(plan(['a', 'b'], 1))).toBe(1)
    expect(filesAtOnce(plan(['a', 'a'], 2))).toBe(1)
    expect(filesAtOnce(plan([null, 'b'], 2))).toBe(1)
  })
})
