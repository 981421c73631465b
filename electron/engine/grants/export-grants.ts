import type { Connection, Row } from '../mysql/connection.ts'
import { getServerInfo, type ServerFlavor } from '../mysql/server-info.ts'
import {
  displayPrincipal,
  isSystemAccount,
  listPrincipals,
  principalKey,
  principalSql,
  refKey,
  text,
  type Principal,
} from './accounts.ts'
import { concernsDatabases, isBareUsage, parseGrantLine, type GrantLine } from './grant-line.ts'
import { renderGrantsFile, type GrantsBlock } from './grants-file.ts'

export { writeGrantsFile } from './grants-file.ts'

/** `all`: every account; `databases`: the accounts with grants on one of them (directly or through a role). */
export type GrantsScope = { kind: 'all' } | { kind: 'databases'; databases: string[] }

export interface GrantsExport {
  /** The file text; restores with the `mariadb`/`mysql` client after the databases are restored. */
  sql: string
  /** Exported login accounts, as 'user'@'host'. */
  accounts: string[]
  /** Exported roles ('role' on MariaDB, 'role'@'host' on MySQL). */
  roles: string[]
  /** System accounts left out. */
  skipped: string[]
  /** Accounts whose grants could not be read, and other things a DBA should know; also in the file. */
  warnings: string[]
}

interface Entry {
  principal: Principal
  key: string
  /** The principal's own SHOW GRANTS lines. */
  lines: GrantLine[]
  /** Keys of the roles granted to it. */
  roles: string[]
}

/**
 * What an export reads from the server, read once per run (one connection, one pass over the accounts) and
 * rendered into every file of the run (exportFromSnapshot): the principals, each one's SHOW GRANTS and
 * SHOW CREATE USER.
 */
export interface GrantsSnapshot {
  flavor: ServerFlavor
  server: { versionString: string; hostname: string }
  /** System accounts left out. */
  skipped: string[]
  /** Principals whose grants could not be read (every export lists them). */
  readWarnings: string[]
  entries: Map<string, Entry>
  /** SHOW CREATE USER of each principal that has one: the statement and its notes, or why it failed. */
  creates: Map<string, { statement: string; warnings: string[] } | { error: string }>
}

/**
 * Reads every account and role with its grants and creation statement.
 * Throws MissingPrivilege when the connection may not read mysql.user; a principal whose grants cannot be
 * read becomes a warning.
 */
export async function readGrantsSnapshot(
  conn: Connection,
  flavor: ServerFlavor,
  /** The exports it will serve: SHOW CREATE USER is read only for the principals one of them writes. */
  scopes: GrantsScope[],
): Promise<GrantsSnapshot> {
  const principals = await listPrincipals(conn, flavor)
  const server = await getServerInfo(conn)
  // MySQL 8's caching_sha2 hashes hold raw bytes; ≥ 8.0.17 can print them as hex (older ones fail here).
  if (flavor === 'mysql') await conn.query('SET SESSION print_identified_with_as_hex = ON').catch(() => {})
  const readWarnings: string[] = []
  const skipped = principals.filter(isSystemAccount).map((p) => displayPrincipal(p, isRoleSyntax(p, flavor)))
  const entries = await readEntries(
    conn,
    principals.filter((p) => !isSystemAccount(p)),
    flavor,
    readWarnings,
  )
  const isRole = roleTest(entries, flavor)
  const wanted = new Set(
    scopes.flatMap((scope) => selectEntries([...entries.values()], scope, entries, isRole)),
  )
  const creates: GrantsSnapshot['creates'] = new Map()
  for (const e of wanted) {
    // A role gets CREATE ROLE instead (creations()): it has no SHOW CREATE USER to read.
    if (isRole(e) && e.principal.roleLike) continue
    const warnings: string[] = []
    try {
      creates.set(e.key, { statement: await showCreateUser(conn, e.principal, flavor, warnings), warnings })
    } catch (err) {
      creates.set(e.key, { error: (err as Error).message })
    }
  }
  return {
    flavor,
    server: { versionString: server.versionString, hostname: server.hostname },
    skipped,
    readWarnings,
    entries,
    creates,
  }
}

/**
 * Exports accounts, roles and their grants as SQL that recreates them on another server: CREATE USER IF NOT
 * EXISTS from SHOW CREATE USER (so the credential and its plugin travel), CREATE ROLE IF NOT EXISTS, the
 * GRANTs (for `databases`: only those on the selected databases, plus role grants) and default roles.
 * Throws MissingPrivilege when the connection may not read mysql.user; an account whose grants cannot be
 * read becomes a warning.
 */
