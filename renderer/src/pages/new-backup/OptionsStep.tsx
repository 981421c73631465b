import type { ReactElement } from 'react'
import type { BackupRequestInput } from '../../../../shared/ipc.ts'
import {
  CheckboxField,
  FieldGroup,
  NumberField,
  PathField,
  TextField,
} from '../../components/form-fields.tsx'
import { useT } from '../../i18n/use-t.ts'
import { patternProblem, previewFileName } from '../../lib/file-name-preview.ts'
import { useKeysStore } from '../../stores/keys-store.ts'
import { openedProfiles, useProfilesStore } from '../../stores/profiles-store.ts'
import { useServersStore } from '../../stores/servers-store.ts'
import { CompressionFields } from './CompressionFields.tsx'
import { CopyToField } from './CopyToField.tsx'
import { DumpArgsField } from './DumpArgsField.tsx'
import type { StepProblem } from './wizard-model.ts'

export interface OptionsStepProps {
  draft: BackupRequestInput
  problems: StepProblem[]
  onChange(change: Partial<BackupRequestInput>): void
}

/** Step 4: how the files are written — compression, encryption, folder, names, GTID, grants, data, parallel. */
export function OptionsStep({ draft, problems, onChange }: OptionsStepProps): ReactElement {
  const t = useT()
  const problem = (field: StepProblem['field']): string | null => {
    const found = problems.find((p) => p.field === field)
    return found === undefined ? null : t(found.message, found.values)
  }
  return (
    <div className="stack">
      <FieldGroup legend={t('options.compressionGroup')}>
        <CompressionFields value={draft.compression} onChange={(compression) => onChange({ compression })} />
      </FieldGroup>
      <FieldGroup legend={t('options.encryptionGroup')}>
        <CheckboxField
          label={t('options.encrypt')}
          checked={draft.encrypt}
          onChange={(encrypt) => onChange({ encrypt })}
          hint={<EncryptionKeyHint profile={draft.profile} encrypt={draft.encrypt} />}
        />
      </FieldGroup>
      <FieldGroup legend={t('options.outputGroup')}>
        <div className="form-grid">
          <PathField
            kind="folder"
            label={t('options.outputDir')}
            value={draft.outputDir}
            onChange={(outputDir) => onChange({ outputDir })}
            error={problem('outputDir')}
            className="span-2"
            required
          />
          <TextField
            label={t('options.namePattern')}
            value={draft.namePattern}
            onChange={(namePattern) => onChange({ namePattern })}
            error={patternMessage(draft.namePattern, t) ?? problem('namePattern')}
            hint={t('options.namePatternHint')}
            className="span-2"
            required
            mono
          />
        </div>
        <NamePreview draft={draft} />
      </FieldGroup>
      <FieldGroup legend={t('options.contentGroup')}>
        <div className="check-grid">
          <CheckboxField
            label={t('options.gtid')}
            checked={draft.captureGtid}
            onChange={(captureGtid) => onChange({ captureGtid })}
            hint={t('options.gtidHint')}
          />
          <CheckboxField
            label={t('options.grants')}
            checked={!draft.excludeUser}
            onChange={(on) => onChange({ excludeUser: !on })}
            hint={t('options.grantsHint')}
          />
          <CheckboxField
            label={t('options.structureOnly')}
            checked={draft.excludeData}
            onChange={(excludeData) => onChange({ excludeData })}
            hint={t('options.structureOnlyHint')}
          />
          <CheckboxField
            label={t('options.excludeEmpty')}
            checked={draft.excludeEmpty}
            onChange={(excludeEmpty) => onChange({ excludeEmpty })}
            hint={t('options.excludeEmptyHint')}
          />
        </div>
        <NumberField
          label={t('options.parallel')}
          value={draft.parallel}
          min={1}
          max={16}
          onChange={(parallel) => onChange({ parallel })}
          error={problem('parallel')}
          hint={t('options.parallelHint')}
          className="field-narrow"
        />
      </FieldGroup>
      <DumpArgsField draft={draft} onChange={onChange} />
      <CopyToField draft={draft} onChange={onChange} />
    </div>
  )
}

function patternMessage(pattern: string, t: ReturnType<typeof useT>): string | null {
  const problem = patternProblem(pattern)
  if (problem === null) return null
  if ('directory' in problem) return t('options.patternDirectory')
  return t('options.patternUnknown', {
    count: problem.unknown.length,
    tokens: problem.unknown.map((token) => `{${token}}`).join(' '),
  })
}

/** A live example name, from the first chosen database and the profile's server. */
function NamePreview({ draft }: { draft: BackupRequestInput }): ReactElement {
  const t = useT()
  const server = useServersStore((state) => state.byProfile[draft.profile]?.data)
  const profile = useProfilesStore((state) =>
    openedProfiles(state.entries).find((p) => p.name === draft.profile),
  )
  const name = previewFileName({
    pattern: draft.namePattern,
    mode: draft.mode,
    combined: draft.filterMode === 'single-file',
    database: draft.databases[0] ?? server?.databases.find((db) => !db.system)?.name ?? '',
    host: server?.server.hostname ?? profile?.host ?? '',
    ticket: draft.ticket,
    databaseCount: Math.max(draft.databases.length, 1),
    excludeData: draft.excludeData,
    compression: draft.compression.type,
    encrypted: draft.encrypt,
    date: new Date(),
  })
  return (
    <p className="name-preview">
      <span className="muted">{t('options.example')}</span>{' '}
      <output className="mono" aria-live="polite" aria-label={t('options.exampleLabel')}>
        {name ?? '–'}
      </output>
    </p>
  )
}

/** Which key would encrypt: the profile's own, the default one, or none (then say how to fix it). */
function EncryptionKeyHint({ profile, encrypt }: { profile: string; encrypt: boolean }): ReactElement {
  const t = useT()
  const status = useKeysStore((state) => state.status)
  if (!encrypt) return <>{t('options.encryptOff')}</>
  if (status === null) return <>{t('options.encryptUnknown')}</>
  if (status.profileBackupKeys[profile]) return <>{t('options.encryptProfileKey', { profile })}</>
  if (status.backupKey.stored || status.backupKey.env) return <>{t('options.encryptDefaultKey')}</>
  return <span className="text-warn">{t('options.encryptNoKey')}</span>
}
