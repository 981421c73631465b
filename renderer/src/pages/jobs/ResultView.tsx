import { Fragment, useEffect, useId, useRef, useState } from 'react'
import type { ReactElement } from 'react'
import type { TargetResult, TargetStatus } from '../../../../shared/backup-types.ts'
import type { HistoryEntry } from '../../../../shared/ipc.ts'
import type { AppError } from '../../../../shared/result.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { FileName } from '../../components/FileName.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import type { BadgeTone } from '../../components/StatusBadge.tsx'
import { VerifyReport } from '../../components/VerifyReport.tsx'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import {
  baseName,
  formatBytes,
  formatDateTime,
  formatDuration,
  formatPercent,
  formatRate,
} from '../../lib/format.ts'
import { retryBackup } from '../../lib/api.ts'
import { useHistoryStore } from '../../stores/history-store.ts'
import { useJobsStore } from '../../stores/jobs-store.ts'
import type { FinishedJob } from '../../stores/results-store.ts'
import { scheduledTag } from '../dashboard/schedule-model.ts'
import { JobLogPanel } from './JobLogPanel.tsx'
import { resultTotals, targetThroughput } from './result-summary.ts'

export const TARGET_TONES: Record<TargetStatus, BadgeTone> = {
  success: 'ok',
  success_with_warnings: 'warn',
  failed: 'error',
  cancelled: 'muted',
  skipped: 'muted',
}

const OUTCOME_TONES: Record<FinishedJob['outcome'], BadgeTone> = {
  done: 'ok',
  failed: 'error',
  // A cancel is the user's own choice: neutral, not a warning or an error.
  cancelled: 'muted',
}

/** The history entry of a written file (for its GTID and compression), matched by path. */
const entryOf = (entries: HistoryEntry[], file: string | null): HistoryEntry | undefined =>
  file === null ? undefined : entries.find((e) => e.backupFile === file || e.fileName === baseName(file))

export interface ResultViewProps {
  job: FinishedJob
  onDismiss(jobId: string): void
  /** Bring this result into view and focus its heading (a notification about it was clicked). */
  focus?: boolean
  onFocused?(): void
}

