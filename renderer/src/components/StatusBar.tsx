import type { ReactElement } from 'react'
import type { AppError } from '../../../shared/result.ts'

/** Props of the status bar: what the app store knows about the running app. */
export interface StatusBarProps {
  name: string | null
  version: string | null
  platform: string | null
  error: AppError | null
}

const PLATFORM_LABELS: Record<string, string> = { darwin: 'macOS', win32: 'Windows', linux: 'Linux' }

/** The bottom bar (contentinfo landmark): product name and version as reported by the main process. */
export function StatusBar({ name, version, platform, error }: StatusBarProps): ReactElement {
  return (
    <footer className="status-bar">
      {error !== null ? (
        <span className="status-bar-error" role="alert">
          Version unavailable: {error.message}
        </span>
      ) : (
        <span data-testid="app-version">{version === null ? 'Loading…' : `${name ?? ''} v${version}`}</span>
      )}
      {platform !== null && (
        <span className="status-bar-platform">{PLATFORM_LABELS[platform] ?? platform}</span>
      )}
    </footer>
  )
}
