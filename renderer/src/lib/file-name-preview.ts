/**
 * A live example of the file names a pattern gives, while the user types it — with the very naming rules
 * the engine writes with (shared/file-names.ts); the dry-run then shows the real names.
 */
import type { BackupMode, CompressionType } from '../../../shared/backup-types.ts'
import {
  combinedFileDb,
  parseNamePattern,
  renderFileName,
  writesCombinedFile,
} from '../../../shared/file-names.ts'

export interface NamePreviewInput {
  pattern: string
  mode: BackupMode
  /** filter: one combined file or one file per database. */
  combined: boolean
  database: string
  host: string
  ticket: string
  databaseCount: number
  excludeData: boolean
  compression: CompressionType
  encrypted: boolean
  date: Date
}

/** Why a pattern cannot be used: unknown tokens or a directory part; null when it is fine. */
export function patternProblem(pattern: string): { unknown: string[] } | { directory: true } | null {
  const parsed = parseNamePattern(pattern)
  if (parsed.ok) return null
  return parsed.unknownTokens.length > 0 ? { unknown: parsed.unknownTokens } : { directory: true }
}

/** Stands for a ticket not yet typed (letters only: it survives the ticket's clean-up for names). */
const TICKET_STAND_IN = 'zzTicketStandInzz'

/**
 * The file name the pattern gives for this input (null when the pattern is unusable). Before the ticket is
 * known (an empty `ticket`), its place shows `<ticket>`, not a made-up value.
 */
export function previewFileName(input: NamePreviewInput): string | null {
  const name = renderPreview(input.ticket.trim() === '' ? { ...input, ticket: TICKET_STAND_IN } : input)
  return name === null ? null : name.replace(TICKET_STAND_IN, '<ticket>')
}

function renderPreview(input: NamePreviewInput): string | null {
  if (input.pattern.trim() === '') return null
  const parsed = parseNamePattern(input.pattern)
  if (!parsed.ok) return null
  const combined = writesCombinedFile(input.mode, input.combined)
  return renderFileName(
    combined ? parsed.pattern.combined : parsed.pattern.perDatabase,
    {
      db: combined ? combinedFileDb(input.mode, input.pattern) : input.database || 'database',
      mode: input.mode,
      host: input.host,
      date: input.date,
      ticket: input.ticket,
      n: combined ? input.databaseCount : 1,
      excludeData: input.excludeData,
    },
    input.compression,
    input.encrypted,
  )
}
