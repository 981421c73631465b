import type { ReactElement } from 'react'
import type { ProfileListEntry } from '../../../../shared/ipc.ts'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import type { BadgeTone } from '../../components/StatusBadge.tsx'
import { errorText } from '../../i18n/phrase.ts'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import type { ProfileTestState } from '../../stores/profiles-store.ts'

const STATUS_TONES: Record<ProfileListEntry['status'], BadgeTone> = {
  ok: 'ok',
  locked: 'warn',
  damaged: 'error',
}

export interface ProfileListProps {
  entries: ProfileListEntry[]
  selected: string | null
  /** Connection tests run in this session, by profile name. */
  tests: Record<string, ProfileTestState>
  onSelect(name: string): void
}

/** The connection column: the last test of this session (connected, privileges missing, failed) or none. */
function ConnectionBadge({ test }: { test: ProfileTestState | undefined }): ReactElement {
  const t = useT()
  if (test === undefined) return <span className="small muted">{t('profiles.connection.untested')}</span>
  if (test.running) return <span className="small muted">{t('profiles.connection.testing')}</span>
  if (test.error !== null || test.report === null)
    return <StatusBadge tone="error">{t('profiles.connection.failed')}</StatusBadge>
  return (
    <StatusBadge tone={test.report.ok ? 'ok' : 'warn'}>
      {test.report.ok ? t('profiles.connection.ok') : t('profiles.connection.privileges')}
    </StatusBadge>
  )
}

/** Every profile with its server and state: ok, locked (no or wrong key) or damaged (the reason under it). */
export function ProfileList({ entries, selected, tests, onSelect }: ProfileListProps): ReactElement {
  const t = useT()
  const language = useLanguage()
  return (
    <div className="table-wrap card">
      <table className="table table-heads-wrap">
        <caption className="visually-hidden">{t('profiles.listCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('profiles.col.name')}</th>
            <th scope="col">{t('profiles.col.status')}</th>
            <th scope="col">{t('profiles.col.connection')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => {
            const profile = entry.status === 'ok' ? entry.profile : null
            return (
              <tr key={entry.path} className={entry.name === selected ? 'is-selected' : undefined}>
                <th scope="row" className="cell-name">
                  <button
                    type="button"
                    className="link-button"
                    aria-pressed={entry.name === selected}
                    onClick={() => onSelect(entry.name)}
                  >
                    {entry.name}
                  </button>
                  {profile !== null && (
                    <span className="block small muted">
                      <span className="mono">
                        {profile.socket ?? `${profile.user}@${profile.host}:${profile.port}`}
                      </span>
                      {profile.ssh && <span className="tag">SSH</span>}
                      {profile.tls && profile.tls.mode !== 'disabled' && profile.tls.mode !== 'preferred' && (
                        <span className="tag">TLS</span>
                      )}
                    </span>
                  )}
                  {entry.status !== 'ok' && (
                    <span className="row-note clamp">{errorText(t, language, entry.error)}</span>
                  )}
                </th>
                <td>
                  <StatusBadge tone={STATUS_TONES[entry.status]}>
                    {t(`profiles.status.${entry.status}`)}
                  </StatusBadge>
                </td>
                <td>
                  <ConnectionBadge test={tests[entry.name]} />
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
