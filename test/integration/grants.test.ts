import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { exportUserGrants, writeGrantsFile } from '../../electron/engine/grants/export-grants.ts'
import { trickyPassword } from '../harness/backup-user.ts'
import {
  connectRoot,
  runMariadbClient,
  startPrivateServer,
  stopPrivateServer,
  type PrivateServer,
} from '../harness/mariadb.ts'

interface Account {
  user: string
  host: string
  password: string
}

const sfx = randomBytes(3).toString('hex')
const dbA = `gr_a_${sfx}`
const dbB = `gr_b_${sfx}`
const dbOther = `gr_o_${sfx}`
const role = `gr_role_${sfx}`
const account = (user: string, host = '%'): Account => ({ user, host, password: trickyPassword() })
const acc = {
  owner: account(`gr_own_${sfx}`), // database-level on A
  table: account(`gr_tbl_${sfx}`), // table-level on B only
  wild: account(`gr_wild_${sfx}`), // wildcard database grant matching A
  roleUser: account(`gr_ru_${sfx}`), // A only through its default role
  quoted: account(`gr'q"\\${sfx}`), // quotes and a backslash in the name; column- and routine-level on A
  // Table-level on A. The host is a pattern: under --skip-name-resolve the server ignores accounts with a
  // host *name* once it reloads the grant tables (FLUSH PRIVILEGES at the end of the file).
  quotedHost: account(`gr_qh_${sfx}`, `h'st"\\%`),
  unrelated: account(`gr_un_${sfx}`), // another database only
  limited: account(`gr_np_${sfx}`), // no grants: the export's missing-privilege path
}
const display = (a: { user: string; host: string }): string =>
  `${[a.user, a.host].map((s) => `'${s.replace(/[\\']/g, '\\$&')}'`).join('@')}`
const sorted = (xs: string[]): string[] => [...xs].sort()

/** The same three databases (a table each, a procedure in A) on the source and the restore target. */
async function createSchema(conn: mysql.Connection): Promise<void> {
  for (const db of [dbA, dbB, dbOther]) {
    await conn.query(`CREATE DATABASE \`${db}\``)
    await conn.query(`CREATE TABLE \`${db}\`.t (id INT PRIMARY KEY, v VARCHAR(20))`)
    await conn.query(`INSERT INTO \`${db}\`.t VALUES (1, ?)`, [db])
  }
  await conn.query(`CREATE PROCEDURE \`${dbA}\`.p() SELECT 1`)
}

async function showGrants(conn: mysql.Connection, a: { user: string; host: string }): Promise<string[]> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>('SHOW GRANTS FOR ?@?', [a.user, a.host])
  return rows.map((r) => String(Object.values(r)[0]))
}

