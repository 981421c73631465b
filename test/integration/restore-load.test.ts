/**
 * The loader (electron/engine/restore/load: loadSql) against the private mariadbd, with dumps made by the
 * real mariadb-dump (WITHOUT --hex-blob: raw binary strings, as other tools write them) and by the engine's
 * own runBackup (zstd + encrypted), loaded over the protocol (default) and through the real mariadb client: sequential and parallel loads,
 * sections of a multi-database dump, force, inventory, cancel, the encrypted spill files, a truncated dump.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { createWriteStream, existsSync, readFileSync, statSync } from 'node:fs'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { ConnectionSettings } from '../../shared/job-protocol.ts'
import { engineBackup } from '../harness/engine-backup.ts'
import { loadSql } from '../../electron/engine/restore/load/load-sql.ts'
import type { LoadOptions } from '../../electron/engine/restore/load/types.ts'
import type { RestoreProgress } from '../../electron/engine/restore/restore-progress.ts'
import { StatementSplitter } from '../../electron/engine/restore/sql-statements.ts'
import { trickyPassword } from '../harness/backup-user.ts'
import { createSampleDatabase, fingerprint, type DatabaseFingerprint } from '../harness/fixtures.ts'
import { connectRoot, type PrivateServer } from '../harness/mariadb.ts'
import { descendants, waitFor } from '../harness/processes.ts'

const SOURCE = 'ld_src'
const USER = 'ld_user'
const BACKUP_KEY = 'loader key ✓ with spaces'
const NEEDLE = 'SPILL-NEEDLE-'
/** Both ways statements reach the server: over the protocol (default) and through `mariadb` clients. */
const LOADERS = ['native', 'client'] as const
const server = inject('mariadb')

/** Runs the real mariadb-dump (root over the socket) into `file`. */
async function mariadbDump(s: PrivateServer, args: string[], file: string): Promise<void> {
  const child = spawn('mariadb-dump', ['--no-defaults', `--socket=${s.socket}`, '--user=root', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MYSQL_PWD: s.rootPassword },
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  child.stdout.pipe(createWriteStream(file))
  await new Promise<void>((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`mariadb-dump: ${stderr}`)))),
  )
}

/** A spawn that remembers every child it starts. */
function recordingSpawn(children: ChildProcess[]): typeof spawn {
  return ((cmd: string, args: readonly string[], opts: SpawnOptions) => {
    const child = spawn(cmd, args, opts)
    children.push(child)
    return child
  }) as typeof spawn
}

