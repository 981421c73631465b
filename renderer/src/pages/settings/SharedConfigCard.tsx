import { useEffect, useState } from 'react'
import type { ReactElement } from 'react'
import type { SharedConfigView } from '../../../../shared/ipc.ts'
import type { AppError } from '../../../../shared/result.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { useT } from '../../i18n/use-t.ts'
import { fetchSharedConfig } from '../../lib/api.ts'

const octal = (mode: number): string => `0${(mode & 0o777).toString(8)}`

/**
 * The command line's config file as the app applies it: read-only here (it is the DBA's file, edited with
 * the CLI's documentation), shown so that what shapes a run is never a surprise. A broken file is shown
 * with the error that refuses backups until it is fixed.
 */
export function SharedConfigCard(): ReactElement {
  const t = useT()
  const [view, setView] = useState<SharedConfigView | null>(null)
  const [error, setError] = useState<AppError | null>(null)

  const show = (result: Awaited<ReturnType<typeof fetchSharedConfig>>): void => {
    setView(result.ok ? result.value : null)
    setError(result.ok ? null : result.error)
  }
  const load = async (): Promise<void> => show(await fetchSharedConfig())
  useEffect(() => {
    let live = true
    void fetchSharedConfig().then((result) => {
      if (live) show(result)
    })
    return () => {
      live = false
    }
  }, [])

  return (
    <section className="card form-card" aria-labelledby="settings-shared-config">
      <h2 id="settings-shared-config" className="card-title">
        {t('settings.sharedConfig')}
      </h2>
      <p className="muted small">{t('settings.sharedConfigLead')}</p>
      {error !== null && <ErrorNotice error={error} title={t('settings.sharedConfigBroken')} />}
      {view !== null && (
        <>
          <p className="small">
            <span className="mono break">{view.path}</span>{' '}
            <span className="muted">
              {view.found ? t('settings.sharedConfigFound') : t('settings.sharedConfigMissing')}
            </span>
          </p>
          <dl className="facts" aria-label={t('settings.sharedConfig')}>
            <dt>{t('settings.sharedConfig.lockWait')}</dt>
            <dd>{t('settings.sharedConfig.seconds', { seconds: view.lockWaitTimeoutSeconds })}</dd>
            <dt>{t('settings.sharedConfig.subFolder')}</dt>
            <dd className="mono">{view.subFolderPattern ?? t('settings.sharedConfig.none')}</dd>
            <dt>{t('settings.sharedConfig.modes')}</dt>
            <dd className="mono">
              {octal(view.fileMode)} / {octal(view.metadataMode)}
            </dd>
            <dt>{t('settings.sharedConfig.dumpArgs')}</dt>
            <dd className="mono break">
              {view.extraDumpArgs.length > 0 ? view.extraDumpArgs.join(' ') : t('settings.sharedConfig.none')}
            </dd>
            <dt>{t('settings.sharedConfig.primaryPrefix')}</dt>
            <dd className="mono">{view.primaryPrefix || t('settings.sharedConfig.anyName')}</dd>
            <dt>{t('settings.sharedConfig.profileDir')}</dt>
            <dd className="mono break">{view.profileDir}</dd>
            <dt>{t('settings.sharedConfig.runLogs')}</dt>
            <dd className="mono break">{view.logDir}</dd>
            <dt>{t('settings.sharedConfig.restoreClient')}</dt>
            <dd className="mono break">{view.clientBinary ?? t('settings.sharedConfig.builtInLoader')}</dd>
          </dl>
          {view.warnings.length > 0 && (
            <ul className="notes">
              {view.warnings.map((warning) => (
                <li key={warning} className="text-warn">
                  {warning}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <div className="form-actions">
        <button type="button" className="button" onClick={() => void load()}>
          {t('settings.sharedConfigReload')}
        </button>
      </div>
    </section>
  )
}
