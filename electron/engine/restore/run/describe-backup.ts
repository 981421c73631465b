import { lstat, readdir, readFile, stat } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { CompressionType } from '../../../../shared/backup-types.ts'
import { COMPRESSION_TYPES } from '../../../../shared/backup-types.ts'
import type { RecordedTableRules } from '../../../../shared/table-rules.ts'
import { detectLayers, type BackupLayers } from '../../backup/backup-reader.ts'
import { META_SUFFIX } from '../../backup/metadata.ts'
import type { CatalogBackupType, CatalogEntry } from '../../catalog/catalog-entry.ts'
import { sfdbtoolsBaseName } from '../../catalog/companions.ts'
import { at, count, flag, text } from '../../catalog/metadata-fields.ts'
import { readBackupMetadata } from '../../catalog/read-metadata.ts'
import { detectCompression } from '../../codecs/index.ts'
import { EngineError, errno } from '../../errors.ts'
import type { BackupRef } from '../remote-source.ts'
import { openSqlSource, type SqlSource } from '../sql-source.ts'
import type { HostKeyPolicy } from '../../ssh/tunnel.ts'
import { describeRemoteBackup } from './describe-remote.ts'
import { databaseFromFileName, dmartSiblingName, extensionTail, isCombinedFileName } from './names.ts'

/** What a restore learns of a backup file before it starts: from its metadata, its content and its name. */
export interface BackupSource {
  /** Absolute path of the dump. */
  file: string
  /** Its `.meta.json` (ours or sfDBTools', grouped or flat), or null when there is none. */
  metaPath: string | null
  /** The one database it holds (metadata, else parsed from the file name as sfDBTools does; null for all/combined). */
  sourceDatabase: string | null
  /** Every database the metadata names (all / combined dumps), else [sourceDatabase] or []. */
  databases: string[]
  type: CatalogBackupType
  totalSqlBytes: number | null
  totalTables: number | null
  encrypted: boolean
  compression: CompressionType | null
  /** metadata > the file's magic bytes (content) > the name; never the name alone when the content says otherwise. */
  compressionFrom: 'metadata' | 'content' | 'name' | null
  sizeBytes: number
  /** The grants file beside it: ours `<dump>.users.sql`, sfDBTools' `<base>_users.sql`; null when none exists. */
  grantsFile: string | null
  /** primary/secondary: the `_dmart` companion dump (metadata `database_details`, else beside the file). */
  dmartCompanion: string | null
  /** The server the backup was made from (metadata), for the same-server check. */
  host: string | null
  port: number | null
  /** The source server's @@hostname as the metadata records it, or null. */
  hostname?: string | null
  /** The table rules its metadata records, by database (null: none, every table whole). */
  tableRules?: Record<string, RecordedTableRules> | null
  /**
   * A file on an offsite destination (`file` is its label `<destination>:<name>`): its name there and the
   * grants file beside it there (`grantsFile` is a local path, so null). `dmartCompanion` is then a name on
   * the same destination.
   */
  remote?: { destination: string; name: string; grantsName: string | null }
}

export interface DescribeOptions {
  /** The backup key: with it the compression of an encrypted file without metadata is read from its content. */
  key?: string | null
  /** How an unknown SFTP host key of a destination is handled (asked on a terminal; else refused). */
  hostKeyPolicy?: HostKeyPolicy
}

const isFile = async (path: string): Promise<boolean> =>
  lstat(path).then(
    (s) => s.isFile(),
    () => false,
  )

/** The metadata JSON as parsed, for the fields the catalog entry does not carry. */
async function rawMetadata(metaPath: string): Promise<unknown> {
  try {
    return JSON.parse((await readFile(metaPath, 'utf8')).replace(/^\uFEFF/, ''))
  } catch {
    return null
  }
}

/** Whether the metadata itself says what the compression is (a type, or "not compressed"). */
export const metadataNamesCompression = (raw: unknown): boolean =>
  text(at(raw, 'compression.type')) !== null ||
  text(at(raw, 'compression_type')) !== null ||
  flag(at(raw, 'compression.enabled')) === false ||
  flag(at(raw, 'compressed')) === false

