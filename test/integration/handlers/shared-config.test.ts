/**
 * The app applies the command line's config file (`sfDBTools_config.yaml` in the shared config folder) as
 * the CLI does, for what its own Settings have no control for: the dump's lock-wait timeout, the dated
 * sub-folder, file modes, extra dump arguments, the profile and log folders (each backup's run log), the
 * restore client. A broken file refuses backups with InvalidConfig and is shown as such. Real parts: the
 * handlers over the real supervisor (each job in its own process), the private mariadbd, real mariadb-dump.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest'
import type { BackupRequestInput } from '../../../shared/ipc.ts'
import { createBackupAccount, type BackupAccount } from '../../harness/backup-user.ts'
import { connectRoot } from '../../harness/mariadb.ts'
import { waitFor } from '../../harness/processes.ts'
import { expectNoSecretIn, useHandlerSession, useKeyring } from './handler-session.ts'

const DB = 'shcfg_shop'
const RUN_LOG = /^sfdbtools_\d{4}-\d{2}-\d{2}_\d{6}_\d+_backup\.log$/

interface RunLogLine {
  level: string
  event: string
  message: string
  [field: string]: unknown
}

describe('the app applies the shared sfDBTools_config.yaml', () => {
  useKeyring()
  const s = useHandlerSession()
  const server = inject('mariadb')
  let conn: mysql.Connection
  let account: BackupAccount

  const configFile = (): string => join(s.configDir, 'sfDBTools_config.yaml')
  const writeConfig = (lines: string[]): Promise<void> => writeFile(configFile(), lines.join('\n') + '\n')
  const outputDir = (): string => join(s.tmp, 'out')
  const request = (ticket: string): BackupRequestInput => ({
    profile: 'shc',
    mode: 'single',
    databases: [DB],
    companions: [],
    excludeDatabases: [],
    excludeSystem: true,
    excludeEmpty: false,
    excludeData: false,
    excludeUser: true,
    captureGtid: false,
    compression: { type: 'none', level: 0 },
    encrypt: false,
    outputDir: outputDir(),
    namePattern: 'default',
    ticket,
    parallel: 1,
  })
  const runLogs = async (dir: string): Promise<RunLogLine[][]> => {
    const names = (await readdir(join(dir, 'backup')).catch(() => [] as string[])).filter((n) =>
      RUN_LOG.test(n),
    )
    const logs: RunLogLine[][] = []
    for (const name of names.sort()) {
      const text = await readFile(join(dir, 'backup', name), 'utf8')
      logs.push(
        text
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as RunLogLine),
      )
    }
    return logs
  }

  beforeAll(async () => {
    conn = await connectRoot(server)
    await conn.query(`INSTALL SONAME 'metadata_lock_info'`).catch(() => undefined)
    await conn.query(`DROP DATABASE IF EXISTS ${DB}; CREATE DATABASE ${DB}`)
    await conn.query(
      `CREATE TABLE ${DB}.items (id INT PRIMARY KEY); INSERT INTO ${DB}.items VALUES (1), (2), (3)`,
    )
    account = await createBackupAccount(conn, server, { SFDB_CONFIG_PATH: s.configDir }, 'shc')
    s.env.SFDB_PROFILE_KEY = account.profileKey
  }, 120_000)

  afterEach(async () => {
    await rm(configFile(), { force: true })
  })

  afterAll(async () => {
    expectNoSecretIn(s.answers, [account.password, account.profileKey])
    await conn.query(`DROP DATABASE IF EXISTS ${DB}`)
    await conn.end()
  })

  it('without a file: Settings shows where it is looked for and the defaults the app then uses', async () => {
    const view = await s.value('app:shared-config', {})
    expect(view).toEqual({
      path: configFile(),
      found: false,
      lockWaitTimeoutSeconds: 300,
      subFolderPattern: null,
      fileMode: 0o600,
      metadataMode: 0o600,
      extraDumpArgs: [],
      primaryPrefix: 'dbsf_nbc_',
      profileDir: join(s.configDir, 'database_profile'),
      logDir: join(s.configDir, 'logs'),
      clientBinary: null,
      warnings: [],
    })
  })

  it("primary mode takes the configured prefix (sfDBTools' dbsf_nbc_ by default) unless the wizard sets one", async () => {
    const primary = (prefix?: string): BackupRequestInput => ({
      ...request('SC-P'),
      mode: 'primary',
      databases: [],
      ...(prefix !== undefined ? { prefix } : {}),
    })
    const planned = (plan: { files: { databases: { name: string }[] }[] }): string[] =>
      plan.files.flatMap((f) => f.databases.map((d) => d.name))
    // No file: dbsf_nbc_; this database does not have it.
    const byDefault = await s.call('backups:plan', { request: primary() })
    if (byDefault.ok) {
      expect(planned(byDefault.value)).not.toContain(DB)
      expect(byDefault.value.excluded).toContainEqual({ database: DB, reason: 'prefix', value: 'dbsf_nbc_' })
    } else expect(byDefault.error.message).toContain("does not start with the prefix 'dbsf_nbc_'")

    await writeConfig(['backup:', '  primary_prefix: shcfg_'])
    expect(await s.value('app:shared-config', {})).toMatchObject({ primaryPrefix: 'shcfg_' })
    expect(planned(await s.value('backups:plan', { request: primary() }))).toEqual([DB])
    // The wizard's own prefix wins; an emptied field takes every name.
    expect((await s.failure('backups:plan', { request: primary('shcfg_none') })).message).toContain(
      "does not start with the prefix 'shcfg_none'",
    )
    expect(planned(await s.value('backups:plan', { request: primary('') }))).toContain(DB)
  }, 60_000)

  it('a backup in the app writes to the dated sub-folder, with the file modes and dump arguments of the file, and a run log in its log folder', async () => {
    const logDir = join(s.tmp, 'run-logs')
    await writeConfig([
      'backup:',
      '  output:',
      '    file_permissions: "0640"',
      '    metadata_permissions: "0640"',
      '    structure:',
      '      pattern: "{date}/"',
      '  mysqldump_args: "--skip-extended-insert"',
      'log:',
      '  output:',
      '    file:',
      `      dir: ${logDir}`,
    ])
    const view = await s.value('app:shared-config', {})
    expect(view).toMatchObject({
      found: true,
      subFolderPattern: '{date}/',
      fileMode: 0o640,
      metadataMode: 0o640,
      extraDumpArgs: ['--skip-extended-insert'],
      logDir,
    })

    const plan = await s.value('backups:plan', { request: request('SC-1') })
    expect(dirname(plan.outputDir)).toBe(outputDir())
    expect(basename(plan.outputDir)).toMatch(/^\d{8}$/)

    const { jobId } = await s.value('backups:start', { request: request('SC-1') })
    const final = await s.jobs.finished(jobId)
    if (final.type !== 'done') throw new Error(`backup failed: ${JSON.stringify(final)}`)
    const file = final.result.targets[0]?.file ?? ''
    expect(dirname(file)).toBe(plan.outputDir)
    expect((await stat(file)).mode & 0o777).toBe(0o640)
    expect((await stat(`${file}.meta.json`)).mode & 0o777).toBe(0o640)
    // --skip-extended-insert: one INSERT per row, as the config asked.
    const sql = await readFile(file, 'utf8')
    expect(sql.match(/^INSERT INTO `items` VALUES/gm)).toHaveLength(3)

    const logs = await runLogs(logDir)
    expect(logs).toHaveLength(1)
    const lines = logs[0] ?? []
    expect(lines[0]).toMatchObject({ event: 'start', ticket: 'SC-1', profile: 'shc' })
    expect(lines.some((l) => l.event === 'log')).toBe(true)
    expect(lines.find((l) => l.event === 'target')).toMatchObject({ status: 'success', file })
    expect(lines.at(-1)).toMatchObject({ event: 'end', status: 'success', exitCode: 0 })
    // Nothing in the default log folder: the file's folder was used.
    expect(await runLogs(join(s.configDir, 'logs'))).toEqual([])
  }, 90_000)

  it("backup.dump.lock_wait_timeout ends an app backup that waits for a locked table with LockTimeout; the app's cancel is in the run log", async () => {
    await writeConfig(['backup:', '  dump:', '    lock_wait_timeout: 2'])
    const holder = await connectRoot(server)
    try {
      await holder.query(`LOCK TABLES ${DB}.items WRITE`)
      const timedOut = await s.value('backups:start', { request: request('SC-2') })
      const final = await s.jobs.finished(timedOut.jobId)
      if (final.type !== 'done') throw new Error(`unexpected end: ${JSON.stringify(final)}`)
      const target = final.result.targets[0]
      expect(target?.status).toBe('failed')
      expect(target?.error?.code).toBe('LockTimeout')
      expect(target?.error?.message).toContain('lock wait limit 2 s')

      // A longer limit: the run waits, and the app's Cancel ends it; the run log records both.
      await writeConfig(['backup:', '  dump:', '    lock_wait_timeout: 120'])
      const waiting = await s.value('backups:start', { request: request('SC-3') })
      await waitFor(
        async () =>
          s.jobs.events.some(
            (e) => e.jobId === waiting.jobId && e.type === 'progress' && e.progress.lockWait != null,
          ),
        30_000,
        'the dump waiting for the lock',
      )
      expect(s.jobs.cancel(waiting.jobId)).toBe(true)
      expect((await s.jobs.finished(waiting.jobId)).type).toBe('cancelled')
    } finally {
      await holder.query('UNLOCK TABLES').catch(() => undefined)
      await holder.end()
    }
    const logs = await runLogs(join(s.configDir, 'logs'))
    const ends = logs.map((lines) => lines.at(-1))
    expect(ends).toEqual([
      expect.objectContaining({ event: 'end', status: 'failed', exitCode: 1 }),
      expect.objectContaining({ event: 'end', status: 'cancelled', exitCode: 130 }),
    ])
    expect(logs[1]?.some((l) => l.event === 'interrupt' && l.source === 'app')).toBe(true)
  }, 120_000)

  it('config_dir.database_profile: the app lists and uses the profiles of that folder', async () => {
    const own = join(s.tmp, 'profiles-elsewhere')
    const usual = join(s.configDir, 'database_profile')
    await mkdir(own, { recursive: true })
    const files = await readdir(usual)
    for (const name of files) await rename(join(usual, name), join(own, name))
    try {
      expect((await s.value('profiles:list', {})).map((p) => p.name)).not.toContain('shc')
      await writeConfig(['config_dir:', `  database_profile: ${own}`])
      expect((await s.value('profiles:list', {})).map((p) => p.name)).toContain('shc')
      expect((await s.value('app:paths', {})).profileDir).toBe(own)
      const plan = await s.value('backups:plan', { request: request('SC-4') })
      expect(plan.profile).toBe('shc')
    } finally {
      for (const name of files) await rename(join(own, name), join(usual, name))
    }
  }, 60_000)

  it('restore.client.binary: the restore dry-run loads through that client instead of the built-in loader', async () => {
    const { jobId } = await s.value('backups:start', { request: request('SC-5') })
    const final = await s.jobs.finished(jobId)
    if (final.type !== 'done') throw new Error(`backup failed: ${JSON.stringify(final)}`)
    const file = final.result.targets[0]?.file ?? ''
    const restore = {
      file,
      profile: 'shc',
      targetDatabase: 'shcfg_copy',
      grants: 'skip' as const,
      preBackup: false,
      dropTarget: false,
      parallel: 1,
      force: false,
      ticket: 'SC-R',
    }
    expect((await s.value('restore:plan', { request: restore })).clientCommand).toMatch(/^built-in loader/)
    await writeConfig(['restore:', '  client:', '    binary: mariadb'])
    expect((await s.value('app:shared-config', {})).clientBinary).toBe('mariadb')
    const viaClient = await s.value('restore:plan', { request: restore })
    expect(viaClient.clientCommand).toMatch(/mariadb/)
    expect(viaClient.clientCommand).not.toMatch(/^built-in loader/)
  }, 90_000)

  it('a broken file refuses backups with InvalidConfig naming the file, and Settings shows the same error', async () => {
    await writeConfig(['backup:', '  dump:', '    lock_wait_timeout: [never'])
    const shown = await s.failure('app:shared-config', {})
    expect(shown.code).toBe('InvalidConfig')
    expect(shown.message).toContain(configFile())
    const refused = await s.failure('backups:plan', { request: request('SC-6') })
    expect(refused.code).toBe('InvalidConfig')
    expect(refused.message).toContain(configFile())
    // The history still opens: restore tests fall back to the default log folder.
    await s.value('history:restore-tests', { files: [] })
  })
})
