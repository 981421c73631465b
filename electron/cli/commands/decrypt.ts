import { resolve } from 'node:path'
import { detectLayers } from '../../engine/backup/backup-reader.ts'
import { decryptToFile, decryptToStream, defaultDecryptedName } from '../../engine/backup/decrypt-file.ts'
import { bool, parseFlags, str, UsageError } from '../args.ts'
import { keySources, type CliContext } from '../context.ts'
import { checkInputFile, checkOutputFolder } from '../input-file.ts'
import { resolveReadKey } from '../keys.ts'

export const DECRYPT_HELP = `Usage:
  sfdbtools decrypt FILE [--encryption-key K] [--decompress] [-o OUT|-] [--allow-incomplete]

Turns a backup (this tool's or any sfDBTools version's) back into its compressed stream, or into SQL with
--decompress; the compression is read from the content (else FILE.meta.json, else the name). -o - writes to
standard output. The default output is FILE without .enc (and without the compression extension with
--decompress); an existing file is never replaced.
The container's end marker is not authenticated, so the output is kept only when it is proven complete:
by the recorded sha256 in FILE.meta.json, the compression stream's proper end or the dump's completion
trailer. Otherwise it is removed and the exit is 1; --allow-incomplete keeps it and says what was not
proven.`

export async function decryptCommand(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseFlags(
    argv,
    {
      'encryption-key': { type: 'string', short: 'K' },
      'backup-key': { type: 'string' },
      decompress: { type: 'boolean' },
      output: { type: 'string', short: 'o' },
      'allow-incomplete': { type: 'boolean' },
    },
    true,
  )
  const file = p.positionals[0]
  if (!file || p.positionals.length > 1) throw new UsageError('decrypt takes one backup file')
  const path = resolve(file)
  const decompress = bool(p, 'decompress')
  await checkInputFile(path)
  const out = str(p, 'output')
  const target = out === '-' ? null : resolve(out ?? defaultDecryptedName(path, decompress))
  if (target === path) throw new UsageError('the output would replace the input; give another name with -o')
  if (target !== null) await checkOutputFolder(target)
  const layers = await detectLayers(path)
  let key: string | null = null
  if (layers.encrypted) {
    key = (await resolveReadKey(str(p, 'encryption-key') ?? str(p, 'backup-key'), keySources(ctx), path)).key
  }
  const options = { key, decompress, allowIncomplete: bool(p, 'allow-incomplete') }
  if (target === null) {
    warnUnproven((await decryptToStream(path, process.stdout, options)).unproven, ctx)
    return 0
  }
  const result = await decryptToFile(path, target, options)
  ctx.err(`wrote ${result.bytes} bytes to ${target}`)
  warnUnproven(result.unproven, ctx)
  return 0
}

/** With --allow-incomplete: what could not be proven about the output kept. */
function warnUnproven(unproven: string[], ctx: CliContext): void {
  if (unproven.length === 0) return
  ctx.err('warning: the output was kept (--allow-incomplete) but could not be proven complete:')
  for (const u of unproven) ctx.err(`  - ${u}`)
}
