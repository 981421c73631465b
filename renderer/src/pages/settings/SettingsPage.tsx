import { useEffect, useState } from 'react'
import type { FormEvent, ReactElement } from 'react'
import { LANGUAGES, THEMES } from '../../lib/domain-values.ts'
import type { DumpBinaryView, Settings } from '../../../../shared/ipc.ts'
import type { AppError } from '../../../../shared/result.ts'
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import {
  CheckboxField,
  NumberField,
  RadioGroup,
  SelectField,
  PathField,
  TextField,
} from '../../components/form-fields.tsx'
import { PageHeader } from '../../components/PageHeader.tsx'
import { LANGUAGE_NAMES } from '../../i18n/messages.ts'
import { useT } from '../../i18n/use-t.ts'
import { detectDumpBinary } from '../../lib/api.ts'
import { patternProblem } from '../../lib/file-name-preview.ts'
import { useNavigationStore } from '../../stores/navigation-store.ts'
import { useSettingsStore } from '../../stores/settings-store.ts'
import { CompressionFields } from '../new-backup/CompressionFields.tsx'
import { AboutCard } from './AboutCard.tsx'
import { DestinationsCard } from './DestinationsCard.tsx'
import { NotificationsCard } from './NotificationsCard.tsx'
import { SharedConfigCard } from './SharedConfigCard.tsx'
import { RetentionPreview } from './RetentionPreview.tsx'
import { LEVEL_RANGES } from '../new-backup/wizard-model.ts'

/** Defaults for new backups, the dump binary, retention, the appearance (theme, language), and About. */
export function SettingsPage({ productName }: { productName: string }): ReactElement {
  const t = useT()
  const loaded = useSettingsStore((state) => state.loaded)
  const loadError = useSettingsStore((state) => state.loadError)
  return (
    <div className="page">
      <PageHeader title={t('settings.title')} lead={t('settings.lead')} />
      {loadError !== null && <ErrorNotice error={loadError} title={t('settings.loadFailed')} />}
      <Appearance />
      {/* Keyed by `loaded`: the form starts over from the stored settings once they arrive. */}
      <SettingsForm key={loaded ? 'stored' : 'fallback'} />
      <DestinationsCard />
      <NotificationsCard />
      <SharedConfigCard />
      <AboutCard productName={productName} />
    </div>
  )
}

/** Theme and language apply at once and are saved right away. */
function Appearance(): ReactElement {
  const t = useT()
  const settings = useSettingsStore((state) => state.settings)
  const setAppearance = useSettingsStore((state) => state.setAppearance)
  const [error, setError] = useState<AppError | null>(null)
  const change = async (change: Partial<Pick<Settings, 'theme' | 'language'>>): Promise<void> => {
    setError(await setAppearance(change))
  }
  return (
    <section className="card form-card" aria-labelledby="settings-appearance">
      <h2 id="settings-appearance" className="card-title">
        {t('settings.appearance')}
      </h2>
      <div className="form-grid">
        <RadioGroup
          legend={t('settings.theme')}
          value={settings.theme}
          options={THEMES.map((theme) => ({ value: theme, label: t(`settings.theme.${theme}`) }))}
          onChange={(theme) => void change({ theme })}
        />
        <SelectField
          label={t('settings.language')}
          value={settings.language}
          options={LANGUAGES.map((language) => ({ value: language, label: LANGUAGE_NAMES[language] }))}
          onChange={(language) => void change({ language })}
        />
      </div>
      <p className="muted small">{t('settings.appearanceHint')}</p>
      {error !== null && <ErrorNotice error={error} title={t('settings.saveFailed')} />}
    </section>
  )
}

/** The history folders typed one per line. */
const folderList = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)

