/**
 * `sfdbtools restore <mode>`: the flags, the usage checks that need neither the server nor the files, and
 * sfDBTools' selection CSV (`filename,db_name,enc_key,grants_file`).
 */
import { readFile } from 'node:fs/promises'
import { dirname, isAbsolute, resolve } from 'node:path'
import { loaderSchema, RESTORE_MODES, type Loader, type RestoreMode } from '../../../shared/restore-types.ts'
import { EngineError } from '../../engine/errors.ts'
import { bool, intFlag, list, parseFlags, str, UsageError, type Parsed } from '../args.ts'

export const RESTORE_FLAGS = {
  profile: { type: 'string', short: 'p' },
  'profile-key': { type: 'string', short: 'k' },
  ticket: { type: 'string', short: 't' },
  'encryption-key': { type: 'string', short: 'K' },
  'backup-key': { type: 'string' },
  'target-db': { type: 'string' },
  'grants-file': { type: 'string' },
  'skip-grants': { type: 'boolean' },
  'drop-target': { type: 'boolean' },
  'skip-backup': { type: 'boolean' },
  'backup-dir': { type: 'string' },
  parallel: { type: 'string' },
  force: { type: 'boolean' },
  'verify-first': { type: 'boolean' },
  'include-system': { type: 'boolean' },
  'exclude-db': { type: 'string', multiple: true },
  'exclude-db-file': { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  'dry-run': { type: 'boolean', short: 'd' },
  json: { type: 'boolean' },
  'json-progress': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  'log-level': { type: 'string' },
  'ssh-insecure': { type: 'boolean' },
  'client-binary': { type: 'string' },
  loader: { type: 'string' },
  'from-destination': { type: 'string' },
  file: { type: 'string' },
} as const

/** What the command line asked for, checked as far as it can be without the server or the files. */
export interface RestoreArgs {
  mode: RestoreMode
  parsed: Parsed
  /** The backup file (or, for selection, the CSV), absolute; with `fromDestination`, its name there. */
  file: string
  /** `--from-destination NAME --file F`: the backup is read from that offsite destination (streamed). */
  fromDestination: string | undefined
  ticket: string
  targetDb: string | undefined
  /** --encryption-key / --backup-key. */
  keyFlag: string | undefined
  grantsFile: string | undefined
  skipGrants: boolean
  dropTarget: boolean
  skipBackup: boolean
  parallel: number
  force: boolean
  verifyFirst: boolean
  includeSystem: boolean
  excludeDatabases: string[]
  excludeDbFile: string | undefined
  yes: boolean
  dryRun: boolean
  json: boolean
  jsonProgress: boolean
  sshInsecure: boolean
  clientBinary: string | undefined
  /** --loader; null: native unless a client binary is configured. */
  loader: Loader | null
}

/** Flags that mean something only in some modes: the flag, and the modes it belongs to. */
const MODE_FLAGS: [string, readonly RestoreMode[]][] = [
  ['target-db', ['single', 'primary', 'secondary']],
  ['grants-file', ['single', 'all', 'primary', 'secondary']],
  ['include-system', ['all']],
  ['exclude-db', ['all']],
  ['exclude-db-file', ['all']],
  ['drop-target', ['single', 'all', 'primary', 'secondary', 'selection']],
  ['skip-backup', ['single', 'all', 'primary', 'secondary', 'selection']],
  ['backup-dir', ['single', 'all', 'primary', 'secondary', 'selection']],
  ['yes', ['single', 'all', 'primary', 'secondary', 'selection']],
  ['from-destination', ['single', 'all', 'primary', 'secondary']],
  ['file', ['single', 'all', 'primary', 'secondary']],
]

function checkModeFlags(mode: RestoreMode, p: Parsed): void {
  for (const [flag, modes] of MODE_FLAGS) {
    const given = p.values[flag] !== undefined && p.values[flag] !== false
    if (given && !modes.includes(mode))
      throw new UsageError(`--${flag} belongs to restore ${modes.join(', ')}, not ${mode}`)
  }
}

/** --parallel: 1..16 connections (default 1). */
function parallelOf(p: Parsed): number {
  const n = intFlag(p, 'parallel') ?? 1
  if (n < 1 || n > 16) throw new UsageError(`--parallel must be between 1 and 16, got ${n}`)
  return n
}

/** Parses the flags of `restore <mode> FILE` and refuses what contradicts itself before anything is asked. */
export function parseRestoreArgs(modeArg: string, rest: string[], cwd = process.cwd()): RestoreArgs {
  if (!(RESTORE_MODES as readonly string[]).includes(modeArg))
    throw new UsageError(`unknown restore mode '${modeArg}'; use one of: ${RESTORE_MODES.join(', ')}`)
  const mode = modeArg as RestoreMode
  const p = parseFlags(rest, RESTORE_FLAGS, true)
  const what = mode === 'selection' ? 'a CSV file' : 'one backup file'
  const remote = remoteFile(p)
  if (remote === undefined && p.positionals.length !== 1)
    throw new UsageError(`restore ${mode} takes ${what}`)
  const ticket = str(p, 'ticket')
  if (!ticket?.trim())
    throw new UsageError('--ticket is required (a change or ticket reference, e.g. --ticket CHG-1234)')
  checkModeFlags(mode, p)
  const targetDb = str(p, 'target-db')
  if (targetDb !== undefined && !targetDb.trim()) throw new UsageError('--target-db is empty')
  const grantsFile = str(p, 'grants-file')
  if (grantsFile !== undefined && bool(p, 'skip-grants'))
    throw new UsageError('--grants-file and --skip-grants contradict each other')
  return {
    mode,
    parsed: p,
    file: remote?.name ?? resolve(cwd, p.positionals[0] as string),
    fromDestination: remote?.destination,
    ticket: ticket.trim(),
    targetDb: targetDb?.trim(),
    keyFlag: str(p, 'encryption-key') ?? str(p, 'backup-key'),
    grantsFile: grantsFile === undefined ? undefined : resolve(cwd, grantsFile),
    skipGrants: bool(p, 'skip-grants'),
    dropTarget: bool(p, 'drop-target'),
    skipBackup: bool(p, 'skip-backup'),
    parallel: parallelOf(p),
    force: bool(p, 'force'),
    verifyFirst: bool(p, 'verify-first'),
    includeSystem: bool(p, 'include-system'),
    excludeDatabases: list(p, 'exclude-db'),
    excludeDbFile: str(p, 'exclude-db-file'),
    yes: bool(p, 'yes'),
    dryRun: bool(p, 'dry-run'),
    json: bool(p, 'json'),
    jsonProgress: bool(p, 'json-progress'),
    sshInsecure: bool(p, 'ssh-insecure'),
    clientBinary: str(p, 'client-binary'),
    loader: loaderOf(p),
  }
}

/**
 * `--from-destination NAME --file F`: a backup on an offsite destination, by its name there (as `destination
 * files NAME` lists it). Neither goes without the other, nor with a FILE argument.
 */
function remoteFile(p: Parsed): { destination: string; name: string } | undefined {
  const destination = str(p, 'from-destination')
  const name = str(p, 'file')
  if (destination === undefined && name === undefined) return undefined
  if (destination === undefined)
    throw new UsageError('--file names a backup on a destination: add --from-destination NAME')
  if (name === undefined || !name.trim())
    throw new UsageError(
      '--from-destination needs --file NAME (the backup file there: sfdbtools destination files NAME)',
    )
  if (p.positionals.length > 0)
    throw new UsageError('with --from-destination the backup is named by --file, not as an argument')
  if (/[/\\]/.test(name) || name === '.' || name === '..')
    throw new UsageError(`--file is a file name on the destination, not a path: '${name}'`)
  return { destination, name }
}

function loaderOf(p: Parsed): Loader | null {
  const v = str(p, 'loader')
  if (v === undefined) return null
  const parsed = loaderSchema.safeParse(v)
  if (!parsed.success) throw new UsageError(`--loader must be native or client, not "${v}"`)
  return parsed.data
}

/** One row of a selection CSV. */
export interface SelectionRow {
  /** Absolute (relative names are taken from the CSV's folder). */
  file: string
  /** null: the database the backup holds. */
  database: string | null
  /** null: the usual key resolution (flag, environment, keychain, config, prompt). */
  key: string | null
  /** null: the grants file found beside the backup. */
  grantsFile: string | null
  /** The CSV line it came from, for messages. */
  line: number
}

/** The fields of one CSV line: commas separate, double quotes quote (`""` is a quote), spaces are trimmed. */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = []
  let field = ''
  let quoted = false
  let wasQuoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string
    if (quoted && ch === '"' && line[i + 1] === '"') {
      field += '"'
      i++
    } else if (quoted && ch === '"') quoted = false
    else if (quoted) field += ch
    else if (ch === '"' && field.trim() === '') {
      quoted = true
      wasQuoted = true
      field = ''
    } else if (ch === ',') {
      fields.push(wasQuoted ? field : field.trim())
      field = ''
      wasQuoted = false
    } else field += ch
  }
  if (quoted) throw new Error('a quoted field is not closed')
  fields.push(wasQuoted ? field : field.trim())
  return fields
}

