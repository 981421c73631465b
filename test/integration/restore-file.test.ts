/**
 * The engine's sequential restore of one backup file into one database (electron/engine/restore), against
 * the private mariadbd with backups made by the engine's own runBackup and the real mariadb-dump and
 * mariadb client.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { copyFile, mkdtemp, readFile, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { TargetResult } from '../../shared/backup-types.ts'
import type { ConnectionSettings } from '../../shared/job-protocol.ts'
import { planBackup } from '../../electron/engine/backup/plan-backup.ts'
import { runBackup } from '../../electron/engine/backup/run-backup.ts'
import { restoreFile, type RestoreFileOptions } from '../../electron/engine/restore/restore-file.ts'
import type { RestoreProgress } from '../../electron/engine/restore/restore-progress.ts'
import { trickyPassword } from '../harness/backup-user.ts'
import { createSampleDatabase, fingerprint, type DatabaseFingerprint } from '../harness/fixtures.ts'
import { connectRoot } from '../harness/mariadb.ts'
import { waitFor } from '../harness/processes.ts'

/** The database backed up, then dropped: a restore that wrote into its name would bring it back. */
const SOURCE = 'rs_src'
/** The restores' account (all privileges, a password that breaks naive quoting). */
const USER = 'rs_user'
const BACKUP_KEY = 'restore key with spaces & ünïcode'
const server = inject('mariadb')

