import { useState } from 'react'
import type { FormEvent, ReactElement } from 'react'
import type { DestinationPrunePreview, DestinationView } from '../../../../shared/ipc.ts'
import type { AppError } from '../../../../shared/result.ts'
import { ErrorNotice } from '../../components/ErrorNotice.tsx'
import {
  CheckboxField,
  NumberField,
  PathField,
  RadioGroup,
  SelectField,
  TextField,
} from '../../components/form-fields.tsx'
import type { Translate } from '../../i18n/messages.ts'
import { useLanguage, useT } from '../../i18n/use-t.ts'
import { previewDestinationPrune } from '../../lib/api.ts'
import { formatBytes } from '../../lib/format.ts'
import { useOffsiteStore } from '../../stores/offsite-store.ts'
import {
  DESTINATION_KINDS,
  destinationOf,
  draftOf,
  draftProblems,
  draftRetention,
  type DestinationDraft,
  type DraftField,
} from './destination-form.ts'

interface FieldsProps {
  draft: DestinationDraft
  change(patch: Partial<DestinationDraft>): void
  problem(field: DraftField): string | null
  t: Translate
  /** The keychain holds the secret already (an edit may leave it empty). */
  secretStored: boolean
}

/** Adds a destination, or edits one (its kind and name stay; an empty secret keeps the stored one). */
export function DestinationForm({
  initial,
  onDone,
}: {
  initial?: DestinationView
  onDone(): void
}): ReactElement {
  const t = useT()
  const save = useOffsiteStore((state) => state.saveDestination)
  const [draft, setDraft] = useState<DestinationDraft>(() => draftOf(initial))
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<AppError | null>(null)
  const [preview, setPreview] = useState<PreviewState>(null)
  const secretStored = initial?.secretStored ?? false
  const problems = draftProblems(draft, secretStored)
  const problem = (field: DraftField): string | null => {
    const key = problems[field]
    return key === undefined ? null : t(key)
  }
  const change = (patch: Partial<DestinationDraft>): void => {
    setDraft((current) => ({ ...current, ...patch }))
    if ('retentionOn' in patch || 'retentionDays' in patch || 'minBackups' in patch) setPreview(null)
  }
  // A changed retention of a stored destination is shown (what it would remove there now) before it is saved.
  const retention = draftRetention(draft)
  const retentionChanged =
    initial !== undefined &&
    retention !== undefined &&
    JSON.stringify(retention) !== JSON.stringify(initial.retention)

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (Object.keys(problems).length > 0) return
    if (retentionChanged && preview === null && retention !== undefined) {
      setPreview({ loading: true })
      const result = await previewDestinationPrune(draft.name, retention)
      setPreview(
        result.ok ? { loading: false, value: result.value } : { loading: false, error: result.error },
      )
      return
    }
    setSaving(true)
    const { destination, secret } = destinationOf(draft)
    const failure = await save(destination, secret, initial !== undefined)
    setSaving(false)
    setError(failure)
    if (failure === null) onDone()
  }

  const fields = { draft, change, problem, t, secretStored }
  return (
    <form
      className="stack offsite-form"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-label={initial ? t('destinations.editLabel', { name: initial.name }) : t('destinations.addLabel')}
    >
      <RadioGroup
        legend={t('destinations.kind')}
        value={draft.kind}
        options={DESTINATION_KINDS.filter((k) => initial === undefined || k === initial.kind).map((kind) => ({
          value: kind,
          label: t(`destinations.kind.${kind}`),
        }))}
        onChange={(kind) => change({ kind, ...(kind === 'sftp' && draft.port === 0 ? { port: 22 } : {}) })}
      />
      <TextField
        label={t('destinations.name')}
        value={draft.name}
        onChange={(name) => change({ name })}
        error={problem('name')}
        hint={t('destinations.nameHint')}
        disabled={initial !== undefined}
        mono
      />
      {draft.kind === 'folder' && <FolderFields {...fields} />}
      {draft.kind === 'sftp' && <SftpFields {...fields} />}
      {draft.kind === 's3' && <S3Fields {...fields} />}
      <RetentionFields {...fields} />
      <PrunePreviewView state={preview} t={t} />
      {error !== null && <ErrorNotice error={error} title={t('destinations.saveFailed')} />}
      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          disabled={saving || preview?.loading === true || Object.keys(problems).length > 0}
        >
          {saving
            ? t('common.saving')
            : retentionChanged && preview === null
              ? t('destinations.previewFirst')
              : t('destinations.save')}
        </button>
        <button type="button" className="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}

function FolderFields({ draft, change, problem, t }: FieldsProps): ReactElement {
  return (
    <PathField
      kind="folder"
      label={t('destinations.folderPath')}
      value={draft.path}
      onChange={(path) => change({ path })}
      error={problem('path')}
      hint={t('destinations.folderHint')}
    />
  )
}

function SftpFields({ draft, change, problem, t, secretStored }: FieldsProps): ReactElement {
  return (
    <div className="form-grid">
      <TextField
        label={t('destinations.host')}
        value={draft.host}
        onChange={(host) => change({ host })}
        error={problem('host')}
        mono
      />
      <NumberField
        label={t('destinations.port')}
        value={draft.port}
        min={1}
        max={65535}
        onChange={(port) => change({ port })}
        error={problem('port')}
      />
      <TextField
        label={t('destinations.user')}
        value={draft.user}
        onChange={(user) => change({ user })}
        error={problem('user')}
        mono
      />
      <TextField
        label={t('destinations.remotePath')}
        value={draft.path}
        onChange={(path) => change({ path })}
        error={problem('path')}
        mono
      />
      <RadioGroup
        legend={t('destinations.auth')}
        value={draft.auth}
        options={[
          { value: 'key', label: t('destinations.auth.key') },
          { value: 'password', label: t('destinations.auth.password') },
        ]}
        onChange={(auth) => change({ auth })}
      />
      {draft.auth === 'key' ? (
        <PathField
          kind="file"
          label={t('destinations.identityFile')}
          value={draft.identityFile}
          onChange={(identityFile) => change({ identityFile })}
          error={problem('identityFile')}
        />
      ) : (
        <SecretField
          draft={draft}
          change={change}
          problem={problem}
          t={t}
          secretStored={secretStored}
          label={t('destinations.password')}
        />
      )}
      <p className="muted small span-2">{t('destinations.hostKeyHint')}</p>
    </div>
  )
}

/** A password or secret key: typed in, never shown back; empty keeps the one in the keychain. */
function SecretField(props: FieldsProps & { label: string }): ReactElement {
  const { draft, change, problem, t, secretStored, label } = props
  return (
    <TextField
      label={label}
      type="password"
      autoComplete="new-password"
      value={draft.secret}
      onChange={(secret) => change({ secret })}
      error={problem('secret')}
      hint={secretStored ? t('destinations.secretKept') : t('destinations.secretKeychain')}
    />
  )
}

function S3Fields(props: FieldsProps): ReactElement {
  const { draft, change, problem, t } = props
  return (
    <div className="form-grid">
      <TextField
        label={t('destinations.bucket')}
        value={draft.bucket}
        onChange={(bucket) => change({ bucket })}
        error={problem('bucket')}
        mono
      />
      <TextField
        label={t('destinations.prefix')}
        value={draft.prefix}
        onChange={(prefix) => change({ prefix })}
        mono
      />
      <TextField
        label={t('destinations.region')}
        value={draft.region}
        onChange={(region) => change({ region })}
        error={problem('region')}
        mono
      />
      <TextField
        label={t('destinations.endpoint')}
        value={draft.endpoint}
        onChange={(endpoint) => change({ endpoint })}
        error={problem('endpoint')}
        hint={t('destinations.endpointHint')}
        mono
      />
      <CheckboxField
        label={t('destinations.pathStyle')}
        checked={draft.pathStyle}
        onChange={(pathStyle) => change({ pathStyle })}
      />
      <RadioGroup
        legend={t('destinations.credentials')}
        value={draft.credentials}
        options={[
          { value: 'keychain', label: t('destinations.credentials.keychain') },
          { value: 'aws-chain', label: t('destinations.credentials.awsChain') },
        ]}
        onChange={(credentials) => change({ credentials })}
      />
      {draft.credentials === 'keychain' && (
        <>
          <TextField
            label={t('destinations.accessKeyId')}
            value={draft.accessKeyId}
            onChange={(accessKeyId) => change({ accessKeyId })}
            error={problem('accessKeyId')}
            mono
          />
          <SecretField {...props} label={t('destinations.secretAccessKey')} />
        </>
      )}
      <S3StorageFields {...props} />
    </div>
  )
}

function S3StorageFields({ draft, change, problem, t }: FieldsProps): ReactElement {
  return (
    <>
      <TextField
        label={t('destinations.storageClass')}
        value={draft.storageClass}
        onChange={(storageClass) => change({ storageClass })}
        hint={t('destinations.storageClassHint')}
        mono
      />
      <SelectField
        label={t('destinations.sse')}
        value={draft.sse}
        options={[
          { value: '', label: t('destinations.sse.none') },
          { value: 'AES256', label: 'AES256' },
          { value: 'aws:kms', label: 'aws:kms' },
        ]}
        onChange={(sse) => change({ sse })}
      />
      {draft.sse === 'aws:kms' && (
        <TextField
          label={t('destinations.kmsKeyId')}
          value={draft.kmsKeyId}
          onChange={(kmsKeyId) => change({ kmsKeyId })}
          error={problem('kmsKeyId')}
          mono
        />
      )}
    </>
  )
}

function RetentionFields({ draft, change, problem, t }: FieldsProps): ReactElement {
  return (
    <div className="stack">
      <CheckboxField
        label={t('destinations.retentionOn')}
        checked={draft.retentionOn}
        onChange={(retentionOn) => change({ retentionOn })}
        hint={t('destinations.retentionHint')}
      />
      {draft.retentionOn && (
        <div className="form-grid">
          <NumberField
            label={t('destinations.retentionDays')}
            value={draft.retentionDays}
            min={1}
            onChange={(retentionDays) => change({ retentionDays })}
            error={problem('retention')}
          />
          <NumberField
            label={t('destinations.minBackups')}
            value={draft.minBackups}
            min={1}
            onChange={(minBackups) => change({ minBackups })}
          />
        </div>
      )}
    </div>
  )
}

type PreviewState =
  | null
  | { loading: true }
  | { loading: false; value: DestinationPrunePreview }
  | { loading: false; error: AppError }

/** What the edited retention would remove on the destination now (nothing is removed until a run). */
function PrunePreviewView({ state, t }: { state: PreviewState; t: Translate }): ReactElement | null {
  const language = useLanguage()
  if (state === null) return null
  if (state.loading) return <p role="status">{t('destinations.preview.loading')}</p>
  if ('error' in state) return <ErrorNotice error={state.error} title={t('destinations.preview.failed')} />
  const { value } = state
  return (
    <div className="notice" role="status" aria-label={t('destinations.preview.title')}>
      <p>
        {value.remove.length === 0
          ? t('destinations.preview.none', { kept: value.kept })
          : t('destinations.preview.some', {
              count: value.remove.length,
              bytes: formatBytes(value.bytes, language),
              kept: value.kept,
            })}
      </p>
      {value.remove.length > 0 && (
        <ul className="mono small">
          {value.remove.map((r) => (
            <li key={r.dump}>
              {r.dump} — {r.reason}
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">{t('destinations.preview.saveNow')}</p>
    </div>
  )
}
