/**
 * The names of the environment variables that may hold a key. A module of its own, without imports: the CLI's
 * entry needs them before anything else loads (prefetch-key.ts).
 */

/** Env vars that may hold the profile key, in order (ours first, then the real tool's). */
export const PROFILE_KEY_ENV = ['SFDB_PROFILE_KEY', 'SFDB_SOURCE_PROFILE_KEY', 'SFDB_ENCRYPTION_KEY'] as const
/** Env vars that may hold the backup encryption key, in order. */
export const BACKUP_KEY_ENV = ['SFDB_BACKUP_ENCRYPTION_KEY', 'SFDB_ENCRYPTION_KEY'] as const
