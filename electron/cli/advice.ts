/**
 * The command line's words for what the engine reports: advice with this CLI's flags and commands, the
 * reasons a database was left out, and the one way an error is printed. The app phrases the same codes in
 * English and Bahasa Indonesia (renderer/src/i18n).
 */
import type { Exclusion } from '../../shared/backup-types.ts'
import { assertNever, type Advice, type AdviceCode, type AppError, type Notice } from '../../shared/result.ts'

const KEY_WAYS = 'or give the key with its flag, an environment variable or at the prompt'

/** An advice's parameter as text ('' when absent). */
const paramOf =
  (advice: Advice) =>
  (name: string): string =>
    String(advice.params?.[name] ?? '')

/** What to do, in this CLI's vocabulary (flags, commands, environment variables). */
export function adviceText(advice: Advice): string {
  const at = paramOf(advice)
  if (isTableAdvice(advice.code)) return tableAdviceText(advice.code, at)
  if (isOffsiteAdvice(advice.code)) return offsiteAdviceText(advice.code, at('destination'), at('kind'))
  if (isNotifyAdvice(advice.code)) return notifyAdviceText(advice.code, at)
  if (advice.code === 'scheduleInvalid' || advice.code === 'scheduleNotExportable')
    return scheduleAdviceText(advice.code, at)
  if (isKeyAdvice(advice.code)) return keyAdviceText(advice.code, at)
  switch (advice.code) {
    case 'ticketRequired':
      return 'pass --ticket T (a change or ticket reference, e.g. --ticket CHG-1234)'
    case 'filterModeRequired':
      return 'pass --mode single-file or --mode multi-file'
    case 'filterDatabasesRequired':
      return 'pass --db NAME (repeatable) or --db-file FILE'
    case 'singleDatabaseRequired':
      return 'pass exactly one --db'
    case 'fileNameOneFile':
      return `--filename names one file but this run writes ${at('files')}: use --name-pattern instead`
    case 'diskSpace':
      return 'choose another --output-dir, free space, or pass --skip-disk-check'
    case 'diskSpaceTight':
      return 'free some space or choose another --output-dir before the backup grows'
    case 'dumpBinaryFlavor':
      return `install the server's own client (${at('client')}) or set its path with --dump-binary`
    case 'dumpBinaryMissing':
      return 'install mariadb-client (or MySQL’s client), or give the path with --dump-binary or backup.dump.binary'
    case 'dumpBinaryNotExecutable':
      return `fix the path in --dump-binary or backup.dump.binary (${at('binary')})`
    case 'clientBinaryMissing':
      return 'install mariadb-client (or MySQL’s client) so that mariadb or mysql is on PATH'
    case 'clientBinaryNotExecutable':
      return `fix the configured path of the SQL client (${at('binary')})`
    case 'lockTimeout':
      return `find the session holding the table's lock (SHOW PROCESSLIST) and end it or wait for it, then run the backup again; or raise backup.dump.lock_wait_timeout (now ${at('seconds')} s)`
    case 'missingPrivileges':
      return `run as an administrator: ${at('grant')}`
    case 'keychainNoSession':
    case 'keychainLocked':
    case 'keychainNoService':
    case 'keychainFailed':
      return keychainAdviceText(advice.code)
    case 'unknownDatabase':
      return at('suggestions')
        ? `did you mean ${at('suggestions')}? (sfdbtools db-scan lists the databases)`
        : 'sfdbtools db-scan lists the databases'
    case 'companionMissing':
    case 'companionsInAll':
    case 'noUsersFile':
    case 'emptySelection':
      return selectionAdviceText(advice.code, at)
    case 'targetNotEmpty':
    case 'dataOnlyTargetMissing':
    case 'sameServerRestore':
    case 'partlyRestored':
    case 'restoreSqlError':
      return restoreAdviceText(advice.code, at)
    case 'excludedNotOnServer':
      return 'check the spelling in --exclude-db / --exclude-db-file / the config'
    default:
      return assertNever(advice.code)
  }
}

const KEY_ADVICE = [
  'backupKeyRequired',
  'backupKeyToEncrypt',
  'profileKeyRequired',
  'notEncrypted',
  'allowIncomplete',
  'sshHostKeyUnknown',
  'sshHostKeyChanged',
  'sshLoginRefused',
  'profileNotFound',
  'profileKeyIsGlobal',
] as const
type KeyAdvice = (typeof KEY_ADVICE)[number]
const isKeyAdvice = (code: AdviceCode): code is KeyAdvice => (KEY_ADVICE as readonly string[]).includes(code)

