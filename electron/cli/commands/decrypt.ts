import { resolve } from 'node:path'
import { detectLayers } from '../../engine/backup/backup-reader.ts'
import { decryptToFile, decryptToStream, defaultDecryptedName } from '../../engine/backup/decrypt-file.ts'
import { bool, parseFlags, str, UsageError } from '../args.ts'
import { keySources, type CliContext } from '../context.ts'
import { checkInputFile, checkOutputFolder } from '../input-file.ts'
import { resolveReadKey } from '../keys.ts'

export const DECRYPT_HELP = `Usage:
  sfdbtools decrypt FILE [--encryption-key K] [--decompress] [-o OUT|-]

Turns a backup (this tool's or any sfDBTools version's) back into its compressed stream, or into SQL with
--decompress. -o - writes to standard output. The default output is FILE without .enc (and without the
compression extension with --decompress); an existing file is never replaced.`

export async function decryptCommand(argv: string[], ctx: CliContext): Promise<number> {
  const p = parseFlags(
    argv,
    {
      'encryption-key': { type: 'string', short: 'K' },
      'backup-key': { type: 'string' },
      decompress: { type: 'boolean' },
      output: { type: 'string', short: 'o' },
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
  if (target === null) {
    await decryptToStream(path, process.stdout, { key, decompress })
    return 0
  }
  const bytes = await decryptToFile(path, target, { key, decompress })
  ctx.err(`wrote ${bytes} bytes to ${target}`)
  return 0
}
