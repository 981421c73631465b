import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type mysql from 'mysql2/promise'
import { connectRoot } from '../harness/mariadb.ts'
import { createSampleDatabase, fingerprint } from '../harness/fixtures.ts'

describe('private mariadb harness', () => {
  const server = inject('mariadb')
  let conn: mysql.Connection
  beforeAll(async () => {
    conn = await connectRoot(server)
  })
  afterAll(async () => {
    await conn.end()
  })

  it('runs a private server with binlog and GTID on a loopback port', async () => {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(
      'SELECT @@log_bin AS b, @@port AS p, @@datadir AS d',
    )
    expect(rows[0]?.b).toBe(1)
    expect(rows[0]?.p).toBe(server.port)
    expect(String(rows[0]?.d)).toContain(server.baseDir)
  })

  it('creates the sample database with every kind of object', async () => {
    await createSampleDatabase(conn, 'harness_sample', { rows: 50 })
    const fp = await fingerprint(conn, 'harness_sample')
    expect(fp.counts).toEqual({ tables: 4, views: 1, triggers: 1, routines: 2, events: 1 })
    expect(fp.checksums.customers).not.toBeNull()
    await conn.query('DROP DATABASE harness_sample')
  })
})
