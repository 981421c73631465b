/**
 * The loader's contract: one backup file's SQL into a server, sequentially through one `mariadb`/`mysql`
 * client or in parallel over N clients (tables at once), with progress, cancel, `force`, and a count of
 * what the dump holds. The orchestrator (../run) decides what to load where; the loader only loads.
 */
import type { nodeSpawn } from './spawn-type.ts'
import type { CompressionType } from '../../../../shared/backup-types.ts'
import type { ConnectionSettings, LogLevel } from '../../../../shared/job-protocol.ts'
import type { RemoteBackup, RestoreSqlError } from '../../../../shared/restore-types.ts'
import type { AppError } from '../../../../shared/result.ts'
import type { HostKeyPolicy } from '../../ssh/tunnel.ts'
import type { RestoreProgress } from '../restore-progress.ts'

/**
 * Where the SQL goes:
 * - one: every statement into `database` (the dump's own USE / CREATE DATABASE lines are pointed at it);
 * - sections: a combined / all-databases dump restored into the databases its `USE` lines name, minus
 *   `exclude` (those sections are skipped, not sent).
 */
export type LoadTarget = { kind: 'one'; database: string } | { kind: 'sections'; exclude: string[] }

export interface LoadOptions {
  file: string
  /** The file is on an offsite destination (`file` is its label): streamed from it (remote-source.ts). */
  remote?: RemoteBackup
  key: string | null
  /** The server, as the profile reaches it: the loader opens the SSH tunnel when there is one. */
  connection: ConnectionSettings
  target: LoadTarget
  /** Clients loading at once; 1 = the dump in order through one client. */
  parallel: number
  /** Go on past SQL errors (as `mysql --force`) and collect them; else the first one stops the load. */
  force: boolean
  /** Count rows per table and the views/routines/triggers/events the dump defines (restore test). */
  inventory: boolean
  signal: AbortSignal
  onProgress?: (p: RestoreProgress) => void
  onLog?: (level: LogLevel, message: string) => void
  /**
   * How statements reach the server: `native` over the MySQL protocol (one connection per session, no
   * client process) or `client` through `mariadb`/`mysql` processes. Default: `client` when a client binary
   * is configured, else `native`.
   */
  loader?: 'native' | 'client' | null
  clientBinary?: string | null
  totalSqlBytes?: number | null
  totalTables?: number | null
  hostKeyPolicy?: HostKeyPolicy
  /** Tests watch the client's arguments with their own spawn. */
  spawn?: nodeSpawn
  /**
   * Parallel loads: the statements the sessions' queues keep in memory (all together) before they spill
   * them (encrypted) to their temp files; default 64 MiB. Tests set 0 to make every block go through the
   * spill file.
   */
  spillMemoryBytes?: number
  /** Parallel loads: called (and awaited: the reader waits) after each encrypted block is written to `file`. */
  onSpillBlock?: (file: string) => Promise<void> | void
}

export interface InventoryTable {
  database: string
  name: string
  /** Rows the dump's INSERT statements hold for this table. */
  rows: number
}

export interface Inventory {
  tables: InventoryTable[]
  views: { database: string; name: string }[]
  procedures: { database: string; name: string }[]
  functions: { database: string; name: string }[]
  triggers: { database: string; name: string }[]
  events: { database: string; name: string }[]
}

export interface LoadResult {
  /**
   * success: every statement ran (with `force`: errors, if any, are in sqlErrors); cancelled: stopped on
   * request; failed: a SQL error (without force), a lost client or a damaged file after the server was
   * touched — `error` says which and the target is partly restored.
   */
  status: 'success' | 'cancelled' | 'failed'
  error: AppError | null
  /** Databases written (one for `one`; the sections restored for `sections`). */
  databases: string[]
  /** Database names the dump itself names (USE / CREATE DATABASE lines). */
  sourceDatabases: string[]
  /** Sections skipped (`sections` target): excluded databases found in the file. */
  skippedDatabases: string[]
  createdDatabases: string[]
  /** Whether anything was sent to the server (false: it failed before the target was touched). */
  touched: boolean
  sqlBytes: number
  compression: CompressionType | null
  encrypted: boolean
  durationMs: number
  tables: number
  rows: number | null
  /** Present when `inventory` was asked. */
  inventory: Inventory | null
  sqlErrors: RestoreSqlError[]
  warnings: string[]
  client: { path: string; version: string }
}
