import { EngineError } from '../../engine/errors.ts'
import { KEY_KINDS, type KeyKind } from '../../engine/secrets/keychain.ts'
import { bool, parseFlags, str, UsageError } from '../args.ts'
import type { CliContext } from '../context.ts'
import { isInteractive, promptHidden, readStdin } from '../terminal.ts'

export const KEY_HELP = `Usage:
  sfdbtools key set <profile-key|backup-key> [--profile N]     the secret from stdin (a pipe) or a hidden prompt
  sfdbtools key status [profile-key|backup-key] [--profile N] [--json]
  sfdbtools key delete <profile-key|backup-key> [--profile N]

Keys live in the OS keychain (macOS Keychain, Windows Credential Manager, the Secret Service on Linux) under
the service "sfdbtools". The profile key is one key for all profiles; backup keys have a default and,
with --profile, a key of one profile that wins over the default. A secret is never accepted as an argument.`

function kindOf(value: string | undefined): KeyKind {
  if (value === undefined) throw new UsageError(`name the key: ${KEY_KINDS.join(' or ')}`)
  if (!(KEY_KINDS as readonly string[]).includes(value)) {
    throw new UsageError(`unknown key '${value}': use ${KEY_KINDS.join(' or ')}`)
  }
  return value as KeyKind
}

async function readSecret(kind: KeyKind): Promise<string> {
  let secret: string
  if (!process.stdin.isTTY) secret = await readStdin()
  else if (isInteractive()) {
    secret = await promptHidden(`New ${kind}: `)
    if ((await promptHidden('Repeat it: ')) !== secret)
      throw new EngineError('InvalidInput', 'the two entries differ')
  } else throw new UsageError('give the secret on standard input (a pipe) or run in a terminal')
  if (!secret) throw new EngineError('InvalidInput', 'the key is empty')
  if (secret !== secret.trim()) {
    // sfDBTools trims keys typed at a prompt or given as flags: a key with outer spaces could not be typed back.
    throw new EngineError('InvalidInput', 'the key starts or ends with whitespace; remove the spaces')
  }
  return secret
}

export async function keyCommand(argv: string[], ctx: CliContext): Promise<number> {
  const [sub, ...rest] = argv
  const p = parseFlags(rest, { profile: { type: 'string', short: 'p' }, json: { type: 'boolean' } }, true)
  const profile = str(p, 'profile')
  if (p.positionals.length > 1) throw new UsageError('one key name at a time; secrets are never arguments')
  switch (sub) {
    case 'set': {
      const kind = kindOf(p.positionals[0])
      await ctx.keychain.set(kind, await readSecret(kind), profile)
      ctx.out(`${kind}${profile ? ` of profile '${profile}'` : ''} stored in the OS keychain`)
      return 0
    }
    case 'delete': {
      const kind = kindOf(p.positionals[0])
      const deleted = await ctx.keychain.delete(kind, profile)
      ctx.out(`${kind}${profile ? ` of profile '${profile}'` : ''} ${deleted ? 'deleted' : 'was not stored'}`)
      return 0
    }
    case 'status': {
      const kinds = p.positionals[0] === undefined ? [...KEY_KINDS] : [kindOf(p.positionals[0])]
      const rows: { key: KeyKind; profile: string | null; stored: boolean }[] = []
      for (const kind of kinds) {
        const scoped = kind === 'backup-key' ? profile : undefined
        rows.push({
          key: kind,
          profile: scoped ?? null,
          stored: (await ctx.keychain.get(kind, scoped)) !== null,
        })
      }
      if (bool(p, 'json')) ctx.out(JSON.stringify({ keychain: 'available', keys: rows }))
      else
        for (const r of rows)
          ctx.out(`${r.key}${r.profile ? ` (${r.profile})` : ''}: ${r.stored ? 'stored' : 'not stored'}`)
      return 0
    }
    default:
      throw new UsageError(
        sub === undefined ? 'key needs a command: set, status or delete' : `unknown key command '${sub}'`,
      )
  }
}
