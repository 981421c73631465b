import { spawn } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { access, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { createBackupAccount, type BackupAccount } from '../harness/backup-user.ts'
import { cliSandbox, runCli, startCli, type CliRun } from '../harness/cli.ts'
import { createFakeDump } from '../harness/fake-dump.ts'
import { createEmptyDatabase, createSampleDatabase, fingerprint } from '../harness/fixtures.ts'
import {
  connectRoot,
  runMariadbClient,
  startPrivateServer,
  stopPrivateServer,
  type PrivateServer,
} from '../harness/mariadb.ts'
import { waitFor } from '../harness/processes.ts'

/**
 * Every mode and sub-mode against a server of its own (so `all` sees exactly this dataset), each output
 * restored into a second fresh server and compared.
 */
describe('backup modes: selection, files, names, companions, restores', () => {
  let src: PrivateServer
  let dst: PrivateServer
  let srcConn: mysql.Connection
  let dstConn: mysql.Connection
  let sandbox: Awaited<ReturnType<typeof cliSandbox>>
  let account: BackupAccount
  let env: Record<string, string>
  let hostname: string
  const readerPassword = 'reader pw ü'
  let outCount = 0
  const freshOut = (): string => join(sandbox.tmp, `out-${++outCount}`)

  beforeAll(async () => {
    ;[src, dst] = await Promise.all([startPrivateServer(), startPrivateServer()])
    srcConn = await connectRoot(src)
    dstConn = await connectRoot(dst)
    for (const [db, rows] of [
      ['app_x', 300],
      ['app_x_secondary', 40],
      ['app_x_dmart', 30],
      ['app_x_temp', 10],
      ['app_x_archive', 10],
      ['app_y', 50],
    ] as const)
      await createSampleDatabase(srcConn, db, { rows })
    await createEmptyDatabase(srcConn, 'app_empty')
    await srcConn.query(`CREATE USER 'reader_x'@'%' IDENTIFIED BY ?`, [readerPassword])
    await srcConn.query(`GRANT SELECT ON app_x.* TO 'reader_x'@'%'`)
    await srcConn.query(`CREATE USER 'reader_y'@'%' IDENTIFIED BY 'y'`)
    await srcConn.query(`GRANT SELECT, INSERT ON app_y.* TO 'reader_y'@'%'`)
    sandbox = await cliSandbox()
    account = await createBackupAccount(srcConn, src, sandbox.env, 'modes')
    await srcConn.query(`GRANT BINLOG MONITOR ON *.* TO ?@'127.0.0.1'`, [account.user])
    env = { ...sandbox.env, SFDB_PROFILE_KEY: account.profileKey }
    const [[row]] = await srcConn.query<mysql.RowDataPacket[]>('SELECT @@hostname AS h')
    hostname = String(row?.h)
  })
  afterAll(async () => {
    await srcConn?.end()
    await dstConn?.end()
    await Promise.all([src && stopPrivateServer(src), dst && stopPrivateServer(dst)])
  })

  const backup = async (
    mode: string,
    args: string[],
    out = freshOut(),
  ): Promise<{ run: CliRun; result: BackupResult; out: string; names: string[] }> => {
    const run = await runCli(
      ['backup', mode, '-p', account.profile, '-t', 'T-1', '-o', out, '--json', ...args],
      { env },
    )
    expect(run.stderr).not.toContain('internal error')
    const result = JSON.parse(run.stdout) as BackupResult
    const names = result.targets.flatMap((t) => (t.file ? [basename(t.file)] : []))
    return { run, result, out, names }
  }
  /** File names with the time stamp replaced, for exact comparisons. */
  const shape = (names: string[]): string[] => names.map((n) => n.replace(/\d{8}_\d{6}/, 'TS')).sort()

  /** Restores one backup file into the second server and compares every database in it with the source. */
  const restoresIdentically = async (file: string, databases: string[], combined: boolean): Promise<void> => {
    const sql = `${file}.restore.sql`
    const dec = await runCli(['decrypt', file, '--decompress', '-o', sql], { env })
    expect(dec.code, dec.stderr).toBe(0)
    for (const db of databases) await dstConn.query(`DROP DATABASE IF EXISTS \`${db}\``)
    if (combined) await runMariadbClient(dst, createReadStream(sql))
    else {
      await dstConn.query(`CREATE DATABASE \`${databases[0]}\``)
      await runMariadbClient(dst, createReadStream(sql), databases[0])
    }
    for (const db of databases)
      expect(await fingerprint(dstConn, db), db).toEqual(await fingerprint(srcConn, db))
  }

  /** Restores a one-database backup into a fresh database of the same name on the second server. */
  const restoresIntoDst = async (file: string, db: string): Promise<void> => {
    const sql = `${file}.restore.sql`
    expect((await runCli(['decrypt', file, '--decompress', '-o', sql], { env })).code).toBe(0)
    await dstConn.query(`DROP DATABASE IF EXISTS \`${db}\`; CREATE DATABASE \`${db}\``)
    await runMariadbClient(dst, createReadStream(sql), db)
  }

  it('single: the database and the companions asked for, one file each, with grants of its accounts', async () => {
    const { run, result, out, names } = await backup('single', [
      '--db',
      'app_x',
      '--include-dmart',
      '--include-temp',
      '--include-archive',
    ])
    expect(run.code, run.stderr).toBe(0)
    expect(shape(names)).toEqual(
      ['app_x', 'app_x_archive', 'app_x_dmart', 'app_x_temp'].map((d) => `${d}_TS_T1.sql.zst`).sort(),
    )
    for (const t of result.targets) await restoresIdentically(t.file ?? '', t.databases, false)
    const main = result.targets[0]?.file ?? ''
    const meta = JSON.parse(await readFile(`${main}.meta.json`, 'utf8'))
    expect(meta).toMatchObject({
      database_name: 'app_x',
      backup_type: 'single',
      ticket: 'T-1',
      compression: { enabled: true, type: 'zstd', level: 3 },
      encryption: { enabled: false },
      user_grants_file: `${basename(main)}.users.sql`,
      server: { hostname, flavor: 'mariadb' },
    })
    const users = await readFile(`${main}.users.sql`, 'utf8')
    expect(users).toContain('reader_x')
    expect(users).not.toContain('reader_y')
    expect(users).not.toMatch(/^(CREATE USER|GRANT).*`root`/m) // system accounts are left out
    expect((await readdir(out)).filter((n) => n.endsWith('.part'))).toEqual([])
  })

  it('filter single-file: one combined snapshot; an unknown name is reported, not dropped silently', async () => {
    const { run, result, names } = await backup('filter', [
      '--db',
      'app_y',
      '--db',
      'nope',
      '--db',
      'app_x',
      '--mode',
      'single-file',
    ])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain("database 'nope' is not on the server")
    expect(shape(names)).toEqual(['combined_TS_T1.sql.zst'])
    expect(result.targets[0]?.databases).toEqual(['app_x', 'app_y'])
    const meta = JSON.parse(await readFile(`${result.targets[0]?.file}.meta.json`, 'utf8'))
    expect(meta.backup_type).toBe('combined')
    expect(meta.dump.args).toContain('--single-transaction')
    await restoresIdentically(result.targets[0]?.file ?? '', ['app_x', 'app_y'], true)
  })

  it('filter multi-file from a --db-file: one file per database', async () => {
    const list = join(sandbox.tmp, 'dbs.txt')
    await writeFile(list, '# nightly set\napp_y\n\n  app_x_dmart  # reporting\n')
    const { run, result, names } = await backup('filter', ['--db-file', list, '--mode', 'multi-file'])
    expect(run.code, run.stderr).toBe(0)
    expect(shape(names)).toEqual(['app_x_dmart_TS_T1.sql.zst', 'app_y_TS_T1.sql.zst'])
    const meta = JSON.parse(await readFile(`${result.targets[0]?.file}.meta.json`, 'utf8'))
    expect(meta.backup_type).toBe('separated')
  })

  it('all: every database but system and --exclude-empty ones, in one file, with every account', async () => {
    const { run, result, names } = await backup('all', ['--exclude-empty'])
    expect(run.code, run.stderr).toBe(0)
    expect(shape(names)).toEqual(['all_databases_TS_T1.sql.zst'])
    const dbs = ['app_x', 'app_x_archive', 'app_x_dmart', 'app_x_secondary', 'app_x_temp', 'app_y']
    expect(result.targets[0]?.databases).toEqual(dbs)
    const file = result.targets[0]?.file ?? ''
    const meta = JSON.parse(await readFile(`${file}.meta.json`, 'utf8'))
    expect(meta.excluded_databases).toContain('app_empty')
    expect(meta.excluded_databases).toContain('mysql')
    const users = await readFile(`${file}.users.sql`, 'utf8')
    expect(users).toContain('reader_x')
    expect(users).toContain('reader_y')
    await restoresIdentically(file, dbs, true)
    // Without --exclude-empty the empty database is in the file.
    const dry = await runCli(['backup', 'all', '-p', account.profile, '-t', 'T', '--dry-run', '--json'], {
      env,
    })
    expect(JSON.parse(dry.stdout).files[0].databases.map((d: { name: string }) => d.name)).toContain(
      'app_empty',
    )
  })

  it('primary (in parallel): one file per primary database, _dmart on request', async () => {
    const { run, result, names } = await backup('primary', [
      '--prefix',
      'app_',
      '--parallel',
      '2',
      '--include-dmart',
    ])
    expect(run.code, run.stderr).toBe(0)
    expect(shape(names)).toEqual(
      ['app_empty', 'app_x', 'app_x_dmart', 'app_y'].map((d) => `${d}_TS_T1.sql.zst`).sort(),
    )
    for (const t of result.targets.filter((t) => t.databases[0] !== 'app_empty'))
      await restoresIdentically(t.file ?? '', t.databases, false)
  })

  it('secondary: only the _secondary databases', async () => {
    const { run, result, names } = await backup('secondary', ['--prefix', 'APP_'])
    expect(run.code, run.stderr).toBe(0)
    expect(shape(names)).toEqual(['app_x_secondary_TS_T1.sql.zst'])
    await restoresIdentically(result.targets[0]?.file ?? '', ['app_x_secondary'], false)
  })

  it('structure only and the sfdbtools name preset', async () => {
    const { run, result, names } = await backup('single', ['--db', 'app_y', '--exclude-data', '--no-encrypt'])
    expect(run.code, run.stderr).toBe(0)
    expect(shape(names)).toEqual(['app_y_nodata_TS_T1.sql.zst'])
    const sql = `${result.targets[0]?.file}.sql`
    expect(
      (await runCli(['decrypt', result.targets[0]?.file ?? '', '--decompress', '-o', sql], { env })).code,
    ).toBe(0)
    const text = await readFile(sql, 'utf8')
    expect(text).toContain('CREATE TABLE')
    expect(text).not.toMatch(/^INSERT INTO `\w+` VALUES/m)
    const sf = await backup('all', ['--name-pattern', 'sfdbtools'])
    expect(sf.run.code, sf.run.stderr).toBe(0)
    expect(shape(sf.names)).toEqual([`all_${hostname}_TS_7db.sql.zst`])
    const one = await backup('single', ['--db', 'app_x', '--name-pattern', 'sfdbtools', '--exclude-user'])
    expect(shape(one.names)).toEqual([`app_x_TS_${hostname}.sql.zst`])
    await expect(access(`${one.result.targets[0]?.file}.users.sql`)).rejects.toThrow()
  })

  it('dry-run shows the full plan of every mode and creates nothing, not even the folder', async () => {
    const out = join(sandbox.tmp, 'dry', 'nested')
    const modes: [string, string[], number][] = [
      ['single', ['--db', 'app_x', '--include-dmart'], 2],
      ['filter', ['--db', 'app_x', '--db', 'app_y', '--mode', 'multi-file'], 2],
      ['all', [], 1],
      ['primary', ['--prefix', 'app_'], 3],
      ['secondary', ['--prefix', 'app_'], 1],
    ]
    for (const [mode, args, files] of modes) {
      const run = await runCli(
        ['backup', mode, '-p', account.profile, '-t', 'D', '-o', out, '--dry-run', '--json', ...args],
        {
          env,
        },
      )
      expect(run.code, run.stderr).toBe(0)
      const plan = JSON.parse(run.stdout)
      expect(plan.files, mode).toHaveLength(files)
      expect(plan.estimatedOutputBytes).toBeGreaterThan(0)
      expect(plan.dump.args).toContain('--defaults-extra-file=<private 0600 file>')
      expect(run.stdout).not.toContain(account.password)
    }
    await expect(access(join(sandbox.tmp, 'dry'))).rejects.toThrow()
  })

  it("primary and secondary take sfDBTools' dbsf_nbc_ prefix unless told otherwise", async () => {
    const run = await runCli(['backup', 'primary', '-p', account.profile, '-t', 'E', '--dry-run'], { env })
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(
      /no database left to back up in mode primary.*× does not start with the prefix 'dbsf_nbc_'/,
    )
    // The config file's empty prefix takes every name.
    const config = join(sandbox.configDir, 'sfDBTools_config.yaml')
    await writeFile(config, 'backup:\n  primary_prefix: ""\n', { mode: 0o600 })
    try {
      const all = await runCli(
        ['backup', 'primary', '-p', account.profile, '-t', 'E', '--dry-run', '--json'],
        {
          env,
        },
      )
      expect(all.code, all.stderr).toBe(0)
      expect((JSON.parse(all.stdout) as { files: unknown[] }).files).toHaveLength(3)
    } finally {
      await rm(config, { force: true })
    }
  })

  it('an empty selection is an error saying which filter removed what', async () => {
    const run = await runCli(
      [
        'backup',
        'secondary',
        '-p',
        account.profile,
        '-t',
        'E',
        '--prefix',
        '',
        '--exclude-db',
        'app_x_secondary',
      ],
      { env },
    )
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/no database left to back up in mode secondary.*1 × on the exclude list/)
    expect(run.stderr).toMatch(/fix: loosen the filters: --exclude-db/)
  })

  it('GTID: the .gtid file and the metadata hold the coordinates the dump wrote for its snapshot', async () => {
    const { run, result } = await backup('single', ['--db', 'app_y', '--capture-gtid'])
    expect(run.code, run.stderr).toBe(0)
    const file = result.targets[0]?.file ?? ''
    const meta = JSON.parse(await readFile(`${file}.meta.json`, 'utf8'))
    expect(meta.gtid_file).toBe(`${basename(file)}.gtid`)
    expect(meta.gtid_info.binlog_file).toMatch(/\.\d{6}$/)
    expect(meta.gtid_info.executed).toMatch(/^\d+-\d+-\d+/)
    const gtid = await readFile(`${file}.gtid`, 'utf8')
    expect(gtid).toContain(`MASTER_LOG_POS = ${meta.gtid_info.binlog_position}`)
    expect(gtid).toContain(`gtid_binlog = ${meta.gtid_info.executed}`)
    // The position travels in the result itself; nothing has to re-read the metadata to report it.
    expect(result.targets[0]?.gtid).toEqual({
      executed: meta.gtid_info.executed,
      purged: meta.gtid_info.purged,
      binlogFile: meta.gtid_info.binlog_file,
      binlogPosition: meta.gtid_info.binlog_position,
    })
    const text = await runCli(
      [
        'backup',
        'single',
        '-p',
        account.profile,
        '-t',
        'T-2',
        '-o',
        freshOut(),
        '--db',
        'app_y',
        '--capture-gtid',
      ],
      { env },
    )
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/GTID \d+-\d+-\d+\S* at \S+\.\d{6}:\d+/)
  })

  it('GTID without the privilege: a warning that names the GRANT, and the backup succeeds', async () => {
    await srcConn.query(`REVOKE BINLOG MONITOR ON *.* FROM ?@'127.0.0.1'`, [account.user])
    try {
      const { run, result } = await backup('single', ['--db', 'app_y', '--capture-gtid'])
      expect(run.code, run.stderr).toBe(0)
      expect(result.targets[0]?.status).toBe('success_with_warnings')
      expect(result.targets[0]?.warnings.join()).toContain('GRANT BINLOG MONITOR')
      await expect(access(`${result.targets[0]?.file}.gtid`)).rejects.toThrow()
    } finally {
      await srcConn.query(`GRANT BINLOG MONITOR ON *.* TO ?@'127.0.0.1'`, [account.user])
    }
  })

  it('a failed target does not stop the others; the exit code and the error log say so', async () => {
    await createSampleDatabase(srcConn, 'app_broken', { rows: 5 })
    await srcConn.query('CREATE VIEW app_broken.v AS SELECT 1 AS one FROM app_broken.customers')
    await srcConn.query('DROP TABLE app_broken.customers')
    try {
      const { run, result } = await backup('primary', ['--prefix', 'app_'])
      expect(run.code).toBe(1)
      const byDb = Object.fromEntries(result.targets.map((t) => [t.databases[0], t.status]))
      expect(byDb).toMatchObject({ app_broken: 'failed', app_x: 'success', app_y: 'success' })
      // Beside the run logs' folder (logs/backup/), the day's error log.
      const logs = (await readdir(join(sandbox.configDir, 'logs'))).filter((n) =>
        n.endsWith('_error_backup.log'),
      )
      expect(logs).toHaveLength(1)
      const log = await readFile(join(sandbox.configDir, 'logs', logs[0] ?? ''), 'utf8')
      const line = JSON.parse(log.trim().split('\n').pop() ?? '{}')
      expect(line.databases).toEqual(['app_broken'])
      expect(line.stderr_tail).toMatch(/app_broken|customers/)
    } finally {
      await srcConn.query('DROP DATABASE app_broken')
    }
  })

  it('retention after a backup keeps min_backups and removes older backups with their companions', async () => {
    const out = freshOut()
    await writeFile(
      join(sandbox.configDir, 'sfDBTools_config.yaml'),
      'backup:\n  cleanup:\n    enabled: true\n    retention_days: 1\n    min_backups: 2\n',
    )
    try {
      const age = async (file: string, days: number): Promise<void> => {
        const meta = JSON.parse(await readFile(`${file}.meta.json`, 'utf8'))
        const then = new Date(Date.now() - days * 86_400_000).toISOString()
        meta.backup_date = then
        meta.time.start = then
        await writeFile(`${file}.meta.json`, JSON.stringify(meta))
      }
      const first = await backup('single', ['--db', 'app_y', '-t', 'R1'], out)
      await age(first.result.targets[0]?.file ?? '', 30)
      const second = await backup('single', ['--db', 'app_y', '-t', 'R2'], out)
      await age(second.result.targets[0]?.file ?? '', 20)
      const third = await backup('single', ['--db', 'app_y', '-t', 'R3'], out)
      expect(third.run.code, third.run.stderr).toBe(0)
      const left = (await readdir(out)).sort()
      const f1 = basename(first.result.targets[0]?.file ?? '')
      expect(left.filter((n) => n.startsWith(f1))).toEqual([]) // the backup, .meta.json and .users.sql
      expect(left.filter((n) => n.endsWith('.meta.json'))).toHaveLength(2)
    } finally {
      await writeFile(join(sandbox.configDir, 'sfDBTools_config.yaml'), '')
    }
  })

  it('GTID: replaying the binlog from the recorded position onto the restored dump gives the source, with writes running', async () => {
    await srcConn.query(
      'DROP DATABASE IF EXISTS gtid_db; CREATE DATABASE gtid_db; ' +
        'CREATE TABLE gtid_db.t (id INT AUTO_INCREMENT PRIMARY KEY, v INT NOT NULL, pad VARCHAR(200)) ENGINE=InnoDB',
    )
    await srcConn.query(
      "INSERT INTO gtid_db.t (v, pad) SELECT seq, REPEAT('x', 200) FROM gtid_db.seq_1_to_20000",
    )
    const writer = await connectRoot(src)
    let writing = true
    let written = 0
    const writes = (async () => {
      while (writing) {
        await writer.query('INSERT INTO gtid_db.t (v, pad) VALUES (?, ?)', [written, 'concurrent'])
        written++
      }
    })()
    let file: string
    try {
      await waitFor(async () => written > 50, 10_000, 'writes to start')
      const { run, result } = await backup('single', ['--db', 'gtid_db', '--capture-gtid'])
      expect(run.code, run.stderr).toBe(0)
      file = result.targets[0]?.file ?? ''
      const during = written
      await waitFor(async () => written > during + 50, 10_000, 'writes after the dump')
    } finally {
      writing = false
      await writes
      await writer.end()
    }
    const meta = JSON.parse(await readFile(`${file}.meta.json`, 'utf8'))
    const { binlog_file: binlogFile, binlog_position: position } = meta.gtid_info
    await restoresIntoDst(file, 'gtid_db')
    const [[before]] = await dstConn.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM gtid_db.t')
    // Rows written while the dump ran are not in its snapshot…
    expect(Number(before?.n)).toBeGreaterThan(20_000)
    expect(Number(before?.n)).toBeLessThan(20_000 + written)
    // …and the binlog from the recorded position holds exactly them.
    const binlog = spawn(
      'mariadb-binlog',
      [
        '--no-defaults',
        '--read-from-remote-server',
        `--host=${src.host}`,
        `--port=${src.port}`,
        `--user=${src.rootUser}`,
        `--start-position=${position}`,
        '--to-last-log',
        '--database=gtid_db',
        binlogFile,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, MYSQL_PWD: src.rootPassword } },
    )
    await runMariadbClient(dst, binlog.stdout)
    expect(await fingerprint(dstConn, 'gtid_db')).toEqual(await fingerprint(srcConn, 'gtid_db'))
    await srcConn.query('DROP DATABASE gtid_db')
  })

  it('db-scan lists every database with size, tables and rows', async () => {
    const run = await runCli(['db-scan', '-p', account.profile, '--json'], { env })
    expect(run.code, run.stderr).toBe(0)
    const scan = JSON.parse(run.stdout) as { databases: { name: string; tables: number; system: boolean }[] }
    const byName = Object.fromEntries(scan.databases.map((d) => [d.name, d]))
    expect(byName.app_x?.tables).toBeGreaterThan(0)
    expect(byName.app_empty?.tables).toBe(0)
    expect(byName.mysql?.system).toBe(true)
  })

  it('Ctrl-C during the second file: that dump is killed and removed, the finished file is kept, exit 130', async () => {
    // The fake dump binary stops after its head and waits for us: the first file is finished on our word,
    // the Ctrl-C lands while the second dump is in flight — on any machine, however busy.
    await createSampleDatabase(srcConn, 'zz_big', { rows: 10 })
    const fake = await createFakeDump()
    try {
      const out = freshOut()
      await mkdir(out)
      const { child, done } = startCli(
        [
          'backup',
          'filter',
          '-p',
          account.profile,
          '-t',
          'C',
          '-o',
          out,
          '--json',
          '--db',
          'app_y',
          '--db',
          'zz_big',
          '--mode',
          'multi-file',
          '--dump-binary',
          fake.path,
        ],
        { env },
      )
      const first = await fake.nextRun(done)
      expect(first.databases).toEqual(['app_y'])
      await first.finish()
      const second = await fake.nextRun(done)
      expect(second.databases).toEqual(['zz_big'])
      expect((await readdir(out)).filter((n) => n.startsWith('app_y') && n.endsWith('.zst'))).toHaveLength(1)
      child.kill('SIGINT')
      const run = await done
      expect(run.code).toBe(130)
      const result = JSON.parse(run.stdout) as BackupResult
      expect(result.targets.map((t) => t.status)).toEqual(['success', 'cancelled'])
      await second.ended
      const left = await readdir(out)
      expect(left.filter((n) => n.startsWith('zz_big') || n.endsWith('.part'))).toEqual([])
      expect(left.filter((n) => n.startsWith('app_y') && n.endsWith('.zst'))).toHaveLength(1)
    } finally {
      await fake.close()
      await srcConn.query('DROP DATABASE zz_big')
    }
  })
})
