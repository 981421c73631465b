/**
 * Small databases in one dump (batch-dump.ts, dump-splitter.ts): every file is, byte for byte, what
 * `mariadb-dump <database>` writes alone (except the time in "Dump completed on"); anything the split is not
 * sure of, and any failure of the shared dump, falls back to one dump per database; a cancel leaves nothing.
 * Real parts: the CLI and its job, the private mariadbd, mariadb-dump.
 */
import { spawn } from 'node:child_process'
import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BackupResult } from '../../shared/backup-types.ts'
import { SAFE_DEFAULT_ARGS } from '../../electron/engine/dump/dump-args.ts'
import { formatDefaultsFile } from '../../electron/engine/dump/defaults-file.ts'
import { useBackupFixture } from '../harness/backup-user.ts'
import { runCli, startCli } from '../harness/cli.ts'
import { connectRoot } from '../harness/mariadb.ts'
import { waitFor } from '../harness/processes.ts'
import type { RowDataPacket } from 'mysql2/promise'

const BACKUP_KEY = 'batched backup key'
/** A routine body that quotes, exactly, the marker of the database after it in a `--databases` dump. */
const QUOTED_MARKER =
  '\n--\n-- Current Database: `bq_b`\n--\n\nCREATE DATABASE /*!32312 IF NOT EXISTS*/ `bq_b` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;\n\nUSE `bq_b`;\n'