/** After a job: the manual's summary with one row per file, Show in folder, Verify, and any failure's detail. */
export function ResultView({ job, onDismiss, focus = false, onFocused }: ResultViewProps): ReactElement {
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

  const entries = useHistoryStore((state) => state.all)
  const durationMs = job.result?.durationMs ?? null
  const totals = resultTotals(job.targets, durationMs)
  const anyFailure = totals.failed > 0 || job.outcome === 'failed'
  // Every file written but some with warnings (a GTID not captured, grants not exported): not a plain Done.
  const withWarnings = job.outcome === 'done' && !anyFailure && totals.warnings > 0
  const tone: BadgeTone =
    job.outcome === 'done' && (anyFailure || withWarnings) ? 'warn' : OUTCOME_TONES[job.outcome]
  const outcomeKey =
    job.outcome === 'done' && anyFailure ? 'partial' : withWarnings ? 'warnings' : job.outcome
  const request = job.request
  const written = job.targets.map((target) => entryOf(entries, target.file))
  const gtids = written.map((e) => e?.gtid).filter((g): g is string => typeof g === 'string' && g !== '')
  const binlogs = written.map((e) => e?.binlog).filter((b): b is string => typeof b === 'string' && b !== '')
  const compression =
    request?.compression ?? entryOf(entries, job.targets[0]?.file ?? null)?.compression ?? null
  const encrypted = request?.encrypt ?? entryOf(entries, job.targets[0]?.file ?? null)?.encrypted ?? null
  // What did not get written can run again, with the same options, when the request is known.
  const retryable = request !== null && (anyFailure || job.outcome === 'cancelled')
  const retry = useRetry(job.jobId)

  return (
    <article className="card result-card" aria-labelledby={headingId}>
      <div className="job-card-head">
        <h3 id={headingId} ref={heading} tabIndex={-1}>
          {t('result.title', { profile: job.profile || '…', ticket: job.ticket || '…' })}
        </h3>
        <StatusBadge tone={tone}>{t(`result.outcome.${outcomeKey}`)}</StatusBadge>
        {job.mode !== null && <StatusBadge tone="info">{t(`mode.${job.mode}.name`)}</StatusBadge>}
        {job.retryOf !== null && <span className="tag">{t('result.retryOf')}</span>}
        {job.schedule !== null && <span className="tag">{scheduledTag(t, job.schedule)}</span>}
        {job.past && <span className="tag">{t('result.past')}</span>}
        <span className="spacer" />
        <button type="button" className="button button-quiet" onClick={() => onDismiss(job.jobId)}>
          {t('result.dismiss')}
        </button>
      </div>
      <p role="status" className="result-verdict">
        {t(`result.verdict.${withWarnings ? 'warnings' : job.outcome}`, {
          ok: totals.succeeded,
          failed: totals.failed,
          warnings: totals.warnings,
        })}
      </p>
      {job.error !== null && <ErrorNotice error={job.error} title={t('result.failedTitle')} />}
      <dl className="facts facts-grid">
        <dt>{t('result.succeeded')}</dt>
        <dd>{totals.succeeded}</dd>
        <dt>{t('result.failed')}</dt>
        <dd>{totals.failed}</dd>
        <dt>{t('result.totalSize')}</dt>
        <dd>{formatBytes(totals.bytes, language)}</dd>
        <dt>{t('result.sqlSize')}</dt>
        <dd>{formatBytes(totals.sqlBytes, language)}</dd>
        <dt>{t('result.duration')}</dt>
        <dd>{durationMs === null ? '–' : formatDuration(durationMs, language)}</dd>
        <dt>{t('result.throughput')}</dt>
        <dd>{totals.throughput === null ? '–' : formatRate(totals.throughput, language)}</dd>
        <dt>{t('result.compression')}</dt>
        <dd>
          {[
            compression === null
              ? null
              : compression.type === 'none'
                ? t('compression.none.name')
                : `${compression.type} ${compression.level ?? ''}`.trim(),
            totals.ratio === null
              ? null
              : t('result.ratio', { percent: formatPercent(totals.ratio, language) }),
          ]
            .filter((part) => part !== null)
            .join(' · ') || '–'}
        </dd>
        <dt>{t('result.encryption')}</dt>
        <dd>{encrypted === null ? '–' : encrypted ? 'AES-256-GCM' : t('result.notEncrypted')}</dd>
        <dt>{t('result.gtid')}</dt>
        <dd className="mono break">{gtids.length > 0 ? [...new Set(gtids)].join(', ') : '–'}</dd>
        {binlogs.length > 0 && (
          <>
            <dt>{t('result.binlog')}</dt>
            <dd className="mono break">{[...new Set(binlogs)].join(', ')}</dd>
          </>
        )}
        <dt>{t('result.finished')}</dt>
        <dd>{formatDateTime(job.result?.finishedAt ?? job.finishedAt, language)}</dd>
      </dl>
      {job.warnings.length > 0 && (
        <section className="stack-tight" aria-label={t('result.warningsTitle')}>
          <ul className="notes warn-notes">
            {job.warnings.map((warning) => (
              <li key={warning.message}>
                {warning.message}
                {job.targets.length > 1 && (
                  <span className="muted small block">
                    {t('result.warningWhere', { files: warning.where.join(', ') })}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {job.targets.length > 0 && <TargetTable targets={job.targets} />}
      <div className="result-actions">
        {retryable && (
          <button type="button" className="button" disabled={retry.busy} onClick={() => void retry.run()}>
            {t('result.retry')}
          </button>
        )}
        <JobLogPanel jobId={job.jobId} />
      </div>
      <p className="live-status" role="status">
        {retry.started ? t('result.retryStarted') : ''}
      </p>
      {retry.error !== null && <ErrorNotice error={retry.error} />}
    </article>
  )
}

/** "Retry failed": starts the new job; it then shows among the running ones (its events name it). */
function useRetry(jobId: string): {
  busy: boolean
  started: boolean
  error: AppError | null
  run(): Promise<void>
} {
  const [busy, setBusy] = useState(false)
  const [started, setStarted] = useState(false)
  const [error, setError] = useState<AppError | null>(null)
  const refresh = useJobsStore((state) => state.refresh)
  return {
    busy,
    started,
    error,
    run: async () => {
      setBusy(true)
      setStarted(false)
      const result = await retryBackup(jobId)
      setBusy(false)
      if (!result.ok) return setError(result.error)
      setError(null)
      setStarted(true)
      await refresh()
    },
  }
}

/** One row per file: status, sizes, duration, throughput, with Show in folder and Verify. */
function TargetTable({ targets }: { targets: TargetResult[] }): ReactElement {
  const t = useT()
  const language = useLanguage()
  const verifications = useHistoryStore((state) => state.verifications)
  const verify = useHistoryStore((state) => state.verify)
  const openFolder = useHistoryStore((state) => state.showInFolder)
  const [folderErrors, setFolderErrors] = useState<Record<string, AppError>>({})

  const show = async (file: string): Promise<void> => {
    const error = await openFolder(file)
    const { [file]: _old, ...rest } = folderErrors
    setFolderErrors(error === null ? rest : { ...rest, [file]: error })
  }

  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{t('result.filesCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('result.col.file')}</th>
            <th scope="col">{t('result.col.status')}</th>
            <th scope="col" className="num">
              {t('result.col.size')}
            </th>
            <th scope="col" className="num">
              {t('result.col.sql')}
            </th>
            <th scope="col" className="num">
              {t('result.col.duration')}
            </th>
            <th scope="col" className="num">
              {t('result.col.throughput')}
            </th>
            <th scope="col">
              <span className="visually-hidden">{t('common.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {targets.map((target, index) => {
            const file = target.file
            const verification = file === null ? undefined : verifications[file]
            const folderError = file === null ? undefined : folderErrors[file]
            const throughput = targetThroughput(target)
            // A cancelled file's "error" is the cancel itself: its badge says it, no alert.
            const error = target.error?.code === 'Cancelled' ? null : target.error
            const extra = error !== null || verification !== undefined || folderError !== undefined
            return (
              <Fragment key={file ?? `target-${index}`}>
                <tr>
                  <th scope="row" className="cell-file">
                    {file === null ? (
                      <span className="mono">{target.databases.join(', ')}</span>
                    ) : (
                      <FileName name={baseName(file)} />
                    )}
                    {file !== null && <FileName name={target.databases.join(', ')} className="muted small" />}
                  </th>
                  <td>
                    <StatusBadge tone={TARGET_TONES[target.status]}>
                      {t(`status.${target.status}`)}
                    </StatusBadge>
                  </td>
                  <td className="num">{file === null ? '–' : formatBytes(target.bytes, language)}</td>
                  <td className="num">{formatBytes(target.sqlBytes, language)}</td>
                  <td className="num">{formatDuration(target.durationMs, language)}</td>
                  <td className="num">{throughput === null ? '–' : formatRate(throughput, language)}</td>
                  <td className="cell-actions">
                    {file !== null && (
                      <>
                        <button type="button" className="button button-small" onClick={() => void show(file)}>
                          {t('action.showInFolder')}
                        </button>
                        <button
                          type="button"
                          className="button button-small"
                          disabled={verification?.running === true}
                          onClick={() => void verify(file)}
                        >
                          {t('action.verify')}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
                {extra && (
                  <tr className="row-detail">
                    <td colSpan={7}>
                      {error !== null && <ErrorNotice error={error} />}
                      {folderError !== undefined && <ErrorNotice error={folderError} />}
                      {verification !== undefined && <VerifyReport state={verification} />}
                    </td>
                  </tr>
                )}
              </Fragment>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
