/**
 * A quick backup's offsite copies and notifications on the dashboard: where its files are copied after a
 * run (Settings → Destinations) and which channels hear of it, on a failure or after every run (Settings →
 * Notifications) — and the dialog that chooses them.
 */
import { useEffect, useState } from 'react'
import type { ReactElement } from 'react'
import type { QuickBackupPreset } from '../../../../shared/ipc.ts'
import type { AppError } from '../../../../shared/result.ts'
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { CheckboxField, FieldGroup, RadioGroup } from '../../components/form-fields.tsx'
import type { Translate } from '../../i18n/messages.ts'
import { useT } from '../../i18n/use-t.ts'
import { useOffsiteStore } from '../../stores/offsite-store.ts'
import { useSettingsStore } from '../../stores/settings-store.ts'

type NotifyOn = NonNullable<QuickBackupPreset['notify']>['on']

/** The line under a preset: its copies and notifications, in words. */
export function deliveryText(t: Translate, preset: QuickBackupPreset): string {
  const copies = preset.copyTo ?? []
  const channels = preset.notify?.channels ?? []
  const parts = [
    copies.length === 0
      ? t('presetDelivery.noCopies')
      : t('presetDelivery.copies', { names: copies.join(', ') }),
    channels.length === 0
      ? t('presetDelivery.noNotify')
      : t(`presetDelivery.notify.${preset.notify?.on ?? 'failure'}`, { names: channels.join(', ') }),
  ]
  return parts.join(' · ')
}

/** The copies-and-notifications line of one quick backup, with its button and dialog. */
export function PresetDelivery({ preset }: { preset: QuickBackupPreset }): ReactElement {
  const t = useT()
  const [editing, setEditing] = useState(false)
  return (
    <div className="preset-delivery">
      <p className="small muted">{deliveryText(t, preset)}</p>
      <button
        type="button"
        className="button button-quiet button-small"
        aria-label={t('presetDelivery.editAria', { label: preset.label })}
        onClick={() => setEditing(true)}
      >
        {t('presetDelivery.edit')}
      </button>
      {editing && <DeliveryDialog preset={preset} onClose={() => setEditing(false)} />}
    </div>
  )
}

function DeliveryDialog({ preset, onClose }: { preset: QuickBackupPreset; onClose(): void }): ReactElement {
  const t = useT()
  const destinations = useOffsiteStore((state) => state.destinations)
  const channels = useOffsiteStore((state) => state.channels)
  const updatePreset = useSettingsStore((state) => state.updatePreset)
  const [copyTo, setCopyTo] = useState<string[]>(preset.copyTo ?? [])
  const [notify, setNotify] = useState<string[]>(preset.notify?.channels ?? [])
  const [on, setOn] = useState<NotifyOn>(preset.notify?.on ?? 'failure')
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<AppError | null>(null)
  useEffect(() => {
    void useOffsiteStore.getState().load()
  }, [])
  const toggle = (list: string[], name: string, checked: boolean): string[] =>
    checked ? [...list.filter((n) => n !== name), name] : list.filter((n) => n !== name)

  const save = async (): Promise<void> => {
    setSaving(true)
    const { copyTo: _c, notify: _n, ...rest } = preset
    const failure = await updatePreset({
      ...rest,
      ...(copyTo.length > 0 ? { copyTo } : {}),
      ...(notify.length > 0 ? { notify: { channels: notify, on } } : {}),
    })
    setSaving(false)
    setError(failure)
    if (failure === null) onClose()
  }

  return (
    <ConfirmDialog
      title={t('presetDelivery.title', { label: preset.label })}
      confirmLabel={t('presetDelivery.save')}
      cancelLabel={t('common.cancel')}
      busy={saving}
      onConfirm={() => void save()}
      onCancel={onClose}
    >
      <FieldGroup legend={t('presetDelivery.copyTo')}>
        {destinations.length === 0 && <p className="muted small">{t('presetDelivery.noDestinations')}</p>}
        {destinations.map((d) => (
          <CheckboxField
            key={d.name}
            label={d.name}
            checked={copyTo.includes(d.name)}
            onChange={(checked) => setCopyTo(toggle(copyTo, d.name, checked))}
          />
        ))}
      </FieldGroup>
      <FieldGroup legend={t('presetDelivery.notifyTo')}>
        {channels.length === 0 && <p className="muted small">{t('presetDelivery.noChannels')}</p>}
        {channels.map((c) => (
          <CheckboxField
            key={c.name}
            label={c.name}
            checked={notify.includes(c.name)}
            onChange={(checked) => setNotify(toggle(notify, c.name, checked))}
          />
        ))}
        <RadioGroup<NotifyOn>
          legend={t('presetDelivery.when')}
          value={on}
          options={(['failure', 'always'] as const).map((value) => ({
            value,
            label: t(`presetDelivery.on.${value}`),
          }))}
          onChange={setOn}
        />
      </FieldGroup>
      {error !== null && <ErrorNotice error={error} title={t('settings.saveFailed')} />}
    </ConfirmDialog>
  )
}
