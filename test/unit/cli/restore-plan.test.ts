import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CliContext } from '../../../electron/cli/context.ts'
import { parseRestoreArgs } from '../../../electron/cli/restore/restore-args.ts'
import {
  backupKeys,
  collectRequests,
  excludedDatabases,
  restoreItem,
  type RestoreConfig,
} from '../../../electron/cli/restore/restore-plan.ts'
import type { Keychain } from '../../../electron/engine/secrets/keychain.ts'
import type { BackupSource } from '../../../electron/engine/restore/run/describe-backup.ts'

/** What describeBackup says of a file (data, as the engine returns it). */
const source = (file: string, over: Partial<BackupSource> = {}): BackupSource => ({
  file,
  metaPath: `${file}.meta.json`,
  sourceDatabase: 'shop',
  databases: ['shop'],
  type: 'single',
  totalSqlBytes: 1000,
  totalTables: 4,
  encrypted: true,
  compression: 'zstd',
  compressionFrom: 'metadata',
  sizeBytes: 300,
  grantsFile: `${file}.users.sql`,
  dmartCompanion: null,
  host: '10.0.0.1',
  port: 3306,
  ...over,
})

/** Describes from a table of sources, as the engine would from the files. */
const describeFrom =
  (sources: BackupSource[]) =>
  async (file: string): Promise<BackupSource> => {
    const s = sources.find((x) => x.file === file)
    if (!s) throw new Error(`no such file ${file}`)
    return s
  }

const args = (mode: string, ...rest: string[]) => parseRestoreArgs(mode, [...rest, '--ticket', 'T'], '/b')
const noKey = async (file: string): Promise<string> => {
  throw new Error(`asked for a key of ${file}`)
}

describe('restore plan items', () => {
  it('single: the target from --target-db, else the backup own database; grants found beside it', async () => {
    const describe1 = describeFrom([source('/b/shop.sql.zst.enc')])
    const [plain] = await collectRequests(args('single', 'shop.sql.zst.enc'), describe1, () => {})
    const item = await restoreItem('single', plain!, {
      skipGrants: false,
      excludeDatabases: [],
      key: async () => 'the key',
    })
    expect(item).toEqual({
      file: '/b/shop.sql.zst.enc',
      key: 'the key',
      target: 'shop',
      excludeDatabases: [],
      sourceDatabase: 'shop',
      totalSqlBytes: 1000,
      totalTables: 4,
      grantsFile: '/b/shop.sql.zst.enc.users.sql',
    })
    const [renamed] = await collectRequests(
      args('single', 'shop.sql.zst.enc', '--target-db', 'copy', '--grants-file', 'g.sql'),
      describe1,
      () => {},
    )
    const item2 = await restoreItem('single', renamed!, {
      skipGrants: false,
      excludeDatabases: [],
      key: noKey,
    }).catch(() => null)
    expect(item2).toBeNull() // encrypted: the key is asked for
    const unencrypted = { ...renamed!, source: { ...renamed!.source, encrypted: false } }
    const item3 = await restoreItem('single', unencrypted, {
      skipGrants: false,
      excludeDatabases: [],
      key: noKey,
    })
    expect(item3).toMatchObject({ target: 'copy', key: null, grantsFile: '/b/g.sql' })
    const item4 = await restoreItem('single', unencrypted, {
      skipGrants: true,
      excludeDatabases: [],
      key: noKey,
    })
    expect(item4.grantsFile).toBeNull()
  })

  it('single: a file that names no database needs --target-db', async () => {
    const [req] = await collectRequests(
      args('single', 'dump.sql'),
      describeFrom([source('/b/dump.sql', { sourceDatabase: null, encrypted: false })]),
      () => {},
    )
    await expect(
      restoreItem('single', req!, { skipGrants: false, excludeDatabases: [], key: noKey }),
    ).rejects.toThrow('pass --target-db')
  })

  it('primary: the file and its _dmart companion into <target>_dmart; without one, a warning', async () => {
    const sources = [
      source('/b/app.sql', { sourceDatabase: 'app', dmartCompanion: '/b/app_dmart.sql', encrypted: false }),
      source('/b/app_dmart.sql', { sourceDatabase: 'app_dmart', encrypted: false, grantsFile: null }),
    ]
    const warnings: string[] = []
    const reqs = await collectRequests(
      args('primary', 'app.sql', '--target-db', 'app2'),
      describeFrom(sources),
      (w) => warnings.push(w),
    )
    const items = await Promise.all(
      reqs.map((r) => restoreItem('primary', r, { skipGrants: false, excludeDatabases: [], key: noKey })),
    )
    expect(items.map((i) => [i.file, i.target])).toEqual([
      ['/b/app.sql', 'app2'],
      ['/b/app_dmart.sql', 'app2_dmart'],
    ])
    expect(warnings).toEqual([])
    const alone = await collectRequests(args('secondary', 'app_dmart.sql'), describeFrom(sources), (w) =>
      warnings.push(w),
    )
    expect(alone).toHaveLength(1)
    expect(warnings[0]).toContain('no _dmart companion of /b/app_dmart.sql')
  })

  it('all: no target; system databases and --exclude-db/--exclude-db-file left out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'restore-plan-'))
    const list = join(dir, 'skip.txt')
    await writeFile(list, '# skip these\nlogs\n\narchive\n')
    const a = args('all', 'all.sql', '--exclude-db', 'tmp', '--exclude-db-file', list)
    expect(await excludedDatabases(a)).toEqual([
      'information_schema',
      'mysql',
      'performance_schema',
      'sys',
      'tmp',
      'logs',
      'archive',
    ])
    expect(await excludedDatabases(args('all', 'all.sql', '--include-system'))).toEqual([])
    const [req] = await collectRequests(
      a,
      describeFrom([source('/b/all.sql', { sourceDatabase: null, encrypted: false, type: 'all' })]),
      () => {},
    )
    const item = await restoreItem('all', req!, { skipGrants: false, excludeDatabases: ['x'], key: noKey })
    expect(item).toMatchObject({ target: null, excludeDatabases: ['x'] })
  })

  it('selection: every CSV row, its key or the usual one, its grants or the one beside it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'restore-csv-'))
    const csv = join(dir, 'list.csv')
    await writeFile(
      csv,
      'filename,db_name,enc_key,grants_file\na.sql.enc,a_copy,row key,\nb.sql.enc,,,g/b.sql\n',
    )
    const sources = [
      source(join(dir, 'a.sql.enc'), { sourceDatabase: 'a' }),
      source(join(dir, 'b.sql.enc'), { sourceDatabase: 'b' }),
    ]
    const reqs = await collectRequests(args('selection', csv), describeFrom(sources), () => {})
    const asked: string[] = []
    const items = []
    for (const r of reqs)
      items.push(
        await restoreItem('selection', r, {
          skipGrants: false,
          excludeDatabases: [],
          key: async (f) => (asked.push(f), 'usual key'),
        }),
      )
    expect(items.map((i) => [i.target, i.key, i.grantsFile])).toEqual([
      ['a_copy', 'row key', `${join(dir, 'a.sql.enc')}.users.sql`],
      ['b', 'usual key', join(dir, 'g', 'b.sql')],
    ])
    expect(asked).toEqual([join(dir, 'b.sql.enc')])
  })
})

