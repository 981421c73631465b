import type { ReactElement } from 'react'
import type { VerifyProgress } from '../../../shared/ipc.ts'
import { useHistoryStore, type VerifyState } from '../stores/history-store.ts'
import type { Language, Translate } from '../i18n/messages.ts'
import { useLanguage, useT } from '../i18n/use-t.ts'
import { formatBytes, formatClock, formatPercent, formatRate } from '../lib/format.ts'
import { ErrorNotice } from './ErrorNotice.tsx'
import { ProgressBar } from './ProgressBar.tsx'
import { StatusBadge } from './StatusBadge.tsx'
import type { BadgeTone } from './StatusBadge.tsx'

const CHECK_TONES: Record<'ok' | 'failed' | 'skipped', BadgeTone> = {
  ok: 'ok',
  failed: 'error',
  skipped: 'muted',
}

/** "42% · 120 MiB of 300 MiB", or "Reading the whole file…" before the first progress. */
function progressText(progress: VerifyProgress | null, t: Translate, language: Language): string {
  if (progress === null || progress.fraction === null) return t('verify.running')
  return t('verify.progressText', {
    percent: formatPercent(progress.fraction, language),
    read: formatBytes(progress.bytesRead, language),
    total: formatBytes(progress.totalBytes, language),
  })
}

/** A verify that runs in its job process: how far it is, rate and time left, and Cancel. */
function VerifyRunning({ state }: { state: VerifyState }): ReactElement {
  const t = useT()
  const language = useLanguage()
  const cancel = useHistoryStore((store) => store.cancelVerify)
  const { progress } = state
  const text = progressText(progress, t, language)
  return (
    <section className="verify-report verify-running" aria-label={t('verify.reportLabel')}>
      <div className="verify-progress-row">
        <ProgressBar
          value={progress?.fraction ?? null}
          label={t('verify.progress')}
          valueText={text}
          size="small"
        />
        <button
          type="button"
          className="button button-small"
          disabled={state.jobId === null || state.cancelling}
          onClick={() => void cancel(state.file)}
        >
          {state.cancelling ? t('verify.cancelling') : t('verify.cancel')}
        </button>
      </div>
      <p className="muted small" role="status">
        {text}
        {progress !== null && progress.bytesRead > 0 && (
          <>
            {' · '}
            {t('verify.rateEta', {
              rate: formatRate(progress.bytesPerSecond, language),
              eta: progress.etaSeconds === null ? '–' : formatClock(progress.etaSeconds * 1000),
            })}
          </>
        )}
      </p>
      {state.error !== null && <ErrorNotice error={state.error} />}
    </section>
  )
}

/** The outcome of reading a backup end to end: each check with its state, sizes, checksum and notes. */
export function VerifyReport({ state }: { state: VerifyState }): ReactElement {
  const t = useT()
  const language = useLanguage()
  if (state.running) return <VerifyRunning state={state} />
  if (state.cancelled) {
    return (
      <p className="verify-report muted" role="status">
        {t('verify.cancelled')}
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
