/**
 * `sfdbtools destination files NAME [--json] [--ssh-insecure]`: the backups on a destination that
 * `sfdbtools restore … --from-destination NAME --file F` can restore — each backup set this project copied
 * there (recognised by its `.meta.json`), with its size, date and databases, newest first.
 */
import { listRemoteBackups } from '../../engine/restore/remote-backups.ts'
import { bool, parseFlags, UsageError } from '../args.ts'
import type { CliContext } from '../context.ts'
import { runDestinations, sftpHostKeys } from '../offsite.ts'
import { formatBytes } from '../terminal.ts'

export async function destinationFiles(rest: string[], ctx: CliContext): Promise<number> {
  const p = parseFlags(rest, { json: { type: 'boolean' }, 'ssh-insecure': { type: 'boolean' } }, true)
  const [name] = p.positionals
  if (!name || p.positionals.length > 1) throw new UsageError('destination files NAME [--json]')
  const [run] = await runDestinations([name], ctx)
  if (!run) throw new UsageError('destination files NAME')
  const files = await listRemoteBackups(run, sftpHostKeys(ctx, bool(p, 'ssh-insecure')))
  if (bool(p, 'json')) {
    ctx.out(JSON.stringify({ destination: name, files }))
    return 0
  }
  if (files.length === 0) {
    ctx.out(`no backups on ${name} (copy one with sfdbtools backup … --copy-to ${name})`)
    return 0
  }
  for (const f of files)
    ctx.out(
      [
        f.name,
        formatBytes(f.bytes),
        f.date ?? '–',
        f.databases.join(',') || '–',
        f.encrypted ? 'encrypted' : '',
      ]
        .join('\t')
        .trimEnd(),
    )
  ctx.out(
    `restore one with: sfdbtools restore single --from-destination ${name} --file NAME --profile P --ticket T`,
  )
  return 0
}
