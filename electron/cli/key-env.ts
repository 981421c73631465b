/**
 * The names of the environment variables that may hold a key. A module of its own, without imports: the CLI's
 * entry needs them before anything else loads (prefetch-key.ts, job-fork.ts).
 */

/** Env vars that may hold the profile key, in order (ours first, then the real tool's). */
export const PROFILE_KEY_ENV = ['SFDB_PROFILE_KEY', 'SFDB_SOURCE_PROFILE_KEY', 'SFDB_ENCRYPTION_KEY'] as const
/** Env vars that may hold the backup encryption key, in order. */
export const BACKUP_KEY_ENV = ['SFDB_BACKUP_ENCRYPTION_KEY', 'SFDB_ENCRYPTION_KEY'] as const

/**
 * Environment variables that may hold a key. The job gets its keys in the plan over the process channel;
 * it and the dump/SQL clients it starts must not inherit them (another local user with the same uid, a core
 * dump or /proc/<pid>/environ would show them).
 */
export const SECRET_ENV = [
  ...new Set([...PROFILE_KEY_ENV, ...BACKUP_KEY_ENV, 'SFDB_IMPORT_PROFILE_KEY']),
] as readonly string[]
