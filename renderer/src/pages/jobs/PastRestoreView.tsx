import { useId } from 'react'
import type { ReactElement } from 'react'
import type { JobRecord } from '../../../../shared/ipc.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { baseName, formatDateTime } from '../../lib/format.ts'
import { JOB_STATUS_TONES } from '../history/history-status.ts'
import { JobLogPanel } from './JobLogPanel.tsx'

/** A restore (or restore test) of an earlier session, as the job history kept it: items, errors, its log. */
export function PastRestoreView({ record }: { record: JobRecord }): ReactElement {
  const t = useT()
  const language = useLanguage()
  const headingId = useId()
  const title = record.kind === 'restore-test' ? 'jobs.pastRestoreTest' : 'jobs.pastRestore'
  return (
    <article className="card result-card" aria-labelledby={headingId}>
      <div className="job-card-head">
        <h3 id={headingId}>{t(title, { profile: record.profile, ticket: record.ticket })}</h3>
        <StatusBadge tone={JOB_STATUS_TONES[record.status]}>{t(`status.${record.status}`)}</StatusBadge>
        <span className="tag">{t('result.past')}</span>
      </div>
      <dl className="facts facts-grid">
        <dt>{t('result.finished')}</dt>
        <dd>{formatDateTime(record.finishedAt, language)}</dd>
      </dl>
      {record.error !== null && <ErrorNotice error={record.error} />}
      <ul className="notes">
        {record.items.map((item) => (
          <li key={`${item.file}→${item.databases.join(',')}`}>
            <span className="mono">{baseName(item.file)}</span> → {item.databases.join(', ') || '–'}:{' '}
            {item.status}
            {item.error !== null && <ErrorNotice error={item.error} />}
          </li>
        ))}
      </ul>
      <JobLogPanel jobId={record.jobId} />
    </article>
  )
}
