import type { ReactElement } from 'react'
import type { RestoreTestReport } from '../../../../shared/restore-types.ts'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { formatCount, formatDateTime } from '../../lib/format.ts'

/** The last restore test of a backup: pass or fail, when, and its counts; or that one runs now. */
export function RestoreTestBadge({
  report,
  running,
}: {
  report: RestoreTestReport | undefined
  running: boolean
}): ReactElement | null {
  const t = useT()
  const language = useLanguage()
  if (running)
    return (
      <span className="block small">{<StatusBadge tone="info">{t('restoreTest.running')}</StatusBadge>}</span>
    )
  if (report === undefined) return null
  const rows = report.tables.reduce((sum, table) => sum + (table.rows ?? 0), 0)
  const counts = t('restoreTest.counts', {
    tables: formatCount(report.tables.length, language),
    rows: formatCount(rows, language),
  })
  return (
    <span className="block small restore-test-badge">
      <StatusBadge tone={report.ok ? 'ok' : 'error'}>
        {report.ok ? t('restoreTest.badgePassed') : t('restoreTest.badgeFailed')}
      </StatusBadge>{' '}
      <span className="muted">
        {formatDateTime(report.finishedAt, language)} · {counts}
      </span>
    </span>
  )
}
