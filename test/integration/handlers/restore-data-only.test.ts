/**
 * Table rules through the app's handlers (the real engine, job processes and the private mariadbd): a
 * backup with an excluded and a data-only table shows its rules in history:list, history:details and
 * restore:describe; restore:plan into a new database refuses it with DataOnlyTablesMissing in English
 * words, and restore:test refuses it up front.
 */
import { join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { RestoreRequestInput } from '../../../shared/ipc.ts'
import { backupRequest } from '../../harness/backup-request.ts'
import { createBackupAccount, type BackupAccount } from '../../harness/backup-user.ts'
import { createSampleDatabase } from '../../harness/fixtures.ts'
import { connectRoot } from '../../harness/mariadb.ts'
import { useHandlerSession, useKeyring } from './handler-session.ts'

const RULES = {
  hdo_src: { excluded: ['empty_table'], structureOnly: [], dataOnly: ['settings'], included: null },
}

describe('table rules in the app: history and the restore wizard', () => {
  useKeyring()
  const s = useHandlerSession()
  const server = inject('mariadb')
  let conn: mysql.Connection
  let account: BackupAccount
  let file = ''

  beforeAll(async () => {
    conn = await connectRoot(server)
    await createSampleDatabase(conn, 'hdo_src', { rows: 20 })
    await conn.query('DROP DATABASE IF EXISTS hdo_fresh')
    account = await createBackupAccount(conn, server, { SFDB_CONFIG_PATH: s.configDir }, 'hdo')
    await conn.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'127.0.0.1' WITH GRANT OPTION`, [account.user])
    s.env.SFDB_PROFILE_KEY = account.profileKey
    const request = backupRequest({
      profile: 'hdo',
      databases: ['hdo_src'],
      outputDir: join(s.configDir, 'backup'),
      ticket: 'B-DO',
      tables: { hdo_src: { exclude: ['empty_table'], dataOnly: ['settings'] } },
    })
    const { jobId } = await s.value('backups:start', { request })
    const final = await s.jobs.finished(jobId)
    if (final.type !== 'done') throw new Error(`backup failed: ${JSON.stringify(final)}`)
    file = final.result.targets[0]?.file ?? ''
  }, 240_000)

  afterAll(async () => {
    await conn.query('DROP DATABASE IF EXISTS hdo_src; DROP DATABASE IF EXISTS hdo_fresh')
    await conn.end()
  })

  it('history:list and history:details carry the table rules', async () => {
    const { entries } = await s.value('history:list', {})
    const entry = entries.find((e) => e.backupFile === file)
    expect(entry?.tableRules).toEqual(RULES)
    const details = await s.value('history:details', { metaPath: `${file}.meta.json` })
    expect(details.entry.tableRules).toEqual(RULES)
  })

  it('restore:describe says what the file holds, its table rules included', async () => {
    expect(await s.value('restore:describe', { file })).toMatchObject({
      sourceDatabase: 'hdo_src',
      tableRules: RULES,
    })
  })

  it('restore:plan into a new database is refused with the named reason; restore:test up front', async () => {
    const request: RestoreRequestInput = {
      file,
      profile: 'hdo',
      targetDatabase: 'hdo_fresh',
      grants: 'skip',
      preBackup: false,
      dropTarget: false,
      parallel: 1,
      force: false,
      ticket: 'CHG-DO',
    }
    const view = await s.value('restore:plan', { request })
    expect(view.problems).toHaveLength(1)
    expect(view.problems[0]).toMatchObject({
      code: 'DataOnlyTablesMissing',
      advice: { code: 'dataOnlyTargetMissing', params: { database: 'hdo_fresh', tables: 'settings' } },
    })
    expect(view.problems[0]?.message).toMatch(
      /the backup holds only the rows of the table settings .*hdo_fresh does not exist/,
    )
    expect(view.items[0]?.targets[0]).toMatchObject({
      database: 'hdo_fresh',
      action: 'refuse',
      dataOnly: ['settings'],
    })
    expect((await s.failure('restore:start', { request })).code).toBe('DataOnlyTablesMissing')
    const test = await s.failure('restore:test', { request: { file, profile: 'hdo', ticket: 'CHG-DO' } })
    expect(test.code).toBe('DataOnlyTablesMissing')
    expect(test.message).toMatch(/a restore test loads it into a new, empty database/)
    const [rows] = await conn.query<mysql.RowDataPacket[]>(
      "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'hdo_fresh' OR SCHEMA_NAME LIKE 'sfdb\\_restoretest\\_hdo%'",
    )
    expect(rows).toHaveLength(0)
  })
})
