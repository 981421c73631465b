import type { ReactElement } from 'react'
import type { AppError } from '../../../shared/result.ts'
import { useT } from '../i18n/use-t.ts'

export interface ErrorNoticeProps {
  error: AppError
  /** What failed, e.g. "Connection test failed" (the error's message says why and how to fix it). */
  title?: string
}

/**
 * An error where it happened: main's message (written as the fix in one sentence), its code, and the
 * detail (e.g. the dump's stderr tail) folded away.
 */
export function ErrorNotice({ error, title }: ErrorNoticeProps): ReactElement {
  const t = useT()
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-text">
        {title !== undefined && <strong>{title}: </strong>}
        {error.message}
        <span className="notice-code">{error.code}</span>
      </p>
      {error.detail !== undefined && error.detail !== '' && (
        <details className="notice-detail">
          <summary>{t('error.detail')}</summary>
          <pre>{error.detail}</pre>
        </details>
      )}
    </div>
  )
}
