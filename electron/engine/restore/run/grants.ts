/**
 * Applies a backup's grants file after its data: ours (`<dump>.users.sql`: CREATE ROLE / CREATE USER IF NOT
 * EXISTS, GRANTs, SET DEFAULT ROLE, per account) and sfDBTools' (`<base>_users.sql`: SHOW GRANTS lines per
 * account, MariaDB's USAGE line with `IDENTIFIED BY PASSWORD` creating the account). Accounts (and roles)
 * that already exist on the target are left exactly as they are: none of their statements runs.
 */
import { readFile } from 'node:fs/promises'
import { displayPrincipal, principalKey, refKey, text } from '../../grants/accounts.ts'
import { parseGrantLine, type AccountRef } from '../../grants/grant-line.ts'
import { EngineError, toEngineError } from '../../errors.ts'
import type { Connection, Row } from '../../mysql/connection.ts'
import type { ServerFlavor } from '../../mysql/server-info.ts'
import { StatementSplitter } from '../sql-statements.ts'

export interface GrantsOutcome {
  file: string
  createdAccounts: string[]
  existingAccounts: string[]
  /** GRANT statements run. */
  appliedGrants: number
  warnings: string[]
}

interface GrantStatement {
  text: string
  /** The account or role it creates or grants to; null for statements of no account (FLUSH, SET …). */
  principal: AccountRef | null
  kind: 'create' | 'grant' | 'other' | 'flush'
}

/** The account a CREATE USER/ROLE or ALTER USER statement is about (read as a grantee would be). */
function createdPrincipal(sql: string): AccountRef | null {
  const m = /^(?:CREATE|ALTER)\s+(?:USER|ROLE)\s+(?:IF\s+NOT\s+EXISTS\s+|IF\s+EXISTS\s+)?/i.exec(sql)
  if (!m) return null
  const line = parseGrantLine(`GRANT USAGE ON *.* TO ${sql.slice(m[0].length)}`)
  return line.kind === 'privileges' ? line.grantee : null
}

export function classifyGrantStatement(sql: string): GrantStatement {
  const created = createdPrincipal(sql)
  if (created) return { text: sql, principal: created, kind: 'create' }
  if (/^FLUSH\s+PRIVILEGES$/i.test(sql.trim())) return { text: sql, principal: null, kind: 'flush' }
  const line = parseGrantLine(sql)
  if (line.kind === 'privileges' || line.kind === 'roles')
    return {
      text: sql,
      principal: line.grantee,
      kind: line.kind === 'privileges' && line.revoke ? 'other' : 'grant',
    }
  if (line.kind === 'default-role') return { text: sql, principal: line.grantee, kind: 'other' }
  return { text: sql, principal: null, kind: 'other' }
}

/** The statements of a grants file, in order (`text`: its content, already read, e.g. from a destination). */
export async function readGrantStatements(file: string, text?: string): Promise<GrantStatement[]> {
  const sql =
    text === undefined
      ? await readFile(file).catch((e: unknown) => {
          throw toEngineError(e, `reading the grants file ${file}`)
        })
      : Buffer.from(text, 'utf8')
  const out: GrantStatement[] = []
  const splitter = new StatementSplitter((s) => out.push(classifyGrantStatement(s.text)), {
    allowMissingFinalDelimiter: true,
  })
  splitter.push(sql)
  splitter.end()
  return out
}

async function existingPrincipals(conn: Connection): Promise<Set<string>> {
  const [rows] = await conn.query<Row[]>('SELECT User AS user, Host AS host FROM mysql.user')
  return new Set(rows.map((r) => principalKey(text(r.user), text(r.host))))
}

/**
 * Runs the grants file's statements on `conn`: those of accounts that exist before it starts are skipped
 * (the account and everything granted to it stay as they were), the others run in order; FLUSH PRIVILEGES
 * at the end. A statement the server refuses becomes a warning and the rest go on.
 */
export async function applyGrantsFile(
  conn: Connection,
  file: string,
  flavor: ServerFlavor,
  text?: string,
): Promise<GrantsOutcome> {
  const statements = await readGrantStatements(file, text)
  let existing: Set<string>
  try {
    existing = await existingPrincipals(conn)
  } catch (e) {
    throw new EngineError(
      'MissingPrivilege',
      `cannot read the accounts of the target server: ${(e as Error).message}`,
    )
  }
  const created = new Map<string, string>()
  const kept = new Map<string, string>()
  const outcome: GrantsOutcome = {
    file,
    createdAccounts: [],
    existingAccounts: [],
    appliedGrants: 0,
    warnings: [],
  }
  for (const s of statements) {
    if (s.kind === 'flush') continue
    if (s.principal) {
      const key = refKey(s.principal, flavor)
      const name = displayPrincipal(
        { user: s.principal.user, host: s.principal.host ?? '' },
        s.principal.host === null,
      )
      if (existing.has(key)) {
        kept.set(key, name)
        continue
      }
      created.set(key, name)
    }
    try {
      await conn.query(s.text)
      if (s.kind === 'grant') outcome.appliedGrants++
    } catch (e) {
      outcome.warnings.push(`grants: ${(e as Error).message} (${s.text.slice(0, 200)})`)
    }
  }
  await conn.query('FLUSH PRIVILEGES').catch(() => {})
  outcome.createdAccounts = [...created.values()]
  outcome.existingAccounts = [...kept.values()]
  return outcome
}
