import { useState } from 'react'
import type { ReactElement } from 'react'
import type { QuickBackupPreset } from '../../../../shared/ipc.ts'
import type { AppError } from '../../../../shared/result.ts'
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { TextField } from '../../components/form-fields.tsx'
import { useT } from '../../i18n/use-t.ts'
import { useJobsStore } from '../../stores/jobs-store.ts'
import { useNavigationStore } from '../../stores/navigation-store.ts'
import { useSettingsStore } from '../../stores/settings-store.ts'
import { PresetDelivery } from './PresetDelivery.tsx'
import { PresetSchedule, useScheduleStatusRefresh } from './PresetSchedule.tsx'

/** The saved quick backups: one click starts the stored request and opens Jobs. */
export function QuickBackups(): ReactElement {
  const t = useT()
  const presets = useSettingsStore((state) => state.settings.presets)
  const removePreset = useSettingsStore((state) => state.removePreset)
  const start = useJobsStore((state) => state.start)
  const go = useNavigationStore((state) => state.go)
  const [busy, setBusy] = useState<string | null>(null)
  const [errors, setErrors] = useState<Record<string, AppError>>({})
  // Each preset's next run and last scheduled run, read again every minute while shown.
  useScheduleStatusRefresh()

  const updatePreset = useSettingsStore((state) => state.updatePreset)
  // Each run asks for its ticket (the last one offered): a quick backup never silently replays a change
  // number. The tray's choice asks here too (the main process opened the window for it).
  const presetToRun = useNavigationStore((state) => state.presetToRun)
  const ask = useNavigationStore((state) => state.runPreset)
  const ticketFor = presetToRun === null ? undefined : presets.find((p) => p.id === presetToRun)

  const run = async (preset: QuickBackupPreset, chosen: string): Promise<void> => {
    ask(null)
    setBusy(preset.id)
    const request = { ...preset.request, ticket: chosen.trim() }
    // The preset's own copies and notifications apply to its run.
    const result = await start(request, null, preset.id)
    setBusy(null)
    const { [preset.id]: _old, ...rest } = errors
    if (result.ok) {
      setErrors(rest)
      // The ticket of this run is offered next time.
      if (request.ticket !== preset.request.ticket) void updatePreset({ ...preset, request })
      go('jobs')
    } else {
      setErrors({ ...rest, [preset.id]: result.error })
    }
  }

  // Removing a preset asks first (the tray's menu loses it too).
  const [asking, setAsking] = useState<QuickBackupPreset | null>(null)
  const remove = async (preset: QuickBackupPreset): Promise<void> => {
    setAsking(null)
    const error = await removePreset(preset.id)
    if (error !== null) setErrors({ ...errors, [preset.id]: error })
  }

  if (presets.length === 0) return <p className="empty">{t('dashboard.noPresets')}</p>
  return (
    <ul className="preset-list">
      {presets.map((preset) => (
        <li key={preset.id} className="preset">
          <div className="preset-text">
            <span className="strong">{preset.label}</span>
            <span className="muted small">
              {t('dashboard.presetLine', {
                profile: preset.request.profile,
                mode: t(`mode.${preset.request.mode}.name`),
                ticket: preset.request.ticket,
              })}
            </span>
          </div>
          <button
            type="button"
            className="button button-primary"
            aria-label={t('dashboard.runPreset', { label: preset.label })}
            disabled={busy === preset.id}
            onClick={() => ask(preset.id)}
          >
            {t('dashboard.run')}
          </button>
          <button
            type="button"
            className="button button-quiet button-small"
            aria-label={t('dashboard.removePreset', { label: preset.label })}
            onClick={() => setAsking(preset)}
          >
            {t('dashboard.remove')}
          </button>
          <PresetSchedule preset={preset} />
          <PresetDelivery preset={preset} />
          {errors[preset.id] !== undefined && <ErrorNotice error={errors[preset.id] as AppError} />}
        </li>
      ))}
      {ticketFor !== undefined && (
        <TicketDialog
          key={ticketFor.id}
          preset={ticketFor}
          onRun={(chosen) => void run(ticketFor, chosen)}
          onCancel={() => ask(null)}
        />
      )}
      {asking !== null && (
        <ConfirmDialog
          title={t('dashboard.removeAsk', { label: asking.label })}
          confirmLabel={t('dashboard.removeConfirm')}
          cancelLabel={t('common.cancel')}
          tone="danger"
          onConfirm={() => void remove(asking)}
          onCancel={() => setAsking(null)}
        >
          <p>{t('dashboard.removeAskText')}</p>
        </ConfirmDialog>
      )}
    </ul>
  )
}

/** The ticket of one quick-backup run, offered from its last run; Enter runs it. */
function TicketDialog(props: {
  preset: QuickBackupPreset
  onRun(ticket: string): void
  onCancel(): void
}): ReactElement {
  const { preset, onRun, onCancel } = props
  const t = useT()
  const [ticket, setTicket] = useState(preset.request.ticket)
  return (
    <ConfirmDialog
      title={t('dashboard.ticketAsk', { label: preset.label })}
      confirmLabel={t('dashboard.run')}
      cancelLabel={t('common.cancel')}
      confirmDisabled={ticket.trim() === ''}
      onConfirm={() => onRun(ticket)}
      onCancel={onCancel}
    >
      <form
        onSubmit={(event) => {
          event.preventDefault()
          if (ticket.trim() !== '') onRun(ticket)
        }}
      >
        <TextField label={t('ticket.label')} value={ticket} onChange={setTicket} />
      </form>
    </ConfirmDialog>
  )
}
