/**
 * The pieces of the restore service that decide without a server: the wizard's grants choice → the plan's
 * grants file and skipGrants, and the profile a backup came from (its metadata's host and port).
 */
import { describe, expect, it } from 'vitest'
import type { BackupSource } from '../../../electron/engine/restore/run/describe-backup.ts'
import { grantsOf, sourceProfileOf } from '../../../electron/main/services/restore-service.ts'

const source = (host: string | null, port: number | null): BackupSource => ({
  file: '/b/shop.sql.zst.enc',
  metaPath: null,
  sourceDatabase: 'shop',
  databases: ['shop'],
  type: 'single',
  totalSqlBytes: null,
  totalTables: null,
  encrypted: true,
  compression: 'zstd',
  compressionFrom: 'content',
  sizeBytes: 10,
  grantsFile: '/b/shop.sql.zst.enc.users.sql',
  dmartCompanion: null,
  host,
  port,
})

describe('restore service', () => {
  it('grants: the backup’s own file, none, or a chosen absolute file', () => {
    const s = source(null, null)
    expect(grantsOf('auto', s)).toEqual({ grantsFile: '/b/shop.sql.zst.enc.users.sql', skipGrants: false })
    expect(grantsOf('auto', { grantsFile: null })).toEqual({ grantsFile: null, skipGrants: false })
    expect(grantsOf('skip', s)).toEqual({ grantsFile: null, skipGrants: true })
    expect(grantsOf({ file: '/g/users.sql' }, s)).toEqual({ grantsFile: '/g/users.sql', skipGrants: false })
    expect(() => grantsOf({ file: 'users.sql' }, s)).toThrow(
      expect.objectContaining({ code: 'InvalidInput' }),
    )
  })

  it('the profile a backup came from: same host (any case) and port, 3306 when the metadata has none', () => {
    const endpoints = [
      { name: 'dev', host: 'db1', port: 3307 },
      { name: 'prod', host: 'DB1', port: 3306 },
    ]
    expect(sourceProfileOf(source('db1', 3306), endpoints)).toBe('prod')
    expect(sourceProfileOf(source('db1', null), endpoints)).toBe('prod')
    expect(sourceProfileOf(source('db1', 3307), endpoints)).toBe('dev')
    expect(sourceProfileOf(source('db2', 3306), endpoints)).toBeNull()
    expect(sourceProfileOf(source(null, null), endpoints)).toBeNull()
  })
})