/** The advice about keys, encrypted files, SSH and profiles, with this CLI's flags and commands. */
function keyAdviceText(code: KeyAdvice, at: (name: string) => string): string {
  switch (code) {
    case 'backupKeyRequired':
      return 'give the backup key with --encryption-key/-K, SFDB_BACKUP_ENCRYPTION_KEY or `sfdbtools key set backup-key`'
    case 'backupKeyToEncrypt':
      return `give a backup key with --encryption-key/-K, SFDB_BACKUP_ENCRYPTION_KEY or \`sfdbtools key set backup-key --profile ${at('profile')}\`, or pass --no-encrypt`
    case 'profileKeyRequired':
      return 'give the profile key with --profile-key, SFDB_PROFILE_KEY or `sfdbtools key set profile-key`'
    case 'notEncrypted':
      return 'use --decompress to turn it into SQL'
    case 'allowIncomplete':
      return 'run sfdbtools verify on it; to keep what can be read anyway, pass --allow-incomplete'
    case 'sshHostKeyUnknown':
      return `confirm it once on a terminal (sfdbtools profile test), or add it to ${at('knownHosts')}, or — only if you accept the risk — pass --ssh-insecure / set SFDB_SSH_INSECURE_IGNORE_HOSTKEY=1`
    case 'sshHostKeyChanged':
      return `if the server was really re-keyed, remove its line from ${at('knownHosts')}`
    case 'sshLoginRefused':
      return 'check the SSH user, then set the right secret with sfdbtools profile edit --ssh-password-stdin or --ssh-identity-file'
    case 'profileNotFound':
      return 'run `sfdbtools profile list` to see the saved profiles'
    case 'profileKeyIsGlobal':
      return 'use it without --profile'
  }
}

const OFFSITE_ADVICE = [
  'copyUnreachable',
  'copyLoginRefused',
  'copyVerifyFailed',
  'copyUnknownDestination',
] as const
type OffsiteAdvice = (typeof OFFSITE_ADVICE)[number]
const isOffsiteAdvice = (code: AdviceCode): code is OffsiteAdvice =>
  (OFFSITE_ADVICE as readonly string[]).includes(code)

/** The advice of offsite copies (backup --copy-to, sfdbtools destination). */
function offsiteAdviceText(code: OffsiteAdvice, destination: string, kind: string): string {
  switch (code) {
    case 'copyUnreachable':
      return `the local backup is kept; check it with \`sfdbtools destination test ${destination}\`, then copy it again`
    case 'copyLoginRefused':
      return kind === 's3'
        ? `check the access key of ${destination} and its rights on the bucket: add it again with \`sfdbtools destination add-s3 ${destination} …\` and --access-key-id with --secret-stdin, or --aws-chain`
        : `check the user and secret of ${destination}: add it again with \`sfdbtools destination add-sftp ${destination} …\` and --password-stdin or --identity-file`
    case 'copyVerifyFailed':
      return `the local backup is kept; check the disk of ${destination}, then copy it again`
    case 'copyUnknownDestination':
      return '`sfdbtools destination list` shows the destinations; add one with `sfdbtools destination add-folder|add-sftp|add-s3`'
  }
}

/** The advice of a backup's selection: companions, grants files, an empty selection. */
function selectionAdviceText(
  code: 'companionMissing' | 'companionsInAll' | 'noUsersFile' | 'emptySelection',
  at: (name: string) => string,
): string {
  switch (code) {
    case 'companionMissing':
      return `leave out the --include-… flag for ${at('database')}, or create ${at('companion')}`
    case 'companionsInAll':
      return '--include-dmart/--include-temp/--include-archive belong to single, primary and secondary'
    case 'noUsersFile':
      return 'accounts with only global grants (on *.*) belong to no database: `sfdbtools backup all` exports them'
    case 'emptySelection':
      return 'loosen the filters: --exclude-db / --exclude-db-file / --exclude-empty, --prefix / --client-code / --instance, or --include-system'
  }
}

/** What to do when the OS keychain cannot give a key. */
function keychainAdviceText(
  code: 'keychainNoSession' | 'keychainLocked' | 'keychainNoService' | 'keychainFailed',
): string {
  switch (code) {
    case 'keychainNoSession':
      return `run in a desktop session, or start one with dbus-run-session and an unlocked gnome-keyring, ${KEY_WAYS}`
    case 'keychainLocked':
      return `unlock it (log in to the desktop), ${KEY_WAYS}`
    case 'keychainNoService':
      return `install and start gnome-keyring (or KeePassXC's Secret Service), ${KEY_WAYS}`
    case 'keychainFailed':
      return KEY_WAYS.replace(/^or /, '')
  }
}

const TABLE_ADVICE = ['unknownTable', 'tableRulesMode', 'tableRulesDatabase', 'dataOnlyTables'] as const
type TableAdvice = (typeof TABLE_ADVICE)[number]
const isTableAdvice = (code: AdviceCode): code is TableAdvice =>
  (TABLE_ADVICE as readonly string[]).includes(code)

/** The advice of table rules, with the backup command's table flags. */
function tableAdviceText(code: TableAdvice, at: (name: string) => string): string {
  switch (code) {
    case 'unknownTable':
      return at('suggestions')
        ? `did you mean ${at('suggestions')}? (check the names given to --exclude-table/--include-table/--structure-only/--data-only)`
        : `check the names given to --exclude-table/--include-table/--structure-only/--data-only against the tables of ${at('database')}`
    case 'tableRulesMode':
      return '--exclude-table/--include-table/--structure-only/--data-only belong to backup single and backup filter'
    case 'tableRulesDatabase':
      return `name tables of the selected databases (${at('databases')}) as db.table, or add ${at('database')} with --db`
    case 'dataOnlyTables':
      return `restore the file into a database that has ${at('tables')}; or drop --data-only to back them up whole`
  }
}