describe('backup: small databases share one dump', () => {
  const f = useBackupFixture(
    'batched',
    async (conn) => {
      const table = (db: string): string =>
        `CREATE TABLE ${db}.t (id INT PRIMARY KEY, name VARCHAR(100), note TEXT, raw BLOB) ENGINE=InnoDB;
         INSERT INTO ${db}.t VALUES (1, 'café 😀 日本語', 'line\\nbreak -- Current Database: \`x\`', x'00ff0a2d2d'),
           (2, NULL, REPEAT('abc', 500), NULL);`
      for (const db of ['bt_a', 'bt_b', 'bt_c', 'bt_view', 'bq_a', 'bq_b', 'bq_c', 'bf_a', 'bf_b', 'bf_c'])
        await conn.query(`DROP DATABASE IF EXISTS ${db}; CREATE DATABASE ${db} CHARACTER SET utf8mb4`)
      await conn.query(`${table('bt_a')}
        CREATE TRIGGER bt_a.tr BEFORE INSERT ON bt_a.t FOR EACH ROW SET NEW.name = UPPER(NEW.name);
        CREATE PROCEDURE bt_a.p() SELECT COUNT(*) FROM bt_a.t;
        CREATE FUNCTION bt_a.f() RETURNS INT DETERMINISTIC RETURN 42;
        CREATE EVENT bt_a.e ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM bt_a.t WHERE id < 0;`)
      // bt_b stays empty: a database without tables.
      await conn.query(
        `${table('bt_c')} ${table('bt_view')} CREATE VIEW bt_view.v AS SELECT id FROM bt_view.t;`,
      )
      await conn.query(`${table('bq_a')} ${table('bq_b')} ${table('bq_c')}
        CREATE PROCEDURE bq_a.quoting() SELECT '${QUOTED_MARKER.replace(/'/g, "''")}';`)
      // bf_b: a MERGE table whose underlying table is gone: reading it fails (error 1168).
      await conn.query(`${table('bf_a')} ${table('bf_c')}
        CREATE TABLE bf_b.part (id INT) ENGINE=MyISAM;
        CREATE TABLE bf_b.whole (id INT) ENGINE=MRG_MyISAM UNION=(bf_b.part); DROP TABLE bf_b.part;`)
    },
    { SFDB_BACKUP_ENCRYPTION_KEY: BACKUP_KEY },
  )

  const backup = async (prefix: string, extra: string[] = []) => {
    const out = await f.freshOut()
    const run = await runCli(
      [
        'backup',
        'primary',
        '-p',
        f.account.profile,
        '-t',
        'T-B',
        '--prefix',
        prefix,
        '-o',
        out,
        '--json',
      ].concat('--exclude-user', ...extra),
      { env: f.env },
    )
    return { run, out, result: JSON.parse(run.stdout || '{}') as BackupResult }
  }

  /** What mariadb-dump writes for the database alone, with the arguments every backup uses. */
  const dumpAlone = async (db: string): Promise<string> => {
    const defaults = join(f.sandbox.tmp, 'root.cnf')
    await writeFile(
      defaults,
      formatDefaultsFile({
        host: f.server.host,
        port: f.server.port,
        user: 'root',
        password: f.server.rootPassword,
      }),
      { mode: 0o600 },
    )
    const child = spawn('mariadb-dump', [`--defaults-extra-file=${defaults}`, ...SAFE_DEFAULT_ARGS, '--', db])
    const chunks: Buffer[] = []
    child.stdout.on('data', (c: Buffer) => chunks.push(c))
    const code = await new Promise((resolve) => child.on('close', resolve))
    expect(code).toBe(0)
    return Buffer.concat(chunks).toString('latin1')
  }
  /** The file's SQL, decrypted and decompressed by the CLI. */
  const sqlOf = async (file: string): Promise<string> => {
    const dec = await runCli(['decrypt', file, '--decompress', '-o', `${file}.sql`], { env: f.env })
    expect(dec.code, dec.stderr).toBe(0)
    return (await readFile(`${file}.sql`)).toString('latin1')
  }
  const withoutTime = (sql: string): string => sql.replace(/^-- Dump completed on .*$/m, '-- Dump completed')
  /** The newest run log of the sandbox: the job's info lines (stderr holds none with --json). */
  const lastRunLog = async (): Promise<string> => {
    const dir = join(f.sandbox.configDir, 'logs', 'backup')
    const logs = await Promise.all(
      (await readdir(dir)).map(async (n) => ({ path: join(dir, n), at: (await stat(join(dir, n))).mtimeMs })),
    )
    return readFile(logs.sort((a, b) => a.at - b.at).at(-1)?.path as string, 'utf8')
  }
  const argsOf = async (file: string): Promise<string[]> =>
    (JSON.parse(await readFile(`${file}.meta.json`, 'utf8')) as { dump: { args: string[] } }).dump.args

  it('writes each small database exactly as its own dump would; a database with views alone', async () => {
    const { run, result } = await backup('bt_')
    expect(run.code, run.stderr).toBe(0)
    expect(result.targets.map((t) => [t.databases[0], t.status])).toEqual([
      ['bt_a', 'success'],
      ['bt_b', 'success'],
      ['bt_c', 'success'],
      ['bt_view', 'success'],
    ])
    for (const t of result.targets) {
      const db = t.databases[0] as string
      expect(withoutTime(await sqlOf(t.file as string)), db).toBe(withoutTime(await dumpAlone(db)))
    }
    // One dump for the three; the view's alone.
    const [a, , , view] = result.targets.map((t) => t.file as string)
    expect(await argsOf(a as string)).toEqual(expect.arrayContaining(['--databases', 'bt_a', 'bt_b', 'bt_c']))
    expect((await argsOf(view as string)).slice(-2)).toEqual(['--', 'bt_view'])
    expect(new Set(result.targets.map((t) => t.sha256)).size).toBe(4)
    // One key derivation for the run: every file carries the run's salt, each its own nonce prefix.
    const headers = await Promise.all(
      result.targets.map(async (t) => (await readFile(t.file as string)).subarray(0, 20)),
    )
    expect(new Set(headers.map((h) => h.subarray(8, 16).toString('hex'))).size).toBe(1)
    expect(new Set(headers.map((h) => h.readUInt32BE(16))).size).toBe(4)
  }, 120_000)

  it('the dry-run shows the shared dump and how many dumps the files come from', async () => {
    const out = await f.freshOut()
    const run = await runCli(
      ['backup', 'primary', '-p', f.account.profile, '-t', 'T-D', '--prefix', 'bt_', '-o', out, '--dry-run'],
      { env: f.env },
    )
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/dump {8}\S+mariadb-dump .* --databases -- bt_a bt_b bt_c\n/)
    expect(run.stdout).toContain('4 files from 2 dumps: small databases share one')
    expect(await readdir(out)).toEqual([])
  }, 60_000)

  it('a routine quoting the next marker exactly: the split notices, each database is dumped alone', async () => {
    const { run, result } = await backup('bq_')
    expect(run.code, run.stderr).toBe(0)
    expect(await lastRunLog()).toMatch(
      /one dump for bq_a, bq_b, bq_c failed \(.*\); dumping them one at a time/,
    )
    const sql: string[] = []
    for (const t of result.targets) {
      const db = t.databases[0] as string
      sql.push(withoutTime(await sqlOf(t.file as string)))
      expect(sql.at(-1), db).toBe(withoutTime(await dumpAlone(db)))
      expect((await argsOf(t.file as string)).slice(-2)).toEqual(['--', db])
    }
    // bq_a's file has its routine whole, the quoted marker included.
    expect(sql[0]).toContain(QUOTED_MARKER.replace(/'/g, "''").slice(0, 60))
  }, 120_000)

  it('a database that cannot be dumped fails alone, named; the others of its batch are written', async () => {
    const { run, out, result } = await backup('bf_', ['--no-encrypt'])
    expect(run.code).toBe(1)
    expect(result.targets.map((t) => [t.databases[0], t.status])).toEqual([
      ['bf_a', 'success'],
      ['bf_b', 'failed'],
      ['bf_c', 'success'],
    ])
    expect(result.targets[1]?.error?.message).toMatch(/whole/)
    expect(await lastRunLog()).toMatch(/one dump for bf_a, bf_b, bf_c failed/)
    const names = await readdir(out)
    expect(names.filter((n) => n.includes('bf_b') || n.endsWith('.part'))).toEqual([])
  }, 120_000)

  it('a warning of the shared dump is on each of its files, saying whose dump it came from', async () => {
    // A FAKE wrapper around the real mariadb-dump: it runs it unchanged, then adds a warning on stderr and
    // exits 0, as the client does for a table it could only partly read (a real one cannot be made on cue).
    const wrapper = join(f.sandbox.tmp, 'warning-dump')
    await writeFile(
      wrapper,
      '#!/bin/sh\nmariadb-dump "$@" || exit $?\necho "Warning: a fake warning after the real dump" >&2\n',
      { mode: 0o700 },
    )
    const { run, result } = await backup('bt_', ['--no-encrypt', '--dump-binary', wrapper])
    expect(run.code, run.stderr).toBe(0)
    const [a, b, c, view] = result.targets
    for (const t of [a, b, c]) {
      expect(t?.status).toBe('success_with_warnings')
      expect(t?.warnings).toContain(
        'the one dump of bt_a, bt_b, bt_c warned: Warning: a fake warning after the real dump',
      )
    }
    expect(view?.warnings).toEqual(['Warning: a fake warning after the real dump'])
  }, 120_000)

  it('a cancel while the shared dump waits leaves no file of any of its databases', async () => {
    const out = await f.freshOut()
    const holder = await connectRoot(f.server)
    try {
      // bt_c's table locked: the shared dump has written bt_a and bt_b's sections and waits.
      await holder.query('LOCK TABLES bt_c.t WRITE')
      const cli = startCli(
        [
          'backup',
          'primary',
          '-p',
          f.account.profile,
          '-t',
          'T-C',
          '--prefix',
          'bt_',
          '-o',
          out,
          '--json',
        ].concat('--exclude-user', '--no-encrypt'),
        { env: f.env },
      )
      await waitFor(async () => {
        const [rows] = await holder.query<RowDataPacket[]>(
          "SELECT ID FROM information_schema.PROCESSLIST WHERE STATE = 'Waiting for table metadata lock'",
        )
        return rows.length > 0
      }, 30_000)
      expect((await readdir(out)).filter((n) => n.endsWith('.part')).length).toBe(3)
      cli.child.kill('SIGINT')
      const run = await cli.done
      expect(run.code).not.toBe(0)
      const result = JSON.parse(run.stdout) as BackupResult
      expect(result.targets.map((t) => [t.databases[0], t.status])).toEqual([
        ['bt_a', 'cancelled'],
        ['bt_b', 'cancelled'],
        ['bt_c', 'cancelled'],
        ['bt_view', 'skipped'],
      ])
      expect(await readdir(out)).toEqual([])
    } finally {
      await holder.query('UNLOCK TABLES').catch(() => undefined)
      await holder.end()
    }
  }, 120_000)
})
