/**
 * Errors cross process boundaries as data. The set of codes is closed: every consumer switches over it
 * exhaustively (see assertNever).
 */
export const ERROR_CODES = [
  'AuthFailed', // the server refused the credentials
  'ConnectFailed', // the server could not be reached
  'UnknownDatabase', // a named database does not exist on the server
  'UnknownTable', // a table named by a backup's table rules does not exist in its database
  'DumpFailed', // the dump binary exited non-zero / was killed
  'LockTimeout', // the dump waited longer than the configured lock wait for a table another session holds
  'DumpBinaryMissing', // neither mariadb-dump nor mysqldump was found
  'ClientBinaryMissing', // neither mariadb nor mysql (the SQL client a restore runs) was found
  'SqlError', // the server refused a statement of a restore; the message names its line
  'DiskFull', // ENOSPC / EDQUOT while writing
  'PermissionDenied', // EACCES / EPERM on a path
  'MissingPrivilege', // the database account lacks a privilege; the message names the GRANT that fixes it
  'WrongKey', // a decryption key does not open the file / profile
  'CorruptFile', // a container or compression stream is damaged or truncated
  'ChecksumMismatch', // file bytes do not match the sha256 recorded in the metadata
  'IncompleteDump', // the SQL does not end with the dump's completion trailer
  'ProfileNotFound',
  'ProfileExists',
  'InvalidProfile',
  'MissingKey', // a required key was given by none of the supported ways
  'KeychainUnavailable', // the OS keychain cannot be reached (no D-Bus session, locked, no Secret Service)
  'InvalidInput', // a usage or validation error
  'InvalidConfig', // the config file is missing (when named explicitly), unreadable YAML or fails its schema
  'FileExists', // an output would overwrite an existing file
  'FileNotFound', // a file or folder named as input (or an output's folder) does not exist
  'TargetNotEmpty', // a restore's target database exists and has tables, and replacing it was not asked for
  'DataOnlyTablesMissing', // a restore's file holds data-only tables the target lacks (or would drop, or creates fresh)
  'CopyFailed', // an offsite copy (folder, SFTP or S3 destination) could not be written or verified
  'NotifyFailed', // a notification (e-mail, webhook) could not be sent; never fails the backup it is about
  'Cancelled', // cancelled by the user; never reported as a failure
  'JobCrashed', // the job process exited without a final event
  'Internal',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/**
 * What a DBA can do about an error or a warning. The engine names it and gives the facts (params); each
 * surface phrases it in its own words: the CLI with its flags (electron/cli/advice.ts), the app in English
 * and Bahasa Indonesia (renderer/src/i18n, keys `advice.<code>`). Engine messages themselves name no flag.
 */
export const ADVICE_CODES = [
  'ticketRequired', // a backup needs a ticket
  'filterModeRequired', // filter: one combined file or one per database
  'filterDatabasesRequired', // filter: which databases
  'singleDatabaseRequired', // single: exactly one database
  'fileNameOneFile', // a fixed file name for a run that writes {files} files
  'diskSpace', // {dir} has {freeBytes} free, about {neededBytes} needed: refused
  'diskSpaceTight', // {dir} has {freeBytes} free, about {neededBytes} needed: a warning
  'dumpBinaryFlavor', // {binary} is {binaryFlavor}'s, the server {serverFlavor} {serverVersion}; use {client}
  'dumpBinaryMissing', // neither mariadb-dump nor mysqldump found
  'dumpBinaryNotExecutable', // the configured {binary} is not an executable
  'clientBinaryMissing', // neither mariadb nor mysql found
  'clientBinaryNotExecutable', // the configured SQL client {binary} is not an executable
  'lockTimeout', // the dump waited {seconds} s (the limit) for a lock on a table of {database}
  'missingPrivileges', // {account} lacks {privileges}; {grant} fixes it
  'backupKeyRequired', // {file} is encrypted and no backup key was given
  'backupKeyToEncrypt', // a backup of {profile} should be encrypted and no backup key was found
  'profileKeyRequired', // the profiles are encrypted and no profile key was found
  'notEncrypted', // {file} is not encrypted: decompress it instead
  'allowIncomplete', // decrypt: {file}'s output could not be proven complete; keep it anyway on purpose
  'sshHostKeyUnknown', // {host} {fingerprint} not in {knownHosts}
  'sshHostKeyChanged', // {host} now {fingerprint}; {knownHosts}
  'sshLoginRefused', // {user}@{host}:{port} refused {tried}
  'profileNotFound', // {path}
  'profileKeyIsGlobal', // the profile key is one key for every profile
  'keychainNoSession', // no D-Bus session bus
  'keychainLocked', // the keychain is locked
  'keychainNoService', // no Secret Service
  'keychainFailed', // another keychain failure
  'unknownDatabase', // {database} is not on the server; {suggestions}
  'unknownTable', // {tables} are not in {database}; {suggestions}
  'tableRulesMode', // table rules mean nothing in mode {mode}
  'tableRulesDatabase', // table rules name {database}, which the backup does not include ({databases})
  'dataOnlyTables', // {count} tables {tables} of {database} are data only: restore where they exist
  'companionMissing', // {database} has no companion {companion}
  'companionsInAll', // companions mean nothing in mode all
  'noUsersFile', // no {file}.users.sql: no account holds grants on {databases} (global-only accounts: mode all)
  'excludedNotOnServer', // an excluded {database} is not on the server
  'emptySelection', // the filters of mode {mode} left nothing of the {databases} databases on the server
  'targetNotEmpty', // restore: {database} exists with {tables} tables ({sizeBytes}): replace it, or another name
  'dataOnlyTargetMissing', // restore: {database} needs the tables {tables} (data only in the file): into a database that has them, not replaced
  'sameServerRestore', // restore: the backup of {database} goes back into itself on {host}: confirm
  'partlyRestored', // restore: {database} is partly restored; {preRestoreBackup} (or '') holds its state before
  'restoreSqlError', // restore: statement {statement} failed; fix it, or go on past errors
  'copyUnreachable', // offsite: {destination} could not be reached or written; the local file is kept
  'copyLoginRefused', // offsite: {destination} ({user}@{host}) refused the login; {kind} 's3': an S3 access key
  'copyVerifyFailed', // offsite: the copy on {destination} does not match the local file
  'copyUnknownDestination', // offsite: no destination named {destination}
  'scheduleInvalid', // schedule: the {field} field '{value}' of the cron expression {expression} is invalid
  'scheduleNotExportable', // schedule: {expression} cannot be written as a {target} schedule
  'smtpAuthFailed', // notify: the SMTP server {host} refused the login of {user} for channel {channel}
  'smtpPasswordMissing', // notify: channel {channel} has a login and no password in the keychain
  'notifyUnreachable', // notify: {host} of channel {channel} cannot be reached
  'notifyTlsFailed', // notify: no trusted TLS connection to {host} of channel {channel}
  'notifyRefused', // notify: {host} of channel {channel} refused the message ({status})
] as const
export type AdviceCode = (typeof ADVICE_CODES)[number]

/** The facts an advice is phrased with: names, paths, byte counts. Never a secret. */
export type AdviceParams = Record<string, string | number>

export interface Advice {
  code: AdviceCode
  params?: AdviceParams
}

export interface AppError {
  code: ErrorCode
  /** What happened, in plain English without any surface's vocabulary (no flag, no button). */
  message: string
  /** Extra text for a DBA (e.g. the tail of the dump's stderr). Never holds a secret. */
  detail?: string
  /** What to do about it, phrased by the surface that shows the error. */
  advice?: Advice
}

/** A warning of a plan: what it is about, and what to do about it when something can be done. */
export interface Notice {
  message: string
  advice?: Advice
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const err = <T = never>(code: ErrorCode, message: string, detail?: string): Result<T> => ({
  ok: false,
  error: detail === undefined ? { code, message } : { code, message, detail },
})

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`)
}