function SettingsForm(): ReactElement {
  const t = useT()
  const stored = useSettingsStore((state) => state.settings)
  const save = useSettingsStore((state) => state.save)
  const [values, setValues] = useState<Settings>(stored)
  const [folders, setFolders] = useState(stored.historyFolders.join('\n'))
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<AppError | null>(null)
  const [status, setStatus] = useState('')
  // Unsaved changes: leaving the page asks first (navigation-store.ts).
  // What this form edits (theme, language and presets are saved elsewhere, at once).
  const edited = (s: Settings, historyFolders: string[]): string =>
    JSON.stringify([s.defaults, s.dumpBinary, s.retention, s.startAtLogin, historyFolders])
  const dirty = edited(values, folderList(folders)) !== edited(stored, stored.historyFolders)
  const setUnsaved = useNavigationStore((state) => state.setUnsaved)
  const pendingSection = useNavigationStore((state) => state.pendingSection)
  const resolveLeave = useNavigationStore((state) => state.resolveLeave)
  useEffect(() => {
    setUnsaved(dirty)
    return () => setUnsaved(false)
  }, [dirty, setUnsaved])
  const update = (change: Partial<Settings>): void => {
    setValues((current) => ({ ...current, ...change }))
    setStatus('')
  }
  const defaults = (change: Partial<Settings['defaults']>): void =>
    update({ defaults: { ...values.defaults, ...change } })
  const retention = (change: Partial<Settings['retention']>): void =>
    update({ retention: { ...values.retention, ...change } })

  const [min, max] = LEVEL_RANGES[values.defaults.compression.type]
  const level = values.defaults.compression.level
  const problems = {
    outputDir: values.defaults.outputDir.trim() === '' ? t('wizard.problem.outputDir') : null,
    namePattern:
      values.defaults.namePattern.trim() === '' || patternProblem(values.defaults.namePattern) !== null
        ? t('wizard.problem.namePattern')
        : null,
    level:
      values.defaults.compression.type !== 'none' &&
      !(Number.isInteger(level) && level >= min && level <= max),
    days:
      !Number.isInteger(values.retention.retentionDays) || values.retention.retentionDays < 0
        ? t('settings.error.days')
        : null,
    min:
      !Number.isInteger(values.retention.minBackups) || values.retention.minBackups < 0
        ? t('settings.error.min')
        : null,
  }
  const invalid = Object.values(problems).some((problem) => problem !== null && problem !== false)

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (invalid) return
    setSaving(true)
    // Appearance is saved on its own: take the current theme and language, not the form's copy.
    const { theme, language, presets } = useSettingsStore.getState().settings
    const historyFolders = folderList(folders)
    const failure = await save({ ...values, theme, language, presets, historyFolders })
    setSaving(false)
    setError(failure)
    setStatus(failure === null ? t('settings.saved') : '')
  }

  return (
    <form
      className="stack"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label={t('settings.formLabel')}
    >
      <section className="card form-card" aria-labelledby="settings-defaults">
        <h2 id="settings-defaults" className="card-title">
          {t('settings.defaults')}
        </h2>
        <CompressionFields
          value={values.defaults.compression}
          onChange={(compression) => defaults({ compression })}
          typeLabel={t('settings.defaultCompression')}
        />
        <div className="form-grid">
          <PathField
            kind="folder"
            label={t('options.outputDir')}
            value={values.defaults.outputDir}
            onChange={(outputDir) => defaults({ outputDir })}
            error={problems.outputDir}
            className="span-2"
          />
          <TextField
            label={t('options.namePattern')}
            value={values.defaults.namePattern}
            onChange={(namePattern) => defaults({ namePattern })}
            error={problems.namePattern}
            hint={t('options.namePatternHint')}
            className="span-2"
            mono
          />
        </div>
        <CheckboxField
          label={t('settings.encryptDefault')}
          checked={values.defaults.encrypt}
          onChange={(encrypt) => defaults({ encrypt })}
        />
      </section>

      <DumpBinary value={values.dumpBinary} onChange={(dumpBinary) => update({ dumpBinary })} />

      <section className="card form-card" aria-labelledby="settings-desktop">
        <h2 id="settings-desktop" className="card-title">
          {t('settings.desktop')}
        </h2>
        <CheckboxField
          label={t('settings.startAtLogin')}
          checked={values.startAtLogin}
          onChange={(startAtLogin) => update({ startAtLogin })}
          hint={t('settings.startAtLoginHint')}
        />
      </section>

      <section className="card form-card" aria-labelledby="settings-retention">
        <h2 id="settings-retention" className="card-title">
          {t('settings.retention')}
        </h2>
        <CheckboxField
          label={t('settings.retentionEnabled')}
          checked={values.retention.enabled}
          onChange={(enabled) => retention({ enabled })}
          hint={t('settings.retentionHint')}
        />
        <div className="form-grid">
          <NumberField
            label={t('settings.retentionDays')}
            value={values.retention.retentionDays}
            min={0}
            onChange={(retentionDays) => retention({ retentionDays })}
            error={problems.days}
            disabled={!values.retention.enabled}
          />
          <NumberField
            label={t('settings.minBackups')}
            value={values.retention.minBackups}
            min={0}
            onChange={(minBackups) => retention({ minBackups })}
            error={problems.min}
            disabled={!values.retention.enabled}
          />
        </div>
        <RetentionPreview
          outputDir={values.defaults.outputDir}
          enabled={values.retention.enabled}
          retentionDays={values.retention.retentionDays}
          minBackups={values.retention.minBackups}
          valid={problems.days === null && problems.min === null}
          unsaved={JSON.stringify(values.retention) !== JSON.stringify(stored.retention)}
        />
      </section>

      <section className="card form-card" aria-labelledby="settings-history">
        <h2 id="settings-history" className="card-title">
          {t('settings.historyFolders')}
        </h2>
        <div className="field">
          <label htmlFor="settings-history-folders">{t('settings.historyFoldersLabel')}</label>
          <textarea
            id="settings-history-folders"
            className="input mono"
            rows={3}
            value={folders}
            onChange={(event) => setFolders(event.target.value)}
            spellCheck={false}
          />
        </div>
      </section>

      {error !== null && <ErrorNotice error={error} title={t('settings.saveFailed')} />}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving || invalid}>
          {saving ? t('common.saving') : t('settings.save')}
        </button>
        <p role="status" className="live-status">
          {status}
        </p>
      </div>
      {pendingSection !== null && (
        <ConfirmDialog
          title={t('settings.leaveAsk')}
          confirmLabel={t('settings.leaveConfirm')}
          cancelLabel={t('settings.stay')}
          tone="danger"
          onConfirm={() => resolveLeave(true)}
          onCancel={() => resolveLeave(false)}
        >
          <p>{t('settings.leaveAskText')}</p>
        </ConfirmDialog>
      )}
    </form>
  )
}

