/**
 * The restore orchestrator (electron/engine/restore/run): describeBackup, planRestore (the dry-run) and
 * runRestore, against the private mariadbd with backups made by the engine's own runBackup and the real
 * mariadb-dump / mariadb client, and the sfDBTools fixtures.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, readFile, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { CompressionType, TargetResult } from '../../shared/backup-types.ts'
import type { ConnectionSettings } from '../../shared/job-protocol.ts'
import type {
  RestoreItem,
  RestorePlan,
  RestoreProgressView,
  RestoreResult,
} from '../../shared/restore-types.ts'
import { restoreResultSchema } from '../../shared/restore-types.ts'
import { metadataPathOf } from '../../electron/engine/backup/metadata.ts'
import { planBackup } from '../../electron/engine/backup/plan-backup.ts'
import { runBackup } from '../../electron/engine/backup/run-backup.ts'
import { engineBackup } from '../harness/engine-backup.ts'
import { describeBackup } from '../../electron/engine/restore/run/describe-backup.ts'
import { planRestore } from '../../electron/engine/restore/run/plan-restore.ts'
import { runRestore } from '../../electron/engine/restore/run/run-restore.ts'
import { trickyPassword } from '../harness/backup-user.ts'
import {
  createEmptyDatabase,
  createSampleDatabase,
  fingerprint,
  type DatabaseFingerprint,
} from '../harness/fixtures.ts'
import { connectRoot, freePort } from '../harness/mariadb.ts'
import { waitFor } from '../harness/processes.ts'

const SOURCE = 'rr_src'
const USER = 'rr_user'
const KEY = 'restore run key ünï & spaces'
const FIXTURES = join(import.meta.dirname, '../fixtures/sfdbtools')
const server = inject('mariadb')

describe('restore orchestrator: describe, dry-run, run', () => {
  let root: mysql.Connection
  let connection: ConnectionSettings
  let password: string
  let source: DatabaseFingerprint
  let dir: string
  let hostname: string
  const backups = new Map<string, TargetResult>()

  const backup = async (
    name: string,
    compression: CompressionType,
    key: string | null,
    over: { fileName?: string; excludeUser?: boolean } = {},
  ): Promise<TargetResult> => {
    const target = await engineBackup({
      connection,
      database: SOURCE,
      dir,
      name,
      compression,
      key,
      includeUsers: over.excludeUser === false,
      ...(over.fileName ? { fileName: over.fileName } : {}),
    })
    backups.set(name, target)
    return target
  }
  const file = (name: string): string => backups.get(name)?.file ?? ''
  const vectorKey = (name: string): string => {
    const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as {
      vectors: { name: string; passphrase: string }[]
    }
    const v = manifest.vectors.find((x) => x.name === name)
    if (!v) throw new Error(`no vector ${name}`)
    return v.passphrase
  }

  const schemata = async (): Promise<string[]> => {
    const [rows] = await root.query<mysql.RowDataPacket[]>(
      'SELECT SCHEMA_NAME AS s FROM information_schema.SCHEMATA ORDER BY 1',
    )
    return rows.map((r) => String(r.s))
  }
  const exists = async (db: string): Promise<boolean> => (await schemata()).includes(db)

  const item = (over: Partial<RestoreItem> & Pick<RestoreItem, 'file'>): RestoreItem => ({
    key: null,
    target: null,
    excludeDatabases: [],
    sourceDatabase: SOURCE,
    totalSqlBytes: null,
    totalTables: null,
    grantsFile: null,
    ...over,
  })
  const restorePlan = (items: RestoreItem[], over: Partial<RestorePlan> = {}): RestorePlan => ({
    mode: 'single',
    ticket: 'RST-1',
    profileName: 'rr',
    connection,
    clientBinary: null,
    items,
    dropTarget: false,
    preBackup: null,
    parallel: 1,
    force: false,
    skipGrants: false,
    verifyFirst: false,
    logDir: join(dir, 'logs'),
    ...over,
  })
  const preBackup = (sub: string): RestorePlan['preBackup'] => ({
    outputDir: join(dir, sub),
    compression: { type: 'zstd', level: 3 },
    encryptionKey: KEY,
    dumpBinary: null,
  })
  const run = (
    plan: RestorePlan,
    onProgress?: (p: RestoreProgressView) => void,
    signal = new AbortController().signal,
  ) => runRestore(plan, { signal, ...(onProgress ? { onProgress } : {}) })

  beforeAll(async () => {
    root = await connectRoot(server)
    dir = await mkdtemp(join(tmpdir(), 'sfdb-restore-run-'))
    password = trickyPassword()
    await root.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await root.query(`CREATE USER ?@'127.0.0.1' IDENTIFIED BY ?`, [USER, password])
    await root.query(`GRANT ALL PRIVILEGES ON *.* TO ?@'127.0.0.1' WITH GRANT OPTION`, [USER])
    connection = { host: server.host, port: server.port, user: USER, password }
    await createSampleDatabase(root, SOURCE, { rows: 300 })
    source = await fingerprint(root, SOURCE)
    const [h] = await root.query<mysql.RowDataPacket[]>('SELECT @@hostname AS h')
    hostname = String(h[0]?.h)
    for (const c of ['none', 'gzip', 'zstd', 'xz', 'zlib'] as const) {
      await backup(`${c}-plain`, c, null)
      await backup(`${c}-enc`, c, KEY)
    }
    await backup('named', 'zstd', KEY, { fileName: 'backup.sql' })
  }, 240_000)

  afterAll(async () => {
    const [rows] = await root.query<mysql.RowDataPacket[]>(
      `SELECT SCHEMA_NAME AS db FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'rr\\_%'`,
    )
    for (const r of rows) await root.query(`DROP DATABASE \`${String(r.db)}\``)
    await root.query(`DROP USER IF EXISTS ?@'127.0.0.1'`, [USER])
    await root.query(`DROP USER IF EXISTS 'rg_new'@'%', 'rg_old'@'%', 'rg_sf'@'%'`)
    await root.end()
  })

  describe('describeBackup', () => {
    it('our backups, every codec, encrypted or not: layers, database, sizes and server from the metadata', async () => {
      for (const c of ['none', 'gzip', 'zstd', 'xz', 'zlib'] as const) {
        for (const enc of [false, true]) {
          const t = backups.get(`${c}-${enc ? 'enc' : 'plain'}`)
          const d = await describeBackup(t?.file ?? '')
          expect(d, `${c} ${enc}`).toMatchObject({
            metaPath: `${t?.file}.meta.json`,
            sourceDatabase: SOURCE,
            databases: [SOURCE],
            type: 'single',
            encrypted: enc,
            compression: c,
            compressionFrom: 'metadata',
            totalSqlBytes: t?.sqlBytes,
            sizeBytes: t?.bytes,
            grantsFile: null,
            dmartCompanion: null,
            host: server.host,
            port: server.port,
          })
        }
      }
    })

    it('a --filename backup.sql that holds zstd + encryption is described as what it is', async () => {
      expect(basename(file('named'))).toBe('backup.sql')
      expect(await describeBackup(file('named'))).toMatchObject({
        encrypted: true,
        compression: 'zstd',
        compressionFrom: 'metadata',
        sourceDatabase: SOURCE,
      })
      // Without its metadata: the key lets the content speak; an unencrypted zstd under a .sql name too.
      const bare = join(dir, 'bare')
      await mkdir(bare, { recursive: true })
      await copyFile(file('named'), join(bare, 'backup.sql'))
      await copyFile(file('zstd-plain'), join(bare, 'other.sql'))
      expect(await describeBackup(join(bare, 'backup.sql'), { key: KEY })).toMatchObject({
        metaPath: null,
        encrypted: true,
        compression: 'zstd',
        compressionFrom: 'content',
        // sfDBTools' rule: `backup` ends the database part of a name, nothing is left.
        sourceDatabase: null,
      })
      expect(await describeBackup(join(bare, 'other.sql'))).toMatchObject({
        encrypted: false,
        compression: 'zstd',
        compressionFrom: 'content',
      })
    })

    it("sfDBTools' grouped metadata: primary with its _dmart companion from database_details, and _users.sql", async () => {
      const d = join(dir, 'sfdb-grouped')
      await mkdir(d)
      const name = 'dbsf_nbc_acme_20260127_030001_mariadb-prod-02.sql.gz.enc'
      await copyFile(join(FIXTURES, 'v3_gzip_300k.sql.gz.enc'), join(d, name))
      await copyFile(join(FIXTURES, 'samples', `${name}.meta.json`), join(d, `${name}.meta.json`))
      const dmart = join(d, 'dbsf_nbc_acme_dmart_20260127_040204_mariadb-prod-02.sql.gz.enc')
      await writeFile(dmart, 'x')
      await writeFile(
        join(d, 'dbsf_nbc_acme_20260127_030001_mariadb-prod-02_users.sql'),
        '-- User Grants Export\n',
      )
      expect(await describeBackup(join(d, name))).toMatchObject({
        sourceDatabase: 'dbsf_nbc_acme',
        databases: ['dbsf_nbc_acme', 'dbsf_nbc_acme_dmart'],
        type: 'primary',
        encrypted: true,
        compression: 'gzip',
        compressionFrom: 'metadata',
        dmartCompanion: dmart,
        grantsFile: join(d, 'dbsf_nbc_acme_20260127_030001_mariadb-prod-02_users.sql'),
        host: '10.20.30.40',
        port: 3306,
        hostname: 'mariadb-prod-02',
      })
      const all = 'all_mariadb-prod-02_20260127_021505_4db.sql.zst.enc'
      await copyFile(join(FIXTURES, 'v3_one_byte.sql.enc'), join(d, all))
      await copyFile(join(FIXTURES, 'samples', `${all}.meta.json`), join(d, `${all}.meta.json`))
      expect(await describeBackup(join(d, all))).toMatchObject({
        sourceDatabase: null,
        type: 'all',
        databases: ['dbsf_nbc_alpha', 'dbsf_nbc_beta', 'dbsf_nbc_beta_dmart', 'dbsf_biznet_gamma'],
        compression: 'zstd',
        dmartCompanion: null,
      })
    })

    it("sfDBTools' flat metadata, and files without metadata: database from the name, _dmart sibling", async () => {
      const d = join(dir, 'sfdb-flat')
      await mkdir(d)
      const name = 'shop_20251101_010203_db-host.sql.gz.enc'
      await copyFile(join(FIXTURES, 'v3_gzip_300k.sql.gz.enc'), join(d, name))
      await writeFile(
        join(d, `${name}.meta.json`),
        JSON.stringify({
          backup_file: `/old/place/${name}`,
          database_names: ['shop'],
          backup_type: 'single',
          compressed: true,
          compression_type: 'gzip',
          encrypted: true,
          source_host: 'db.example',
          source_port: 3307,
        }),
      )
      expect(await describeBackup(join(d, name))).toMatchObject({
        sourceDatabase: 'shop',
        compression: 'gzip',
        compressionFrom: 'metadata',
        host: 'db.example',
        port: 3307,
      })
      const plain = 'acme_20260127_030001_h1.sql.gz'
      await copyFile(join(dir, 'gzip-plain', basename(file('gzip-plain'))), join(d, plain))
      await copyFile(
        join(dir, 'gzip-plain', basename(file('gzip-plain'))),
        join(d, 'acme_dmart_20260127_030001_h1.sql.gz'),
      )
      expect(await describeBackup(join(d, plain))).toMatchObject({
        metaPath: null,
        sourceDatabase: 'acme',
        compression: 'gzip',
        compressionFrom: 'content',
        dmartCompanion: join(d, 'acme_dmart_20260127_030001_h1.sql.gz'),
        host: null,
      })
    })
  })

  describe('planRestore (dry-run)', () => {
    it('create / load / replace / refuse, pre-restore names, same server, client command — and creates nothing', async () => {
      await createEmptyDatabase(root, 'rr_empty')
      await createSampleDatabase(root, 'rr_full', { rows: 20 })
      const before = await schemata()
      const now = new Date(2026, 1, 3, 4, 5, 6)
      const items = [
        item({ file: file('zstd-enc'), key: KEY, target: 'rr_new' }),
        item({ file: file('zstd-enc'), key: KEY, target: 'rr_empty' }),
        item({ file: file('zstd-enc'), key: KEY, target: 'rr_full' }),
      ]
      const refused = await planRestore(restorePlan(items), { now })
      expect(refused.items.map((i) => i.targets[0]?.action)).toEqual(['create', 'load', 'refuse'])
      expect(refused.items[2]?.targets[0]).toMatchObject({ database: 'rr_full', exists: true, tables: 5 })
      expect(refused.problems).toHaveLength(1)
      expect(refused.problems[0]).toMatchObject({
        code: 'TargetNotEmpty',
        message: expect.stringMatching(/rr_full exists with 5 tables \(.+\)/),
        advice: { code: 'targetNotEmpty', params: { database: 'rr_full', tables: 5 } },
      })
      expect(refused.sameServer).toBe(false)
      expect(refused.items[0]).toMatchObject({ encrypted: true, compression: 'zstd', sourceDatabase: SOURCE })

      const replaced = await planRestore(
        restorePlan(items, { dropTarget: true, preBackup: preBackup('pre-plan') }),
        { now },
      )
      expect(replaced.problems).toEqual([])
      expect(replaced.items[2]?.targets[0]).toMatchObject({
        action: 'replace',
        preRestoreBackup: join(
          dir,
          'pre-plan',
          `rr_full_20260203_040506_${hostname}_pre_restore.sql.zst.enc`,
        ),
      })
      expect(replaced.items[0]?.targets[0]?.preRestoreBackup).toBeNull()
      // The default loader speaks the protocol: no client program; a configured client is the command.
      expect(replaced.clientCommand).toMatch(/^built-in loader: one connection over the MySQL protocol as /)
      expect(replaced.clientCommand).not.toContain(password)
      const viaClient = await planRestore(
        restorePlan([item({ file: file('gzip-plain'), target: 'rr_new' })], { loader: 'client' }),
      )
      expect(viaClient.clientCommand).toMatch(
        /^\S*(mariadb|mysql) --defaults-extra-file=<private defaults FIFO> .*--binary-mode .*-- rr_new$/,
      )
      expect(viaClient.clientCommand).not.toContain(password)
      expect(JSON.stringify(replaced)).not.toContain(KEY)

      const same = await planRestore(
        restorePlan([item({ file: file('gzip-plain'), target: SOURCE })], { dropTarget: true }),
      )
      expect(same.sameServer).toBe(true)
      expect(same.items[0]).toMatchObject({
        compressionFrom: 'metadata',
        totalSqlBytes: backups.get('gzip-plain')?.sqlBytes,
      })
      expect(await schemata()).toEqual(before)
      expect(existsSync(join(dir, 'pre-plan'))).toBe(false)
    })
  })

  describe('runRestore', () => {
    it('refuses a non-empty target without dropTarget, naming database, size and tables; touches nothing', async () => {
      await createSampleDatabase(root, 'rr_keep', { rows: 30 })
      const kept = await fingerprint(root, 'rr_keep')
      const result = await run(
        restorePlan([item({ file: file('gzip-plain'), target: 'rr_keep' })], {
          preBackup: preBackup('pre-refuse'),
        }),
      )
      expect(result).toMatchObject({ ok: false, status: 'failed' })
      expect(result.items[0]).toMatchObject({
        status: 'failed',
        partlyRestored: false,
        preRestoreBackup: null,
        droppedDatabases: [],
        error: {
          code: 'TargetNotEmpty',
          message: expect.stringMatching(/rr_keep exists with 5 tables \(\d/),
          advice: {
            code: 'targetNotEmpty',
            params: { database: 'rr_keep', tables: 5, sizeBytes: expect.any(Number) },
          },
        },
      })
      expect(await fingerprint(root, 'rr_keep')).toEqual(kept)
      expect(existsSync(join(dir, 'pre-refuse'))).toBe(false)
    })

    it('a pre-restore backup name taken in the same second: the next free name, the taken file untouched', async () => {
      await createSampleDatabase(root, 'rr_twice', { rows: 10 })
      // Taken names for this second and the next 30 (a slow machine may start the pre-backup later).
      const out = join(dir, 'pre-twice')
      await mkdir(out, { recursive: true })
      const p2 = (n: number): string => String(n).padStart(2, '0')
      const taken: string[] = []
      for (let s = 0; s <= 30; s++) {
        const d = new Date(Date.now() + s * 1000)
        const stamp = `${d.getFullYear()}${p2(d.getMonth() + 1)}${p2(d.getDate())}_${p2(d.getHours())}${p2(d.getMinutes())}${p2(d.getSeconds())}`
        const name = join(out, `rr_twice_${stamp}_${hostname}_pre_restore.sql.zst.enc`)
        await writeFile(name, 'an earlier pre-restore backup')
        taken.push(name)
      }
      const result = await run(
        restorePlan([item({ file: file('xz-enc'), key: KEY, target: 'rr_twice' })], {
          dropTarget: true,
          preBackup: preBackup('pre-twice'),
        }),
      )
      expect(result.status).toBe('success')
      const made = result.items[0]?.preRestoreBackup ?? ''
      expect(made).toMatch(
        new RegExp(`/pre-twice/rr_twice_\\d{8}_\\d{6}_${hostname}_pre_restore_2\\.sql\\.zst\\.enc$`),
      )
      expect(taken).toContain(made.replace('_pre_restore_2.', '_pre_restore.'))
      for (const name of taken) expect(await readFile(name, 'utf8')).toBe('an earlier pre-restore backup')
      await root.query('DROP DATABASE IF EXISTS rr_twice')
    })

    it('with dropTarget: pre-restore backup, replace, log beside the backup; the pre-restore backup undoes it', async () => {
      await createSampleDatabase(root, 'rr_replace', { rows: 40 })
      const previous = await fingerprint(root, 'rr_replace')
      const phases = new Set<string>()
      const result = await run(
        restorePlan([item({ file: file('xz-enc'), key: KEY, target: 'rr_replace' })], {
          dropTarget: true,
          preBackup: preBackup('pre-replace'),
        }),
        (p) => phases.add(p.phase),
      )
      expect(result.status).toBe('success')
      const r = result.items[0]
      expect(r).toMatchObject({
        status: 'success',
        partlyRestored: false,
        droppedDatabases: ['rr_replace'],
        // Replaced, not created: it existed before the restore.
        createdDatabases: [],
        compression: 'xz',
        encrypted: true,
        sqlBytes: backups.get('xz-enc')?.sqlBytes,
        error: null,
      })
      expect(r?.preRestoreBackup).toMatch(
        new RegExp(`/pre-replace/rr_replace_\\d{8}_\\d{6}_${hostname}_pre_restore\\.sql\\.zst\\.enc$`),
      )
      expect(existsSync(r?.preRestoreBackup ?? '')).toBe(true)
      expect(r?.undo).toBe(
        `sfdbtools restore single ${r?.preRestoreBackup} --target-db rr_replace --drop-target --ticket RST-1`,
      )
      expect([...phases]).toEqual(expect.arrayContaining(['inspect', 'pre-backup', 'drop', 'load', 'done']))
      expect(await fingerprint(root, 'rr_replace')).toEqual(source)
      // The log: beside the backup, the result itself, no secret.
      expect(result.logFile).toMatch(
        new RegExp(`^${join(dir, 'xz-enc')}/.+\\.restore-\\d{8}_\\d{6}(_\\d+)?\\.json$`),
      )
      const log = await readFile(result.logFile ?? '', 'utf8')
      expect(restoreResultSchema.parse(JSON.parse(log))).toMatchObject({
        status: 'success',
        logFile: result.logFile,
      })
      expect(log).not.toContain(KEY)
      expect(log).not.toContain(password)

      const undo = await run(
        restorePlan([item({ file: r?.preRestoreBackup ?? '', key: KEY, target: 'rr_replace' })], {
          dropTarget: true,
        }),
      )
      expect(undo.status).toBe('success')
      expect(await fingerprint(root, 'rr_replace')).toEqual(previous)
    })

    it('a wrong key and a truncated file are named errors and nothing is done on the server', async () => {
      await createSampleDatabase(root, 'rr_intact', { rows: 25 })
      await mkdir(join(dir, 'bare'), { recursive: true })
      const intact = await fingerprint(root, 'rr_intact')
      const truncatedZstd = join(dir, 'bare', 'truncated.sql.zst')
      await copyFile(file('zstd-plain'), truncatedZstd)
      await truncate(truncatedZstd, Math.floor((backups.get('zstd-plain')?.bytes ?? 0) * 0.7))
      // Cut in its second 64 KiB chunk: the first proves the key, so the container is damaged.
      const truncatedEnc = join(dir, 'bare', 'truncated.sql.enc')
      await copyFile(file('none-enc'), truncatedEnc)
      expect(backups.get('none-enc')?.bytes).toBeGreaterThan(80_000)
      await truncate(truncatedEnc, 70_000)
      const truncatedSql = join(dir, 'bare', 'truncated.sql')
      await copyFile(file('none-plain'), truncatedSql)
      await truncate(truncatedSql, Math.floor((backups.get('none-plain')?.bytes ?? 0) * 0.8))
      // Copies: a restore writes its log beside the backup, and the fixtures folder stays as it is.
      for (const name of ['v1_single_shot_100k.sql.enc', 'v2_chunked_100k_150000.sql.enc'])
        await copyFile(join(FIXTURES, name), join(dir, 'bare', name))
      const cases: [RestoreItem, string][] = [
        [item({ file: file('zstd-enc'), key: 'not the key', target: 'rr_wrong' }), 'WrongKey'],
        [item({ file: file('zstd-enc'), key: 'not the key', target: 'rr_intact' }), 'WrongKey'],
        [item({ file: truncatedZstd, target: 'rr_intact' }), 'CorruptFile'],
        [item({ file: truncatedEnc, key: KEY, target: 'rr_intact' }), 'CorruptFile'],
        [item({ file: truncatedSql, target: 'rr_intact' }), 'IncompleteDump'],
        // sfDBTools' V1 and V2 vectors hold the first 20,000 / 150,000 bytes of real dumps: cut mid-INSERT.
        [
          item({
            file: join(dir, 'bare', 'v1_single_shot_100k.sql.enc'),
            key: vectorKey('v1_single_shot_100k.sql.enc'),
            target: 'rr_intact',
          }),
          'IncompleteDump',
        ],
        [
          item({
            file: join(dir, 'bare', 'v2_chunked_100k_150000.sql.enc'),
            key: vectorKey('v2_chunked_100k_150000.sql.enc'),
            target: 'rr_intact',
          }),
          'IncompleteDump',
        ],
      ]
      for (const [it, code] of cases) {
        const result = await run(restorePlan([it], { dropTarget: true, preBackup: preBackup('pre-bad') }))
        expect(result.items[0], `${it.file} → ${it.target}`).toMatchObject({
          status: 'failed',
          partlyRestored: false,
          droppedDatabases: [],
          preRestoreBackup: null,
          error: { code },
        })
      }
      expect(await exists('rr_wrong')).toBe(false)
      expect(await fingerprint(root, 'rr_intact')).toEqual(intact)
      expect(existsSync(join(dir, 'pre-bad'))).toBe(false)
    })

    it('a file whose metadata records its sha256 is checked by it; --verify-first reads every layer', async () => {
      await createSampleDatabase(root, 'rr_intact2', { rows: 25 })
      const intact = await fingerprint(root, 'rr_intact2')
      const shaDir = join(dir, 'sha')
      await mkdir(shaDir, { recursive: true })
      const copy = async (name: string): Promise<string> => {
        const to = join(shaDir, name)
        await copyFile(file('zstd-enc'), to)
        await copyFile(metadataPathOf(file('zstd-enc')), metadataPathOf(to))
        return to
      }
      const good = await copy('good.sql.zst.enc')
      // One byte changed deep in the file, the size kept: only the whole file's checksum sees it first.
      const bad = await copy('bad.sql.zst.enc')
      const bytes = await readFile(bad)
      const at = Math.floor(bytes.length * 0.9)
      bytes[at] = (bytes[at] ?? 0) ^ 0xff
      await writeFile(bad, bytes)
      const logged = async (plan: RestorePlan): Promise<[RestoreResult, string]> => {
        const lines: string[] = []
        const result = await runRestore(plan, {
          signal: new AbortController().signal,
          onLog: (_l, m) => lines.push(m),
        })
        return [result, lines.join('\n')]
      }
      const [failed] = await logged(
        restorePlan([item({ file: bad, key: KEY, target: 'rr_intact2' })], { dropTarget: true }),
      )
      expect(failed.items[0]).toMatchObject({
        status: 'failed',
        partlyRestored: false,
        droppedDatabases: [],
        error: { code: 'ChecksumMismatch' },
      })
      expect(await fingerprint(root, 'rr_intact2')).toEqual(intact)

      const [byChecksum, log] = await logged(restorePlan([item({ file: good, key: KEY, target: 'rr_sha1' })]))
      expect(byChecksum.status).toBe('success')
      expect(log).toContain('its sha256 matches the one recorded in its metadata')
      expect(log).not.toMatch(/bytes of SQL; sha256/)
      const [full, fullLog] = await logged(
        restorePlan([item({ file: good, key: KEY, target: 'rr_sha2' })], { verifyFirst: true }),
      )
      expect(full.status).toBe('success')
      expect(fullLog).toMatch(/read whole \(\d+ bytes of SQL; sha256, trailer\)/)
      expect(await fingerprint(root, 'rr_sha1')).toEqual(source)
      expect(await fingerprint(root, 'rr_sha2')).toEqual(source)
    })

    it('a SQL error in the middle stops with the statement number and names the pre-restore backup', async () => {
      const sql = await readFile(file('none-plain'), 'utf8')
      const at = sql.indexOf('CREATE TABLE `settings`')
      expect(at).toBeGreaterThan(0)
      await mkdir(join(dir, 'bare'), { recursive: true })
      const broken = join(dir, 'bare', 'broken.sql')
      await writeFile(broken, `${sql.slice(0, at)}INSERT INTO no_such_table VALUES (1);\n${sql.slice(at)}`)
      await createSampleDatabase(root, 'rr_broken', { rows: 10 })
      const result = await run(
        restorePlan([item({ file: broken, target: 'rr_broken' })], {
          dropTarget: true,
          preBackup: preBackup('pre-broken'),
        }),
      )
      const r = result.items[0]
      expect(result.status).toBe('failed')
      expect(r).toMatchObject({
        status: 'failed',
        partlyRestored: true,
        droppedDatabases: ['rr_broken'],
        error: {
          code: 'SqlError',
          message: expect.stringContaining('rr_broken is partly restored'),
          advice: {
            code: 'partlyRestored',
            params: { database: 'rr_broken', preRestoreBackup: r?.preRestoreBackup },
          },
        },
      })
      expect(r?.error?.message).toContain(r?.preRestoreBackup ?? '?')
      expect(r?.undo).toContain(`restore single ${r?.preRestoreBackup} --target-db rr_broken --drop-target`)
      expect(r?.sqlErrors).toHaveLength(1)
      expect(r?.sqlErrors[0]).toMatchObject({
        statement: expect.any(Number),
        text: expect.stringContaining('no_such_table'),
        errno: 1146,
      })

      // With force the restore goes on past the error, lists it and loads everything else.
      const forced = await run(restorePlan([item({ file: broken, target: 'rr_forced' })], { force: true }))
      expect(forced).toMatchObject({ ok: true, status: 'success_with_errors' })
      expect(forced.items[0]).toMatchObject({
        status: 'success_with_errors',
        partlyRestored: false,
        error: null,
      })
      expect(forced.items[0]?.sqlErrors).toEqual([
        expect.objectContaining({ statement: r?.sqlErrors[0]?.statement, errno: 1146 }),
      ])
      expect(await fingerprint(root, 'rr_forced')).toEqual(source)
    })

    it('grants after the data: missing accounts created with their grants, an existing one left as it was', async () => {
      await root.query(`DROP USER IF EXISTS 'rg_new'@'%', 'rg_old'@'%', 'rg_sf'@'%'`)
      await root.query(`CREATE USER 'rg_new'@'%' IDENTIFIED BY 'pw-new'`)
      await root.query(`GRANT SELECT, INSERT ON ${SOURCE}.* TO 'rg_new'@'%'`)
      await root.query(`CREATE USER 'rg_old'@'%' IDENTIFIED BY 'pw-old'`)
      await root.query(`GRANT SELECT, INSERT ON ${SOURCE}.* TO 'rg_old'@'%'`)
      const t = await backup('grants2', 'zstd', KEY, { excludeUser: false })
      const grantsFile = `${t.file}.users.sql`
      expect(existsSync(grantsFile)).toBe(true)
      expect(await describeBackup(t.file ?? '')).toMatchObject({ grantsFile })
      await root.query(`DROP USER 'rg_new'@'%'`)
      await root.query(`REVOKE INSERT ON ${SOURCE}.* FROM 'rg_old'@'%'`)
      const showGrants = async (u: string): Promise<string[]> => {
        const [rows] = await root.query<mysql.RowDataPacket[]>(`SHOW GRANTS FOR '${u}'@'%'`)
        return rows.map((r) => String(Object.values(r)[0]))
      }
      const oldBefore = await showGrants('rg_old')
      const result = await run(
        restorePlan([item({ file: t.file ?? '', key: KEY, target: 'rr_grants', grantsFile })]),
      )
      const r = result.items[0]
      expect(r?.status).toMatch(/^success/)
      expect(r?.grants).toMatchObject({ file: grantsFile })
      expect(r?.grants?.createdAccounts).toContain(`'rg_new'@'%'`)
      expect(r?.grants?.existingAccounts).toEqual(expect.arrayContaining([`'rg_old'@'%'`]))
      expect(r?.grants?.appliedGrants).toBeGreaterThanOrEqual(1)
      expect((await showGrants('rg_new')).join('\n')).toMatch(
        /GRANT SELECT, INSERT ON `rr_src`\.\* TO `rg_new`@`%`/,
      )
      expect(await showGrants('rg_old')).toEqual(oldBefore)
      // sfDBTools' `_users.sql` (SHOW GRANTS lines per account, reference §13): the USAGE line with the
      // password hash creates a missing account; an existing one (root) is left alone.
      const [hash] = await root.query<mysql.RowDataPacket[]>(`SELECT PASSWORD('sf-pw') AS h`)
      const sfGrants = join(dir, 'grants2', 'rr_src_20260127_030001_h1_users.sql')
      await writeFile(
        sfGrants,
        [
          '-- User Grants Export',
          '-- Total users: 2',
          '-- Generated by sfdbtools',
          '',
          '',
          "-- Grants for 'rg_sf'@'%'",
          `GRANT USAGE ON *.* TO \`rg_sf\`@\`%\` IDENTIFIED BY PASSWORD '${String(hash[0]?.h)}';`,
          'GRANT SELECT ON `rr_src`.* TO `rg_sf`@`%`;',
          '',
          "-- Grants for 'root'@'localhost'",
          'GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION;',
          '',
          'FLUSH PRIVILEGES;',
          '',
        ].join('\n'),
      )
      const rootBefore = await root.query<mysql.RowDataPacket[]>(`SHOW GRANTS FOR 'root'@'localhost'`)
      const sf = await run(
        restorePlan([item({ file: t.file ?? '', key: KEY, target: 'rr_grants_sf', grantsFile: sfGrants })]),
      )
      expect(sf.items[0]?.grants).toEqual({
        file: sfGrants,
        createdAccounts: [`'rg_sf'@'%'`],
        existingAccounts: [`'root'@'localhost'`],
        appliedGrants: 2,
      })
      expect((await showGrants('rg_sf')).join('\n')).toMatch(/GRANT SELECT ON `rr_src`\.\* TO `rg_sf`@`%`/)
      expect((await root.query<mysql.RowDataPacket[]>(`SHOW GRANTS FOR 'root'@'localhost'`))[0]).toEqual(
        rootBefore[0],
      )

      // skipGrants leaves accounts alone.
      await root.query(`DROP USER 'rg_new'@'%'`)
      const skipped = await run(
        restorePlan([item({ file: t.file ?? '', key: KEY, target: 'rr_grants2', grantsFile })], {
          skipGrants: true,
        }),
      )
      expect(skipped.items[0]?.grants).toBeNull()
      const [users] = await root.query<mysql.RowDataPacket[]>(
        `SELECT 1 FROM mysql.user WHERE User = 'rg_new'`,
      )
      expect(users).toHaveLength(0)
    })

    it('the restore log goes to logDir when the backup folder is read-only', async () => {
      const ro = join(dir, 'readonly')
      await mkdir(ro)
      const copy = join(ro, basename(file('gzip-plain')))
      await copyFile(file('gzip-plain'), copy)
      await copyFile(`${file('gzip-plain')}.meta.json`, `${copy}.meta.json`)
      execFileSync('mount', ['--bind', ro, ro])
      try {
        execFileSync('mount', ['-o', 'remount,ro,bind', ro])
        await expect(writeFile(join(ro, 'probe'), 'x')).rejects.toMatchObject({ code: 'EROFS' })
        const logDir = join(dir, 'fallback-logs')
        const result = await run(restorePlan([item({ file: copy, target: 'rr_rolog' })], { logDir }))
        expect(result.status).toBe('success')
        expect(result.logFile).toMatch(
          new RegExp(`^${logDir}/${basename(copy)}\\.restore-\\d{8}_\\d{6}(_\\d+)?\\.json$`),
        )
        const logged = restoreResultSchema.parse(JSON.parse(await readFile(result.logFile ?? '', 'utf8')))
        expect(logged.items[0]?.databases).toEqual(['rr_rolog'])
        expect(readdirSync(ro).filter((n) => n.includes('.restore-'))).toEqual([])
      } finally {
        execFileSync('umount', [ro])
      }
    })

    it('a cancel during the load: partly restored, the pre-restore backup named, the next items skipped', async () => {
      await createSampleDatabase(root, 'rr_cancel', { rows: 15 })
      const cancel = new AbortController()
      const items: RestoreResult['items'] = []
      const result = await runRestore(
        restorePlan(
          [
            item({ file: file('gzip-enc'), key: KEY, target: 'rr_cancel' }),
            item({ file: file('gzip-plain'), target: 'rr_after_cancel' }),
          ],
          { dropTarget: true, preBackup: preBackup('pre-cancel') },
        ),
        {
          signal: cancel.signal,
          onProgress: (p) => {
            if (p.phase === 'load') cancel.abort()
          },
          onItem: (i) => items.push(i),
        },
      )
      expect(result).toMatchObject({ ok: false, status: 'cancelled' })
      expect(result.items.map((i) => i.status)).toEqual(['cancelled', 'skipped'])
      expect(items.map((i) => i.status)).toEqual(['cancelled', 'skipped'])
      const r = result.items[0]
      expect(r).toMatchObject({
        partlyRestored: true,
        error: { code: 'Cancelled', advice: { code: 'partlyRestored', params: { database: 'rr_cancel' } } },
      })
      expect(existsSync(r?.preRestoreBackup ?? '')).toBe(true)
      expect(r?.undo).toContain('--target-db rr_cancel')
      expect(await exists('rr_after_cancel')).toBe(false)
    })

    it('several files with parallel 2 load at once (a global read lock holds both in their load)', async () => {
      const seen = new Set<number>()
      // While the lock is held nothing can be written: a run that took the files one by one would never get
      // the second file to its load.
      const lock = await connectRoot(server)
      await lock.query('FLUSH TABLES WITH READ LOCK')
      let result: Promise<RestoreResult>
      try {
        result = run(
          restorePlan(
            [
              item({ file: file('gzip-plain'), target: 'rr_at_once_a' }),
              item({ file: file('zstd-enc'), key: KEY, target: 'rr_at_once_b' }),
            ],
            { parallel: 2 },
          ),
          (p) => {
            if (p.phase === 'load') seen.add(p.itemIndex)
          },
        )
        await waitFor(async () => seen.size === 2, 60_000, 'both files in their load phase')
      } finally {
        await lock.query('UNLOCK TABLES')
        await lock.end()
      }
      const done = await result
      expect(done.items.map((i) => i.status)).toEqual(['success', 'success'])
      expect(await fingerprint(root, 'rr_at_once_a')).toEqual(source)
      expect(await fingerprint(root, 'rr_at_once_b')).toEqual(source)
    })

    it('an all item: the sections of a combined dump into their own names, a combined pre-restore backup', async () => {
      await createSampleDatabase(root, 'rr_sec_a', { rows: 60 })
      await createSampleDatabase(root, 'rr_sec_b', { rows: 30 })
      const a = await fingerprint(root, 'rr_sec_a')
      const b = await fingerprint(root, 'rr_sec_b')
      const { plan } = await planBackup({
        mode: 'filter',
        profileName: 'rr',
        connection,
        selection: {
          databases: ['rr_sec_a', 'rr_sec_b'],
          filterMode: 'single-file',
          excludeDatabases: [],
          excludeSystem: true,
          excludeEmpty: false,
          companions: [],
        },
        ticket: 'T-sections',
        compression: { type: 'zstd', level: 3 },
        encryptionKey: KEY,
        outputDir: join(dir, 'sections'),
        excludeUser: true,
      })
      const made = await runBackup(plan, { signal: new AbortController().signal })
      const combined = made.targets[0]?.file ?? ''
      expect(made.ok).toBe(true)
      await root.query('DELETE FROM rr_sec_a.settings')
      const changed = await fingerprint(root, 'rr_sec_a')
      await root.query('DROP DATABASE rr_sec_b')

      // Without metadata the dry-run reads the databases from the file's USE lines.
      const bare = join(dir, 'sections-bare')
      await mkdir(bare)
      await copyFile(combined, join(bare, 'combined_dump.sql.zst.enc'))
      const allItem = (f: string, excludeDatabases: string[]): RestoreItem =>
        item({ file: f, key: KEY, target: null, sourceDatabase: null, excludeDatabases })
      const view = await planRestore(
        restorePlan([allItem(join(bare, 'combined_dump.sql.zst.enc'), ['rr_sec_b'])], {
          mode: 'all',
          dropTarget: true,
          preBackup: preBackup('pre-sections'),
        }),
      )
      expect(view.items[0]?.targets.map((t) => [t.database, t.action])).toEqual([['rr_sec_a', 'replace']])
      expect(view.items[0]?.skipped).toEqual([{ database: 'rr_sec_b', reason: 'excluded' }])
      expect(view.items[0]?.targets[0]?.preRestoreBackup).toMatch(
        /\/all_\d{8}_\d{6}_.+_pre_restore\.sql\.zst\.enc$/,
      )

      const result = await run(
        restorePlan([allItem(combined, [])], {
          mode: 'all',
          dropTarget: true,
          preBackup: preBackup('pre-sections'),
        }),
      )
      const r = result.items[0]
      expect(result.status).toBe('success')
      expect(r?.databases.sort()).toEqual(['rr_sec_a', 'rr_sec_b'])
      expect(r?.droppedDatabases).toEqual(['rr_sec_a'])
      expect(r?.preRestoreBackup).toMatch(/\/all_\d{8}_\d{6}_.+_pre_restore\.sql\.zst\.enc$/)
      expect(r?.undo).toBe(`sfdbtools restore all ${r?.preRestoreBackup} --drop-target --ticket RST-1`)
      expect(await fingerprint(root, 'rr_sec_a')).toEqual(a)
      expect(await fingerprint(root, 'rr_sec_b')).toEqual(b)

      // The combined pre-restore backup holds rr_sec_a as it was before.
      await root.query('DROP DATABASE rr_sec_b')
      const undo = await run(
        restorePlan([allItem(r?.preRestoreBackup ?? '', [])], { mode: 'all', dropTarget: true }),
      )
      expect(undo.status).toBe('success')
      expect(undo.items[0]?.databases).toEqual(['rr_sec_a'])
      expect(await fingerprint(root, 'rr_sec_a')).toEqual(changed)
      expect(await exists('rr_sec_b')).toBe(false)
    })

    it('cannot start without the server: it throws', async () => {
      const port = await freePort()
      await expect(
        run(
          restorePlan([item({ file: file('gzip-plain'), target: 'rr_x' })], {
            connection: { ...connection, port },
          }),
        ),
      ).rejects.toMatchObject({ code: 'ConnectFailed' })
    })
  })
})