export async function exportUserGrants(
  conn: Connection,
  scope: GrantsScope,
  flavor: ServerFlavor,
): Promise<GrantsExport> {
  return exportFromSnapshot(await readGrantsSnapshot(conn, flavor, [scope]), scope)
}

/** The export of `scope` from what readGrantsSnapshot read (no server access). */
export function exportFromSnapshot(snapshot: GrantsSnapshot, scope: GrantsScope): GrantsExport {
  const { entries, flavor } = snapshot
  const warnings = [...snapshot.readWarnings]
  const isRole = roleTest(entries, flavor)
  const display = (e: Entry): string => displayPrincipal(e.principal, isRoleSyntax(e.principal, flavor))

  const wanted = selectEntries([...entries.values()], scope, entries, isRole)
  const { roleCreates, created } = creations(snapshot, wanted, isRole, warnings)
  const exported = wanted.filter((e) => created.has(e.key))
  const blocks: GrantsBlock[] = []
  // Roles (and MySQL accounts used as roles) before the accounts they are granted to.
  for (const e of [...exported.filter(isRole), ...exported.filter((x) => !isRole(x))]) {
    const statements = [...(created.get(e.key) ?? []), ...keptLines(e, scope, created, flavor, warnings)]
    const title = `${isRole(e) ? 'Role' : 'Account'} ${display(e)}`
    if (statements.length) blocks.push({ title, statements })
  }
  const accounts = exported.filter((e) => !isRole(e)).map(display)
  const roles = exported.filter(isRole).map(display)
  const sql = renderGrantsFile({
    scope: scope.kind === 'all' ? 'all accounts' : `databases ${scope.databases.join(', ')}`,
    server: `${snapshot.server.versionString} on ${snapshot.server.hostname}`,
    generatedAt: new Date(),
    accountCount: accounts.length,
    roleCount: roles.length,
    roleCreates,
    blocks,
    skipped: snapshot.skipped,
    warnings,
  })
  return { sql, accounts, roles, skipped: snapshot.skipped, warnings }
}

/** Whether an entry is a role: MariaDB says so; on MySQL a role is an account granted to another. */
function roleTest(entries: Map<string, Entry>, flavor: ServerFlavor): (e: Entry) => boolean {
  const grantedAsRole = new Set([...entries.values()].flatMap((e) => e.roles))
  return (e) => (flavor === 'mariadb' ? e.principal.roleLike : grantedAsRole.has(e.key))
}

const isRoleSyntax = (p: Principal, flavor: ServerFlavor): boolean =>
  flavor === 'mariadb' && p.roleLike && p.host === ''

async function readEntries(
  conn: Connection,
  principals: Principal[],
  flavor: ServerFlavor,
  warnings: string[],
): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>()
  for (const p of principals) {
    const key = principalKey(p.user, p.host)
    try {
      const [rows] = await conn.query<Row[]>(`SHOW GRANTS FOR ${principalSql(p, flavor)}`)
      // MariaDB lists the grants of a role's roles under it too: keep only the principal's own.
      const lines = rows
        .map((r) => parseGrantLine(text(Object.values(r)[0])))
        .filter((l) => l.kind === 'unknown' || refKey(l.grantee, flavor) === key)
      const roles = lines.flatMap((l) => (l.kind === 'roles' ? l.roles.map((r) => refKey(r, flavor)) : []))
      entries.set(key, { principal: p, key, lines, roles })
    } catch (e) {
      // 1141: the row exists but the server did not load it, e.g. a host name under skip_name_resolve.
      const hint = (e as { errno?: number }).errno === 1141 ? ' (the server ignores this account)' : ''
      const name = displayPrincipal(p, isRoleSyntax(p, flavor))
      warnings.push(`left out ${name}: SHOW GRANTS failed: ${(e as Error).message}${hint}`)
    }
  }
  return entries
}

/**
 * How each principal is created: CREATE ROLE IF NOT EXISTS for roles (a MariaDB role has no SHOW CREATE
 * USER), CREATE USER IF NOT EXISTS from SHOW CREATE USER for the rest. A principal that cannot be read is
 * left out with a warning.
 */
function creations(
  snapshot: GrantsSnapshot,
  wanted: Entry[],
  isRole: (e: Entry) => boolean,
  warnings: string[],
): { roleCreates: string[]; created: Map<string, string[]> } {
  const roleCreates: string[] = []
  const created = new Map<string, string[]>()
  for (const e of wanted) {
    if (isRole(e) && e.principal.roleLike) {
      roleCreates.push(`CREATE ROLE IF NOT EXISTS ${principalSql(e.principal, snapshot.flavor)}`)
      created.set(e.key, [])
      continue
    }
    const create = snapshot.creates.get(e.key)
    if (create && 'statement' in create) {
      warnings.push(...create.warnings)
      created.set(e.key, [create.statement])
    } else {
      const name = displayPrincipal(e.principal, isRoleSyntax(e.principal, snapshot.flavor))
      warnings.push(`left out ${name}: SHOW CREATE USER failed: ${create?.error ?? 'not read'}`)
    }
  }
  return { roleCreates, created }
}

