import { useEffect, useId, useRef } from 'react'
import type { ReactElement } from 'react'
import type { RestoreItemResult, RestoreStatus, RestoreTestReport } from '../../../../shared/restore-types.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import type { BadgeTone } from '../../components/StatusBadge.tsx'
import { adviceText } from '../../i18n/phrase.ts'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { baseName, formatBytes, formatCount, formatDuration, formatRate } from '../../lib/format.ts'
import type { FinishedRestore } from '../../stores/restore-store.ts'
import { restoreJobTitle } from './RestoreJobCard.tsx'

export const RESTORE_TONES: Record<RestoreStatus, BadgeTone> = {
  success: 'ok',
  success_with_warnings: 'warn',
  success_with_errors: 'warn',
  failed: 'error',
  cancelled: 'muted',
  skipped: 'muted',
}

export interface RestoreResultViewProps {
  job: FinishedRestore
  onDismiss(jobId: string): void
  focus?: boolean
  onFocused?(): void
}

/** The outcome's badge: the result's status, the test's pass/fail, or failed/cancelled. */
function outcomeBadge(job: FinishedRestore): {
  tone: BadgeTone
  status: RestoreStatus | 'passed' | 'testFailed'
} {
  if (job.report !== null)
    return job.report.ok ? { tone: 'ok', status: 'passed' } : { tone: 'error', status: 'testFailed' }
  if (job.result !== null) return { tone: RESTORE_TONES[job.result.status], status: job.result.status }
  return job.outcome === 'cancelled'
    ? { tone: 'muted', status: 'cancelled' }
    : { tone: 'error', status: 'failed' }
}

/** After a restore: per item status, tables, rows, duration, throughput, grants, pre-restore backup, undo, SQL errors. */
export function RestoreResultView({
  job,
  onDismiss,
  focus = false,
  onFocused,
}: RestoreResultViewProps): ReactElement {
  const t = useT()
  const language = useLanguage()
  const headingId = useId()
  const heading = useRef<HTMLHeadingElement>(null)

  useEffect(() => {
    if (!focus) return
    heading.current?.scrollIntoView({ block: 'start' })
    heading.current?.focus()
    onFocused?.()
  }, [focus, onFocused])

  const badge = outcomeBadge(job)
  return (
    <article className="card result-card" aria-labelledby={headingId}>
      <div className="job-card-head">
        <h3 id={headingId} ref={heading} tabIndex={-1}>
          {restoreJobTitle(job, t)}
        </h3>
        <StatusBadge tone={badge.tone}>{t(`restoreResult.status.${badge.status}`)}</StatusBadge>
        <span className="spacer" />
        <button type="button" className="button button-quiet" onClick={() => onDismiss(job.jobId)}>
          {t('result.dismiss')}
        </button>
      </div>
      {job.error !== null && <ErrorNotice error={job.error} title={t('restoreResult.failedTitle')} />}
      {job.report !== null && <RestoreTestSummary report={job.report} />}
      {job.result !== null && (
        <p role="status" className="result-verdict">
          {t('restoreResult.verdict', {
            items: job.result.items.length,
            duration: formatDuration(job.result.durationMs, language),
          })}
          {job.result.logFile !== null && (
            <>
              {' '}
              <span className="mono small">{t('restoreResult.log', { file: job.result.logFile })}</span>
            </>
          )}
        </p>
      )}
      {job.items.map((item, index) => (
        <RestoreItemView key={`${item.file}-${index}`} item={item} />
      ))}
    </article>
  )
}