/** The dump binary: a path, or empty for auto-detection (mariadb-dump, else mysqldump on PATH). */
function DumpBinary({
  value,
  onChange,
}: {
  value: string | null
  onChange(path: string | null): void
}): ReactElement {
  const t = useT()
  const [detecting, setDetecting] = useState(false)
  const [found, setFound] = useState<DumpBinaryView | null>(null)
  const [error, setError] = useState<AppError | null>(null)

  const detect = async (): Promise<void> => {
    setDetecting(true)
    const result = await detectDumpBinary(value?.trim() ? value.trim() : null)
    setDetecting(false)
    setFound(result.ok ? result.value : null)
    setError(result.ok ? null : result.error)
  }

  return (
    <section className="card form-card" aria-labelledby="settings-dump">
      <h2 id="settings-dump" className="card-title">
        {t('settings.dumpBinary')}
      </h2>
      <div className="inline-form labelled">
        <TextField
          label={t('settings.dumpBinaryPath')}
          value={value ?? ''}
          onChange={(path) => onChange(path.trim() === '' ? null : path)}
          hint={t('settings.dumpBinaryHint')}
          className="grow"
          mono
        />
        <button type="button" className="button" onClick={() => void detect()} disabled={detecting}>
          {t('settings.detect')}
        </button>
      </div>
      <p role="status" className="live-status">
        {found !== null &&
          t('settings.detected', { path: found.path, flavor: found.flavor, version: found.version })}
      </p>
      {found !== null && <p className="mono small muted">{found.versionLine}</p>}
      {error !== null && <ErrorNotice error={error} title={t('settings.detectFailed')} />}
    </section>
  )
}
