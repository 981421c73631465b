import { readFile, stat } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { APP_NAME } from '../../../shared/app-version.ts'
import type { OffsiteCopy } from '../../../shared/destination.ts'
import { META_SUFFIX } from '../backup/metadata.ts'
import { detectCompression } from '../codecs/compression-options.ts'
import { EngineError, errno, toEngineError } from '../errors.ts'
import { CATALOG_BACKUP_TYPES, type CatalogBackupType, type CatalogEntry } from './catalog-entry.ts'
import { companionInFolder, existingCompanions } from './companions.ts'
import { asObject, at, count, flag, names, parseDuration, parseTime, text } from './metadata-fields.ts'
import { tableRulesOf } from './table-rules.ts'

/** What every layout yields before the paths are laid out. */
type Fields = Omit<
  CatalogEntry,
  'metaPath' | 'backupFile' | 'fileName' | 'companions' | 'fileExists' | 'modifiedAt' | 'tableRules'
>

const backupType = (v: unknown): CatalogBackupType =>
  CATALOG_BACKUP_TYPES.find((t) => t === text(v)?.toLowerCase()) ?? 'unknown'

const sha256Of = (v: unknown): string | null => {
  const s = text(v)?.toLowerCase()
  return s && /^[0-9a-f]{64}$/.test(s) ? s : null
}

/** Compression from the metadata, else from the file's extension (sfDBTools may omit the type). */
function compressionOf(enabled: boolean | null, type: unknown, level: unknown, fileName: string) {
  const recorded = text(type)?.toLowerCase() ?? null
  if (enabled === false || recorded === 'none') return null
  const t = recorded ?? detectCompression(fileName)
  return t === 'none' ? null : { type: t, level: count(level) }
}

/** The GTID position of the snapshot: our structured `gtid_info`, an older `{gtid, file, position}`, or a plain string. */
function gtidOf(v: unknown): string | null {
  if (typeof v === 'string') return text(v)
  return text(at(v, 'executed')) ?? text(at(v, 'gtid'))
}

/** The binary log coordinates of the dump's snapshot, as `file:position`; a GTID is not one. */
function binlogOf(v: unknown): string | null {
  const file = text(at(v, 'binlog_file')) ?? text(at(v, 'file'))
  const pos = count(at(v, 'binlog_position')) ?? count(at(v, 'position'))
  return file && pos !== null ? `${file}:${pos}` : null
}

const elapsed = (start: Date | null, end: Date | null): number | null =>
  start && end && end >= start ? end.getTime() - start.getTime() : null

function fromOurs(m: unknown, fileName: string): { fields: Fields; named: unknown[] } {
  const startedAt = parseTime(at(m, 'time.start')) ?? parseTime(at(m, 'backup_date'))
  const databases = names(at(m, 'databases'))
  return {
    fields: {
      source: 'ours',
      recordedFile: text(at(m, 'file.name')),
      databases: databases.length > 0 ? databases : names(at(m, 'database_name')),
      type: backupType(at(m, 'backup_type')),
      status: text(at(m, 'status')) ?? 'unknown',
      startedAt,
      durationMs: count(at(m, 'time.duration_ms')) ?? elapsed(startedAt, parseTime(at(m, 'time.end'))),
      host: text(at(m, 'server.host')),
      port: count(at(m, 'server.port')),
      hostname: text(at(m, 'server.hostname')),
      ticket: text(at(m, 'ticket')),
      sizeBytes: count(at(m, 'file.size_bytes')) ?? count(at(m, 'file_size')),
      sha256: sha256Of(at(m, 'file.sha256')),
      compression: compressionOf(
        flag(at(m, 'compression.enabled')),
        at(m, 'compression.type'),
        at(m, 'compression.level'),
        fileName,
      ),
      encrypted: flag(at(m, 'encryption.enabled')) ?? fileName.endsWith('.enc'),
      gtid: gtidOf(at(m, 'gtid_info')),
      binlog: binlogOf(at(m, 'gtid_info')),
    },
    named: [at(m, 'user_grants_file'), at(m, 'gtid_file')],
  }
}

function fromGrouped(m: unknown, fileName: string): { fields: Fields; named: unknown[] } {
  const startedAt = parseTime(at(m, 'time.start_time'))
  const details = at(m, 'database_details')
  return {
    fields: {
      source: 'sfdbtools-grouped',
      recordedFile: text(at(m, 'backup.file')),
      databases: names(at(m, 'backup.databases')),
      type: backupType(at(m, 'backup.type')),
      status: text(at(m, 'backup.status')) ?? 'unknown',
      startedAt,
      durationMs:
        parseDuration(at(m, 'time.duration')) ?? elapsed(startedAt, parseTime(at(m, 'time.end_time'))),
      host: text(at(m, 'source.host')),
      port: count(at(m, 'source.port')) || null,
      hostname: text(at(m, 'source.hostname')),
      ticket: text(at(m, 'ticket')),
      // Recorded before the buffered writer was flushed, so too small (reference §9): the stat wins.
      sizeBytes: count(at(m, 'file.size_bytes')),
      sha256: null,
      compression: compressionOf(
        flag(at(m, 'compression.enabled')),
        at(m, 'compression.type'),
        null,
        fileName,
      ),
      encrypted: flag(at(m, 'encryption.enabled')) ?? fileName.endsWith('.enc'),
      gtid: gtidOf(at(m, 'replication.gtid_info')),
      binlog: binlogOf(at(m, 'replication.gtid_info')),
    },
    // A primary/secondary package lists its other dumps (e.g. the `_dmart` one) in database_details.
    named: [
      at(m, 'additional_files.user_grants'),
      ...(Array.isArray(details) ? details.map((d) => at(d, 'backup_file')) : []),
    ],
  }
}