export const asCompression = (t: string | undefined): CompressionType | null => {
  const v = (t ?? '').toLowerCase()
  return (COMPRESSION_TYPES as readonly string[]).includes(v) ? (v as CompressionType) : null
}

/**
 * The codec of the file's (decrypted) content, from its first bytes; null when it cannot be read (an
 * encrypted file without a key, a wrong key, an unreadable file).
 */
export async function codecFromContent(
  file: string,
  key: string | null,
  open: (onCodec: (type: CompressionType) => void) => Promise<SqlSource> = (onCodec) =>
    openSqlSource(file, key, onCodec),
): Promise<CompressionType | null> {
  let found: CompressionType | null = null
  const stop = new AbortController()
  let sql
  try {
    sql = await open((type) => {
      found = type
      stop.abort()
    })
  } catch {
    return null
  }
  const sink = new Writable({ write: (_c, _e, cb) => cb() })
  await pipeline([sql.file, ...sql.stages, sink], { signal: stop.signal }).catch(() => {})
  sql.file.destroy()
  return found
}

/** The one database of a dump: the metadata's single name, else the name's, else the first non-`_dmart`. */
export function sourceOf(entry: CatalogEntry | null, fromName: string | null): string | null {
  if (!entry) return fromName
  if (entry.type === 'all' || entry.type === 'combined') return null
  if (entry.databases.length === 1) return entry.databases[0] ?? null
  if (entry.databases.length === 0) return fromName
  if (fromName !== null && entry.databases.includes(fromName)) return fromName
  return entry.databases.find((d) => !d.endsWith('_dmart')) ?? null
}

/** Ours `<dump>.users.sql`, sfDBTools' `<base>_users.sql` (or the file the metadata names), when it exists. */
async function grantsFileOf(file: string, entry: CatalogEntry | null): Promise<string | null> {
  const dir = dirname(file)
  const candidates = [
    join(dir, basename(file) + '.users.sql'),
    join(dir, sfdbtoolsBaseName(basename(file)) + '_users.sql'),
    ...(entry?.companions ?? []).filter((p) => /_users?\.sql$|\.users\.sql$/.test(p)),
  ]
  for (const c of candidates) if (c !== file && (await isFile(c))) return c
  return null
}

/**
 * The `_dmart` companion: a file the metadata names (sfDBTools' `database_details`, our companions) for
 * `<db>_dmart`, else the sibling named like the dump with `<db>` replaced by `<db>_dmart`, else the only
 * `<db>_dmart_…` dump in the folder with the same extensions.
 */
async function dmartOf(file: string, db: string | null, entry: CatalogEntry | null): Promise<string | null> {
  if (db === null || db.endsWith('_dmart')) return null
  const prefix = `${db}_dmart_`
  for (const c of entry?.companions ?? []) {
    if (basename(c).startsWith(prefix) && !c.endsWith(META_SUFFIX) && (await isFile(c))) return c
  }
  const name = basename(file)
  const sibling = dmartSiblingName(name, db)
  if (sibling !== null && (await isFile(join(dirname(file), sibling)))) return join(dirname(file), sibling)
  const tail = extensionTail(name)
  const names = await readdir(dirname(file)).catch(() => [] as string[])
  const found = names.filter(
    (n) =>
      n.startsWith(prefix) &&
      /^\d{8}$/.test(n.slice(prefix.length, prefix.length + 8)) &&
      extensionTail(n) === tail,
  )
  return found.length === 1 && found[0] ? join(dirname(file), found[0]) : null
}

async function readEntry(metaPath: string): Promise<CatalogEntry | null> {
  if (!(await isFile(metaPath))) return null
  try {
    return await readBackupMetadata(metaPath)
  } catch {
    return null // damaged metadata: the file is described from its content and name
  }
}

