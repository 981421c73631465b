/**
 * Every kind of file a DBA may hand to restore, restored by the engine's runRestore into the private
 * mariadbd and compared with the source (CHECKSUM TABLE of every table and the counts of views, routines,
 * triggers and events):
 *
 * - our backups in every codec, encrypted and not, `_nodata`, and a `--filename backup.sql` that holds zstd
 *   + encryption (the codec comes from the content, never from the name alone);
 * - plain `.sql`, `.sql.gz`, `.sql.zst`, `.sql.xz` dumps made by mariadb-dump and the system's compressors;
 * - sfDBTools' containers: V3 (with gzip inside, its grouped metadata and a `_dmart` companion), V2 chunked
 *   (100,000 iterations), V1 single-shot and the predecessor's headerless L0 — written with the test
 *   crafters whose readers are proven byte for byte against the real vectors (test/unit/crypto);
 * - the real sfDBTools vectors, whose plaintexts are cut dumps: each is a named error and the server is not
 *   touched (files this small are read end to end first).
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { promisify } from 'node:util'
import { gzipSync } from 'node:zlib'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { CompressionType } from '../../shared/backup-types.ts'
import type { ConnectionSettings } from '../../shared/job-protocol.ts'
import type { RestoreItem, RestorePlan, RestoreResult } from '../../shared/restore-types.ts'
import { engineBackup } from '../harness/engine-backup.ts'
import { encryptSingleShot } from '../../electron/engine/crypto/single-shot.ts'
import { describeBackup } from '../../electron/engine/restore/run/describe-backup.ts'
import { runRestore } from '../../electron/engine/restore/run/run-restore.ts'
import { trickyPassword } from '../harness/backup-user.ts'
import { createSampleDatabase, fingerprint, type DatabaseFingerprint } from '../harness/fixtures.ts'
import { connectRoot } from '../harness/mariadb.ts'
import { craftChunked, sealLegacyL0 } from '../unit/crypto/craft.ts'

const execFileAsync = promisify(execFile)
const server = inject('mariadb')
const SOURCE = 'rf_src'
const DMART = 'rf_src_dmart'
const USER = 'rf_user'
const KEY = 'formats key ✓ with spaces'
const VECTORS = join(import.meta.dirname, '../fixtures/sfdbtools')
const CODECS: CompressionType[] = ['gzip', 'pgzip', 'zlib', 'zstd', 'xz', 'none']

describe('restore: every backup format back into the server', () => {
  let root: mysql.Connection
  let connection: ConnectionSettings
  let source: DatabaseFingerprint
  let dmartSource: DatabaseFingerprint
  let dir: string
  let plainSql: Buffer
  let n = 0

  const backup = async (
    name: string,
    compression: CompressionType,
    key: string | null,
    more: { excludeData?: boolean; fileName?: string; database?: string } = {},
  ): Promise<string> => {
    const { file } = await engineBackup({
      connection,
      database: more.database ?? SOURCE,
      dir,
      name,
      compression,
      key,
      ...(more.excludeData ? { excludeData: true } : {}),
      ...(more.fileName ? { fileName: more.fileName } : {}),
    })
    return file
  }

  const plan = (items: RestoreItem[]): RestorePlan => ({
    mode: 'single',
    ticket: 'FORMATS-1',
    profileName: 'formats',
    connection,
    clientBinary: null,
    items,
    dropTarget: false,
    preBackup: null,
    parallel: 1,
    force: false,
    skipGrants: true,
    verifyFirst: false,
    logDir: join(dir, 'logs'),
  })
  const item = (file: string, key: string | null, target: string): RestoreItem => ({
    file,
    key,
    target,
    excludeDatabases: [],
    sourceDatabase: null,
    totalSqlBytes: null,
    totalTables: null,
    grantsFile: null,
  })
  const restoreOne = async (
    file: string,
    key: string | null,
  ): Promise<{ db: string; result: RestoreResult }> => {
    const db = `rf_t${++n}`
    const result = await runRestore(plan([item(file, key, db)]), { signal: new AbortController().signal })
    return { db, result }
  }
  const exists = async (db: string): Promise<boolean> => {
    const [rows] = await root.query<mysql.RowDataPacket[]>(
      'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [db],
    )
    return rows.length > 0
  }

  beforeAll(async () => {
    root = await connectRoot(server)
    dir = await mkdtemp(join(tmpdir(), 'sfdb-restore-formats-'))
    const password = trickyPassword()
    await root.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await root.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [USER, password])
    await root.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'127.0.0.1'`, [USER])
    connection = { host: server.host, port: server.port, user: USER, password }
    await createSampleDatabase(root, SOURCE, { rows: 300 })
    await createSampleDatabase(root, DMART, { rows: 40 })
    source = await fingerprint(root, SOURCE)
    dmartSource = await fingerprint(root, DMART)
    // A plain dump as another tool makes it: mariadb-dump with its own defaults.
    const dump = await execFileAsync(
      'mariadb-dump',
      [
        '--no-defaults',
        `--socket=${server.socket}`,
        '--user=root',
        '--routines',
        '--events',
        '--triggers',
        '--single-transaction',
        SOURCE,
      ],
      // The throwaway server's root password, as the harness's own client calls pass it.
      { encoding: 'buffer', maxBuffer: 1 << 28, env: { ...process.env, MYSQL_PWD: server.rootPassword } },
    )
    plainSql = dump.stdout
  }, 120_000)

  afterAll(async () => {
    const [rows] = await root.query<mysql.RowDataPacket[]>(
      `SELECT SCHEMA_NAME AS db FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'rf\\_%'`,
    )
    for (const r of rows) await root.query(`DROP DATABASE \`${String(r.db)}\``)
    await root.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await root.end()
  })

  for (const codec of CODECS) {
    for (const key of [KEY, null]) {
      it(`our backup, ${codec}${key ? ' + encrypted' : ''}: equal to the source`, async () => {
        const file = await backup(`ours-${codec}-${key ? 'enc' : 'plain'}`, codec, key)
        const described = await describeBackup(file)
        expect(described).toMatchObject({ sourceDatabase: SOURCE, encrypted: key !== null })
        expect(described.compression).toBe(codec === 'pgzip' ? described.compression : codec)
        const { db, result } = await restoreOne(file, key)
        expect(result.status, JSON.stringify(result.items[0]?.error)).toBe('success')
        expect(await fingerprint(root, db)).toEqual(source)
      })
    }
  }

  it('a --filename backup.sql that holds zstd + encryption: the content decides, not the name', async () => {
    const file = await backup('misnamed', 'zstd', KEY, { fileName: 'backup.sql' })
    expect(basename(file)).toBe('backup.sql')
    const described = await describeBackup(file)
    expect(described).toMatchObject({ encrypted: true, compression: 'zstd' })
    expect(described.compressionFrom).not.toBe('name')
    const { db, result } = await restoreOne(file, KEY)
    expect(result.status).toBe('success')
    expect(await fingerprint(root, db)).toEqual(source)
  })

  it('a _nodata backup restores the structure and no rows', async () => {
    const file = await backup('nodata', 'zstd', KEY, { excludeData: true })
    expect(basename(file)).toContain('_nodata')
    const { db, result } = await restoreOne(file, KEY)
    expect(result.status).toBe('success')
    const restored = await fingerprint(root, db)
    expect(restored.counts).toEqual(source.counts)
    for (const table of Object.keys(source.checksums)) {
      const [rows] = await root.query<mysql.RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM \`${db}\`.\`${table}\``,
      )
      expect(Number(rows[0]?.n), table).toBe(0)
    }
  })

  const compressors: [string, string[]][] = [
    ['sql', []],
    ['sql.gz', ['gzip', '-c']],
    ['sql.zst', ['zstd', '-q', '-c']],
    ['sql.xz', ['xz', '-c']],
  ]
  for (const [ext, cmd] of compressors) {
    it(`a plain mariadb-dump file (.${ext}) made by other tools`, async () => {
      const path = join(dir, `other-tool.${ext}`)
      await writeFile(path, plainSql)
      if (cmd.length > 0) {
        const [program, ...args] = cmd as [string, ...string[]]
        const out = await execFileAsync(program, [...args, path], { encoding: 'buffer', maxBuffer: 1 << 28 })
        await writeFile(path, out.stdout)
      }
      const { db, result } = await restoreOne(path, null)
      expect(result.status, JSON.stringify(result.items[0]?.error)).toBe('success')
      expect(await fingerprint(root, db)).toEqual(source)
    })
  }

  it('sfDBTools V3 with gzip inside, its grouped metadata and the _dmart companion it names', async () => {
    const pkg = join(dir, 'sfdbtools-primary')
    await mkdir(pkg)
    const mainName = `${SOURCE}_20260127_030001_mariadb-prod-02.sql.gz.enc`
    const dmartName = `${DMART}_20260127_040204_mariadb-prod-02.sql.gz.enc`
    const dmartDump = await backup('dmart-src', 'none', null, { database: DMART })
    const v3 = async (sql: Buffer, out: string): Promise<void> => {
      const gz = gzipSync(sql, { level: 5 })
      const { createEncryptStream } = await import('../../electron/engine/crypto/chunked-encrypt.ts')
      const enc = createEncryptStream(KEY)
      const chunks: Buffer[] = []
      enc.on('data', (c: Buffer) => chunks.push(c))
      const done = new Promise((resolve) => enc.on('end', resolve))
      enc.end(gz)
      await done
      await writeFile(out, Buffer.concat(chunks))
    }
    await v3(plainSql, join(pkg, mainName))
    await v3(readFileSync(dmartDump), join(pkg, dmartName))
    const sample = JSON.parse(
      await readFile(
        join(VECTORS, 'samples/dbsf_nbc_acme_20260127_030001_mariadb-prod-02.sql.gz.enc.meta.json'),
        'utf8',
      ),
    ) as Record<string, unknown>
    const meta = JSON.parse(
      JSON.stringify(sample).replaceAll('dbsf_nbc_acme_dmart', DMART).replaceAll('dbsf_nbc_acme', SOURCE),
    ) as { file: { size_bytes: number }; database_details: { backup_file: string }[] }
    // sfDBTools records where it wrote (another machine's folder): the catalog looks beside the metadata.
    meta.database_details[1]!.backup_file = `/media/ArchiveDB/20260127/${dmartName}`
    await writeFile(join(pkg, `${mainName}.meta.json`), JSON.stringify(meta, null, 2))

    const described = await describeBackup(join(pkg, mainName))
    expect(described).toMatchObject({
      sourceDatabase: SOURCE,
      encrypted: true,
      compression: 'gzip',
      dmartCompanion: join(pkg, dmartName),
    })
    const result = await runRestore(
      plan([item(join(pkg, mainName), KEY, 'rf_pkg'), item(join(pkg, dmartName), KEY, 'rf_pkg_dmart')]),
      { signal: new AbortController().signal },
    )
    expect(result.status).toBe('success')
    expect(await fingerprint(root, 'rf_pkg')).toEqual(source)
    expect(await fingerprint(root, 'rf_pkg_dmart')).toEqual(dmartSource)
  })

  it('sfDBTools V2 chunked (100,000 iterations), V1 single-shot and the headerless L0', async () => {
    const chunks: Buffer[] = []
    for (let at = 0; at < plainSql.length; at += 65_536) chunks.push(plainSql.subarray(at, at + 65_536))
    const files: [string, Buffer][] = [
      [
        `${SOURCE}_20251201_010101_legacy.sql.enc`,
        craftChunked(KEY, 100_000, Buffer.alloc(8, 7), Buffer.alloc(12, 9), chunks),
      ],
      [
        `${SOURCE}_20251101_010101_v1.sql.enc`,
        await encryptSingleShot(plainSql, KEY, { iterations: 100_000 }),
      ],
      [`${SOURCE}_20250901_010101_l0.sql.enc`, sealLegacyL0(plainSql, KEY, Buffer.alloc(12, 3))],
    ]
    for (const [name, bytes] of files) {
      const path = join(dir, name)
      await writeFile(path, bytes)
      expect((await describeBackup(path)).sourceDatabase).toBe(SOURCE)
      const { db, result } = await restoreOne(path, KEY)
      expect(result.status, `${name}: ${JSON.stringify(result.items[0]?.error)}`).toBe('success')
      expect(await fingerprint(root, db)).toEqual(source)
    }
  })

  it('the real sfDBTools vectors (cut dumps) are named errors and leave the server untouched', async () => {
    const manifest = JSON.parse(await readFile(join(VECTORS, 'manifest.json'), 'utf8')) as {
      vectors: { name: string; kind: string; passphrase: string; plaintext_length: number }[]
    }
    // The dump-shaped vectors (a mariadb-dump header, cut at a fixed length); the empty and one-byte (";")
    // ones are not dumps.
    const dumps = manifest.vectors.filter((v) => v.kind === 'backup-dump' && v.plaintext_length > 1000)
    expect(dumps.map((v) => v.name).sort()).toEqual([
      'l0_legacy_headerless.sql.enc',
      'v1_single_shot_100k.sql.enc',
      'v2_chunked_100k_150000.sql.enc',
      'v3_exactly_one_chunk_65536.sql.enc',
      'v3_gzip_300k.sql.gz.enc',
      'v3_one_chunk_plus_one_65537.sql.enc',
    ])
    for (const v of dumps) {
      const path = join(dir, v.name)
      await copyFile(join(VECTORS, v.name), path)
      const { db, result } = await restoreOne(path, v.passphrase)
      const error = result.items[0]?.error
      expect(result.status, v.name).toBe('failed')
      // Small files are read end to end before the server is touched: the cut is found there.
      expect(['IncompleteDump', 'CorruptFile'], `${v.name}: ${JSON.stringify(error)}`).toContain(error?.code)
      expect(await exists(db), v.name).toBe(false)
    }
  })
})