describe('loadSql: the loader', () => {
  let root: mysql.Connection
  let connection: ConnectionSettings
  let dir: string
  let source: DatabaseFingerprint
  /** mariadb-dump --databases ld_src --add-drop-database, no --hex-blob, 64 KiB INSERTs. */
  let plain: string
  /** The engine's backup of ld_src: zstd + encrypted. */
  let encrypted: { file: string; sqlBytes: number }

  const load = (over: Partial<LoadOptions> & Pick<LoadOptions, 'file' | 'target'>) =>
    loadSql({
      key: null,
      connection,
      parallel: 1,
      force: false,
      inventory: false,
      signal: new AbortController().signal,
      ...over,
    })
  const one = (database: string) => ({ kind: 'one' as const, database })
  const schemaExists = async (db: string): Promise<boolean> => {
    const [rows] = await root.query<mysql.RowDataPacket[]>(
      'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [db],
    )
    return rows.length > 0
  }
  const names = async (sql: string, db: string): Promise<string[]> => {
    const [rows] = await root.query<mysql.RowDataPacket[]>(sql, [db])
    return rows.map((r) => String(r.n)).sort()
  }

  beforeAll(async () => {
    root = await connectRoot(server)
    dir = await mkdtemp(join(tmpdir(), 'sfdb-load-test-'))
    const password = trickyPassword()
    await root.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await root.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [USER, password])
    await root.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'127.0.0.1'`, [USER])
    connection = { host: server.host, port: server.port, user: USER, password }

    await createSampleDatabase(root, SOURCE, { rows: 800 })
    // A view on a view that sorts before the view it reads (its stand-in must live until then), foreign
    // keys whose child table is loaded before its parent, raw binary strings and a 10 MB BLOB row.
    await root.query(`
      USE ${SOURCE};
      CREATE VIEW a_top AS SELECT id, name FROM active_customers WHERE id > 3;
      CREATE TABLE parent (id INT PRIMARY KEY, name VARCHAR(20)) ENGINE=InnoDB;
      CREATE TABLE child (id INT PRIMARY KEY, parent_id INT NOT NULL,
        CONSTRAINT fk_child FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE=InnoDB;
      INSERT INTO parent SELECT seq, CONCAT('p', seq) FROM seq_1_to_300;
      INSERT INTO child SELECT seq, 1 + seq % 300 FROM seq_1_to_3000;
      CREATE TABLE bin (id INT PRIMARY KEY, b LONGBLOB, vb VARBINARY(600)) ENGINE=InnoDB;
      CREATE TABLE marks (id INT PRIMARY KEY, v VARCHAR(64)) ENGINE=InnoDB;
      INSERT INTO marks SELECT seq, CONCAT('${NEEDLE}', seq) FROM seq_1_to_20000;
    `)
    const every = Buffer.alloc(512)
    for (let i = 0; i < every.length; i++) every[i] = (i * 7) & 0xff
    await root.query('INSERT INTO bin VALUES (1, ?, ?), (2, ?, NULL)', [
      every,
      every.subarray(0, 300),
      randomBytes(10 << 20),
    ])
    source = await fingerprint(root, SOURCE)

    plain = join(dir, 'ld_src.sql')
    await mariadbDump(
      server,
      [
        '--routines',
        '--events',
        '--triggers',
        '--net-buffer-length=65536',
        '--add-drop-database',
        '--databases',
        SOURCE,
      ],
      plain,
    )
    const target = await engineBackup({
      connection,
      database: SOURCE,
      dir,
      name: 'engine',
      compression: 'zstd',
      key: BACKUP_KEY,
    })
    encrypted = { file: target.file, sqlBytes: target.sqlBytes ?? 0 }
    // A load that wrote into the dump's own name would bring it back.
    await root.query(`DROP DATABASE ${SOURCE}`)
  }, 300_000)

  afterAll(async () => {
    const [rows] = await root.query<mysql.RowDataPacket[]>(
      `SELECT SCHEMA_NAME AS db FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'ld\\_%'`,
    )
    for (const r of rows) await root.query(`DROP DATABASE \`${String(r.db)}\``)
    await root.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await root.end()
  })

  it('the plain dump holds raw binary strings (no --hex-blob) and the needle rows', () => {
    const sql = readFileSync(plain)
    expect(sql.includes(Buffer.from([0xfe, 0x05, 0x0c]))).toBe(true) // bytes of `every`, unescaped
    expect(sql.includes(Buffer.from(NEEDLE))).toBe(true)
  })

  it.each(LOADERS)(
    '%s loader: sequential and parallel loads equal the source (checksums, views on views, triggers, routines, events); the inventory counts the real rows',
    async (loader) => {
      const seqEvents: RestoreProgress[] = []
      const seq = await load({
        file: plain,
        loader,
        target: one(`ld_seq_${loader}`),
        inventory: true,
        onProgress: (p) => seqEvents.push(p),
      })
      // Without the SQL size, the fraction is of the file: monotone, the last event says all of it.
      for (let i = 1; i < seqEvents.length; i++) {
        expect(seqEvents[i]!.fraction ?? 0).toBeGreaterThanOrEqual(seqEvents[i - 1]!.fraction ?? 0)
      }
      expect(seqEvents.at(-1)).toMatchObject({ final: true, fraction: 1, fileBytes: statSync(plain).size })
      expect(seq).toMatchObject({
        status: 'success',
        error: null,
        touched: true,
        databases: [`ld_seq_${loader}`],
        sourceDatabases: [SOURCE],
        createdDatabases: [`ld_seq_${loader}`],
        compression: 'none',
        tables: 8,
        sqlErrors: [],
        warnings: [],
      })
      expect(await fingerprint(root, `ld_seq_${loader}`)).toEqual(source)

      const events: RestoreProgress[] = []
      const par = await load({
        file: encrypted.file,
        key: BACKUP_KEY,
        loader,
        target: one(`ld_par_${loader}`),
        parallel: 2,
        inventory: true,
        totalSqlBytes: encrypted.sqlBytes,
        onProgress: (p) => events.push(p),
      })
      expect(par).toMatchObject({
        status: 'success',
        encrypted: true,
        compression: 'zstd',
        sqlBytes: encrypted.sqlBytes,
      })
      expect(await fingerprint(root, `ld_par_${loader}`)).toEqual(source)
      expect(await schemaExists(SOURCE)).toBe(false)

      // The inventory: every table's rows as the server counts them, and every object by name.
      for (const r of [seq, par]) {
        const inv = r.inventory
        expect(inv).not.toBeNull()
        const db = r.databases[0] as string
        const counted: Record<string, number> = {}
        for (const t of inv?.tables ?? []) {
          const [rows] = await root.query<mysql.RowDataPacket[]>(
            `SELECT COUNT(*) AS n FROM \`${db}\`.\`${t.name}\``,
          )
          counted[t.name] = Number(rows[0]?.n)
          expect(t.database).toBe(db)
        }
        expect(Object.fromEntries((inv?.tables ?? []).map((t) => [t.name, t.rows]))).toEqual(counted)
        expect(Object.keys(counted).sort()).toEqual(Object.keys(source.checksums).sort())
        expect(r.rows).toBe(Object.values(counted).reduce((a, b) => a + b, 0))
        const on = (list: { name: string }[] | undefined): string[] => (list ?? []).map((x) => x.name).sort()
        expect(on(inv?.views)).toEqual(
          await names('SELECT TABLE_NAME AS n FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?', db),
        )
        expect(on(inv?.triggers)).toEqual(
          await names(
            'SELECT TRIGGER_NAME AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?',
            db,
          ),
        )
        expect(on(inv?.procedures)).toEqual(
          await names(
            `SELECT ROUTINE_NAME AS n FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? AND ROUTINE_TYPE = 'PROCEDURE'`,
            db,
          ),
        )
        expect(on(inv?.functions)).toEqual(
          await names(
            `SELECT ROUTINE_NAME AS n FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? AND ROUTINE_TYPE = 'FUNCTION'`,
            db,
          ),
        )
        expect(on(inv?.events)).toEqual(
          await names('SELECT EVENT_NAME AS n FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?', db),
        )
      }

      // Progress: ≤ 10 events a second plus the final one, monotone, tables done counted to the end.
      expect(events.length).toBeLessThanOrEqual(Math.floor(par.durationMs / 100) + 2)
      for (let i = 1; i < events.length; i++) {
        expect(events[i]!.sqlBytes).toBeGreaterThanOrEqual(events[i - 1]!.sqlBytes)
        expect(events[i]!.tablesDone).toBeGreaterThanOrEqual(events[i - 1]!.tablesDone)
      }
      // Every table has a data section in the dump (LOCK TABLES … UNLOCK TABLES, also the empty one).
      const tables = par.inventory?.tables.length
      expect(events.at(-1)).toMatchObject({
        final: true,
        fraction: 1,
        tablesDone: tables,
        tablesTotal: tables,
        etaSeconds: 0,
      })
    },
    240_000,
  )

  it('a parallel load spills to private, encrypted temp files that never hold a row in clear and are gone at the end', async () => {
    let blocks = 0
    let folder = ''
    const result = await load({
      file: plain,
      target: one('ld_spill'),
      parallel: 3,
      spillMemoryBytes: 0,
      onSpillBlock: async (file) => {
        blocks++
        folder = dirname(file)
        expect(statSync(folder).mode & 0o777).toBe(0o700)
        expect(statSync(file).mode & 0o777).toBe(0o600)
        const bytes = await readFile(file)
        expect(bytes.length).toBeGreaterThan(0)
        expect(bytes.includes(Buffer.from(NEEDLE))).toBe(false)
        expect(bytes.includes(Buffer.from('INSERT INTO'))).toBe(false)
      },
    })
    expect(result.status).toBe('success')
    // Every data block went through a spill file (the memory budget was 0): the needle rows did too.
    expect(blocks).toBeGreaterThan(5)
    expect(existsSync(folder)).toBe(false)
    expect(await fingerprint(root, 'ld_spill')).toEqual(source)
  }, 240_000)

  it('sections of a multi-database dump go into their databases; excluded sections (and the system database) are never sent', async () => {
    await createSampleDatabase(root, 'ld_sa', { rows: 60 })
    await root.query(
      `CREATE DATABASE ld_sb; CREATE TABLE ld_sb.t (id INT PRIMARY KEY, v VARCHAR(20)); INSERT INTO ld_sb.t VALUES (1, 'dumped')`,
    )
    const sa = await fingerprint(root, 'ld_sa')
    const file = join(dir, 'sections.sql')
    await mariadbDump(
      server,
      [
        '--routines',
        '--events',
        '--triggers',
        '--add-drop-database',
        '--databases',
        'ld_sa',
        'ld_sb',
        'mysql',
      ],
      file,
    )
    const privileges = async (): Promise<string> => {
      const [rows] = await root.query<mysql.RowDataPacket[]>('CHECKSUM TABLE mysql.global_priv EXTENDED')
      return String(rows[0]?.Checksum)
    }
    // After the dump: ld_sa is gone, ld_sb changed — an excluded section that ran would undo the change.
    await root.query(`DROP DATABASE ld_sa; INSERT INTO ld_sb.t VALUES (2, 'after the dump')`)
    const privilegesBefore = await privileges()

    const result = await load({
      file,
      target: { kind: 'sections', exclude: ['ld_sb', 'mysql'] },
      parallel: 2,
    })
    expect(result).toMatchObject({
      status: 'success',
      databases: ['ld_sa'],
      sourceDatabases: ['ld_sa', 'ld_sb', 'mysql'],
      skippedDatabases: ['ld_sb', 'mysql'],
      createdDatabases: ['ld_sa'],
    })
    expect(await fingerprint(root, 'ld_sa')).toEqual(sa)
    const [rows] = await root.query<mysql.RowDataPacket[]>('SELECT v FROM ld_sb.t ORDER BY id')
    expect(rows.map((r) => r.v)).toEqual(['dumped', 'after the dump'])
    expect(await privileges()).toBe(privilegesBefore)

    // Sequentially, without excluding ld_sb: both exist already (none created), DROP DATABASE still never runs.
    await root.query(`CREATE TABLE ld_sb.kept (id INT)`)
    const again = await load({ file, target: { kind: 'sections', exclude: ['mysql'] } })
    expect(again).toMatchObject({ status: 'success', databases: ['ld_sa', 'ld_sb'], createdDatabases: [] })
    const [back] = await root.query<mysql.RowDataPacket[]>('SELECT v FROM ld_sb.t ORDER BY id')
    expect(back.map((r) => r.v)).toEqual(['dumped'])
    expect(
      await names(`SELECT TABLE_NAME AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?`, 'ld_sb'),
    ).toEqual(['kept', 't'])
    expect(await privileges()).toBe(privilegesBefore)
  }, 240_000)

  it('the first SQL error stops the load with the statement’s number, line and text; with force every error is collected', async () => {
    await createSampleDatabase(root, 'ld_e', { rows: 40 })
    const sa = await fingerprint(root, 'ld_e')
    const clean = join(dir, 'ld_e.sql')
    await mariadbDump(server, ['--routines', '--events', '--triggers', 'ld_e'], clean)
    // latin1: byte for byte (the dump's BLOBs are raw binary, not UTF-8)
    const lines = (await readFile(clean, 'latin1')).split('\n')
    const first = 'INSERT INTO no_such_table VALUES (1)'
    const second = 'THIS IS NOT SQL AT ALL'
    lines.splice(
      lines.findIndex((l) => l.startsWith('-- Table structure for table `customers`')),
      0,
      `${first};`,
    )
    lines.splice(
      lines.findIndex((l) => l.startsWith('-- Dumping events')),
      0,
      `${second};`,
    )
    const broken = join(dir, 'broken.sql')
    await writeFile(broken, lines.join('\n'), 'latin1')
    // Where the two statements are: their lines from the text, their numbers from the splitter.
    const numbers: Record<string, number> = {}
    const splitter = new StatementSplitter((s) => {
      if (s.text === first || s.text === second) numbers[s.text] = s.index
    })
    splitter.push(Buffer.from(lines.join('\n'), 'latin1'))
    splitter.end()
    const expected = [
      { statement: numbers[first], line: lines.indexOf(`${first};`) + 1, text: first, errno: 1146 },
      { statement: numbers[second], line: lines.indexOf(`${second};`) + 1, text: second, errno: 1064 },
    ]
    expect(expected[0]!.statement).toBeGreaterThan(10)

    for (const [loader, parallel] of LOADERS.flatMap((l) => [[l, 1] as const, [l, 2] as const])) {
      const db = `ld_err${parallel}_${loader}`
      const r = await load({ file: broken, target: one(db), parallel, loader })
      expect(r).toMatchObject({
        status: 'failed',
        touched: true,
        error: {
          code: 'SqlError',
          message: expect.stringMatching(
            new RegExp(
              `^statement ${expected[0]!.statement} \\(line ${expected[0]!.line}\\) failed: ERROR 1146 \\(42S02\\): `,
            ),
          ),
          detail: first,
          advice: { code: 'restoreSqlError', params: { statement: expected[0]!.statement } },
        },
      })
      expect(r.sqlErrors).toEqual([{ ...expected[0], message: expect.stringContaining('no_such_table') }])
      // Nothing after the error ran: no triggers, routines or events (and sequentially, no customers table).
      const after = await fingerprint(root, db)
      expect(after.counts).toMatchObject({ triggers: 0, routines: 0, events: 0 })
      if (parallel === 1) expect(Object.keys(after.checksums)).not.toContain('customers')

      const forced = await load({
        file: broken,
        target: one(`ld_force${parallel}_${loader}`),
        parallel,
        force: true,
        loader,
      })
      expect(forced.status).toBe('success')
      expect([...forced.sqlErrors].sort((a, b) => (a.statement ?? 0) - (b.statement ?? 0))).toEqual(
        expected.map((e) => ({ ...e, message: expect.any(String) })),
      )
      expect(await fingerprint(root, `ld_force${parallel}_${loader}`), `${loader} ${parallel}`).toEqual(sa)
    }
  }, 240_000)

  it('native loader: a cancel mid-load closes every session (no connection of the load stays on the server), starts no process and removes the spill files', async () => {
    const cancel = new AbortController()
    const children: ChildProcess[] = []
    let folder = ''
    const sessions = async (): Promise<number> => {
      const [rows] = await root.query<mysql.RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = ? AND DB = 'ld_ncancel'`,
        [USER],
      )
      return Number(rows[0]?.n)
    }
    let seen = 0
    let waiting = false
    const result = await load({
      file: plain,
      target: one('ld_ncancel'),
      parallel: 2,
      spillMemoryBytes: 0,
      signal: cancel.signal,
      spawn: recordingSpawn(children),
      onSpillBlock: async (file) => {
        folder = dirname(file)
        if (cancel.signal.aborted || waiting) return
        // The reader waits for this block: once the first session is connected (the server side is being
        // started), hold it until the three sessions (ordered + 2 data sessions) are, then cancel.
        waiting = true
        if ((await sessions()) === 0) {
          waiting = false
          return
        }
        seen = await waitFor(
          async () => {
            const n = await sessions()
            return n >= 3 && n
          },
          30_000,
          'the three sessions',
        )
        cancel.abort()
      },
    })
    expect(seen).toBe(3)
    expect(result).toMatchObject({ status: 'cancelled', touched: true, error: null })
    expect(result.client).toEqual({ path: 'built-in', version: 'MySQL protocol (mysql2)' })
    expect(children).toEqual([])
    await waitFor(async () => (await sessions()) === 0, 30_000, 'the sessions of the load to close')
    expect(existsSync(folder)).toBe(false)
  }, 240_000)

  it('client loader: a cancel mid-load kills every client (no password in any client’s argv or environment) and removes the spill files', async () => {
    const children: ChildProcess[] = []
    const cancel = new AbortController()
    let folder = ''
    let checked = 0
    const result = await load({
      file: plain,
      target: one('ld_cancel'),
      parallel: 2,
      spillMemoryBytes: 0,
      signal: cancel.signal,
      loader: 'client',
      spawn: recordingSpawn(children),
      onSpillBlock: (file) => {
        folder = dirname(file)
        // Once the three clients (ordered + 2 data sessions) run: look at them, then cancel.
        if (children.length < 3 || cancel.signal.aborted) return
        for (const child of children) {
          const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8')
          const environ = readFileSync(`/proc/${child.pid}/environ`, 'utf8')
          expect(cmdline).toMatch(/mariadb|mysql/)
          expect(cmdline).toContain('--defaults-extra-file=')
          for (const secret of [connection.password ?? '', BACKUP_KEY]) {
            expect(cmdline).not.toContain(secret)
            expect(environ).not.toContain(secret)
          }
          expect(environ).not.toMatch(/MYSQL_PWD/)
          checked++
        }
        cancel.abort()
      },
    })
    expect(checked).toBe(3)
    expect(result).toMatchObject({ status: 'cancelled', touched: true, error: null })
    for (const child of children) {
      expect(child.exitCode !== null || child.signalCode !== null).toBe(true)
      expect(existsSync(`/proc/${child.pid}`)).toBe(false)
    }
    const left = (await descendants(process.pid)).filter((p) => /mariadb|mysql/.test(p.argv[0] ?? ''))
    expect(left).toEqual([])
    expect(existsSync(folder)).toBe(false)
  }, 240_000)

  it('a truncated dump fails without running its partial statement; a wrong key throws before the server is touched', async () => {
    const sql = await readFile(plain)
    const starts: number[] = []
    for (
      let at = sql.indexOf('INSERT INTO `customers`');
      at >= 0;
      at = sql.indexOf('INSERT INTO `customers`', at + 1)
    ) {
      starts.push(at)
    }
    expect(starts.length).toBeGreaterThan(3)
    // Cut the third INSERT of customers right after one of its complete tuples: as it stands, it is valid SQL.
    const third = starts[2] as number
    const cut = sql.indexOf('),\n(', third + 2000) + 1
    const truncated = join(dir, 'truncated.sql')
    await writeFile(truncated, sql.subarray(0, cut))
    const firstId = Number(
      /^INSERT INTO `customers` VALUES\s*\((\d+),/.exec(sql.toString('utf8', third, third + 100))?.[1],
    )
    expect(firstId).toBeGreaterThan(1)

    const r = await load({ file: truncated, target: one('ld_trunc') })
    expect(r).toMatchObject({ status: 'failed', touched: true, error: { code: 'IncompleteDump' } })
    const [rows] = await root.query<mysql.RowDataPacket[]>(
      'SELECT COUNT(*) AS n, MAX(id) AS m FROM ld_trunc.customers',
    )
    expect(Number(rows[0]?.n)).toBe(firstId - 1)
    expect(Number(rows[0]?.m)).toBe(firstId - 1)

    const children: ChildProcess[] = []
    await expect(
      load({
        file: encrypted.file,
        key: 'not the key',
        target: one('ld_wrong_key'),
        parallel: 2,
        spawn: recordingSpawn(children),
      }),
    ).rejects.toMatchObject({ code: 'WrongKey' })
    expect(children).toEqual([])
    expect(await schemaExists('ld_wrong_key')).toBe(false)
  }, 240_000)

  it('native loader: a statement larger than one protocol packet (20 MB of binary bytes) arrives whole', async () => {
    const [was] = await root.query<mysql.RowDataPacket[]>('SELECT @@GLOBAL.max_allowed_packet AS v')
    await root.query('SET GLOBAL max_allowed_packet = 64 * 1024 * 1024')
    try {
      // Every byte value but the ones a string literal must escape, raw (not valid UTF-8): 20 MB in one
      // INSERT, more than one 16 MiB packet of the protocol.
      const alphabet = Buffer.from([...Array(256).keys()].filter((b) => ![0, 10, 13, 26, 39, 92].includes(b)))
      const blob = Buffer.alloc(20 << 20)
      for (let i = 0; i < blob.length; i++)
        blob[i] = alphabet[(i * 7 + (i >> 10)) % alphabet.length] as number
      const file = join(dir, 'big-statement.sql')
      await writeFile(
        file,
        Buffer.concat([
          Buffer.from(
            "CREATE TABLE big (id INT PRIMARY KEY, b LONGBLOB);\nINSERT INTO big VALUES (1, _binary'",
          ),
          blob,
          Buffer.from("');\n"),
        ]),
      )
      const r = await load({ file, target: one('ld_big'), loader: 'native' })
      expect(r).toMatchObject({ status: 'success', error: null })
      const [rows] = await root.query<mysql.RowDataPacket[]>(
        'SELECT LENGTH(b) AS n, MD5(b) AS h FROM ld_big.big',
      )
      expect(rows[0]).toEqual({ n: blob.length, h: createHash('md5').update(blob).digest('hex') })
    } finally {
      await root.query('SET GLOBAL max_allowed_packet = ?', [Number(was[0]?.v)])
    }
  }, 240_000)

  it('native loader: a session killed on the server stops the load, named with the server’s words', async () => {
    const ids = async (): Promise<number[]> => {
      const [rows] = await root.query<mysql.RowDataPacket[]>(
        `SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ? AND DB = 'ld_killed' ORDER BY ID`,
        [USER],
      )
      return rows.map((r) => Number(r.ID))
    }
    let killed: number | null = null
    let busy = false
    const result = await load({
      file: plain,
      target: one('ld_killed'),
      loader: 'native',
      parallel: 2,
      spillMemoryBytes: 0,
      // The reader waits for each block: once the sessions are being started, this one holds it until the
      // three are connected, kills one and waits until it is gone, so the load cannot end first.
      onSpillBlock: async () => {
        if (killed !== null || busy) return
        busy = true
        if ((await ids()).length > 0) {
          const now = await waitFor(
            async () => {
              const n = await ids()
              return n.length >= 3 && n
            },
            30_000,
            'the three sessions',
          )
          killed = now[1] as number
          await root.query(`KILL CONNECTION ${killed}`)
          await waitFor(async () => !(await ids()).includes(killed as number), 30_000, 'the kill')
        }
        busy = false
      },
    })
    expect(killed).not.toBeNull()
    expect(result).toMatchObject({ status: 'failed', touched: true, error: { code: 'SqlError' } })
    expect(result.error?.message).toMatch(/ERROR (1927|2013) \(\w+\)/)
    await waitFor(async () => (await ids()).length === 0, 30_000, 'the other sessions to close')
  }, 240_000)

  it('a missing client is a named error with advice, before anything is done on the server', async () => {
    await expect(
      load({ file: plain, target: one('ld_no_client'), clientBinary: '/nonexistent/mariadb' }),
    ).rejects.toMatchObject({
      code: 'ClientBinaryMissing',
      advice: { code: 'clientBinaryNotExecutable', params: { binary: '/nonexistent/mariadb' } },
    })
    expect(await schemaExists('ld_no_client')).toBe(false)
  })
})
