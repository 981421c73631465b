/** Warnings of a job as a person reads them: each distinct warning once, with where it was seen. */

export interface GroupedWarning {
  message: string
  /** The files (or databases) it was seen for, in the order they were. */
  where: string[]
}

/** Each distinct warning of `sources` once, with every place it was seen. */
export function groupWarnings(sources: { where: string; warnings: string[] }[]): GroupedWarning[] {
  const byMessage = new Map<string, string[]>()
  for (const { where, warnings } of sources) {
    for (const message of warnings) {
      const places = byMessage.get(message) ?? []
      if (!places.includes(where)) places.push(where)
      byMessage.set(message, places)
    }
  }
  return [...byMessage].map(([message, where]) => ({ message, where }))
}

/** Where a backup target's warnings were seen: its file's name, else its databases. */
export const targetWhere = (target: { file: string | null; databases: string[] }): string =>
  target.file?.split(/[\\/]/).pop() ?? target.databases.join(', ')