/** Scope all: every entry. Scope databases: accounts relevant to a selected database and the roles they hold. */
function selectEntries(
  all: Entry[],
  scope: GrantsScope,
  byKey: Map<string, Entry>,
  isRole: (e: Entry) => boolean,
): Entry[] {
  if (scope.kind === 'all') return all
  const relevant = (e: Entry, seen: Set<string>): boolean => {
    if (seen.has(e.key)) return false
    seen.add(e.key)
    if (e.lines.some((l) => concernsDatabases(l, scope.databases))) return true
    return e.roles.some((k) => {
      const role = byKey.get(k)
      return role !== undefined && relevant(role, seen)
    })
  }
  const chosen = new Set(all.filter((e) => !isRole(e) && relevant(e, new Set())).map((e) => e.key))
  // Every role an exported account (or role) holds, so that its GRANT role TO … lines restore.
  const queue = [...chosen]
  for (let k = queue.shift(); k !== undefined; k = queue.shift()) {
    for (const r of byKey.get(k)?.roles ?? []) {
      if (chosen.has(r) || !byKey.has(r)) continue
      chosen.add(r)
      queue.push(r)
    }
  }
  return all.filter((e) => chosen.has(e.key))
}

/** The principal's grant statements to write, default roles last (they need the role granted first). */
function keptLines(
  e: Entry,
  scope: GrantsScope,
  exported: Map<string, string[]>,
  flavor: ServerFlavor,
  warnings: string[],
): string[] {
  const name = displayPrincipal(e.principal, isRoleSyntax(e.principal, flavor))
  const kept = e.lines.filter((l) => {
    if (isBareUsage(l)) return false
    if (l.kind === 'roles') {
      const missing = l.roles.filter((r) => !exported.has(refKey(r, flavor)))
      if (missing.length) warnings.push(`${name}: left out "${l.sql}": the role is not exported`)
      return missing.length === 0
    }
    if (scope.kind === 'all' || l.kind === 'default-role') return true
    return concernsDatabases(l, scope.databases)
  })
  const rank = (l: GrantLine): number => (l.kind === 'default-role' ? 2 : l.kind === 'roles' ? 1 : 0)
  return kept.sort((a, b) => rank(a) - rank(b)).map((l) => l.sql)
}

/** SHOW CREATE USER rewritten to CREATE USER IF NOT EXISTS (MariaDB ≥ 10.2, MySQL ≥ 5.7). */
async function showCreateUser(
  conn: Connection,
  p: Principal,
  flavor: ServerFlavor,
  warnings: string[],
): Promise<string> {
  const [rows] = await conn.query<Row[]>(`SHOW CREATE USER ${principalSql(p, flavor)}`)
  const statement = text(Object.values(rows[0] ?? {})[0]).trim()
  if (!/^CREATE USER\s/i.test(statement)) throw new Error(`unexpected answer: ${statement.slice(0, 80)}`)
  if (statement.includes('\uFFFD')) {
    warnings.push(
      `${displayPrincipal(p)}: the password hash holds bytes this server cannot print as text` +
        ' (MySQL < 8.0.17); set a new password after restoring',
    )
  }
  return statement.replace(/^CREATE USER\s+(IF NOT EXISTS\s+)?/i, 'CREATE USER IF NOT EXISTS ')
}

/**
 * Which of `targets` (each a list of databases) an export of scope `databases` would give a `.users.sql`:
 * those with an account (not a system one) that holds grants on one of its databases, directly or through
 * a role. Accounts with only global grants (on *.*) concern no database in particular. Needs the same
 * privilege as the export (throws MissingPrivilege without it).
 */
export async function targetsWithAccounts(
  conn: Connection,
  targets: readonly (readonly string[])[],
  flavor: ServerFlavor,
): Promise<boolean[]> {
  const principals = (await listPrincipals(conn, flavor)).filter((p) => !isSystemAccount(p))
  const entries = await readEntries(conn, principals, flavor, [])
  const isRole = roleTest(entries, flavor)
  return targets.map((databases) =>
    selectEntries(
      [...entries.values()],
      { kind: 'databases', databases: [...databases] },
      entries,
      isRole,
    ).some((e) => !isRole(e)),
  )
}
