import type { ReactElement } from 'react'
import type { BackupPlanView } from '../../../../shared/ipc.ts'
import { useT } from '../../i18n/use-t.ts'
import { baseName } from '../../lib/format.ts'
import { rulesSummary } from './TablePicker.tsx'

/**
 * The preview's table choices: per file and database what is left out, structure only or data only, and
 * every dump command of a file they change, in the order the dumps write it.
 */
export function TableRulesPreview({ plan }: { plan: BackupPlanView }): ReactElement | null {
  const t = useT()
  const files = plan.files.filter((file) => (file.tables ?? []).length > 0)
  if (files.length === 0) return null
  const commands = 'error' in plan.dump ? undefined : plan.dump.fileCommands
  const binary = 'error' in plan.dump ? '' : plan.dump.binary
  return (
    <section className="stack" aria-label={t('preview.tablesCaption')}>
      <h3 className="subtitle">{t('preview.tablesCaption')}</h3>
      <ul className="plain-list" data-testid="preview-table-rules">
        {files.flatMap((file) =>
          (file.tables ?? []).map((rules) => (
            <li key={`${file.file}\u0000${rules.database}`}>
              <span className="mono">{rules.database}</span>:{' '}
              {rulesSummary(t, {
                exclude: rules.excluded.length,
                structure: rules.structureOnly.length,
                data: rules.dataOnly.length,
              })}
            </li>
          )),
        )}
      </ul>
      {commands?.map((list, index) => {
        const file = plan.files[index]
        if (list === null || file === undefined) return null
        return (
          <div key={file.file} className="dump-command">
            <p className="muted small">
              {t('preview.fileDumps', { file: baseName(file.file), n: list.length })}
            </p>
            {list.map((args, n) => (
              <pre key={n} className="code-block" data-testid="preview-file-command">
                {[binary, ...args].join(' \\\n  ')}
              </pre>
            ))}
          </div>
        )
      })}
    </section>
  )
}
