import type { ReactElement } from 'react'
import { FileName } from '../../components/FileName.tsx'
import { ProgressBar } from '../../components/ProgressBar.tsx'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { copyRows, type CopyTracks } from '../../lib/copy-progress.ts'
import { formatBytes, formatClock, formatPercent, formatRate } from '../../lib/format.ts'

/**
 * The copy phase of a running backup: per destination, the file being sent, bytes of its size, the rate and
 * the time left (the job's Cancel stops the uploads; a partial upload is removed).
 */
export function JobCopies({ copies }: { copies: CopyTracks }): ReactElement | null {
  const t = useT()
  const language = useLanguage()
  const rows = copyRows(copies)
  if (rows.length === 0) return null
  return (
    <section className="job-copies" aria-label={t('jobs.copies')}>
      <h4 className="small strong">{t('jobs.copies')}</h4>
      <ul className="target-list">
        {rows.map((row) => (
          <li key={row.destination} className="target-row">
            <div className="target-row-head">
              <span className="strong">{t('jobs.copyTo', { destination: row.destination })}</span>
              <FileName name={row.file} className="mono" />
              {row.done && <span className="muted">{t('jobs.copySent')}</span>}
            </div>
            <ProgressBar
              size="small"
              value={row.fraction}
              label={t('jobs.copyProgress', { destination: row.destination })}
              valueText={row.fraction === null ? undefined : formatPercent(row.fraction, language)}
            />
            <div className="target-row-facts muted">
              <span>
                {t('jobs.copyBytes', {
                  bytes: formatBytes(row.bytes, language),
                  total: formatBytes(row.total, language),
                })}
              </span>
              {row.bytesPerSecond > 0 && <span>{formatRate(row.bytesPerSecond, language)}</span>}
              {row.etaSeconds !== null && (
                <span>{t('jobs.copyEta', { eta: formatClock(row.etaSeconds * 1000) })}</span>
              )}
            </div>
          </li>
        ))}
      </ul>
    </section>
  )
}
