import { useState } from 'react'
import type { ReactElement } from 'react'
import type { AppError } from '../../../../shared/result.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { useT } from '../../i18n/use-t.ts'
import { fetchJobLog, saveJobLog } from '../../lib/api.ts'

/**
 * A finished job's log as the job history kept it (every line of the engine, each file's end with its
 * error and the dump's stderr tail): shown on demand, copied or saved to a file.
 */
export function JobLogPanel({ jobId }: { jobId: string }): ReactElement {
  const t = useT()
  const [open, setOpen] = useState(false)
  const [text, setText] = useState<string | null | undefined>(undefined)
  const [error, setError] = useState<AppError | null>(null)
  const [note, setNote] = useState('')

  const toggle = async (): Promise<void> => {
    if (open) return setOpen(false)
    setOpen(true)
    setNote('')
    const log = await fetchJobLog(jobId)
    if (log.ok) {
      setText(log.value.text)
      setError(null)
    } else setError(log.error)
  }
  const copy = async (): Promise<void> => {
    if (!text) return
    // The clipboard refuses a window without the focus: say so instead of failing silently.
    const copied = await navigator.clipboard.writeText(text).then(
      () => true,
      () => false,
    )
    setNote(t(copied ? 'result.copied' : 'result.copyFailed'))
  }
  const save = async (): Promise<void> => {
    const saved = await saveJobLog(jobId, t('result.saveLogTitle'))
    if (!saved.ok) return setError(saved.error)
    if (saved.value.saved !== null) setNote(t('result.savedLog', { path: saved.value.saved }))
  }

  return (
    <div className="job-log">
      <div className="row-actions">
        <button
          type="button"
          className="button button-small"
          aria-expanded={open}
          onClick={() => void toggle()}
        >
          {open ? t('result.hideLog') : t('result.showLog')}
        </button>
        {open && text && (
          <>
            <button type="button" className="button button-small" onClick={() => void copy()}>
              {t('result.copyLog')}
            </button>
            <button type="button" className="button button-small" onClick={() => void save()}>
              {t('result.saveLog')}
            </button>
          </>
        )}
      </div>
      <p className="live-status" role="status">
        {note}
      </p>
      {error !== null && <ErrorNotice error={error} />}
      {open && text === null && <p className="muted">{t('result.noLog')}</p>}
      {open && text && (
        <pre className="job-log-text" aria-label={t('result.logTitle')} tabIndex={0}>
          {text}
        </pre>
      )}
    </div>
  )
}
