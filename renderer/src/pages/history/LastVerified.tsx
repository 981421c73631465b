import type { ReactElement } from 'react'
import type { LastVerification } from '../../../../shared/ipc.ts'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { errorText } from '../../i18n/phrase.ts'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { formatDateTime } from '../../lib/format.ts'

/**
 * A backup's last verification: when, and whether it passed; "never" when it was never verified. With
 * `reason`, a failed one also says why (the details drawer).
 */
export function LastVerified({
  last,
  reason = false,
}: {
  last: LastVerification | null | undefined
  reason?: boolean
}): ReactElement {
  const t = useT()
  const language = useLanguage()
  if (last === null || last === undefined)
    return <span className="muted last-verified">{t('history.verified.never')}</span>
  return (
    <span className="last-verified">
      <StatusBadge tone={last.ok ? 'ok' : 'error'}>
        {last.ok ? t('history.verified.passed') : t('history.verified.failed')}
      </StatusBadge>{' '}
      <span className="muted small nowrap">{formatDateTime(last.at, language)}</span>
      {reason && !last.ok && last.error !== null && (
        <span className="block small">{errorText(t, language, last.error)}</span>
      )}
    </span>
  )
}
