import { useId, useState } from 'react'
import type { ReactElement } from 'react'
import type { BackupProgress } from '../../../../shared/backup-types.ts'
import type { AppError } from '../../../../shared/result.ts'
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { lockWaitText } from '../../i18n/phrase.ts'
import { ProgressBar } from '../../components/ProgressBar.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import type { Language, Translate } from '../../i18n/messages.ts'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { FileName } from '../../components/FileName.tsx'
import {
  baseName,
  formatBytes,
  formatClock,
  formatDateTime,
  formatPercent,
  formatRate,
} from '../../lib/format.ts'
import { summarizeJob } from '../../lib/job-progress.ts'
import { useNow } from '../../lib/use-now.ts'
import type { JobView } from '../../stores/jobs-store.ts'
import { scheduledTag } from '../dashboard/schedule-model.ts'
import { JobCopies } from './JobCopies.tsx'
import { JobLog } from './JobLog.tsx'

export interface JobCardProps {
  job: JobView
  onCancel(jobId: string): Promise<AppError | null>
  /** The dashboard's short form: the overall bar and the current table only. */
  compact?: boolean
}

/** Where a target is: "shop.orders", or the database alone before its first table. */
const location = (p: BackupProgress): string =>
  p.database === null ? '' : p.table === null ? p.database : `${p.database}.${p.table}`

/** One running backup with live progress: overall and per database, bytes, rate, ETA, elapsed, Cancel. */
export function JobCard({ job, onCancel, compact = false }: JobCardProps): ReactElement {
  const t = useT()
  const language = useLanguage()
  const now = useNow()
  const headingId = useId()
  const [cancelError, setCancelError] = useState<AppError | null>(null)
  const summary = summarizeJob(job, now)
  const current = summary.active[0]
  const title = t('jobs.cardTitle', { profile: job.profile || '…', ticket: job.ticket || '…' })
  const overallText =
    summary.fraction === null
      ? t('jobs.starting')
      : t('jobs.overallText', {
          percent: formatPercent(summary.fraction, language),
          done: summary.targetsDone,
          total: summary.targetCount,
        })

  // A cancel asks first: a backup stopped by a stray click has to run again from the start.
  const [asking, setAsking] = useState(false)
  const cancel = async (): Promise<void> => {
    setAsking(false)
    setCancelError(await onCancel(job.jobId))
  }

  return (
    <article className={`card job-card${compact ? ' compact' : ''}`} aria-labelledby={headingId}>
      <div className="job-card-head">
        <h3 id={headingId}>{title}</h3>
        {job.mode !== null && <StatusBadge tone="info">{t(`mode.${job.mode}.name`)}</StatusBadge>}
        {job.cancelling && <StatusBadge tone="warn">{t('jobs.cancelling')}</StatusBadge>}
        {job.schedule !== null && <span className="tag">{scheduledTag(t, job.schedule)}</span>}
        <span className="spacer" />
        <button type="button" className="button" onClick={() => setAsking(true)} disabled={job.cancelling}>
          {job.cancelling ? t('jobs.cancellingButton') : t('common.cancel')}
        </button>
      </div>
      {asking && !job.cancelling && (
        <ConfirmDialog
          title={t('jobs.cancelAsk')}
          confirmLabel={t('jobs.cancelConfirm')}
          cancelLabel={t('jobs.keepRunning')}
          tone="danger"
          onConfirm={() => void cancel()}
          onCancel={() => setAsking(false)}
        >
          <p>{t('jobs.cancelAskText', { title })}</p>
        </ConfirmDialog>
      )}
      <ProgressBar value={summary.fraction} label={t('jobs.overallProgress')} valueText={overallText} />
      <p className="job-line" aria-live="polite">
        <span>{overallText}</span>
        {current !== undefined && location(current) !== '' && (
          <span className="mono">{t('jobs.current', { where: location(current) })}</span>
        )}
      </p>
      {summary.stalledSeconds !== null && (
        <p className="text-warn" role="status">
          {t('jobs.stalled', { seconds: summary.stalledSeconds })}
        </p>
      )}
      <dl className="facts facts-inline">
        <dt>{t('jobs.written')}</dt>
        <dd>
          {formatBytes(summary.outBytes, language)}
          {compressorHolding(summary.active) && (
            <span className="muted small"> {t('jobs.compressorHolding')}</span>
          )}
        </dd>
        <dt>{t('jobs.sqlRead')}</dt>
        <dd>{formatBytes(summary.sqlBytes, language)}</dd>
        <dt>{t('jobs.rate')}</dt>
        <dd>{summary.bytesPerSecond > 0 ? formatRate(summary.bytesPerSecond, language) : '–'}</dd>
        <dt>{t('jobs.eta')}</dt>
        <dd>
          {summary.etaSeconds !== null
            ? formatClock(summary.etaSeconds * 1000)
            : summary.fraction !== null && summary.fraction < 1
              ? t('jobs.etaUnknown')
              : '–'}
        </dd>
        <dt>{t('jobs.elapsed')}</dt>
        <dd>{formatClock(summary.elapsedMs)}</dd>
        {!compact && (
          <>
            <dt>{t('jobs.started')}</dt>
            <dd>{formatDateTime(job.startedAt, language)}</dd>
          </>
        )}
      </dl>
      {cancelError !== null && <ErrorNotice error={cancelError} title={t('jobs.cancelFailed')} />}
      {!compact && summary.active.length > 0 && (
        <TargetList
          active={summary.active}
          combined={writesCombined(job)}
          files={job.files}
          t={t}
          language={language}
        />
      )}
      <JobCopies copies={job.copies} />
      {!compact && <JobLog logs={job.logs} t={t} />}
    </article>
  )
}

