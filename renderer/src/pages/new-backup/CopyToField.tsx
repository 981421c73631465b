import { useEffect } from 'react'
import type { ReactElement } from 'react'
import type { BackupRequestInput } from '../../../../shared/ipc.ts'
import { CheckboxField, FieldGroup } from '../../components/form-fields.tsx'
import { useT } from '../../i18n/use-t.ts'
import { useOffsiteStore } from '../../stores/offsite-store.ts'

/**
 * "Copy to": the configured offsite destinations (Settings → Destinations) this run's files are copied to
 * after they are written; shown only when there are some.
 */
export function CopyToField({
  draft,
  onChange,
}: {
  draft: BackupRequestInput
  onChange(change: Partial<BackupRequestInput>): void
}): ReactElement | null {
  const t = useT()
  const destinations = useOffsiteStore((state) => state.destinations)
  useEffect(() => {
    void useOffsiteStore.getState().load()
  }, [])
  if (destinations.length === 0) return null
  const chosen = draft.copyTo ?? []
  const toggle = (name: string, on: boolean): void => {
    const next = on ? [...chosen.filter((n) => n !== name), name] : chosen.filter((n) => n !== name)
    onChange({ copyTo: next.length > 0 ? next : undefined })
  }
  return (
    <FieldGroup legend={t('options.copyTo')}>
      <p className="muted small">{t('options.copyToHint')}</p>
      <div className="check-grid">
        {destinations.map((d) => (
          <CheckboxField
            key={d.name}
            label={d.name}
            checked={chosen.includes(d.name)}
            onChange={(on) => toggle(d.name, on)}
          />
        ))}
      </div>
    </FieldGroup>
  )
}
