/**
 * Errors cross process boundaries as data. The set of codes is closed: every consumer switches over it
 * exhaustively (see assertNever).
 */
export const ERROR_CODES = [
  'AuthFailed', // the server refused the credentials
  'ConnectFailed', // the server could not be reached
  'UnknownDatabase', // a named database does not exist on the server
  'DumpFailed', // the dump binary exited non-zero / was killed
  'DumpBinaryMissing', // neither mariadb-dump nor mysqldump was found
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
  'Cancelled', // cancelled by the user; never reported as a failure
  'JobCrashed', // the job process exited without a final event
  'Internal',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface AppError {
  code: ErrorCode
  message: string
  /** Extra text for a DBA (e.g. the tail of the dump's stderr). Never holds a secret. */
  detail?: string
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
