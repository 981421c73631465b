import type { ReactElement } from 'react'
import { COMPRESSION_TYPES } from '../../lib/domain-values.ts'
import type { CompressionType } from '../../../../shared/backup-types.ts'
import { COMPRESSION_LEVELS, isCompressionLevel } from '../../../../shared/compression.ts'
import { NumberField, SelectField } from '../../components/form-fields.tsx'
import { useT } from '../../i18n/use-t.ts'

export interface CompressionFieldsProps {
  value: { type: CompressionType; level: number }
  onChange(value: { type: CompressionType; level: number }): void
  /** Label of the type select (the Settings page says "Default compression"). */
  typeLabel?: string
}

/** Compression type and level, with the expected speed/size trade-off of the chosen type in one line. */
export function CompressionFields({ value, onChange, typeLabel }: CompressionFieldsProps): ReactElement {
  const t = useT()
  const { min, max } = COMPRESSION_LEVELS[value.type]
  const levelError =
    value.type !== 'none' && !isCompressionLevel(value.type, value.level)
      ? t('wizard.problem.level', { min, max })
      : null
  return (
    <div className="compression-fields">
      <div className="form-grid">
        <SelectField
          label={typeLabel ?? t('options.compression')}
          value={value.type}
          options={COMPRESSION_TYPES.map((type) => ({ value: type, label: t(`compression.${type}.name`) }))}
          onChange={(type) => onChange({ type, level: COMPRESSION_LEVELS[type].default })}
        />
        <NumberField
          label={t('options.level')}
          value={value.type === 'none' ? 0 : value.level}
          min={min}
          max={max}
          disabled={value.type === 'none'}
          onChange={(level) => onChange({ ...value, level })}
          error={levelError}
          hint={value.type === 'none' ? undefined : t('options.levelRange', { min, max })}
          className="field-narrow"
        />
      </div>
      <p className="tradeoff" aria-live="polite">
        {t(`compression.${value.type}.tradeoff`)}
      </p>
    </div>
  )
}
