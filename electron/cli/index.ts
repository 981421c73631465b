/**
 * `sfdbtools`: the headless command line over the backup engine, for cron and scripts.
 * Exit codes: 0 success, 1 a failure, 2 a usage error, 130 cancelled.
 */
import { APP_VERSION } from '../../shared/app-version.ts'
import { EngineError } from '../engine/errors.ts'
import { UsageError } from './args.ts'
import { BACKUP_HELP, backupCommand } from './commands/backup.ts'
import { DECRYPT_HELP, decryptCommand } from './commands/decrypt.ts'
import { PROFILE_HELP, profileCommand } from './commands/profile.ts'
import { VERIFY_HELP, verifyCommand } from './commands/verify.ts'
import { defaultContext, type CliContext } from './context.ts'

const HELP = `sfdbtools ${APP_VERSION} — logical backups of MariaDB and MySQL (sfDBTools compatible)

Commands:
  profile create|list|show     connection profiles (encrypted .cnf.enc files)
  backup single                back up one database to a compressed, encrypted file
  verify FILE                  check a backup end to end without restoring it
  decrypt FILE                 turn any backup back into its compressed stream or SQL

Run 'sfdbtools <command> --help' for the flags of a command.`

const COMMANDS: Record<string, { run: (argv: string[], ctx: CliContext) => Promise<number>; help: string }> =
  {
    profile: { run: profileCommand, help: PROFILE_HELP },
    backup: { run: backupCommand, help: BACKUP_HELP },
    'db-backup': { run: backupCommand, help: BACKUP_HELP },
    verify: { run: verifyCommand, help: VERIFY_HELP },
    decrypt: { run: decryptCommand, help: DECRYPT_HELP },
  }

export async function main(argv: string[], ctx: CliContext = defaultContext()): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    ctx.out(HELP)
    return name === undefined ? 2 : 0
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    ctx.out(APP_VERSION)
    return 0
  }
  const command = COMMANDS[name]
  if (!command) {
    ctx.err(`unknown command '${name}'\n\n${HELP}`)
    return 2
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    ctx.out(command.help)
    return 0
  }
  try {
    return await command.run(rest, ctx)
  } catch (e) {
    if (e instanceof UsageError) {
      ctx.err(`usage error: ${e.message}\nRun 'sfdbtools ${name} --help' for the flags.`)
      return 2
    }
    if (e instanceof EngineError) {
      ctx.err(`error [${e.code}]: ${e.message}${e.detail ? `\n${e.detail}` : ''}`)
      return e.code === 'InvalidInput' ? 2 : 1
    }
    ctx.err(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
    return 1
  }
}

// Run when executed as the CLI entry (bin/sfdbtools.js imports this bundle).
if (process.env.SFDB_CLI_NO_AUTORUN !== '1') {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
