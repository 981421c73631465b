import { useState } from 'react'
import type { FormEvent, ReactElement } from 'react'
import type { ChannelView } from '../../../../shared/ipc.ts'
import type { AppError } from '../../../../shared/result.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import { NumberField, RadioGroup, SelectField, TextField } from '../../components/form-fields.tsx'
import type { Translate } from '../../i18n/messages.ts'
import { useT } from '../../i18n/use-t.ts'
import { useOffsiteStore } from '../../stores/offsite-store.ts'
import {
  channelDraftOf,
  channelOf,
  channelProblems,
  DEFAULT_PORTS,
  SMTP_SECURITY,
  WEBHOOK_FORMATS,
  type ChannelDraft,
  type ChannelField,
} from './channel-form.ts'

interface FieldsProps {
  draft: ChannelDraft
  change(patch: Partial<ChannelDraft>): void
  problem(field: ChannelField): string | null
  t: Translate
  stored: ChannelView | undefined
}

/** Adds a notification channel, or edits one (its kind and name stay). */
export function ChannelForm({ initial, onDone }: { initial?: ChannelView; onDone(): void }): ReactElement {
  const t = useT()
  const save = useOffsiteStore((state) => state.saveChannel)
  const [draft, setDraft] = useState<ChannelDraft>(() => channelDraftOf(initial))
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<AppError | null>(null)
  const problems = channelProblems(draft, {
    editing: initial !== undefined,
    passwordStored: initial?.kind === 'email' && initial.passwordStored,
  })
  const problem = (field: ChannelField): string | null => {
    const key = problems[field]
    return key === undefined ? null : t(key)
  }
  const change = (patch: Partial<ChannelDraft>): void => setDraft((current) => ({ ...current, ...patch }))
  const invalid = Object.keys(problems).length > 0

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (invalid) return
    setSaving(true)
    const { channel, password } = channelOf(draft)
    const failure = await save(channel, password, initial !== undefined)
    setSaving(false)
    setError(failure)
    if (failure === null) onDone()
  }

  const fields = { draft, change, problem, t, stored: initial }
  return (
    <form
      className="stack offsite-form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label={initial ? t('channels.editLabel', { name: initial.name }) : t('channels.addLabel')}
    >
      <RadioGroup
        legend={t('channels.kind')}
        value={draft.kind}
        options={(['email', 'webhook'] as const)
          .filter((k) => initial === undefined || k === initial.kind)
          .map((kind) => ({ value: kind, label: t(`channels.kind.${kind}`) }))}
        onChange={(kind) => change({ kind })}
      />
      <TextField
        label={t('channels.name')}
        value={draft.name}
        onChange={(name) => change({ name })}
        error={problem('name')}
        disabled={initial !== undefined}
        mono
      />
      {draft.kind === 'email' ? <EmailFields {...fields} /> : <WebhookFields {...fields} />}
      {error !== null && <ErrorNotice error={error} title={t('channels.saveFailed')} />}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving || invalid}>
          {saving ? t('common.saving') : t('channels.save')}
        </button>
        <button type="button" className="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}

function EmailFields({ draft, change, problem, t, stored }: FieldsProps): ReactElement {
  const passwordStored = stored?.kind === 'email' && stored.passwordStored
  return (
    <div className="form-grid">
      <TextField
        label={t('channels.smtpHost')}
        value={draft.host}
        onChange={(host) => change({ host })}
        error={problem('host')}
        mono
      />
      <NumberField
        label={t('channels.smtpPort')}
        value={draft.port}
        min={1}
        max={65535}
        onChange={(port) => change({ port })}
        error={problem('port')}
      />
      <SelectField
        label={t('channels.security')}
        value={draft.security}
        options={SMTP_SECURITY.map((s) => ({ value: s, label: t(`channels.security.${s}`) }))}
        onChange={(security) => change({ security, port: DEFAULT_PORTS[security] })}
        error={problem('security')}
      />
      <TextField
        label={t('channels.smtpUser')}
        value={draft.user}
        onChange={(user) => change({ user })}
        hint={t('channels.smtpUserHint')}
        mono
      />
      {draft.user.trim() !== '' && (
        <TextField
          label={t('channels.smtpPassword')}
          type="password"
          autoComplete="new-password"
          value={draft.password}
          onChange={(password) => change({ password })}
          error={problem('password')}
          hint={passwordStored ? t('destinations.secretKept') : t('destinations.secretKeychain')}
        />
      )}
      <TextField
        label={t('channels.from')}
        value={draft.from}
        onChange={(from) => change({ from })}
        error={problem('from')}
        mono
      />
      <TextField
        label={t('channels.to')}
        value={draft.to}
        onChange={(to) => change({ to })}
        error={problem('to')}
        hint={t('channels.toHint')}
        className="span-2"
        mono
      />
    </div>
  )
}

function WebhookFields({ draft, change, problem, t, stored }: FieldsProps): ReactElement {
  return (
    <div className="form-grid">
      <TextField
        label={t('channels.url')}
        type="password"
        autoComplete="off"
        value={draft.url}
        onChange={(url) => change({ url })}
        error={problem('url')}
        hint={
          stored?.kind === 'webhook'
            ? t('channels.urlKept', { origin: stored.origin })
            : t('channels.urlHint')
        }
        className="span-2"
      />
      <SelectField
        label={t('channels.format')}
        value={draft.format}
        options={WEBHOOK_FORMATS.map((f) => ({ value: f, label: t(`channels.format.${f}`) }))}
        onChange={(format) => change({ format })}
      />
    </div>
  )
}