describe('user grants export', () => {
  const server = inject('mariadb')
  let root: mysql.Connection
  let fresh: PrivateServer
  let freshRoot: mysql.Connection
  let dir: string

  beforeAll(async () => {
    root = await connectRoot(server)
    ;[fresh, dir] = await Promise.all([startPrivateServer(), mkdtemp(join(tmpdir(), 'sfdb-grants-'))])
    freshRoot = await connectRoot(fresh)
    await createSchema(root)
    await createSchema(freshRoot)
    for (const a of Object.values(acc)) {
      await root.query('CREATE USER ?@? IDENTIFIED BY ?', [a.user, a.host, a.password])
    }
    const to = (a: Account): string => root.escape(a.user) + '@' + root.escape(a.host)
    await root.query(`GRANT SELECT, INSERT ON \`${dbA}\`.* TO ${to(acc.owner)}`)
    await root.query(`GRANT SELECT ON \`${dbOther}\`.* TO ${to(acc.owner)}`) // dropped in scope [A]
    await root.query(`GRANT SELECT ON \`${dbB}\`.t TO ${to(acc.table)}`)
    await root.query(`GRANT SELECT ON \`gr\\_a\\_${sfx}%\`.* TO ${to(acc.wild)}`)
    await root.query(`CREATE ROLE \`${role}\``)
    await root.query(`GRANT SELECT ON \`${dbA}\`.* TO \`${role}\``)
    await root.query(`GRANT \`${role}\` TO ${to(acc.roleUser)}`)
    await root.query(`SET DEFAULT ROLE \`${role}\` FOR ${to(acc.roleUser)}`)
    await root.query(`GRANT SELECT (v) ON \`${dbA}\`.t TO ${to(acc.quoted)}`)
    await root.query(`GRANT EXECUTE ON PROCEDURE \`${dbA}\`.p TO ${to(acc.quoted)}`)
    await root.query(`GRANT SELECT ON \`${dbA}\`.t TO ${to(acc.quotedHost)}`)
    await root.query(`GRANT SELECT, UPDATE ON \`${dbOther}\`.* TO ${to(acc.unrelated)}`)
  })

  afterAll(async () => {
    for (const a of Object.values(acc)) await root?.query('DROP USER IF EXISTS ?@?', [a.user, a.host])
    await root?.query(`DROP ROLE IF EXISTS \`${role}\``)
    for (const db of [dbA, dbB, dbOther]) await root?.query(`DROP DATABASE IF EXISTS \`${db}\``)
    await root?.end()
    await freshRoot?.end()
    if (fresh) await stopPrivateServer(fresh)
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  const relevantToA = [acc.owner, acc.wild, acc.roleUser, acc.quoted, acc.quotedHost]

  it('scope databases exports exactly the accounts with grants on them, and the roles they hold', async () => {
    const a = await exportUserGrants(root, { kind: 'databases', databases: [dbA] }, 'mariadb')
    expect(sorted(a.accounts)).toEqual(sorted(relevantToA.map(display)))
    expect(a.roles).toEqual([`'${role}'`])
    expect(a.warnings).toEqual([])
    expect(a.skipped).toEqual(expect.arrayContaining(["'root'@'localhost'", "'mariadb.sys'@'localhost'"]))
    const statements = a.sql.split('\n').filter((l) => l !== '' && !l.startsWith('-- '))
    expect(statements.filter((l) => /`root`|`mariadb\.sys`|`PUBLIC`/.test(l))).toEqual([])
    expect(a.sql).not.toContain(dbOther) // the owner's grant on the other database is not relevant
    expect(a.sql).not.toMatch(/^GRANT[^\n]*IDENTIFIED/m) // MySQL 8 rejects it; CREATE USER carries the hash
    expect(a.sql).toMatch(/^-- sfDBTools Desktop user grants export\n-- Scope: databases gr_a_/)
    expect(a.sql.trimEnd().endsWith('FLUSH PRIVILEGES;')).toBe(true)
    expect(a.sql).toContain(`CREATE USER IF NOT EXISTS \`${acc.owner.user}\`@\`%\` IDENTIFIED BY PASSWORD '*`)

    const b = await exportUserGrants(root, { kind: 'databases', databases: [dbB, dbOther] }, 'mariadb')
    expect(sorted(b.accounts)).toEqual(sorted([acc.owner, acc.table, acc.unrelated].map(display)))
    expect(b.roles).toEqual([])
  })

  it('scope all exports every account but the system ones', async () => {
    const all = await exportUserGrants(root, { kind: 'all' }, 'mariadb')
    expect(all.accounts).toEqual(expect.arrayContaining(Object.values(acc).map(display)))
    expect(all.accounts.filter((x) => /^'(root|mariadb\.sys|PUBLIC)?'@/.test(x))).toEqual([])
    expect(all.roles).toContain(`'${role}'`)
    expect(all.sql).toContain(`GRANT SELECT, UPDATE ON \`${dbOther}\`.* TO \`${acc.unrelated.user}\`@\`%\`;`)
    expect(all.sql).not.toMatch(/^GRANT[^\n]*IDENTIFIED/m)
  })

  it('restores into a fresh server: same grants, original passwords, default role, idempotent', async () => {
    const { sql } = await exportUserGrants(root, { kind: 'databases', databases: [dbA] }, 'mariadb')
    await runMariadbClient(fresh, sql)
    await runMariadbClient(fresh, sql) // IF NOT EXISTS: a second run changes nothing and fails nothing

    for (const a of relevantToA) {
      // Only the grants on A travel with a backup of A (the owner's grant on the other database stays).
      const onA = (await showGrants(root, a)).filter((l) => !l.includes(dbOther))
      expect(await showGrants(freshRoot, a)).toEqual(onA)
    }
    const roleGrants = (c: mysql.Connection) => c.query<mysql.RowDataPacket[]>(`SHOW GRANTS FOR \`${role}\``)
    expect((await roleGrants(freshRoot))[0]).toEqual((await roleGrants(root))[0])
    const [absent] = await freshRoot.query<mysql.RowDataPacket[]>(
      'SELECT User FROM mysql.user WHERE User IN (?, ?)',
      [acc.table.user, acc.unrelated.user],
    )
    expect(absent).toEqual([])

    const login = (a: Account): Promise<mysql.Connection> =>
      mysql.createConnection({ host: fresh.host, port: fresh.port, user: a.user, password: a.password })
    const owner = await login(acc.owner)
    try {
      const [rows] = await owner.query<mysql.RowDataPacket[]>(`SELECT v FROM \`${dbA}\`.t`)
      expect(rows).toEqual([{ v: dbA }])
      await expect(owner.query(`SELECT v FROM \`${dbOther}\`.t`)).rejects.toMatchObject({ errno: 1142 })
    } finally {
      await owner.end()
    }
    const roleUser = await login(acc.roleUser)
    try {
      const [[current]] = await roleUser.query<mysql.RowDataPacket[]>('SELECT CURRENT_ROLE() AS r')
      expect(current?.r).toBe(role)
      const [rows] = await roleUser.query<mysql.RowDataPacket[]>(`SELECT v FROM \`${dbA}\`.t`)
      expect(rows).toEqual([{ v: dbA }])
    } finally {
      await roleUser.end()
    }
    for (const a of [acc.quoted, acc.wild]) {
      const conn = await login(a)
      try {
        const [rows] = await conn.query<mysql.RowDataPacket[]>(`SELECT v FROM \`${dbA}\`.t`)
        expect(rows).toEqual([{ v: dbA }])
      } finally {
        await conn.end()
      }
    }
    await expect(login({ ...acc.owner, password: 'wrong' })).rejects.toMatchObject({ errno: 1045 })

    // The rest of the accounts, as a backup of the other databases would bring them.
    const other = await exportUserGrants(root, { kind: 'databases', databases: [dbB, dbOther] }, 'mariadb')
    await runMariadbClient(fresh, other.sql)
    for (const a of [acc.owner, acc.table, acc.unrelated]) {
      expect(await showGrants(freshRoot, a)).toEqual(await showGrants(root, a))
    }
  })

  it('names the GRANT that fixes a missing privilege, and warns per account it cannot read', async () => {
    const settings = { host: server.host, port: server.port, user: acc.limited.user }
    const conn = await mysql.createConnection({ ...settings, password: acc.limited.password })
    try {
      const fix = `GRANT SELECT ON mysql.* TO '${acc.limited.user}'@'%';`
      await expect(exportUserGrants(conn, { kind: 'all' }, 'mariadb')).rejects.toMatchObject({
        code: 'MissingPrivilege',
        message: expect.stringContaining(fix),
      })
      // mysql.user alone lists the accounts, but SHOW GRANTS FOR another account needs the whole schema.
      await root.query(`GRANT SELECT ON mysql.user TO ?@'%'`, [acc.limited.user])
      const partial = await exportUserGrants(conn, { kind: 'databases', databases: [dbA] }, 'mariadb')
      expect(partial.accounts).toEqual([])
      expect(partial.warnings).toContainEqual(expect.stringMatching(/SHOW GRANTS failed: Access denied/))
      expect(partial.sql).toContain(`-- Warning: left out ${display(acc.owner)}: SHOW GRANTS failed`)

      await root.query(fix)
      const full = await exportUserGrants(conn, { kind: 'databases', databases: [dbA] }, 'mariadb')
      expect(sorted(full.accounts)).toEqual(sorted(relevantToA.map(display)))
    } finally {
      await conn.end()
    }
  })

  it('writes the file with mode 0600 and never overwrites it', async () => {
    const path = join(dir, 'backup.sql.gz.users.sql')
    await writeGrantsFile(path, 'FLUSH PRIVILEGES;\n')
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    await expect(writeGrantsFile(path, 'other\n')).rejects.toMatchObject({ code: 'FileExists' })
    expect(await readFile(path, 'utf8')).toBe('FLUSH PRIVILEGES;\n')
  })
})