/**
 * Whether a compressor holds the SQL read so far without having written it yet: xz writes a block only
 * once it is compressed, so "Written" stays small for a while — it counts what reached the disk.
 */
const compressorHolding = (active: BackupProgress[]): boolean =>
  active.some((p) => p.sqlBytes >= 1024 * 1024 && p.outBytes < 64 * 1024)

/** One file holds several databases (all, filter's single file): its row's figures are the whole file's. */
const writesCombined = (job: JobView): boolean =>
  job.mode === 'all' || (job.mode === 'filter' && job.request?.filterMode === 'single-file')

/**
 * The targets being written now: one bar per database with its table count, bytes and rate (the job has the
 * one ETA). A combined file's row is the file: it says which database is being dumped now, and its
 * figures are labelled as the whole file's.
 */
function TargetList({
  active,
  combined,
  files,
  t,
  language,
}: {
  active: BackupProgress[]
  combined: boolean
  files: string[]
  t: Translate
  language: Language
}) {
  return (
    <ul className="target-list" aria-label={t('jobs.activeTargets')}>
      {active.map((p) => {
        const file = files[p.targetIndex]
        const name = p.database ?? t('jobs.targetNumber', { n: p.targetIndex + 1 })
        const label = combined && file !== undefined ? baseName(file) : name
        return (
          <li key={p.targetIndex} className="target-row">
            <div className="target-row-head">
              {combined && file !== undefined ? (
                <FileName name={label} className="mono strong" />
              ) : (
                <span className="mono strong">{name}</span>
              )}
              {combined && p.database !== null && (
                <span>{t('jobs.nowDumping', { database: p.database })}</span>
              )}
              <span className="muted">
                {t('jobs.tables', { done: p.tablesDone, total: p.tablesTotal })}
                {p.table !== null && (
                  <>
                    {' '}
                    · <span className="mono">{p.table}</span>
                  </>
                )}
              </span>
            </div>
            {p.lockWait && (
              <p className="text-warn" role="status">
                {lockWaitText(t, p.lockWait)}
              </p>
            )}
            <ProgressBar
              size="small"
              value={p.fraction}
              label={t('jobs.databaseProgress', { database: label })}
              valueText={p.fraction === null ? undefined : formatPercent(p.fraction, language)}
            />
            <div className="target-row-facts muted">
              {combined && <span>{t('jobs.wholeFile')}</span>}
              <span>
                {formatBytes(p.sqlBytes, language)}
                {p.estimatedBytes > 0 && <> / ~{formatBytes(p.estimatedBytes, language)}</>} SQL
              </span>
              <span>→ {formatBytes(p.outBytes, language)}</span>
              {p.bytesPerSecond > 0 && <span>{formatRate(p.bytesPerSecond, language)}</span>}
            </div>
          </li>
        )
      })}
    </ul>
  )
}
