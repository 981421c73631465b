/**
 * The restore handlers over the real engine, the real job supervisor (each restore in its own process) and
 * the private mariadbd: a backup made through backups:start, then restore:describe / restore:target /
 * restore:plan (the real dry-run: a refusal names the target's size and tables and creates nothing),
 * restore:start (a new database equal to the source, by checksums and object counts; a replace makes a
 * pre-restore backup first), restore:cancel (partly restored), restore:test (a report, read back by
 * history:restore-tests, and no throwaway database left).
 */
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { RestoreRequestInput } from '../../../shared/ipc.ts'
import { backupRequest } from '../../harness/backup-request.ts'
import type { JobEvent } from '../../../shared/job-protocol.ts'
import { createBackupAccount, type BackupAccount } from '../../harness/backup-user.ts'
import { createSampleDatabase, fingerprint } from '../../harness/fixtures.ts'
import { connectRoot } from '../../harness/mariadb.ts'
import { waitFor } from '../../harness/processes.ts'
import { expectNoSecretIn, useHandlerSession, useKeyring } from './handler-session.ts'

const BACKUP_KEY = 'restore handlers backup key ✓'

describe('restore handlers (the private mariadbd, real backups, restore jobs in their own processes)', () => {
  useKeyring()
  const s = useHandlerSession()
  const server = inject('mariadb')
  let conn: mysql.Connection
  let account: BackupAccount
  let file = ''
  let bigFile = ''

  const backup = async (database: string): Promise<string> => {
    const request = backupRequest({
      profile: 'hrs',
      databases: [database],
      encrypt: true,
      outputDir: join(s.configDir, 'backup'),
      ticket: 'B-1',
    })
    const { jobId } = await s.value('backups:start', { request })
    const final = await s.jobs.finished(jobId)
    if (final.type !== 'done') throw new Error(`backup failed: ${JSON.stringify(final)}`)
    const written = final.result.targets[0]?.file
    if (!written) throw new Error('no file written')
    return written
  }

  const request = (extra: Partial<RestoreRequestInput> = {}): RestoreRequestInput => ({
    file,
    profile: 'hrs',
    targetDatabase: 'hr_copy',
    grants: 'auto',
    preBackup: true,
    dropTarget: false,
    parallel: 1,
    force: false,
    ticket: 'CHG-R1',
    ...extra,
  })

  const databases = async (): Promise<string[]> => {
    const [rows] = await conn.query<mysql.RowDataPacket[]>('SHOW DATABASES')
    return rows.map((r) => String(r.Database)).sort()
  }

  const eventsOf = (jobId: string): JobEvent[] => s.jobs.events.filter((e) => e.jobId === jobId)

  beforeAll(async () => {
    conn = await connectRoot(server)
    await createSampleDatabase(conn, 'hr_src', { rows: 300 })
    // ≈ 50 MB of SQL: its load takes long enough for a cancel to find it running.
    await createSampleDatabase(conn, 'hr_big', { rows: 50_000, rowBytes: 900 })
    await conn.query('DROP DATABASE IF EXISTS hr_copy; DROP DATABASE IF EXISTS hr_big_copy')
    account = await createBackupAccount(conn, server, { SFDB_CONFIG_PATH: s.configDir }, 'hrs')
    // A restore writes: the profile's account may create, drop and load databases.
    await conn.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'127.0.0.1' WITH GRANT OPTION`, [account.user])
    s.env.SFDB_PROFILE_KEY = account.profileKey
    await s.value('keys:set', { kind: 'backup-key', profile: 'hrs', secret: BACKUP_KEY })
    file = await backup('hr_src')
    bigFile = await backup('hr_big')
  }, 240_000)

  afterAll(async () => {
    expectNoSecretIn(s.answers, [account.password, account.profileKey, BACKUP_KEY])
    await conn.query(
      'DROP DATABASE IF EXISTS hr_src; DROP DATABASE IF EXISTS hr_big; DROP DATABASE IF EXISTS hr_copy; DROP DATABASE IF EXISTS hr_big_copy',
    )
    await conn.end()
  })

  it('restore:describe and restore:target say what the file holds and what the target is now', async () => {
    const source = await s.value('restore:describe', { file })
    expect(source).toMatchObject({
      file,
      sourceDatabase: 'hr_src',
      encrypted: true,
      compression: 'zstd',
      profile: 'hrs',
      keyAvailable: true,
    })
    const existing = await s.value('restore:target', { profile: 'hrs', database: 'hr_src' })
    // Tables, views and sequences: what the dry-run counts (4 tables and a view).
    expect(existing).toMatchObject({ database: 'hr_src', exists: true, tables: 5 })
    expect(existing.sizeBytes).toBeGreaterThan(0)
    expect(await s.value('restore:target', { profile: 'hrs', database: 'hr_nothing_here' })).toEqual({
      profile: 'hrs',
      database: 'hr_nothing_here',
      exists: false,
      sizeBytes: 0,
      tables: 0,
    })
    expect((await s.failure('restore:describe', { file: 'relative.sql' })).code).toBe('InvalidInput')
  })

  it('restore:plan is the real dry-run: a non-empty target is refused with its size and tables; nothing is created', async () => {
    const before = await databases()
    const outputBefore = await readdir(join(s.configDir, 'backup'))
    const refused = await s.value('restore:plan', { request: request({ targetDatabase: 'hr_src' }) })
    expect(refused.problems).toHaveLength(1)
    const problem = refused.problems[0]
    expect(problem?.code).toBe('TargetNotEmpty')
    expect(problem?.advice?.code).toBe('targetNotEmpty')
    // The same size and count the wizard shows as the name is typed.
    const now = await s.value('restore:target', { profile: 'hrs', database: 'hr_src' })
    expect(problem?.advice?.params).toEqual({ database: 'hr_src', tables: 5, sizeBytes: now.sizeBytes })
    expect(now.sizeBytes).toBeGreaterThan(0)
    expect(refused.items[0]?.targets[0]).toMatchObject({ database: 'hr_src', exists: true, action: 'refuse' })
    // The same server and database the backup came from.
    expect(refused.sameServer).toBe(true)

    const created = await s.value('restore:plan', { request: request() })
    expect(created.problems).toEqual([])
    expect(created.items[0]).toMatchObject({ encrypted: true, compression: 'zstd', sourceDatabase: 'hr_src' })
    expect(created.items[0]?.targets).toEqual([
      expect.objectContaining({
        database: 'hr_copy',
        exists: false,
        action: 'create',
        preRestoreBackup: null,
      }),
    ])
    // The built-in loader is the default: no client program, the account and server it logs in as.
    expect(created.clientCommand).toMatch(/^built-in loader: one connection .* as bk_hrs@127\.0\.0\.1:\d+/)
    expect(created.clientCommand).not.toContain(account.password)

    const replace = await s.value('restore:plan', {
      request: request({ targetDatabase: 'hr_src', dropTarget: true }),
    })
    expect(replace.problems).toEqual([])
    expect(replace.items[0]?.targets[0]).toMatchObject({ action: 'replace' })
    expect(replace.items[0]?.targets[0]?.preRestoreBackup).toMatch(/_pre_restore/)

    // A refused start starts nothing.
    const error = await s.failure('restore:start', { request: request({ targetDatabase: 'hr_src' }) })
    expect(error.code).toBe('TargetNotEmpty')
    expect(s.jobs.runningRestores()).toEqual([])
    expect(await databases()).toEqual(before)
    expect(await readdir(join(s.configDir, 'backup'))).toEqual(outputBefore)
  })

  it('restore:start restores into a new database equal to the source, with progress through the supervisor', async () => {
    const { jobId } = await s.value('restore:start', { request: request() })
    expect((await s.value('restore:running', {})).map((r) => r.jobId)).toContain(jobId)
    const ended = await s.jobs.whenRestored(jobId)
    expect(ended?.outcome.kind).toBe('done')
    const events = eventsOf(jobId)
    expect(events.some((e) => e.type === 'restore-progress')).toBe(true)
    expect(events.filter((e) => e.type === 'restore-item')).toHaveLength(1)
    const done = events.at(-1)
    if (done?.type !== 'restore-done') throw new Error(`last event: ${done?.type}`)
    expect(done.result).toMatchObject({ ok: true, status: 'success', profile: 'hrs', ticket: 'CHG-R1' })
    expect(done.result.items[0]).toMatchObject({
      databases: ['hr_copy'],
      createdDatabases: ['hr_copy'],
      partlyRestored: false,
      preRestoreBackup: null,
      tables: 4,
    })
    expect(await fingerprint(conn, 'hr_copy')).toEqual(await fingerprint(conn, 'hr_src'))
    expect(await s.value('restore:running', {})).toEqual([])
  })

  it('a replace backs the target up first, then restores it to the backup', async () => {
    await conn.query('DELETE FROM hr_copy.customers WHERE id % 2 = 0')
    const { jobId } = await s.value('restore:start', { request: request({ dropTarget: true }) })
    const ended = await s.jobs.whenRestored(jobId)
    if (ended?.outcome.kind !== 'done') throw new Error(`outcome ${JSON.stringify(ended?.outcome)}`)
    const item = ended.outcome.result.items[0]
    expect(item?.droppedDatabases).toEqual(['hr_copy'])
    expect(item?.preRestoreBackup).toMatch(/_pre_restore/)
    expect((await stat(item?.preRestoreBackup ?? '')).size).toBeGreaterThan(0)
    expect(item?.undo).toContain(item?.preRestoreBackup ?? '')
    expect(await fingerprint(conn, 'hr_copy')).toEqual(await fingerprint(conn, 'hr_src'))
  })

  it('restore:cancel stops a running restore: the result says partly restored', async () => {
    const { jobId } = await s.value('restore:start', {
      request: request({ file: bigFile, targetDatabase: 'hr_big_copy', preBackup: false }),
    })
    // Cancel once the load is under way (its first progress event of the load phase).
    await waitFor(
      async () =>
        eventsOf(jobId).some(
          (e) => e.type === 'restore-progress' && e.progress.phase === 'load' && e.progress.sqlBytes > 0,
        ),
      60_000,
      'the load to be under way',
    )
    expect(await s.value('restore:cancel', { jobId })).toEqual({ cancelling: true })
    const ended = await s.jobs.whenRestored(jobId)
    expect(ended?.outcome.kind).toBe('cancelled')
    const final = eventsOf(jobId).at(-1)
    if (final?.type !== 'restore-cancelled') throw new Error(`last event: ${final?.type}`)
    expect(final.result.status).toBe('cancelled')
    expect(final.result.items[0]?.partlyRestored).toBe(true)
    expect(await s.value('restore:cancel', { jobId })).toEqual({ cancelling: false })
  })

  it('restore:test reports pass, History reads it back, and no throwaway database is left', async () => {
    expect(await s.value('history:restore-tests', { files: [file] })).toEqual({ tests: {} })
    const { jobId } = await s.value('restore:test', { request: { file, profile: 'hrs', ticket: 'CHG-T1' } })
    const ended = await s.jobs.whenRestored(jobId)
    if (ended?.outcome.kind !== 'test-done') throw new Error(`outcome ${JSON.stringify(ended?.outcome)}`)
    const { report } = ended.outcome
    expect(report).toMatchObject({ ok: true, file, ticket: 'CHG-T1', profile: 'hrs', cleanedUp: true })
    expect(report.database).toMatch(/^sfdb_restoretest_/)
    expect(report.tables.map((t) => t.name).sort()).toEqual(
      Object.keys((await fingerprint(conn, 'hr_src')).checksums).sort(),
    )
    for (const table of report.tables) expect(table.rows).toBe(table.expectedRows)
    expect((await databases()).filter((d) => d.startsWith('sfdb_restoretest_'))).toEqual([])

    const { tests } = await s.value('history:restore-tests', { files: [file, bigFile] })
    expect(Object.keys(tests)).toEqual([file])
    expect(tests[file]).toEqual(report)
  })

  it('without a backup key, a restore into a new database needs none; one that backs up a target is refused', async () => {
    await s.value('keys:delete', { kind: 'backup-key', profile: 'hrs' })
    try {
      // The file's own key typed in the wizard; none for the pre-restore backup (settings encrypt it).
      const fresh = await s.value('restore:plan', {
        request: request({ targetDatabase: 'hr_nokey', key: BACKUP_KEY }),
      })
      expect(fresh.problems).toEqual([])
      expect(fresh.items[0]?.targets[0]).toMatchObject({ action: 'create', preRestoreBackup: null })

      const replace = await s.value('restore:plan', {
        request: request({ targetDatabase: 'hr_src', dropTarget: true, key: BACKUP_KEY }),
      })
      expect(replace.problems.map((p) => p.code)).toEqual(['MissingKey'])
      expect(replace.problems[0]?.advice?.code).toBe('backupKeyToEncrypt')
      const error = await s.failure('restore:start', {
        request: request({ targetDatabase: 'hr_src', dropTarget: true, key: BACKUP_KEY }),
      })
      expect(error.code).toBe('MissingKey')
      expect(s.jobs.runningRestores()).toEqual([])
    } finally {
      await s.value('keys:set', { kind: 'backup-key', profile: 'hrs', secret: BACKUP_KEY })
      await conn.query('DROP DATABASE IF EXISTS hr_nokey')
    }
  })
})