function fromFlat(m: unknown, fileName: string): { fields: Fields; named: unknown[] } {
  const startedAt = parseTime(at(m, 'backup_start_time'))
  return {
    fields: {
      source: 'sfdbtools-flat',
      recordedFile: text(at(m, 'backup_file')),
      databases: names(at(m, 'database_names')),
      type: backupType(at(m, 'backup_type')),
      status: text(at(m, 'backup_status')) ?? 'unknown',
      startedAt,
      durationMs:
        parseDuration(at(m, 'backup_duration')) ?? elapsed(startedAt, parseTime(at(m, 'backup_end_time'))),
      host: text(at(m, 'source_host')),
      port: count(at(m, 'source_port')) || null,
      hostname: text(at(m, 'hostname')),
      ticket: text(at(m, 'ticket')),
      sizeBytes: count(at(m, 'file_size_bytes')),
      sha256: null,
      compression: compressionOf(flag(at(m, 'compressed')), at(m, 'compression_type'), null, fileName),
      encrypted: flag(at(m, 'encrypted')) ?? fileName.endsWith('.enc'),
      gtid: gtidOf(at(m, 'gtid_info')),
      binlog: binlogOf(at(m, 'gtid_info')),
    },
    named: [],
  }
}

/** The offsite copies a metadata records (`copies: [{destination, url, verified_at}]`): the well-formed ones. */
function copiesOf(v: unknown): { copies?: OffsiteCopy[] } {
  if (!Array.isArray(v)) return {}
  const copies = v.flatMap((c: unknown) => {
    const destination = text(at(c, 'destination'))
    const url = text(at(c, 'url'))
    const verifiedAt = text(at(c, 'verified_at'))
    return destination && url && verifiedAt ? [{ destination, url, verified_at: verifiedAt }] : []
  })
  return copies.length > 0 ? { copies } : {}
}

/**
 * Reads one `.meta.json` text in any layout we know: ours (`format: 'sfdbtools-desktop/…'`), sfDBTools'
 * grouped layout (chosen when `backup.file` is non-empty, as sfDBTools' reader does) or its older flat one
 * (`backup_file`). Unknown extra fields are ignored. Touches no file: `companions` are the metadata and the
 * files it names, `fileExists`/`modifiedAt` are null.
 * @throws EngineError('CorruptFile') naming the file when it is not JSON or no layout we know.
 */
export function parseBackupMetadata(json: string, metaPath: string): CatalogEntry {
  const path = resolve(metaPath)
  if (!path.endsWith(META_SUFFIX)) {
    throw new EngineError('InvalidInput', `${path}: a metadata file name ends in ${META_SUFFIX}`)
  }
  let m: unknown
  try {
    m = JSON.parse(json.replace(/^\uFEFF/, ''))
  } catch (e) {
    throw new EngineError('CorruptFile', `${path}: damaged metadata, not valid JSON`, {
      detail: (e as Error).message,
    })
  }
  if (!asObject(m)) throw new EngineError('CorruptFile', `${path}: damaged metadata, not a JSON object`)
  const backupFile = path.slice(0, -META_SUFFIX.length)
  const fileName = basename(backupFile)
  const format = text(at(m, 'format'))
  const parsed =
    format?.startsWith('sfdbtools-desktop/') || at(m, 'generator.name') === APP_NAME
      ? fromOurs(m, fileName)
      : text(at(m, 'backup.file'))
        ? fromGrouped(m, fileName)
        : text(at(m, 'backup_file'))
          ? fromFlat(m, fileName)
          : null
  if (!parsed) {
    throw new EngineError(
      'CorruptFile',
      `${path}: not backup metadata in a layout we know (no 'format', 'backup.file' or 'backup_file')`,
    )
  }
  const named = parsed.named
    .map((v) => companionInFolder(path, text(v)))
    .filter((p): p is string => p !== null && p !== backupFile && p !== path)
  return {
    ...parsed.fields,
    metaPath: path,
    backupFile,
    fileName,
    companions: [path, ...new Set(named)],
    tableRules: tableRulesOf(at(m, 'table_rules')),
    ...copiesOf(at(m, 'copies')),
    fileExists: null,
    modifiedAt: null,
  }
}

/**
 * Reads a `.meta.json` and looks at the disk: the dump's real size and mtime, whether it exists, and the
 * companions present (named by the metadata or found under either writer's naming scheme).
 * @throws EngineError('CorruptFile') for damaged metadata; an OS error mapped by toEngineError.
 */
export async function readBackupMetadata(metaPath: string): Promise<CatalogEntry> {
  const path = resolve(metaPath)
  let json: string
  try {
    json = await readFile(path, 'utf8')
  } catch (e) {
    if (errno(e) === 'ENOENT') throw new EngineError('InvalidInput', `${path}: no such metadata file`)
    throw toEngineError(e, path)
  }
  const entry = parseBackupMetadata(json, path)
  const dump = await stat(entry.backupFile).catch(() => null)
  const meta = dump ? null : await stat(path).catch(() => null)
  return {
    ...entry,
    sizeBytes: dump?.isFile() ? dump.size : entry.sizeBytes,
    fileExists: dump?.isFile() ?? false,
    modifiedAt: (dump ?? meta)?.mtime ?? null,
    companions: await existingCompanions(path, entry.backupFile, entry.source, entry.companions.slice(1)),
  }
}
