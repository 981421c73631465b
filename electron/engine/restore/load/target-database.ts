import type { ConnectionSettings } from '../../../../shared/job-protocol.ts'
import { mapMysqlError, openConnection } from '../../mysql/connection.ts'
import type { DatabaseOptions } from './dump-reader.ts'

const quoteName = (name: string): string => '`' + name.replace(/`/g, '``') + '`'

/** Creates the target database when it does not exist, like the dump's own; true when it created it. */
export async function createDatabaseIfMissing(
  direct: ConnectionSettings,
  database: string,
  like: DatabaseOptions | null,
): Promise<boolean> {
  const conn = await openConnection(direct)
  try {
    const spec =
      (like?.charset ? ` CHARACTER SET ${like.charset}` : '') +
      (like?.collation ? ` COLLATE ${like.collation}` : '')
    const [header] = await conn.query(`CREATE DATABASE IF NOT EXISTS ${quoteName(database)}${spec}`)
    return (header as { affectedRows?: number }).affectedRows === 1
  } catch (e) {
    throw mapMysqlError(e, direct, database)
  } finally {
    await conn.end().catch(() => {})
  }
}