describe('restoreFile: one backup file into one database', () => {
  let root: mysql.Connection
  let connection: ConnectionSettings
  /** CHECKSUM TABLE of every table and the object counts of the source. */
  let source: DatabaseFingerprint
  let dir: string
  /** zstd + encrypted, made with --databases --add-drop-database: it names rs_src in USE/CREATE/DROP lines. */
  let zstd: TargetResult
  /** gzip, not encrypted, a plain single-database dump. */
  let gzip: TargetResult

  const backup = async (
    name: string,
    compression: 'zstd' | 'gzip',
    key: string | null,
    extraDumpArgs: string[],
  ): Promise<TargetResult> => {
    const { plan } = await planBackup({
      mode: 'single',
      profileName: 'restore',
      connection,
      selection: {
        databases: [SOURCE],
        excludeDatabases: [],
        excludeSystem: true,
        excludeEmpty: false,
        companions: [],
      },
      ticket: name,
      compression: { type: compression, level: compression === 'zstd' ? 3 : 6 },
      encryptionKey: key,
      outputDir: join(dir, name),
      extraDumpArgs,
      excludeUser: true,
    })
    const result = await runBackup(plan, { signal: new AbortController().signal })
    const target = result.targets[0]
    if (!result.ok || !target?.file) throw new Error(`backup failed: ${JSON.stringify(result.targets)}`)
    return target
  }

  const tablesOf = async (db: string): Promise<string[]> => {
    const [rows] = await root.query<mysql.RowDataPacket[]>(
      'SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME',
      [db],
    )
    return rows.map((r) => String(r.t))
  }
  const schemaExists = async (db: string): Promise<boolean> => {
    const [rows] = await root.query<mysql.RowDataPacket[]>(
      'SELECT DEFAULT_COLLATION_NAME AS c FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [db],
    )
    return rows.length > 0
  }
  const restore = (over: Partial<RestoreFileOptions> & Pick<RestoreFileOptions, 'file' | 'database'>) =>
    restoreFile({ key: null, connection, signal: new AbortController().signal, ...over })

  beforeAll(async () => {
    root = await connectRoot(server)
    dir = await mkdtemp(join(tmpdir(), 'sfdb-restore-'))
    const password = trickyPassword()
    await root.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await root.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [USER, password])
    await root.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'127.0.0.1'`, [USER])
    connection = { host: server.host, port: server.port, user: USER, password }
    await createSampleDatabase(root, SOURCE, { rows: 600 })
    source = await fingerprint(root, SOURCE)
    zstd = await backup('zstd', 'zstd', BACKUP_KEY, ['--databases', '--add-drop-database'])
    gzip = await backup('gzip', 'gzip', null, [])
    // Any write into the original name now shows: the database it would have to recreate is gone.
    await root.query(`DROP DATABASE ${SOURCE}`)
  })

  afterAll(async () => {
    const [rows] = await root.query<mysql.RowDataPacket[]>(
      `SELECT SCHEMA_NAME AS db FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'rs\\_%'`,
    )
    for (const r of rows) await root.query(`DROP DATABASE \`${String(r.db)}\``)
    await root.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await root.end()
  })

  it('zstd + encrypted (a --databases dump) restores into a new name: same checksums and objects, progress to 100 %', async () => {
    const events: RestoreProgress[] = []
    const result = await restore({
      file: zstd.file ?? '',
      key: BACKUP_KEY,
      database: 'rs_copy_zstd',
      totalSqlBytes: zstd.sqlBytes,
      onProgress: (p) => events.push(p),
    })
    expect(result).toMatchObject({
      status: 'success',
      database: 'rs_copy_zstd',
      sourceDatabase: SOURCE,
      createdDatabase: true,
      compression: 'zstd',
      encrypted: true,
      sqlBytes: zstd.sqlBytes,
      tables: 4,
      warnings: [],
    })
    expect(await fingerprint(root, 'rs_copy_zstd')).toEqual(source)
    // The original name was never written to, and the copy got the dump's character set and collation.
    expect(await schemaExists(SOURCE)).toBe(false)
    const [schema] = await root.query<mysql.RowDataPacket[]>(
      `SELECT DEFAULT_COLLATION_NAME AS c FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'rs_copy_zstd'`,
    )
    expect(schema[0]?.c).toBe('utf8mb4_unicode_ci')

    const last = events.at(-1)
    expect(last).toMatchObject({
      final: true,
      fraction: 1,
      sqlBytes: zstd.sqlBytes,
      totalSqlBytes: zstd.sqlBytes,
      tablesDone: 4,
      tablesTotal: 4,
      etaSeconds: 0,
      database: 'rs_copy_zstd',
    })
    expect(events.filter((e) => e.final)).toHaveLength(1)
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.sqlBytes).toBeGreaterThanOrEqual(events[i - 1]!.sqlBytes)
      expect(events[i]!.fraction ?? 0).toBeGreaterThanOrEqual(events[i - 1]!.fraction ?? 0)
    }
    // At most 10 events a second, plus the final one.
    expect(events.length).toBeLessThanOrEqual(Math.floor(result.durationMs / 100) + 2)
    expect(events.map((e) => e.table)).not.toContain('rs_src')
  })

  it('gzip without encryption, under a name that says nothing about it, restores by its content', async () => {
    const misnamed = join(dir, 'misnamed.sql')
    await copyFile(gzip.file ?? '', misnamed)
    const events: RestoreProgress[] = []
    const result = await restore({
      file: misnamed,
      database: 'rs_copy_gzip',
      onProgress: (p) => events.push(p),
    })
    expect(result).toMatchObject({ status: 'success', compression: 'gzip', encrypted: false, tables: 4 })
    expect(result.sourceDatabase).toBeNull() // a single-database dump names no database
    expect(await fingerprint(root, 'rs_copy_gzip')).toEqual(source)
    // Without the SQL size the fraction is of the file read; the last event says 100 %.
    expect(events.at(-1)).toMatchObject({ final: true, fraction: 1, totalSqlBytes: null })
    expect(events.at(-1)?.fileBytes).toBe(statSync(misnamed).size)
  })

  it('a broken statement stops the restore with SqlError naming its line and the server’s message', async () => {
    const lines = gunzipSync(await readFile(gzip.file ?? ''))
      .toString('utf8')
      .split('\n')
    const at = lines.findIndex((l) => l.startsWith('-- Table structure for table `empty_table`'))
    expect(at).toBeGreaterThan(0)
    lines.splice(at, 0, 'THIS IS NOT SQL AT ALL;')
    const broken = join(dir, 'broken.sql.gz')
    await writeFile(broken, gzipSync(lines.join('\n')))

    const error = await restore({ file: broken, database: 'rs_broken' }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'SqlError',
      message: expect.stringMatching(
        new RegExp(
          `^the statement at line ${at + 1} failed: ERROR 1064 \\(42000\\): You have an error in your SQL syntax`,
        ),
      ),
    })
    const detail = (error as { detail: string }).detail
    expect(detail).toContain(`line ${at + 1}: THIS IS NOT SQL AT ALL;`)
    expect(detail).toMatch(new RegExp(`ERROR 1064 \\(42000\\) at line ${at + 1}`))
    // Everything before the broken statement was restored, nothing after it.
    expect(await tablesOf('rs_broken')).toEqual(['active_customers', 'audit_log', 'customers'])
  })

  it('a wrong key is WrongKey and nothing is done on the server; a truncated file is CorruptFile', async () => {
    let spawned = 0
    const counting = ((cmd: string, args: readonly string[], opts: SpawnOptions) => {
      spawned++
      return spawn(cmd, args, opts)
    }) as typeof spawn
    await expect(
      restore({ file: zstd.file ?? '', key: 'not the key', database: 'rs_wrong_key', spawn: counting }),
    ).rejects.toMatchObject({ code: 'WrongKey' })
    expect(spawned).toBe(0)
    expect(await schemaExists('rs_wrong_key')).toBe(false)
    expect(await tablesOf('rs_wrong_key')).toEqual([])
    await expect(restore({ file: zstd.file ?? '', database: 'rs_no_key' })).rejects.toMatchObject({
      code: 'MissingKey',
      advice: { code: 'backupKeyRequired' },
    })

    // Cut inside the compressed stream (an encrypted file this small is one chunk: cut, it is WrongKey).
    const truncated = join(dir, 'truncated.sql.gz')
    await copyFile(gzip.file ?? '', truncated)
    await truncate(truncated, Math.floor((gzip.bytes ?? 0) * 0.6))
    const error = await restore({ file: truncated, database: 'rs_truncated' }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'CorruptFile',
      message: expect.stringMatching(/^gzip stream is damaged or truncated/),
    })
  })

  it('a missing client is a named error with advice, before anything is done on the server', async () => {
    await expect(
      restore({ file: gzip.file ?? '', database: 'rs_no_client', clientBinary: '/nonexistent/mariadb' }),
    ).rejects.toMatchObject({
      code: 'ClientBinaryMissing',
      advice: { code: 'clientBinaryNotExecutable', params: { binary: '/nonexistent/mariadb' } },
    })
    expect(await schemaExists('rs_no_client')).toBe(false)
  })

  it('while the client runs, no secret is in its argv or environment; a cancel kills it and resolves as cancelled', async () => {
    // The dump's first statement on audit_log waits for this lock: the client is held mid-restore.
    await root.query(
      'DROP DATABASE IF EXISTS rs_cancel; CREATE DATABASE rs_cancel; CREATE TABLE rs_cancel.audit_log (a int)',
    )
    const locker = await connectRoot(server)
    await locker.query('LOCK TABLES rs_cancel.audit_log READ')
    let child: ChildProcess | undefined
    let args: string[] = []
    const watching = ((cmd: string, a: readonly string[], opts: SpawnOptions) => {
      args = [...a]
      child = spawn(cmd, a, opts)
      return child
    }) as typeof spawn
    const cancel = new AbortController()
    try {
      const running = restoreFile({
        file: zstd.file ?? '',
        key: BACKUP_KEY,
        connection,
        database: 'rs_cancel',
        signal: cancel.signal,
        spawn: watching,
      })
      await waitFor(
        async () => {
          const [rows] = await root.query<mysql.RowDataPacket[]>(
            `SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ? AND DB = 'rs_cancel' AND STATE LIKE '%metadata lock%'`,
            [USER],
          )
          return rows.length > 0
        },
        60_000,
        'the client waiting for the table lock',
      )
      const pid = child?.pid ?? 0
      expect(pid).toBeGreaterThan(0)
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8')
      expect(cmdline.slice(1)).toEqual(args)
      expect(cmdline[1]).toMatch(/^--defaults-extra-file=/)
      expect(cmdline.slice(2)).toEqual([
        '--default-character-set=utf8mb4',
        '--max-allowed-packet=1G',
        '--binary-mode',
        '--batch',
        '--',
        'rs_cancel',
      ])
      for (const secret of [connection.password, BACKUP_KEY]) {
        expect(cmdline.join(' ')).not.toContain(secret)
        expect(environ).not.toContain(secret)
      }
      expect(environ).not.toMatch(/MYSQL_PWD/)
      const defaults = (cmdline[1] ?? '').slice('--defaults-extra-file='.length)
      expect(statSync(defaults).mode & 0o777).toBe(0o600)
      expect(readFileSync(defaults, 'utf8')).toContain('password=')

      cancel.abort()
      const result = await running
      expect(result.status).toBe('cancelled')
      expect(child?.signalCode).toBe('SIGKILL')
      expect(existsSync(`/proc/${pid}`)).toBe(false)
      expect(existsSync(defaults)).toBe(false)
    } finally {
      await locker.query('UNLOCK TABLES')
      await locker.end()
    }
  })
})
