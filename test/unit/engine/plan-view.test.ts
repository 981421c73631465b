/**
 * The dry-run view is built once (electron/engine/backup/plan-view.ts) for the CLI and the app: companions
 * per file from that file's own target, no secret, every option the run will use.
 */
import { describe, expect, it } from 'vitest'
import type { PlannedBackup } from '../../../electron/engine/backup/plan-backup.ts'
import { toPlanView } from '../../../electron/engine/backup/plan-view.ts'

const db = (name: string) => ({ name, sizeBytes: 2048, dataBytes: 1024, tables: 3, rows: 10 })

const planned = (): PlannedBackup => ({
  plan: {
    mode: 'primary',
    backupType: 'primary',
    ticket: 'CHG-7',
    profileName: 'prod',
    connection: { host: 'db1', port: 3306, user: 'bk', password: 'SECRET-PASSWORD' },
    dumpBinary: null,
    extraDumpArgs: [],
    excludeData: false,
    compression: { type: 'zstd', level: 3 },
    encryptionKey: 'SECRET-KEY',
    outputDir: '/backups',
    targets: [
      { databases: ['shop'], fileName: 'shop.sql.zst.enc', estimatedBytes: 1024, grants: 'databases' },
      { databases: ['shop_dmart'], fileName: 'shop_dmart.sql.zst.enc', estimatedBytes: 1024, grants: 'none' },
    ],
    excludedDatabases: ['mysql'],
    captureGtid: true,
    parallel: 2,
    lockWaitTimeoutSeconds: 300,
    cleanup: { retentionDays: 14, minBackups: 3 },
  },
  server: {
    flavor: 'mariadb',
    version: '10.11.6',
    versionString: '10.11.6-MariaDB',
    hostname: 'db1',
    logBin: true,
  },
  files: [
    { path: '/backups/shop.sql.zst.enc', databases: [db('shop')], estimatedBytes: 1024, usersFile: true },
    {
      path: '/backups/shop_dmart.sql.zst.enc',
      databases: [db('shop_dmart')],
      estimatedBytes: 1024,
      usersFile: false,
    },
  ],
  excluded: [{ database: 'mysql', reason: 'system' }],
  unknown: [],
  warnings: [{ message: 'disk space is tight', advice: { code: 'diskSpaceTight' } }],
  estimatedOutputBytes: 574,
  dump: {
    binary: '/usr/bin/mariadb-dump',
    version: 'mariadb-dump 10.11',
    args: ['--single-transaction'],
    dumps: 1,
  },
  namePattern: 'default',
  gtidFiles: true,
})

describe('the dry-run view', () => {
  it('decides each file’s companions from its own target', () => {
    const view = toPlanView(planned())
    expect(view.files.map((f) => f.companions)).toEqual([
      [
        '/backups/shop.sql.zst.enc.meta.json',
        '/backups/shop.sql.zst.enc.users.sql',
        '/backups/shop.sql.zst.enc.gtid',
      ],
      ['/backups/shop_dmart.sql.zst.enc.meta.json', '/backups/shop_dmart.sql.zst.enc.gtid'],
    ])
  })

  it('promises a .users.sql only where the planning found one will be written, a .gtid only when it can be captured', () => {
    const base = planned()
    // The first target asks for grants, but no account holds grants on its database: no .users.sql.
    const view = toPlanView({
      ...base,
      files: base.files.map((f) => ({ ...f, usersFile: false })),
      gtidFiles: false,
    })
    expect(view.files.map((f) => f.companions)).toEqual([
      ['/backups/shop.sql.zst.enc.meta.json'],
      ['/backups/shop_dmart.sql.zst.enc.meta.json'],
    ])
    expect(view.options.captureGtid).toBe(true)
  })

  it('carries the options, exclusions with their reason codes and warnings with their advice — never a secret', () => {
    const view = toPlanView(planned())
    expect(view).toMatchObject({
      mode: 'primary',
      ticket: 'CHG-7',
      profile: 'prod',
      server: { hostname: 'db1', flavor: 'mariadb', version: '10.11.6-MariaDB' },
      excluded: [{ database: 'mysql', reason: 'system' }],
      warnings: [{ message: 'disk space is tight', advice: { code: 'diskSpaceTight' } }],
      options: {
        compression: { type: 'zstd', level: 3 },
        encrypted: true,
        grants: 'databases',
        captureGtid: true,
        parallel: 2,
        cleanup: { retentionDays: 14, minBackups: 3 },
        namePattern: 'default',
      },
    })
    const text = JSON.stringify(view)
    expect(text).not.toContain('SECRET-PASSWORD')
    expect(text).not.toContain('SECRET-KEY')
  })
})
