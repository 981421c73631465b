import { writeFileAtomic } from '../fs/atomic-write.ts'
import { toEngineError } from '../errors.ts'
import { escapeControls } from './accounts.ts'

/** Statements under one `-- comment`; each is written with a trailing `;`. */
export interface GrantsBlock {
  title: string
  statements: string[]
}

export interface GrantsFileContent {
  /** e.g. "all accounts" or "databases shop, crm". */
  scope: string
  /** VERSION() and hostname of the source server. */
  server: string
  generatedAt: Date
  accountCount: number
  roleCount: number
  /** CREATE ROLE statements, run before anything is granted. */
  roleCreates: string[]
  blocks: GrantsBlock[]
  skipped: string[]
  warnings: string[]
}

/** A `-- ` comment that stays one line whatever the text holds (a newline would start a statement). */
const comment = (text: string): string => `-- ${escapeControls(text)}`

/** The text of `<backup>.users.sql`, for the `mariadb`/`mysql` client. */
export function renderGrantsFile(c: GrantsFileContent): string {
  const out = [
    comment('sfDBTools Desktop user grants export'),
    comment(`Scope: ${c.scope}`),
    comment(`Server: ${c.server}`),
    comment(`Generated at: ${c.generatedAt.toISOString()}`),
    comment(`Accounts: ${c.accountCount}, roles: ${c.roleCount}`),
    comment('Apply after restoring the databases: table and routine grants need their objects to exist.'),
    comment('Re-running it is harmless: accounts and roles are created only if they do not exist.'),
  ]
  if (c.skipped.length) out.push(comment(`Left out (system accounts): ${c.skipped.join(', ')}`))
  for (const w of c.warnings) out.push(comment(`Warning: ${w}`))
  if (c.roleCreates.length) {
    out.push('', comment('Roles first: accounts and other roles are granted them'))
    out.push(...c.roleCreates.map((s) => `${s};`))
  }
  for (const block of c.blocks) {
    out.push('', comment(block.title), ...block.statements.map((s) => `${s};`))
  }
  out.push('', 'FLUSH PRIVILEGES;', '')
  return out.join('\n')
}

/**
 * Writes the grants file atomically with mode 0600 (it holds password hashes) and never replaces an
 * existing file: an existing name is FileExists.
 */
export async function writeGrantsFile(path: string, sql: string): Promise<void> {
  try {
    await writeFileAtomic(path, sql, { mode: 0o600, noOverwrite: true })
  } catch (e) {
    throw toEngineError(e, `writing the user grants file ${path}`)
  }
}