function RestoreItemView({ item }: { item: RestoreItemResult }): ReactElement {
  const t = useT()
  const language = useLanguage()
  const database = item.databases.join(', ') || baseName(item.file)
  return (
    <section className="stack" aria-label={t('restoreResult.item', { database })}>
      <p>
        <span className="mono strong">{database}</span>{' '}
        <StatusBadge tone={RESTORE_TONES[item.status]}>
          {t(`restoreResult.status.${item.status}`)}
        </StatusBadge>
        {item.partlyRestored && <StatusBadge tone="error">{t('restoreResult.partly')}</StatusBadge>}
      </p>
      {item.partlyRestored && (
        <p className="notice notice-warn" role="alert">
          {adviceText(t, language, {
            code: 'partlyRestored',
            params: { database, preRestoreBackup: item.preRestoreBackup ?? '' },
          })}
        </p>
      )}
      {item.error !== null && <ErrorNotice error={item.error} />}
      <dl className="facts facts-grid">
        <dt>{t('result.col.file')}</dt>
        <dd className="mono break">{item.file}</dd>
        <dt>{t('restoreResult.tables')}</dt>
        <dd>{formatCount(item.tables, language)}</dd>
        <dt>{t('restoreResult.rows')}</dt>
        <dd>{item.rows === null ? '–' : formatCount(item.rows, language)}</dd>
        <dt>{t('result.sqlSize')}</dt>
        <dd>{formatBytes(item.sqlBytes, language)}</dd>
        <dt>{t('result.duration')}</dt>
        <dd>{formatDuration(item.durationMs, language)}</dd>
        <dt>{t('result.throughput')}</dt>
        <dd>{formatRate(item.bytesPerSecond, language)}</dd>
        <dt>{t('restoreResult.created')}</dt>
        <dd className="mono">{item.createdDatabases.join(', ') || '–'}</dd>
        <dt>{t('restoreResult.dropped')}</dt>
        <dd className="mono">{item.droppedDatabases.join(', ') || '–'}</dd>
        <dt>{t('restoreResult.grants')}</dt>
        <dd>
          {item.grants === null
            ? '–'
            : t('restoreResult.grantsText', {
                created: item.grants.createdAccounts.length,
                existing: item.grants.existingAccounts.length,
                applied: item.grants.appliedGrants,
              })}
        </dd>
        <dt>{t('restoreResult.preBackup')}</dt>
        <dd className="mono break">{item.preRestoreBackup ?? '–'}</dd>
        <dt>{t('restoreResult.undo')}</dt>
        <dd className="mono break small">{item.undo ?? '–'}</dd>
      </dl>
      {item.warnings.length > 0 && (
        <ul className="notice notice-warn" aria-label={t('restoreResult.warnings')}>
          {item.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      {item.sqlErrors.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption>{t('restoreResult.sqlErrors', { count: item.sqlErrors.length })}</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  {t('restoreResult.col.statement')}
                </th>
                <th scope="col">{t('restoreResult.col.message')}</th>
                <th scope="col">{t('restoreResult.col.sql')}</th>
              </tr>
            </thead>
            <tbody>
              {item.sqlErrors.map((e, index) => (
                <tr key={index}>
                  <td className="num">{e.statement ?? '–'}</td>
                  <td>
                    {e.errno !== null && <span className="mono">{e.errno} </span>}
                    {e.message}
                  </td>
                  <td className="mono small break">{e.text}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

/** A restore test's report: pass or fail, where, counts, what failed. */
export function RestoreTestSummary({ report }: { report: RestoreTestReport }): ReactElement {
  const t = useT()
  const language = useLanguage()
  const rows = report.tables.reduce((sum, table) => sum + (table.rows ?? 0), 0)
  return (
    <div className="stack">
      <p role="status" className="result-verdict">
        {report.ok
          ? t('restoreTest.passed', { tables: report.tables.length, rows: formatCount(rows, language) })
          : t('restoreTest.failed', { count: report.failures.length })}
      </p>
      {report.failures.length > 0 && (
        <ul className="notice notice-error" aria-label={t('restoreTest.failures')}>
          {report.failures.map((failure) => (
            <li key={failure}>{failure}</li>
          ))}
        </ul>
      )}
      <dl className="facts facts-grid">
        <dt>{t('preview.server')}</dt>
        <dd className="mono">
          {report.profile} · {report.server.host}:{report.server.port}
        </dd>
        <dt>{t('restoreTest.database')}</dt>
        <dd className="mono">{report.database}</dd>
        <dt>{t('restoreResult.tables')}</dt>
        <dd>{formatCount(report.tables.length, language)}</dd>
        <dt>{t('restoreResult.rows')}</dt>
        <dd>{formatCount(rows, language)}</dd>
        <dt>{t('restoreTest.objects')}</dt>
        <dd>
          {t('restoreTest.objectsText', {
            found: report.objects.filter((o) => o.found).length,
            total: report.objects.length,
          })}
        </dd>
        <dt>{t('result.duration')}</dt>
        <dd>{formatDuration(report.durationMs, language)}</dd>
        <dt>{t('restoreTest.cleanedUp')}</dt>
        <dd>{report.cleanedUp ? t('restoreTest.yes') : t('restoreTest.no')}</dd>
      </dl>
    </div>
  )
}
