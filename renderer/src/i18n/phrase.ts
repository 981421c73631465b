/**
 * The app's words for what the engine reports: an error's code, the advice the engine attaches to an error
 * or a warning (with its facts as parameters), and why a database was left out — in the UI's language. The
 * engine's own message is plain English without any surface's vocabulary; the CLI phrases the same codes
 * with its flags (electron/cli/advice.ts).
 */
import type { Exclusion, LockWait } from '../../../shared/backup-types.ts'
import type { Advice, AppError, Notice } from '../../../shared/result.ts'
import { formatBytes } from '../lib/format.ts'
import type { Language, MessageKey, Translate } from './messages.ts'

/** The fields of a cron expression the engine names in a `scheduleInvalid` advice (and its count). */
const CRON_FIELDS: readonly string[] = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week', 'count']

/** An advice in the UI's language; byte counts (params named …Bytes) formatted for it. */
export function adviceText(t: Translate, language: Language, advice: Advice): string {
  const values: Record<string, string | number> = {}
  for (const [name, value] of Object.entries(advice.params ?? {}))
    values[name] = name.endsWith('Bytes') && typeof value === 'number' ? formatBytes(value, language) : value
  if (advice.code === 'unknownDatabase' || advice.code === 'unknownTable')
    values.suggestions = values.suggestions
      ? t('advice.unknownDatabaseSuggest', { names: String(values.suggestions) })
      : ''
  // A cron expression's field in the UI's words ("count of" when the number of fields is wrong).
  if (advice.code === 'scheduleInvalid' && typeof values.field === 'string') {
    const field = values.field === 'count of' ? 'count' : values.field
    if (CRON_FIELDS.includes(field)) values.field = t(`schedule.cronField.${field}` as MessageKey)
  }
  if (advice.code === 'partlyRestored' && !values.preRestoreBackup)
    return t('advice.partlyRestoredNoBackup', values).trim()
  return t(`advice.${advice.code}` as MessageKey, values).trim()
}

/** What an error code means, in a few words. */
export const errorTitle = (t: Translate, error: Pick<AppError, 'code'>): string =>
  t(`errorCode.${error.code}` as MessageKey)

/**
 * The sentence the app shows for an error: the advice in the UI's language when the engine gave one, else
 * the code's meaning followed by the engine's message (the server's or the system's own words).
 */
export function errorText(t: Translate, language: Language, error: AppError): string {
  if (error.advice) return adviceText(t, language, error.advice)
  return `${errorTitle(t, error)}: ${error.message}`
}

/** A plan's warning in the UI's language. */
export const noticeText = (t: Translate, language: Language, notice: Notice): string =>
  notice.advice ? adviceText(t, language, notice.advice) : notice.message

/** Why a database was left out. */
export const exclusionText = (t: Translate, e: Pick<Exclusion, 'reason' | 'value'>): string =>
  t(`exclusion.${e.reason}` as MessageKey, { value: e.value ?? '' })

/** A dump waiting for a table's metadata lock: which table, who holds it (when known) and for how long. */
export function lockWaitText(t: Translate, w: LockWait): string {
  const table = `\`${w.database}\`.\`${w.table}\``
  return w.holder
    ? t('jobs.lockWait', {
        table,
        id: w.holder.id,
        user: w.holder.user,
        host: w.holder.host,
        seconds: w.seconds,
      })
    : t('jobs.lockWaitUnknown', { table, seconds: w.seconds })
}
