import type mysql from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { openConnection } from '../../electron/engine/mysql/connection.ts'
import { getServerInfo, listDatabases, listTables } from '../../electron/engine/mysql/server-info.ts'
import { createEmptyDatabase, createSampleDatabase } from '../harness/fixtures.ts'
import { connectRoot } from '../harness/mariadb.ts'

describe('server information', () => {
  const server = inject('mariadb')
  let root: mysql.Connection
  const settings = () => ({
    host: server.host,
    port: server.port,
    user: server.rootUser,
    password: server.rootPassword,
  })

  beforeAll(async () => {
    root = await connectRoot(server)
    await createSampleDatabase(root, 'info_db', { rows: 200 })
    await createEmptyDatabase(root, 'info_empty')
  })
  afterAll(async () => {
    await root.end()
  })

  it('detects the flavor, version, hostname and binlog state', async () => {
    const conn = await openConnection(settings())
    try {
      const info = await getServerInfo(conn)
      expect(info.flavor).toBe('mariadb')
      expect(info.version).toMatch(/^\d+\.\d+\.\d+$/)
      expect(info.versionString).toContain(info.version)
      expect(info.hostname).not.toBe('')
      expect(info.logBin).toBe(true)
    } finally {
      await conn.end()
    }
  })

  it('lists databases with size, table count and estimated rows', async () => {
    const conn = await openConnection(settings())
    try {
      const dbs = await listDatabases(conn)
      const db = dbs.find((d) => d.name === 'info_db')
      expect(db).toMatchObject({ tables: 4 })
      expect(db?.sizeBytes).toBeGreaterThan(0)
      expect(db?.sizeBytes).toBeGreaterThanOrEqual(db?.dataBytes ?? 0)
      expect(db?.rows).toBeGreaterThan(0)
      expect(dbs.find((d) => d.name === 'info_empty')).toMatchObject({ tables: 0, sizeBytes: 0, rows: 0 })
      expect((await listDatabases(conn, ['info_db', 'nope'])).map((d) => d.name)).toEqual(['info_db'])
      expect(await listDatabases(conn, [])).toEqual([])
      // Asked by name, the same figures as in the full listing (a database without tables included).
      expect(await listDatabases(conn, ['info_empty', 'info_db'])).toEqual(
        dbs.filter((d) => d.name === 'info_db' || d.name === 'info_empty'),
      )
      const tables = await listTables(conn, 'info_db')
      expect(tables.map((t) => t.name)).toEqual([
        'active_customers',
        'audit_log',
        'customers',
        'empty_table',
        'settings',
      ])
      expect(tables.find((t) => t.name === 'active_customers')?.type).toBe('VIEW')
    } finally {
      await conn.end()
    }
  })

  it('names a wrong password AuthFailed and an unreachable port ConnectFailed', async () => {
    await expect(openConnection({ ...settings(), password: 'wrong' })).rejects.toMatchObject({
      code: 'AuthFailed',
    })
    await expect(openConnection({ ...settings(), port: 1 })).rejects.toMatchObject({ code: 'ConnectFailed' })
    await expect(openConnection(settings(), 'missing_db')).rejects.toMatchObject({ code: 'UnknownDatabase' })
  })
})
