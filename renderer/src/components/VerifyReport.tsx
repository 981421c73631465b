import type { ReactElement } from 'react'
import type { VerifyState } from '../stores/history-store.ts'
import { useLanguage, useT } from '../i18n/use-t.ts'
import { formatBytes } from '../lib/format.ts'
import { ErrorNotice } from './ErrorNotice.tsx'
import { StatusBadge } from './StatusBadge.tsx'
import type { BadgeTone } from './StatusBadge.tsx'

const CHECK_TONES: Record<'ok' | 'failed' | 'skipped', BadgeTone> = {
  ok: 'ok',
  failed: 'error',
  skipped: 'muted',
}

/** The outcome of reading a backup end to end: each check with its state, sizes, checksum and notes. */
export function VerifyReport({ state }: { state: VerifyState }): ReactElement {
  const t = useT()
  const language = useLanguage()
  if (state.running) {
    return (
      <p className="verify-report muted" role="status">
        {t('verify.running')}
      </p>
    )
  }
  if (state.error !== null) return <ErrorNotice error={state.error} title={t('verify.failedToRun')} />
  const view = state.view
  if (view === null) return <></>
  return (
    <section className="verify-report" aria-label={t('verify.reportLabel')}>
      <p role="status" className={view.ok ? 'verify-verdict ok' : 'verify-verdict failed'}>
        {view.ok ? t('verify.ok') : t('verify.failed')}
      </p>
      <ul className="check-list">
        {Object.entries(view.checks).map(([name, outcome]) => (
          <li key={name}>
            <StatusBadge tone={CHECK_TONES[outcome]}>{t(`verify.outcome.${outcome}`)}</StatusBadge>
            <span>{name}</span>
          </li>
        ))}
      </ul>
      <dl className="facts">
        <dt>{t('verify.bytes')}</dt>
        <dd>{formatBytes(view.bytes, language)}</dd>
        <dt>{t('verify.sqlBytes')}</dt>
        <dd>{formatBytes(view.sqlBytes, language)}</dd>
        {view.sha256 !== null && (
          <>
            <dt>SHA-256</dt>
            <dd className="mono break">{view.sha256}</dd>
          </>
        )}
      </dl>
      {view.notes.length > 0 && (
        <ul className="notes">
          {view.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
      {view.error !== null && <ErrorNotice error={view.error} />}
    </section>
  )
}
