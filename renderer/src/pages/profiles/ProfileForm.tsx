import { useState } from 'react'
import type { FormEvent, ReactElement } from 'react'
import { TLS_MODES } from '../../lib/domain-values.ts'
import type { ProfileInput, ProfileView } from '../../../../shared/ipc.ts'
import type { AppError, Result } from '../../../../shared/result.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import {
  CheckboxField,
  FieldGroup,
  PathField,
  SelectField,
  TextField,
} from '../../components/form-fields.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { useT } from '../../i18n/use-t.ts'
import {
  EMPTY_PROFILE_FORM,
  formFromProfile,
  profileFormErrors,
  profileInputFrom,
} from './profile-form-model.ts'
import type { ProfileFormValues } from './profile-form-model.ts'

export interface ProfileFormProps {
  /** The stored profile when editing, null when creating. */
  profile: ProfileView | null
  onSave(name: string | null, input: ProfileInput): Promise<Result<ProfileView>>
  onDone(): void
}

/** Create or edit a profile: connection, TLS and SSH, inline checks; passwords are masked and never shown back. */
export function ProfileForm({ profile, onSave, onDone }: ProfileFormProps): ReactElement {
  const t = useT()
  const [values, setValues] = useState<ProfileFormValues>(() =>
    profile === null ? EMPTY_PROFILE_FORM : formFromProfile(profile),
  )
  const [submitted, setSubmitted] = useState(false)
  const [saving, setSaving] = useState(false)
  const [saveError, setSaveError] = useState<AppError | null>(null)
  const errors = profileFormErrors(values, submitted)
  const message = (key: keyof ProfileFormValues): string | null => {
    const error = errors[key]
    return error === undefined ? null : t(error)
  }
  const set =
    <K extends keyof ProfileFormValues>(key: K) =>
    (value: ProfileFormValues[K]): void =>
      setValues((current) => ({ ...current, [key]: value }))

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setSubmitted(true)
    if (Object.keys(profileFormErrors(values, true)).length > 0) return
    setSaving(true)
    const result = await onSave(profile?.name ?? null, profileInputFrom(values))
    setSaving(false)
    if (result.ok) onDone()
    else setSaveError(result.error)
  }

  const storedHint = (stored: boolean | undefined): string | undefined =>
    stored ? t('profileForm.passwordKeep') : undefined
  const title =
    profile === null ? t('profileForm.createTitle') : t('profileForm.editTitle', { name: profile.name })

  return (
    <form className="card form-card" aria-label={title} onSubmit={(event) => void submit(event)} noValidate>
      <h2 className="card-title">{title}</h2>
      <div className="form-grid">
        <TextField
          label={t('profileForm.name')}
          value={values.name}
          onChange={set('name')}
          error={message('name')}
          required
        />
        <TextField
          label={t('profileForm.host')}
          value={values.host}
          onChange={set('host')}
          error={message('host')}
          required
        />
        <TextField
          label={t('profileForm.port')}
          value={values.port}
          onChange={set('port')}
          error={message('port')}
          className="field-narrow"
          required
        />
        <TextField
          label={t('profileForm.user')}
          value={values.user}
          onChange={set('user')}
          error={message('user')}
          required
          autoComplete="off"
        />
        <PasswordField
          label={t('profileForm.password')}
          value={values.password}
          onChange={set('password')}
          stored={profile?.hasPassword ?? false}
          hint={storedHint(profile?.hasPassword)}
        />
        <TextField
          label={t('profileForm.socket')}
          value={values.socket}
          onChange={set('socket')}
          hint={t('profileForm.socketHint')}
          mono
        />
      </div>

      <FieldGroup legend={t('profileForm.tls')}>
        <div className="form-grid">
          <SelectField
            label={t('profileForm.tlsMode')}
            value={values.tlsMode}
            options={TLS_MODES.map((mode) => ({ value: mode, label: t(`tls.${mode}`) }))}
            onChange={set('tlsMode')}
            className="field-fit"
          />
          <PathField
            kind="file"
            label={t('profileForm.tlsCa')}
            value={values.tlsCa}
            onChange={set('tlsCa')}
            error={message('tlsCa')}
          />
          <PathField
            kind="file"
            label={t('profileForm.tlsCert')}
            value={values.tlsCert}
            onChange={set('tlsCert')}
            error={message('tlsCert')}
          />
          <PathField
            kind="file"
            label={t('profileForm.tlsKey')}
            value={values.tlsKey}
            onChange={set('tlsKey')}
            error={message('tlsKey')}
          />
        </div>
      </FieldGroup>

      <FieldGroup legend={t('profileForm.ssh')}>
        <CheckboxField
          label={t('profileForm.sshEnabled')}
          checked={values.sshEnabled}
          onChange={set('sshEnabled')}
          hint={t('profileForm.sshHint')}
        />
        {values.sshEnabled && (
          <div className="form-grid">
            <TextField
              label={t('profileForm.sshHost')}
              value={values.sshHost}
              onChange={set('sshHost')}
              error={message('sshHost')}
              required
            />
            <TextField
              label={t('profileForm.sshPort')}
              value={values.sshPort}
              onChange={set('sshPort')}
              error={message('sshPort')}
              className="field-narrow"
            />
            <TextField
              label={t('profileForm.sshUser')}
              value={values.sshUser}
              onChange={set('sshUser')}
              error={message('sshUser')}
              required
              autoComplete="off"
            />
            <PasswordField
              label={t('profileForm.sshPassword')}
              value={values.sshPassword}
              onChange={set('sshPassword')}
              stored={profile?.ssh?.hasPassword ?? false}
              hint={storedHint(profile?.ssh?.hasPassword)}
            />
            <PathField
              kind="file"
              label={t('profileForm.sshIdentity')}
              value={values.sshIdentityFile}
              onChange={set('sshIdentityFile')}
            />
            <TextField
              label={t('profileForm.sshLocalPort')}
              value={values.sshLocalPort}
              onChange={set('sshLocalPort')}
              error={message('sshLocalPort')}
              hint={t('profileForm.sshLocalPortHint')}
              className="field-narrow"
            />
          </div>
        )}
      </FieldGroup>

      {saveError !== null && <ErrorNotice error={saveError} title={t('profileForm.saveFailed')} />}
      {submitted && Object.keys(errors).length > 0 && (
        <p className="field-error" role="alert">
          {t('profileForm.fixErrors')}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? t('common.saving') : t('profileForm.save')}
        </button>
        <button type="button" className="button" onClick={onDone} disabled={saving}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}

interface PasswordFieldProps {
  label: string
  value: string
  onChange(value: string): void
  /** A password is stored: the empty field keeps it, and says so. */
  stored: boolean
  hint?: string
}

/** A masked input; when a password is stored the field shows "stored" instead of any value. */
function PasswordField({ label, value, onChange, stored, hint }: PasswordFieldProps): ReactElement {
  const t = useT()
  return (
    <div className="field-with-badge">
      <TextField
        label={label}
        type="password"
        value={value}
        onChange={onChange}
        placeholder={stored ? t('profileForm.stored') : undefined}
        autoComplete="new-password"
        hint={hint}
      />
      {stored && value === '' && (
        <span className="field-badge">
          <StatusBadge tone="ok">{t('profileForm.stored')}</StatusBadge>
        </span>
      )}
    </div>
  )
}