const HEADER = ['filename', 'db_name', 'enc_key', 'grants_file']

/**
 * sfDBTools' selection CSV: `filename,db_name,enc_key,grants_file` a line; the header row is optional,
 * blank lines and `#` comments are skipped, empty columns mean "as usual". `csvPath` anchors relative names.
 */
export function parseSelectionCsv(text: string, csvPath: string): SelectionRow[] {
  const base = dirname(csvPath)
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(base, p))
  const rows: SelectionRow[] = []
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i === 0 ? raw.replace(/^\uFEFF/, '') : raw
    if (!line.trim() || line.trim().startsWith('#')) return
    let fields: string[]
    try {
      fields = splitCsvLine(line)
    } catch (e) {
      throw new UsageError(`${csvPath} line ${i + 1}: ${(e as Error).message}`)
    }
    if (rows.length === 0 && fields[0]?.toLowerCase() === HEADER[0]) return
    if (fields.length > HEADER.length)
      throw new UsageError(`${csvPath} line ${i + 1}: ${fields.length} columns, expected ${HEADER.join(',')}`)
    const [file = '', database = '', key = '', grants = ''] = fields
    if (!file) throw new UsageError(`${csvPath} line ${i + 1}: the filename column is empty`)
    rows.push({
      file: at(file),
      database: database || null,
      key: key || null,
      grantsFile: grants ? at(grants) : null,
      line: i + 1,
    })
  })
  if (rows.length === 0) throw new UsageError(`${csvPath} lists no backup file`)
  return rows
}

export async function readSelectionCsv(path: string): Promise<SelectionRow[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    throw new EngineError('InvalidInput', `cannot read the selection CSV ${path}: ${(e as Error).message}`)
  }
  return parseSelectionCsv(text, path)
}
