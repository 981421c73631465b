import { useId, useState } from 'react'
import type { ReactElement } from 'react'
import type { RestoreProgressView } from '../../../../shared/restore-types.ts'
import type { AppError } from '../../../../shared/result.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { ProgressBar } from '../../components/ProgressBar.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import type { Translate } from '../../i18n/messages.ts'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { baseName, formatBytes, formatClock, formatPercent, formatRate } from '../../lib/format.ts'
import type { RestoreJobView } from '../../stores/restore-store.ts'
import { JobLog } from './JobLog.tsx'

export interface RestoreJobCardProps {
  job: RestoreJobView
  onCancel(jobId: string): Promise<AppError | null>
}

/** "shop.orders", the database alone, or nothing yet. */
const location = (p: RestoreProgressView): string =>
  p.database === null ? '' : p.table === null ? p.database : `${p.database}.${p.table}`

/** The card's title: what is restored where. */
export function restoreJobTitle(
  job: Pick<RestoreJobView, 'kind' | 'files' | 'targets' | 'profile'>,
  t: Translate,
): string {
  const file = job.files[0] === undefined ? '…' : baseName(job.files[0])
  if (job.kind === 'restore-test') return t('restoreJob.testTitle', { file, profile: job.profile || '…' })
  return t('restoreJob.title', {
    targets: job.targets.length > 0 ? job.targets.join(', ') : file,
    profile: job.profile || '…',
  })
}

/** One running restore or restore test: phase, database and table, tables done of total, %, rate, ETA, Cancel. */
export function RestoreJobCard({ job, onCancel }: RestoreJobCardProps): ReactElement {
  const t = useT()
  const language = useLanguage()
  const headingId = useId()
  const [cancelError, setCancelError] = useState<AppError | null>(null)
  const p = job.progress
  // The bar measures the SQL loaded; the other phases (inspect, pre-restore backup, drop, grants) say their name.
  const fraction = p !== null && p.phase === 'load' ? p.fraction : null
  const percent = fraction === null ? null : formatPercent(fraction, language)
  const tables =
    p === null
      ? null
      : p.tablesTotal === null
        ? t('restoreJob.tablesDone', { done: p.tablesDone })
        : t('jobs.tables', { done: p.tablesDone, total: p.tablesTotal })
  const valueText =
    p === null ? t('jobs.starting') : [t(`restoreJob.phase.${p.phase}`), percent].filter(Boolean).join(' · ')

  return (
    <article className="card job-card" aria-labelledby={headingId}>
      <div className="job-card-head">
        <h3 id={headingId}>{restoreJobTitle(job, t)}</h3>
        <StatusBadge tone="info">
          {job.kind === 'restore' ? t('restoreJob.kind.restore') : t('restoreJob.kind.test')}
        </StatusBadge>
        {job.cancelling && <StatusBadge tone="warn">{t('jobs.cancelling')}</StatusBadge>}
        <span className="spacer" />
        <button
          type="button"
          className="button"
          onClick={() => void onCancel(job.jobId).then(setCancelError)}
          disabled={job.cancelling}
        >
          {job.cancelling ? t('jobs.cancellingButton') : t('common.cancel')}
        </button>
      </div>
      <ProgressBar value={fraction} label={t('restoreJob.progress')} valueText={valueText} />
      <p className="job-line" aria-live="polite">
        <span>{valueText}</span>
        {p !== null && location(p) !== '' && (
          <span className="mono">{t('jobs.current', { where: location(p) })}</span>
        )}
      </p>
      <dl className="facts facts-inline">
        <dt>{t('restoreJob.phase')}</dt>
        <dd>{p === null ? '–' : t(`restoreJob.phase.${p.phase}`)}</dd>
        <dt>{t('restoreJob.tables')}</dt>
        <dd>{tables ?? '–'}</dd>
        <dt>{t('restoreJob.sqlApplied')}</dt>
        <dd>
          {p === null ? '–' : formatBytes(p.sqlBytes, language)}
          {p?.totalSqlBytes != null && <> / {formatBytes(p.totalSqlBytes, language)}</>}
        </dd>
        <dt>{t('jobs.rate')}</dt>
        <dd>{p === null ? '–' : formatRate(p.bytesPerSecond, language)}</dd>
        <dt>{t('jobs.eta')}</dt>
        <dd>{p?.etaSeconds == null ? '–' : formatClock(p.etaSeconds * 1000)}</dd>
        <dt>{t('jobs.elapsed')}</dt>
        <dd>{p === null ? '–' : formatClock(p.elapsedMs)}</dd>
        {p !== null && p.itemCount > 1 && (
          <>
            <dt>{t('restoreJob.item')}</dt>
            <dd>{t('restoreJob.itemOf', { n: p.itemIndex + 1, total: p.itemCount })}</dd>
          </>
        )}
      </dl>
      {cancelError !== null && <ErrorNotice error={cancelError} title={t('jobs.cancelFailed')} />}
      <JobLog logs={job.logs} t={t} />
    </article>
  )
}