/** A keychain that holds nothing (the OS keychain is not reachable in unit tests). */
const emptyKeychain: Keychain = {
  get: async () => null,
  set: async () => {},
  delete: async () => false,
}
const ctxWith = (env: Record<string, string>): CliContext => ({
  env,
  out: () => {},
  err: () => {},
  configDir: '/nowhere',
  keychain: emptyKeychain,
})
const cfgWith = (configKey: { key: string; source: string } | null) =>
  ({ settings: { configKey } }) as unknown as RestoreConfig

describe('restore keys', () => {
  it('come from the environment, else the config; pre-restore backups use the same key', async () => {
    const fromEnv = backupKeys(
      args('single', 'f'),
      cfgWith(null),
      ctxWith({ SFDB_BACKUP_ENCRYPTION_KEY: 'env key' }),
      'p',
    )
    expect(await fromEnv.read('/b/f')).toBe('env key')
    expect(await fromEnv.forPreBackup()).toEqual({ key: 'env key', source: 'SFDB_BACKUP_ENCRYPTION_KEY' })
    const fromConfig = backupKeys(
      args('single', 'f'),
      cfgWith({ key: 'cfg key', source: 'config' }),
      ctxWith({}),
      'p',
    )
    expect(await fromConfig.read('/b/f')).toBe('cfg key')
  })

  it('without any key and no terminal: a file that needs one fails naming every way; backups go unencrypted', async () => {
    const none = backupKeys(args('single', 'f'), cfgWith(null), ctxWith({}), 'p')
    expect(await none.forPreBackup()).toBeNull()
    await expect(none.read('/b/f.enc')).rejects.toThrow(
      /\/b\/f\.enc is encrypted .*--encryption-key.*SFDB_BACKUP_ENCRYPTION_KEY/,
    )
  })
})
