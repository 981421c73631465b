import type { ReactElement } from 'react'
import type { OffsiteCopy } from '../../../../shared/destination.ts'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { formatDateTime } from '../../lib/format.ts'

export interface RemoteCopiesProps {
  copies: OffsiteCopy[]
  /** Opens the Restore wizard with the copy on this destination as its source. */
  onRestoreFrom(destination: string): void
}

/**
 * The verified offsite copies a backup's metadata records — destination, where (no secret in the URL) and
 * when it was verified — each with "Restore from <destination>", which reads that copy (streamed into the
 * restore, never copied to a local file), also when the local file is gone.
 */
export function RemoteCopies({ copies, onRestoreFrom }: RemoteCopiesProps): ReactElement {
  const t = useT()
  const language = useLanguage()
  return (
    <section aria-label={t('history.copies')}>
      <h3 className="section-title">{t('history.copies')}</h3>
      <ul className="plain-list">
        {copies.map((copy) => (
          <li key={copy.destination} className="stack">
            <div>
              <strong className="mono">{copy.destination}</strong>{' '}
              <span className="muted">
                {t('history.copyVerified', { time: formatDateTime(copy.verified_at, language) })}
              </span>
            </div>
            <div className="mono small break">{copy.url}</div>
            <div>
              <button
                type="button"
                className="button button-small"
                onClick={() => onRestoreFrom(copy.destination)}
              >
                {t('restore.fromDestination', { destination: copy.destination })}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  )
}
