import { mkdir, readdir, stat, symlink, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { BackupRequestInput, HistoryEntry, VerifyView } from '../../../shared/ipc.ts'
import type { JobEvent } from '../../../shared/job-protocol.ts'
import { createBackupAccount, type BackupAccount } from '../../harness/backup-user.ts'
import { createSampleDatabase } from '../../harness/fixtures.ts'
import { connectRoot } from '../../harness/mariadb.ts'
import { expectNoSecretIn, useHandlerSession, useKeyring } from './handler-session.ts'

const BACKUP_KEY = 'backup key of hbk ü'

describe('backups and history handlers (the private mariadbd, real dumps, jobs run by the real supervisor in their own processes)', () => {
  useKeyring()
  const s = useHandlerSession()
  const server = inject('mariadb')
  let conn: mysql.Connection
  let account: BackupAccount
  /** The default output folder (settings.defaults.outputDir). */
  const out = (): string => join(s.configDir, 'backup')
  const request = (extra: Partial<BackupRequestInput> = {}): BackupRequestInput => ({
    profile: 'hbk',
    mode: 'filter',
    databases: ['hb_sales', 'hb_hr'],
    filterMode: 'multi-file',
    companions: [],
    excludeDatabases: [],
    excludeSystem: true,
    excludeEmpty: false,
    excludeData: false,
    excludeUser: false,
    captureGtid: true,
    compression: { type: 'zstd', level: 3 },
    encrypt: true,
    outputDir: out(),
    namePattern: 'default',
    ticket: 'CHG-1',
    parallel: 1,
    ...extra,
  })
  let written: HistoryEntry[] = []

  /** Starts a verify through history:verify and waits for its job's final event. */
  const verified = async (
    file: string,
  ): Promise<{ jobId: string; final: JobEvent; view: VerifyView | null }> => {
    const { jobId } = await s.value('history:verify', { file })
    // null when the job has ended already: its final event went out before.
    await s.jobs.whenVerified(jobId)
    const final = s.jobs.events.find(
      (e) =>
        e.jobId === jobId &&
        (e.type === 'verify-done' || e.type === 'verify-failed' || e.type === 'verify-cancelled'),
    ) as JobEvent
    return { jobId, final, view: final.type === 'verify-done' ? final.report : null }
  }

  beforeAll(async () => {
    conn = await connectRoot(server)
    await createSampleDatabase(conn, 'hb_sales', { rows: 120 })
    await createSampleDatabase(conn, 'hb_hr', { rows: 30 })
    // A profile made by the CLI in the app's config folder, opened with the CLI's key from the environment.
    account = await createBackupAccount(conn, server, { SFDB_CONFIG_PATH: s.configDir }, 'hbk')
    // GTID capture reads the binlog position; the application accounts give each dump a grants file.
    await conn.query(`GRANT BINLOG MONITOR ON *.* TO ?@'127.0.0.1'`, [account.user])
    for (const db of ['hb_sales', 'hb_hr']) {
      await conn.query(`DROP USER IF EXISTS ?@'%'`, [`${db}_app`])
      await conn.query(`CREATE USER ?@'%' IDENTIFIED BY 'app-pw'`, [`${db}_app`])
      await conn.query(`GRANT SELECT, INSERT ON ${db}.* TO ?@'%'`, [`${db}_app`])
    }
    s.env.SFDB_PROFILE_KEY = account.profileKey
  })
  afterAll(async () => {
    expectNoSecretIn(s.answers, [account.password, account.profileKey, BACKUP_KEY, 'wrong backup key'])
    await conn.query(
      "DROP DATABASE IF EXISTS hb_sales; DROP DATABASE IF EXISTS hb_hr; DROP USER IF EXISTS 'hb_sales_app'@'%', 'hb_hr_app'@'%'",
    )
    await conn.end()
  })

  it('servers:databases lists every database with size, tables, rows and the system flag', async () => {
    const { server: info, databases } = await s.value('servers:databases', { profile: 'hbk' })
    expect(info.flavor).toBe('mariadb')
    expect(info.version).toContain('MariaDB')
    const sales = databases.find((d) => d.name === 'hb_sales')
    expect(sales).toMatchObject({ tables: 4, system: false })
    expect(sales?.sizeBytes).toBeGreaterThan(0)
    expect(sales?.rows).toBeGreaterThan(0)
    expect(databases.find((d) => d.name === 'mysql')?.system).toBe(true)
    expect(databases.find((d) => d.name === 'information_schema')?.system).toBe(true)
    expect((await s.failure('servers:databases', { profile: 'nope' })).code).toBe('ProfileNotFound')
  })

  it('encrypting without any backup key is refused with how to store one', async () => {
    const error = await s.failure('backups:plan', { request: request() })
    expect(error.code).toBe('MissingKey')
    // The app phrases how to store one (en/id) from the advice; the message itself names no surface.
    expect(error.advice).toEqual({ code: 'backupKeyToEncrypt', params: { profile: 'hbk' } })
    expect(error.message).toMatch(/^no backup key to encrypt with was found/)
    await s.value('keys:set', { kind: 'backup-key', profile: 'hbk', secret: BACKUP_KEY })
  })

  it('backups:plan is the real dry-run: files, companions, unknown names and warnings; creates nothing', async () => {
    const plan = await s.value('backups:plan', {
      request: request({ databases: ['hb_sales', 'HB_HR', 'hb_nope'] }),
    })
    expect(plan).toMatchObject({
      mode: 'filter',
      backupType: 'separated',
      server: { flavor: 'mariadb' },
      outputDir: out(),
      unknown: ['hb_nope'],
      ticket: 'CHG-1',
      profile: 'hbk',
      options: {
        encrypted: true,
        compression: { type: 'zstd', level: 3 },
        grants: 'databases',
        captureGtid: true,
      },
      dump: { binary: expect.stringMatching(/mariadb-dump$/) },
    })
    expect(plan.files.map((f) => f.databases.map((d) => d.name))).toEqual([['hb_hr'], ['hb_sales']])
    for (const f of plan.files) {
      expect(f.file).toMatch(new RegExp(`^${out()}/hb_(hr|sales)_\\d{8}_\\d{6}_CHG1\\.sql\\.zst\\.enc$`))
      expect(f.companions).toEqual([`${f.file}.meta.json`, `${f.file}.users.sql`, `${f.file}.gtid`])
      expect(f.estimatedSqlBytes).toBeGreaterThan(0)
    }
    expect(plan.warnings).toContainEqual({
      message: expect.stringContaining("database 'hb_nope' is not on the server"),
      advice: { code: 'unknownDatabase', params: { database: 'hb_nope', suggestions: '' } },
    })
    expect('args' in plan.dump && plan.dump.args[0]).toBe('--defaults-extra-file=<private 0600 file>')
    await expect(stat(out())).rejects.toThrow(/ENOENT/)
  })

  it('invalid requests: the schema (dispatcher) and the engine both answer InvalidInput', async () => {
    for (const ticket of ['', '   ']) {
      const r = await s.call('backups:plan', { request: request({ ticket }) })
      expect(r).toMatchObject({
        ok: false,
        error: { code: 'InvalidInput', message: 'Invalid request on backups:plan' },
      })
    }
    const extra = await s.call('backups:start', { request: request(), force: true } as {
      request: BackupRequestInput
    })
    expect(extra).toMatchObject({ ok: false, error: { code: 'InvalidInput' } })
    const noMode = await s.failure('backups:plan', { request: request({ filterMode: undefined }) })
    expect(noMode).toMatchObject({ code: 'InvalidInput', message: expect.stringContaining('single-file or') })
    const relative = await s.failure('backups:plan', { request: request({ outputDir: 'backups' }) })
    expect(relative).toMatchObject({ code: 'InvalidInput', message: expect.stringContaining('absolute') })
    const two = await s.failure('backups:plan', { request: request({ mode: 'single' }) })
    expect(two).toMatchObject({
      code: 'InvalidInput',
      message: expect.stringContaining('exactly one database'),
    })
    const level = await s.failure('backups:plan', {
      request: request({ compression: { type: 'gzip', level: 12 } }),
    })
    expect(level.code).toBe('InvalidInput')
    const unknown = await s.failure('backups:plan', {
      request: request({ mode: 'single', databases: ['hb_nope'] }),
    })
    expect(unknown.code).toBe('UnknownDatabase')
    expect(await s.value('backups:running', {})).toEqual([])
  })

  it('backups:start plans again and runs the job: the files and their metadata exist', async () => {
    const { jobId } = await s.value('backups:start', { request: request() })
    const [running] = await s.value('backups:running', {})
    expect(running).toMatchObject({
      jobId,
      profile: 'hbk',
      mode: 'filter',
      ticket: 'CHG-1',
      cancelling: false,
    })
    expect(running?.files).toHaveLength(2)
    const final = await s.jobs.finished(jobId)
    expect(final.type, JSON.stringify(final)).toBe('done')
    if (final.type !== 'done') return
    expect(final.result.ok).toBe(true)
    for (const file of running?.files ?? []) {
      for (const path of [file, `${file}.meta.json`, `${file}.users.sql`, `${file}.gtid`]) {
        expect((await stat(path)).isFile(), path).toBe(true)
      }
    }
    expect(final.result.targets.map((t) => t.file)).toEqual(running?.files)
    expect(await s.value('backups:running', {})).toEqual([])
  })

  it('a cancel reaches the job: it ends cancelled and leaves no file under a final name', async () => {
    const before = await readdir(out())
    const { jobId } = await s.value('backups:start', { request: request({ ticket: 'CHG-2' }) })
    expect(await s.value('backups:cancel', { jobId })).toEqual({ cancelling: true })
    expect((await s.jobs.finished(jobId)).type).toBe('cancelled')
    expect(await readdir(out())).toEqual(before)
    expect(await s.value('backups:cancel', { jobId })).toEqual({ cancelling: false })
  })

  it('history:list finds the backups with their profile, and filters them', async () => {
    const { entries, problems } = await s.value('history:list', {})
    expect(problems).toEqual([])
    written = entries
    expect(entries.map((e) => e.databases)).toEqual(expect.arrayContaining([['hb_sales'], ['hb_hr']]))
    expect(entries).toHaveLength(2)
    for (const e of entries) {
      expect(e).toMatchObject({
        source: 'ours',
        type: 'separated',
        status: 'success',
        host: server.host,
        ticket: 'CHG-1',
        encrypted: true,
        compression: { type: 'zstd', level: 3 },
        fileExists: true,
        profile: 'hbk',
      })
      expect(e.gtid).not.toBeNull()
      expect(e.companions).toEqual(
        expect.arrayContaining([e.metaPath, `${e.backupFile}.users.sql`, `${e.backupFile}.gtid`]),
      )
    }
    const today = new Date()
    const day = (offset: number): string => {
      const d = new Date(today.getFullYear(), today.getMonth(), today.getDate() + offset)
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
    }
    const count = async (filter: Parameters<typeof s.value<'history:list'>>[1]): Promise<number> =>
      (await s.value('history:list', filter)).entries.length
    expect(await count({ database: 'HB_HR' })).toBe(1)
    expect(await count({ profile: 'hbk' })).toBe(2)
    expect(await count({ profile: 'other' })).toBe(0)
    expect(await count({ status: 'success' })).toBe(2)
    expect(await count({ status: 'failed' })).toBe(0)
    expect(await count({ from: day(0), to: day(0) })).toBe(2)
    expect(await count({ from: day(1) })).toBe(0)
    expect(await count({ to: day(-1) })).toBe(0)
    expect((await s.failure('history:list', { from: 'soon' })).code).toBe('InvalidInput')
  })

  it('history:details gives the entry and the stored metadata, which holds no secret', async () => {
    const entry = written[0] as HistoryEntry
    const details = await s.value('history:details', { metaPath: entry.metaPath })
    expect(details.entry).toEqual(entry)
    expect(details.metadata).toMatchObject({
      format: 'sfdbtools-desktop/1',
      ticket: 'CHG-1',
      databases: entry.databases,
    })
    const outside = await s.failure('history:details', { metaPath: join(s.tmp, 'x.sql.meta.json') })
    expect(outside).toMatchObject({
      code: 'InvalidInput',
      message: expect.stringContaining('not in a history folder'),
    })
  })

  it('history:verify runs a verify job with the profile’s backup key; a wrong key comes back as WrongKey', async () => {
    const entry = written[0] as HistoryEntry
    const { jobId, view } = await verified(entry.backupFile)
    expect(jobId).toMatch(/^verify-/)
    // The job reported its progress, up to the whole file, on the job event channel.
    const progress = s.jobs.events.flatMap((e) =>
      e.type === 'verify-progress' && e.jobId === jobId ? [e.progress] : [],
    )
    expect(progress.at(-1)).toMatchObject({ fraction: 1, bytesRead: entry.sizeBytes })
    expect(view).toMatchObject({
      ok: true,
      file: entry.backupFile,
      checks: { container: 'ok', compression: 'ok', trailer: 'ok', checksum: 'ok' },
      sha256: entry.sha256,
      error: null,
    })
    expect(view?.sqlBytes).toBeGreaterThan(view?.bytes ?? Infinity)
    await s.value('keys:set', { kind: 'backup-key', profile: 'hbk', secret: 'wrong backup key' })
    try {
      const wrong = await verified(entry.backupFile)
      expect(wrong.view).toMatchObject({
        ok: false,
        checks: { container: 'failed' },
        error: { code: 'WrongKey' },
      })
    } finally {
      await s.value('keys:set', { kind: 'backup-key', profile: 'hbk', secret: BACKUP_KEY })
    }
    expect(await s.value('history:verifying', {})).toEqual([])
    expect(await s.value('history:verify-cancel', { jobId })).toEqual({ cancelling: false })
  })

  it('history:verify refuses files outside the history folders, and an encrypted file without any key', async () => {
    const entry = written[0] as HistoryEntry
    for (const file of ['/etc/passwd', join(s.tmp, 'elsewhere.sql')]) {
      expect(await s.failure('history:verify', { file })).toMatchObject({
        code: 'InvalidInput',
        message: expect.stringContaining('not in a history folder'),
      })
    }
    await s.value('keys:delete', { kind: 'backup-key', profile: 'hbk' })
    try {
      expect(await s.failure('history:verify', { file: entry.backupFile })).toMatchObject({
        code: 'MissingKey',
        message: expect.stringContaining('no backup key is available'),
        advice: { code: 'backupKeyRequired', params: { file: entry.backupFile } },
      })
    } finally {
      await s.value('keys:set', { kind: 'backup-key', profile: 'hbk', secret: BACKUP_KEY })
    }
    expect(s.jobs.runningVerifies()).toEqual([])
  })

  it('history:open-folder shows files of the history folders only', async () => {
    const entry = written[0] as HistoryEntry
    expect(await s.value('history:open-folder', { file: entry.backupFile })).toEqual({
      opened: entry.backupFile,
    })
    expect(s.platform.shownInFolder).toEqual([entry.backupFile])
    for (const file of ['/etc/passwd', join(s.tmp, 'elsewhere.sql')]) {
      const refused = await s.failure('history:open-folder', { file })
      expect(refused).toMatchObject({
        code: 'InvalidInput',
        message: expect.stringContaining('not in a history folder'),
      })
    }
    // A link inside the history folder does not lead out of it.
    await writeFile(join(s.tmp, 'secret.txt'), 'x')
    await symlink(s.tmp, join(out(), 'link-out'))
    const viaLink = await s.failure('history:open-folder', { file: join(out(), 'link-out', 'secret.txt') })
    expect(viaLink.code).toBe('InvalidInput')
    expect((await s.failure('history:open-folder', { file: `${entry.backupFile}.gone` })).code).toBe(
      'InvalidInput',
    )
    expect(s.platform.shownInFolder).toEqual([entry.backupFile])
  })

  it('history:delete removes the dump and its companions, nothing else', async () => {
    const [entry, other] = written as [HistoryEntry, HistoryEntry]
    const bystander = join(out(), 'notes.txt')
    await writeFile(bystander, 'keep me')
    const { removed } = await s.value('history:delete', { metaPath: entry.metaPath })
    expect(removed).toEqual([
      entry.backupFile,
      `${entry.backupFile}.users.sql`,
      `${entry.backupFile}.gtid`,
      entry.metaPath,
    ])
    const left = (await readdir(out())).sort()
    expect(left).toEqual(
      ['link-out', 'notes.txt', ...[other.backupFile, ...other.companions].map((p) => basename(p))].sort(),
    )
    expect((await s.value('history:list', {})).entries.map((e) => e.metaPath)).toEqual([other.metaPath])
    expect((await s.failure('history:delete', { metaPath: entry.metaPath })).code).toBe('InvalidInput')
    const outside = await s.failure('history:delete', { metaPath: join(s.tmp, 'x.sql.meta.json') })
    expect(outside.code).toBe('InvalidInput')
  })

  it('an unencrypted backup into an extra history folder is listed and verified without a key', async () => {
    const folder = join(s.tmp, 'archive')
    await mkdir(folder)
    const settings = await s.value('settings:get', {})
    await s.value('settings:update', { settings: { ...settings, historyFolders: [folder] } })
    const { jobId } = await s.value('backups:start', {
      request: request({
        mode: 'single',
        databases: ['hb_hr'],
        filterMode: undefined,
        encrypt: false,
        outputDir: folder,
        ticket: 'CHG-3',
      }),
    })
    expect((await s.jobs.finished(jobId)).type).toBe('done')
    const { entries } = await s.value('history:list', { database: 'hb_hr' })
    const plain = entries.find((e) => e.ticket === 'CHG-3')
    expect(plain).toMatchObject({ encrypted: false, type: 'single', profile: 'hbk' })
    expect(plain?.backupFile.startsWith(folder)).toBe(true)
    const { view } = await verified(plain?.backupFile ?? '')
    expect(view).toMatchObject({ ok: true, checks: { container: 'skipped', checksum: 'ok' } })
  })

  it('remembers an output folder chosen for one backup among the history folders, once', async () => {
    const chosen = join(s.configDir, 'chosen')
    const before = await s.value('settings:get', {})
    expect(before.historyFolders).not.toContain(chosen)
    for (const ticket of ['CHG-F1', 'CHG-F2']) {
      const { jobId } = await s.value('backups:start', { request: request({ outputDir: chosen, ticket }) })
      expect((await s.jobs.finished(jobId)).type).toBe('done')
    }
    expect((await s.value('settings:get', {})).historyFolders).toEqual([...before.historyFolders, chosen])
    const { entries } = await s.value('history:list', {})
    expect(entries.filter((e) => e.backupFile.startsWith(chosen + '/'))).not.toHaveLength(0)
  })
  it('the job history keeps a failed file with its log; Retry failed reruns only that database; a part of a name finds it', async () => {
    await conn.query(`DROP DATABASE IF EXISTS hb_broken; CREATE DATABASE hb_broken;
      CREATE TABLE hb_broken.t (id INT PRIMARY KEY); CREATE VIEW hb_broken.v AS SELECT id FROM hb_broken.t;
      DROP TABLE hb_broken.t`)
    try {
      const req = request({
        databases: ['hb_hr', 'hb_broken'],
        encrypt: false,
        captureGtid: false,
        ticket: 'CHG-R',
      })
      const { jobId } = await s.value('backups:start', { request: req })
      expect((await s.jobs.finished(jobId)).type).toBe('done')
      const first = (await s.value('jobs:history', {})).records.find((r) => r.jobId === jobId)
      expect(first).toMatchObject({ kind: 'backup', status: 'failed', trigger: 'manual', request: req })
      const ended = Object.fromEntries(first?.targets.map((t) => [t.databases[0], t]) ?? [])
      expect(ended.hb_hr?.status).toBe('success')
      expect(ended.hb_broken?.status).toBe('failed')
      expect(ended.hb_broken?.error?.code).toBe('DumpFailed')
      const { text } = await s.value('jobs:log', { jobId })
      expect(text).toMatch(/hb_broken.*failed: \[DumpFailed\]/)
      expect(text).toMatch(/references invalid table/)
      expect((await s.failure('jobs:log', { jobId: '../../etc/passwd' })).code).toBe('InvalidInput')

      // The cause is mended; the retry dumps hb_broken alone, as a new job that names the first.
      await conn.query('CREATE TABLE hb_broken.t (id INT PRIMARY KEY)')
      const retried = await s.value('backups:retry', { jobId })
      expect((await s.jobs.finished(retried.jobId)).type).toBe('done')
      const second = (await s.value('jobs:history', {})).records[0]
      expect(second).toMatchObject({
        jobId: retried.jobId,
        status: 'success',
        trigger: 'retry',
        retryOf: jobId,
      })
      expect(second?.request?.databases).toEqual(['hb_broken'])
      expect(second?.targets.map((t) => t.databases)).toEqual([['hb_broken']])
      const written = (await readdir(out())).filter((n) => /_CHG-?R\.sql\.zst$/.test(n)).sort()
      expect(written).toEqual([
        expect.stringMatching(/^hb_broken_\d{8}_\d{6}_CHG-?R\.sql\.zst$/),
        expect.stringMatching(/^hb_hr_\d{8}_\d{6}_CHG-?R\.sql\.zst$/),
      ])
      expect((await s.failure('backups:retry', { jobId: retried.jobId })).message).toMatch(/nothing to retry/)

      const { entries } = await s.value('history:list', { database: 'BROKEN' })
      expect(entries.map((e) => e.databases)).toEqual([['hb_broken']])
      // A part of the ticket finds its files, case aside.
      const byTicket = await s.value('history:list', { ticket: 'chg-r' })
      expect(byTicket.entries.map((e) => e.databases[0]).sort()).toEqual(['hb_broken', 'hb_hr'])
    } finally {
      await conn.query('DROP DATABASE IF EXISTS hb_broken')
    }
  })
})
