import type { ReactElement } from 'react'
import type { AppError } from '../../../shared/result.ts'
import { errorText } from '../i18n/phrase.ts'
import { useLanguage, useT } from '../i18n/use-t.ts'

export interface ErrorNoticeProps {
  error: AppError
  /** What failed, e.g. "Connection test failed" (the error says why and how to fix it). */
  title?: string
}

/**
 * An error where it happened, in the UI's language: the engine's advice when it gave one (else what the
 * code means and the engine's message), its code, and the details folded away — the engine's own message
 * when the advice replaced it, and e.g. the dump's stderr tail.
 */
export function ErrorNotice({ error, title }: ErrorNoticeProps): ReactElement {
  const t = useT()
  const language = useLanguage()
  const details = [error.advice ? error.message : '', error.detail ?? ''].filter((d) => d !== '').join('\n')
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-text">
        {title !== undefined && <strong>{title}: </strong>}
        {errorText(t, language, error)}
        <span className="notice-code">{error.code}</span>
      </p>
      {details !== '' && (
        <details className="notice-detail">
          <summary>{t('error.detail')}</summary>
          <pre>{details}</pre>
        </details>
      )}
    </div>
  )
}
