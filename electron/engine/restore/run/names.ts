/**
 * The names a restore reads and writes: the database a backup's file name holds (as sfDBTools parses it),
 * the pre-restore backup names (reference §10), the `_dmart` sibling of a primary/secondary dump, the
 * throwaway database of a restore test and the restore log's name. Pure: no file, no server.
 */
import type { CompressionType } from '../../../../shared/backup-types.ts'
import { extensionChain, nameSafe, timestampParts } from '../../../../shared/file-names.ts'

/** The file name without `.enc`, one compression extension and `.sql` (sfDBTools' order). */
export const strippedName = (fileName: string): string =>
  fileName
    .replace(/\.enc$/i, '')
    .replace(/\.(gz|xz|zst|zlib)$/i, '')
    .replace(/\.sql$/i, '')

/** The `.sql…` tail of a file name (`.sql.zst.enc`), or '' when it has none. */
export const extensionTail = (fileName: string): string => fileName.slice(strippedName(fileName).length)

/** Words that end the database part of a name (sfDBTools: `backup`, `dump`, `pre`, `restore`). */
const STOP_WORDS = new Set(['backup', 'dump', 'pre', 'restore'])

/**
 * The database a backup file's name holds, as sfDBTools parses it (reference §10): the extensions
 * stripped, split on `_`, cut at the first part that is 8 digits (the date), a 6-digit part after an
 * 8-digit one, `backup`/`dump`/`pre`/`restore`, or a part with a `-` (a host name). Our own names
 * (`{db}[_nodata]_{YYYYMMDD}_{HHMMSS}_{ticket}`) cut at the date; a `_nodata` tail is dropped. Combined
 * files (`all_…`, `all_databases_…`, `combined_…`) hold no one database: null. Null when nothing is left.
 */
export function databaseFromFileName(fileName: string): string | null {
  if (isCombinedFileName(fileName)) return null
  const parts = strippedName(fileName).split('_')
  const kept: string[] = []
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? ''
    const prev = parts[i - 1] ?? ''
    if (/^\d{8}$/.test(part)) break
    if (/^\d{6}$/.test(part) && /^\d{8}$/.test(prev)) break
    if (STOP_WORDS.has(part.toLowerCase()) || part.includes('-')) break
    kept.push(part)
  }
  let db = kept.join('_')
  if (db.endsWith('_nodata')) db = db.slice(0, -'_nodata'.length)
  if (db === '' || db === 'all' || db === 'all_databases' || db === 'combined') return null
  return db
}

/** Whether a file name is that of a combined / all-databases dump (ours or sfDBTools'). */
export const isCombinedFileName = (fileName: string): boolean =>
  /^(all|all_databases|combined)(_nodata)?_/.test(strippedName(fileName))

/** `YYYYMMDD_HHMMSS` in local time, as the backup engine names files. */
export function stamp(date: Date): string {
  const { date: d, time } = timestampParts(date)
  return `${d}_${time}`
}

/**
 * The pre-restore backup of one database (reference §10): `{db}_{YYYYMMDD_HHMMSS}_{host}_pre_restore.sql…`
 * with the pre-backup's compression and encryption extensions; for an `all` restore one combined file
 * `all_{YYYYMMDD_HHMMSS}_{host}_pre_restore.sql…`. `n` > 1 (a second pre-restore backup of the same database in
 * the same second) adds `_{n}` after `_pre_restore`: a backup is never overwritten, nor a restore refused for it.
 */
export function preRestoreFileName(opts: {
  database: string | null
  hostname: string
  date: Date
  compression: CompressionType
  encrypted: boolean
  n?: number
}): string {
  const db = opts.database === null ? 'all' : nameSafe(opts.database)
  const host = nameSafe(opts.hostname.trim() || 'unknown')
  const n = opts.n !== undefined && opts.n > 1 ? `_${opts.n}` : ''
  return `${db}_${stamp(opts.date)}_${host}_pre_restore${n}${extensionChain(opts.compression, opts.encrypted)}`
}

/**
 * The name of the `_dmart` companion beside a primary/secondary dump: the dump's name with its database
 * replaced by `<db>_dmart` (same timestamp, host and extensions); null when the name does not start with
 * the database.
 */
export function dmartSiblingName(fileName: string, database: string): string | null {
  if (!fileName.startsWith(`${database}_`) || database.endsWith('_dmart')) return null
  return `${database}_dmart${fileName.slice(database.length)}`
}

/** The longest database name the server accepts. */
export const MAX_DATABASE_NAME = 64

/**
 * A restore test's throwaway database: `sfdb_restoretest_<db>_<YYYYMMDDHHMMSS>`, the database part made of
 * letters, digits and `_` only and shortened so that the whole stays within 64 characters; `suffix`
 * (e.g. `_2`) tells apart two tests started in the same second.
 */
export function throwawayDatabaseName(database: string | null, date: Date, suffix = ''): string {
  const { date: d, time } = timestampParts(date)
  const tail = `_${d}${time}${suffix}`
  const head = 'sfdb_restoretest_'
  const room = MAX_DATABASE_NAME - head.length - tail.length
  const db =
    (database ?? '')
      .replace(/[^A-Za-z0-9_]/g, '_')
      .replace(/_{2,}/g, '_')
      .replace(/^_|_$/g, '')
      .slice(0, Math.max(0, room)) || 'backup'
  return `${head}${db.slice(0, Math.max(1, room))}${tail}`
}

/** `<backup>.restore-<YYYYMMDD_HHMMSS>.json`: the log of one restore; `_<n>` for a second one in that second. */
export const restoreLogName = (backupFileName: string, date: Date, n = 1): string =>
  `${backupFileName}.restore-${stamp(date)}${n > 1 ? `_${n}` : ''}.json`

/** `<backup>.restore-test.json`: the last restore test of a backup. */
export const RESTORE_TEST_SUFFIX = '.restore-test.json'

/** A word for a shell: quoted when it holds anything but plain characters. */
export const shellWord = (s: string): string =>
  /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`
