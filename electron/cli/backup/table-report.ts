/** The dry-run's lines for table rules: what each file leaves out or splits, and its dump commands. */
import type { BackupPlanView } from '../../../shared/backup-types.ts'

const names = (list: string[]): string =>
  list.length > 8 ? `${list.slice(0, 8).join(', ')}, …` : list.join(', ')

/** Under a file: per database, the tables left out, structure only and data only. */
export function tableRuleLines(file: BackupPlanView['files'][number]): string[] {
  const lines: string[] = []
  for (const r of file.tables ?? []) {
    if (r.included)
      lines.push(`      ${r.database}: only ${names(r.included)} (with any structure/data-only tables)`)
    if (r.excluded.length)
      lines.push(`      ${r.database}: ${r.excluded.length} excluded: ${names(r.excluded)}`)
    if (r.structureOnly.length)
      lines.push(`      ${r.database}: ${r.structureOnly.length} structure only: ${names(r.structureOnly)}`)
    if (r.dataOnly.length)
      lines.push(`      ${r.database}: ${r.dataOnly.length} data only: ${names(r.dataOnly)}`)
  }
  return lines
}

/** Every dump command of each file that table rules change, in the order they write it. */
export function fileCommandLines(view: BackupPlanView): string[] {
  if ('error' in view.dump || view.dump.fileCommands === undefined) return []
  const { binary, fileCommands } = view.dump
  const lines: string[] = []
  fileCommands.forEach((commands, i) => {
    const file = view.files[i]
    if (commands === null || file === undefined) return
    lines.push(
      `dumps of    ${file.file} (${commands.length === 1 ? 'one dump' : `${commands.length} dumps into the one file, in this order`}):`,
    )
    commands.forEach((args, n) => lines.push(`  ${n + 1}. ${binary} ${args.join(' ')}`))
  })
  return lines
}
