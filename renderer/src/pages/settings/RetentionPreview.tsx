import { useEffect, useState } from 'react'
import type { ReactElement } from 'react'
import type { RetentionPreview as Preview } from '../../../../shared/ipc.ts'
import type { Result } from '../../../../shared/result.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { previewRetention } from '../../lib/api.ts'
import { baseName, formatBytes, formatDateTime } from '../../lib/format.ts'

/** Waits this long after the last keystroke before the folder is looked at again. */
const SETTLE_MS = 300

export interface RetentionPreviewProps {
  outputDir: string
  enabled: boolean
  retentionDays: number
  minBackups: number
  /** The policy's fields are valid (else nothing is asked). */
  valid: boolean
  /** The policy differs from the saved one. */
  unsaved: boolean
}

/**
 * What the policy being edited would remove from the output folder now — asked of main (the real
 * cleanup's engine in a dry run: nothing is removed) each time the policy or the folder changes.
 */
export function RetentionPreview(props: RetentionPreviewProps): ReactElement | null {
  const { outputDir, enabled, retentionDays, minBackups, valid, unsaved } = props
  const t = useT()
  const language = useLanguage()
  const key = JSON.stringify([outputDir.trim(), retentionDays, minBackups])
  const asked = enabled && valid && outputDir.trim() !== ''
  const [answer, setAnswer] = useState<{ key: string; result: Result<Preview> } | null>(null)

  useEffect(() => {
    if (!asked) return undefined
    let live = true
    const timer = setTimeout(() => {
      void previewRetention({ outputDir: outputDir.trim(), retentionDays, minBackups }).then((result) => {
        if (live) setAnswer({ key, result })
      })
    }, SETTLE_MS)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [asked, key, outputDir, retentionDays, minBackups])

  if (!asked) return null
  const current = answer?.key === key ? answer.result : null
  return (
    <section className="retention-preview" aria-label={t('settings.retentionPreview.title')}>
      <h3 className="section-title">{t('settings.retentionPreview.title')}</h3>
      {current === null && (
        <p className="muted" role="status">
          {t('settings.retentionPreview.loading')}
        </p>
      )}
      {current !== null && !current.ok && (
        <ErrorNotice error={current.error} title={t('settings.retentionPreview.failed')} />
      )}
      {current?.ok === true && current.value.files === 0 && (
        <p role="status">
          {t('settings.retentionPreview.none', { folder: current.value.folder, kept: current.value.kept })}
        </p>
      )}
      {current?.ok === true && current.value.files > 0 && (
        <>
          <p role="status" className="notice notice-warn notice-text">
            {t('settings.retentionPreview.some', {
              files: current.value.files,
              backups: current.value.backups.length,
              size: formatBytes(current.value.bytesFreed, language),
              folder: current.value.folder,
            })}
          </p>
          <details className="retention-files">
            <summary>{t('settings.retentionPreview.list')}</summary>
            <ul className="retention-list">
              {current.value.backups.map((backup) => (
                <li key={backup.backupFile}>
                  <span className="strong">{backup.databases.join(', ') || baseName(backup.backupFile)}</span>{' '}
                  <span className="muted small">{formatDateTime(backup.startedAt, language)}</span>
                  <ul>
                    {backup.files.map((file) => (
                      <li key={file.path} className="mono small break">
                        {baseName(file.path)}{' '}
                        <span className="muted">({formatBytes(file.bytes, language)})</span>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          </details>
        </>
      )}
      {unsaved && <p className="muted small">{t('settings.retentionPreview.unsaved')}</p>}
    </section>
  )
}
