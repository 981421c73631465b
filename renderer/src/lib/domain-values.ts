/**
 * The closed sets of shared/ the UI lists (modes, compression types, …). shared/backup-types.ts and
 * shared/ipc.ts build zod schemas at load time, so importing their values would put zod in the renderer
 * bundle; these copies are checked against the shared types instead (a missing or extra value fails to compile).
 * Tables that shared/ keeps in zod-free modules are imported from there directly: the compression levels
 * (min, max, default per type) from shared/compression.ts, sizes and durations from shared/format.ts.
 */
import type { BackupMode, CompressionType, TargetStatus, TlsMode } from '../../../shared/backup-types.ts'
import type { JobTrigger, Settings } from '../../../shared/ipc.ts'

type AssertNever<T extends never> = T

export const BACKUP_MODES = [
  'single',
  'filter',
  'all',
  'primary',
  'secondary',
] as const satisfies readonly BackupMode[]
export const COMPRESSION_TYPES = [
  'zstd',
  'pgzip',
  'gzip',
  'zlib',
  'xz',
  'none',
] as const satisfies readonly CompressionType[]
export const TLS_MODES = [
  'disabled',
  'preferred',
  'required',
  'verify-ca',
  'verify-identity',
] as const satisfies readonly TlsMode[]
export const TARGET_STATUSES = [
  'success',
  'success_with_warnings',
  'failed',
  'cancelled',
  'skipped',
] as const satisfies readonly TargetStatus[]
export const THEMES = ['system', 'light', 'dark'] as const satisfies readonly Settings['theme'][]
export const LANGUAGES = ['en', 'id'] as const satisfies readonly Settings['language'][]
export const JOB_TRIGGERS = ['manual', 'retry', 'scheduled'] as const satisfies readonly JobTrigger[]

export type _AllListed = AssertNever<
  | Exclude<BackupMode, (typeof BACKUP_MODES)[number]>
  | Exclude<CompressionType, (typeof COMPRESSION_TYPES)[number]>
  | Exclude<TlsMode, (typeof TLS_MODES)[number]>
  | Exclude<TargetStatus, (typeof TARGET_STATUSES)[number]>
  | Exclude<Settings['theme'], (typeof THEMES)[number]>
  | Exclude<Settings['language'], (typeof LANGUAGES)[number]>
  | Exclude<JobTrigger, (typeof JOB_TRIGGERS)[number]>
>