const NOTIFY_ADVICE = [
  'smtpAuthFailed',
  'smtpPasswordMissing',
  'notifyUnreachable',
  'notifyTlsFailed',
  'notifyRefused',
] as const
type NotifyAdvice = (typeof NOTIFY_ADVICE)[number]
const isNotifyAdvice = (code: AdviceCode): code is NotifyAdvice =>
  (NOTIFY_ADVICE as readonly string[]).includes(code)

/** The advice of a notification (e-mail, webhook) that was not sent, with the notify command. */
function notifyAdviceText(code: NotifyAdvice, at: (name: string) => string): string {
  switch (code) {
    case 'smtpAuthFailed':
      return `check the user ${at('user')} and store the right password: \`sfdbtools notify add-email ${at('channel')} … --replace\` (the password from stdin)`
    case 'smtpPasswordMissing':
      return `store its password again: \`sfdbtools notify add-email ${at('channel')} … --replace\` (the password from stdin)`
    case 'notifyUnreachable':
      return `the backup files are kept; check that ${at('host')} is up and reachable, then \`sfdbtools notify test ${at('channel')}\``
    case 'notifyTlsFailed':
      return `${at('host')}'s certificate is not trusted or it offers no TLS: fix the server, or trust its CA with NODE_EXTRA_CA_CERTS`
    case 'notifyRefused':
      return `${at('host')} refused the message (${at('status')}): check the address and recipients of ${at('channel')}, then \`sfdbtools notify test ${at('channel')}\``
  }
}

/** The advice of a restore, with the restore command's flags. */
function restoreAdviceText(
  code:
    'targetNotEmpty' | 'dataOnlyTargetMissing' | 'sameServerRestore' | 'partlyRestored' | 'restoreSqlError',
  at: (name: string) => string,
): string {
  switch (code) {
    case 'targetNotEmpty':
      return `pass --drop-target to replace ${at('database')} (a pre-restore backup is made first unless --skip-backup), or restore under another name with --target-db`
    case 'dataOnlyTargetMissing':
      return `the file holds only the rows of ${at('tables')}: restore it with --target-db into a database that already has these tables, without --drop-target (a new, throwaway or replaced database has no table for them)`
    case 'sameServerRestore':
      return `this overwrites ${at('database')} on ${at('host')} with its own backup: confirm at the prompt, pass --yes, or restore under another name with --target-db`
    case 'partlyRestored':
      return at('preRestoreBackup')
        ? `${at('database')} is partly restored; to undo: sfdbtools restore single ${at('preRestoreBackup')} --target-db ${at('database')} --drop-target --ticket T`
        : `${at('database')} is partly restored and no pre-restore backup was made: drop it or restore it again with --drop-target`
    case 'restoreSqlError':
      return `fix statement ${at('statement')} in the dump, or pass --force to go on past SQL errors and list them`
  }
}

/** An error as the CLI prints it: code, what happened, what to do, then the detail (e.g. the dump's stderr). */
export function errorText(error: AppError): string {
  const fix = error.advice ? `\n  fix: ${adviceText(error.advice)}` : ''
  return `error [${error.code}]: ${error.message}${fix}${error.detail ? `\n${error.detail}` : ''}`
}

/** A plan's warning: what it is about, and what to do about it. */
export const noticeText = (n: Notice): string =>
  n.advice ? `${n.message} — ${adviceText(n.advice)}` : n.message

/** Why a database was left out, with the flag that decides it. */
export function exclusionText(e: Pick<Exclusion, 'reason' | 'value'>): string {
  switch (e.reason) {
    case 'system':
      return 'system database (--exclude-system; --include-system keeps it)'
    case 'companion':
      return `${e.value ?? ''} companion (added with --include-${(e.value ?? '').slice(1)})`
    case 'prefix':
      return `does not start with the prefix '${e.value ?? ''}' (--prefix)`
    case 'notSecondary':
      return "not a secondary (no '_secondary')"
    case 'secondary':
      return "a secondary ('_secondary')"
    case 'clientCode':
      return `not client code '${e.value ?? ''}' (--client-code)`
    case 'instance':
      return `not instance '${e.value ?? ''}' (--instance)`
    case 'excludeList':
      return 'excluded (--exclude-db / --exclude-db-file / config)'
    case 'empty':
      return 'no tables (--exclude-empty)'
    default:
      return assertNever(e.reason)
  }
}

/** The advice of a preset's schedule (sfdbtools schedule add / export). */
function scheduleAdviceText(
  code: 'scheduleInvalid' | 'scheduleNotExportable',
  at: (name: string) => string,
): string {
  return code === 'scheduleInvalid'
    ? `fix the ${at('field')} field of "${at('expression')}" (minute hour day-of-month month day-of-week), or use --daily HH:MM, --weekly mon,thu@HH:MM or --every Nh`
    : `${at('target')} cannot express "${at('expression')}": export it with --cron, or choose a schedule it can (lists, ranges and steps of minutes and hours; days of the month or of the week, not both)`
}
