import { resolve } from 'node:path'
import { errorText } from '../advice.ts'
import { detectLayers } from '../../engine/backup/backup-reader.ts'
import { META_SUFFIX } from '../../engine/backup/metadata.ts'
import { readBackupMetadata } from '../../engine/catalog/read-metadata.ts'
import { verifyBackup } from '../../engine/backup/verify.ts'
import { toEngineError } from '../../engine/errors.ts'
import { bool, parseFlags, str, UsageError } from '../args.ts'
import { keySources, type CliContext } from '../context.ts'
import { resolveReadKey } from '../keys.ts'
import { checkInputFile } from '../input-file.ts'
import { tableRulesLines } from '../table-rules-text.ts'
import { formatBytes } from '../terminal.ts'

export const VERIFY_HELP = `Usage:
  sfdbtools verify FILE [--encryption-key K] [--json]

Reads the whole backup without writing it anywhere and checks the encrypted container, the compression
stream, the dump's completion trailer and the sha256 recorded in FILE.meta.json.
Exit 0 only when every check holds; otherwise 1 with the reason.`

export async function verifyCommand(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseFlags(
    argv,
    {
      'encryption-key': { type: 'string', short: 'K' },
      'backup-key': { type: 'string' },
      json: { type: 'boolean' },
    },
    true,
  )
  const file = p.positionals[0]
  if (!file || p.positionals.length > 1) throw new UsageError('verify takes one backup file')
  const path = resolve(file)
  const json = bool(p, 'json')
  let key: string | null = null
  try {
    await checkInputFile(path)
    if ((await detectLayers(path)).encrypted) {
      key = (await resolveReadKey(str(p, 'encryption-key') ?? str(p, 'backup-key'), keySources(ctx), path))
        .key
    }
  } catch (e) {
    const error = toEngineError(e, path).toAppError()
    if (json) ctx.out(JSON.stringify({ ok: false, file: path, error }))
    else ctx.err(errorText(error))
    return error.code === 'InvalidInput' ? 2 : 1
  }
  const report = await verifyBackup(path, key)
  if (json) {
    ctx.out(JSON.stringify(report))
  } else {
    ctx.out(`${report.ok ? 'OK' : 'FAILED'}  ${path}`)
    for (const [check, state] of Object.entries(report.checks)) ctx.out(`  ${check.padEnd(12)} ${state}`)
    if (report.ok)
      ctx.out(
        `  ${formatBytes(report.bytes)} on disk, ${formatBytes(report.sqlBytes)} of SQL, sha256 ${report.sha256}`,
      )
    for (const n of report.notes) ctx.out(`  note: ${n}`)
    const recorded = await readBackupMetadata(path + META_SUFFIX).catch(() => null)
    for (const line of tableRulesLines(recorded?.tableRules)) ctx.out(`  tables       ${line}`)
    if (report.error) ctx.err(errorText(report.error))
  }
  return report.ok ? 0 : 1
}
