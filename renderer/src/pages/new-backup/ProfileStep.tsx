import type { ReactElement } from 'react'
import { RadioGroup } from '../../components/form-fields.tsx'
import { useT } from '../../i18n/use-t.ts'
import { useNavigationStore } from '../../stores/navigation-store.ts'
import { openedProfiles, useProfilesStore } from '../../stores/profiles-store.ts'

/** Step 1: which server, by profile. Locked or damaged profiles are listed with where to fix them. */
export function ProfileStep({
  value,
  onChange,
}: {
  value: string
  onChange(profile: string): void
}): ReactElement {
  const t = useT()
  const entries = useProfilesStore((state) => state.entries)
  const go = useNavigationStore((state) => state.go)
  const profiles = openedProfiles(entries)
  const unusable = entries.filter((entry) => entry.status !== 'ok')

  if (profiles.length === 0) {
    return (
      <div className="empty card">
        <p>{t('wizard.profile.none')}</p>
        <button type="button" className="button button-primary" onClick={() => go('profiles')}>
          {t('wizard.profile.open')}
        </button>
      </div>
    )
  }
  return (
    <>
      <RadioGroup
        legend={t('wizard.profile.legend')}
        variant="cards"
        value={value}
        onChange={onChange}
        options={profiles.map((profile) => ({
          value: profile.name,
          label: profile.name,
          description: `${profile.user}@${profile.socket ?? `${profile.host}:${profile.port}`}${profile.ssh ? ` · SSH ${profile.ssh.host}` : ''}`,
        }))}
      />
      {unusable.length > 0 && (
        <p className="muted">
          {t('wizard.profile.unusable', { names: unusable.map((entry) => entry.name).join(', ') })}
        </p>
      )}
    </>
  )
}
