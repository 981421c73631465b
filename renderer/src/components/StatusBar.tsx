import type { ReactElement } from 'react'
import type { AppError } from '../../../shared/result.ts'
import { useT } from '../i18n/use-t.ts'

/** Props of the status bar: what the app store knows about the running app. */
export interface StatusBarProps {
  name: string | null
  version: string | null
  platform: string | null
  error: AppError | null
  runningJobs: number
}

const PLATFORM_LABELS: Record<string, string> = { darwin: 'macOS', win32: 'Windows', linux: 'Linux' }

/** The bottom bar (contentinfo landmark): product name and version as reported by the main process. */
export function StatusBar({ name, version, platform, error, runningJobs }: StatusBarProps): ReactElement {
  const t = useT()
  return (
    <footer className="status-bar">
      {error !== null ? (
        <span className="status-bar-error" role="alert">
          {t('status.versionUnavailable', { message: error.message })}
        </span>
      ) : (
        <span data-testid="app-version">
          {version === null ? t('common.loading') : `${name ?? ''} v${version}`}
        </span>
      )}
      <span className="status-bar-right">
        {runningJobs > 0 && <span>{t('status.running', { count: runningJobs })}</span>}
        {platform !== null && (
          <span className="status-bar-platform">{PLATFORM_LABELS[platform] ?? platform}</span>
        )}
      </span>
    </footer>
  )
}