/**
 * Describes a backup file for a restore: its metadata (`<file>.meta.json`, ours or sfDBTools' grouped or
 * flat layout) when there is one, its layers from the content (the codec from the metadata, else the magic
 * bytes of the — decrypted, when a key is given — content, else the name), the database from the metadata
 * or the name, and the grants file and `_dmart` companion beside it.
 * @throws EngineError('InvalidInput') when the file does not exist or is not a file.
 */
export async function describeBackup(
  file: string | BackupRef,
  options: DescribeOptions = {},
): Promise<BackupSource> {
  if (typeof file !== 'string' && file.remote) return describeRemoteBackup(file.remote, options)
  const path = resolve(typeof file === 'string' ? file : file.file)
  const info = await stat(path).catch((e: unknown) => {
    throw new EngineError('InvalidInput', `${path}: ${errno(e) === 'ENOENT' ? 'no such file' : String(e)}`)
  })
  if (!info.isFile()) throw new EngineError('InvalidInput', `${path}: not a file`)
  const metaPath = path + META_SUFFIX
  const entry = await readEntry(metaPath)
  return sourceFrom({
    file: path,
    name: basename(path),
    sizeBytes: info.size,
    metaPath: entry ? metaPath : null,
    entry,
    raw: entry ? await rawMetadata(metaPath) : null,
    layers: await detectLayers(path),
    contentCodec: () => codecFromContent(path, options.key ?? null),
    grantsFile: (e) => grantsFileOf(path, e),
    dmartCompanion: (db, e) => dmartOf(path, db, e),
  })
}

/** What describeBackup learned of a file, local or on a destination, before it puts the source together. */
export interface SourceFacts {
  /** Its absolute path, or its label on a destination. */
  file: string
  /** Its file name. */
  name: string
  sizeBytes: number
  /** Its metadata's path (or label), when it has metadata; with `entry` and `raw` parsed from it. */
  metaPath: string | null
  entry: CatalogEntry | null
  raw: unknown
  layers: BackupLayers
  /** The codec of the (decrypted) content, read only when the metadata does not name one. */
  contentCodec(): Promise<CompressionType | null>
  grantsFile(entry: CatalogEntry | null): Promise<string | null>
  dmartCompanion(database: string | null, entry: CatalogEntry | null): Promise<string | null>
}

/** The BackupSource of a file from its metadata, content and name (see describeBackup). */
export async function sourceFrom(f: SourceFacts): Promise<BackupSource> {
  const { entry, raw, name } = f
  const fromName = databaseFromFileName(name)
  const sourceDatabase = sourceOf(entry, fromName)
  let compression: CompressionType | null
  let compressionFrom: BackupSource['compressionFrom']
  if (entry && metadataNamesCompression(raw)) {
    compression = entry.compression ? asCompression(entry.compression.type) : 'none'
    compressionFrom = 'metadata'
  } else {
    const content = await f.contentCodec()
    compression = content ?? detectCompression(name)
    compressionFrom = content !== null ? 'content' : 'name'
  }
  const combined = entry ? entry.type === 'all' || entry.type === 'combined' : isCombinedFileName(name)
  const type: CatalogBackupType =
    entry?.type ?? (isCombinedFileName(name) ? (name.startsWith('combined') ? 'combined' : 'all') : 'unknown')
  return {
    file: f.file,
    metaPath: f.metaPath,
    sourceDatabase: combined ? null : sourceDatabase,
    databases: entry && entry.databases.length > 0 ? entry.databases : sourceDatabase ? [sourceDatabase] : [],
    type,
    totalSqlBytes: count(at(raw, 'file.sql_size_bytes')) || null,
    totalTables: count(at(raw, 'file.tables')) ?? null,
    encrypted: f.layers.encrypted || (entry?.encrypted ?? false),
    compression,
    compressionFrom,
    sizeBytes: f.sizeBytes,
    grantsFile: await f.grantsFile(entry),
    dmartCompanion: combined ? null : await f.dmartCompanion(sourceDatabase, entry),
    host: entry?.host ?? null,
    port: entry?.port ?? null,
    hostname: entry?.hostname ?? null,
    tableRules: entry?.tableRules ?? null,
  }
}
