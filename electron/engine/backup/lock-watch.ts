import type { LockWait } from '../../../shared/backup-types.ts'
import type { ConnectionSettings } from '../../../shared/job-protocol.ts'
import { advice, EngineError } from '../errors.ts'
import { openConnection, type Connection, type Row } from '../mysql/connection.ts'

/** The lock wait of a dump when the config sets none: 5 minutes (the server's own default is a day). */
export const DEFAULT_LOCK_WAIT_SECONDS = 300

/** How often the dump's session is looked at while it runs. */
const POLL_MS = 500

/** The states of a session waiting for a table lock another session holds. */
const WAIT_STATES = ['Waiting for table metadata lock', 'Waiting for table level lock']

/** The statements mariadb-dump/mysqldump run per table (its data, its structure, its locks). */
const DUMP_STATEMENT =
  /^\s*(SELECT \/\*!40001 SQL_NO_CACHE \*\/|SHOW CREATE|SHOW FIELDS|SHOW TRIGGERS|LOCK TABLES)/i

/** The table a dump statement is about: the first back-quoted name after FROM/TABLE/TABLES/… . */
export function tableOfStatement(info: string): string | null {
  const m = /(?:FROM|TABLE|TABLES|VIEW|IN)\s+`((?:[^`]|``)+)`/i.exec(info)
  return m?.[1]?.replace(/``/g, '`') ?? null
}

/** `db`.`t` as a DBA writes it. */
export const quotedTable = (database: string, table: string): string =>
  `\`${database.replace(/`/g, '``')}\`.\`${table.replace(/`/g, '``')}\``

/** "waiting for a metadata lock on `db`.`t` held by connection N (user@host) for 42 s" */
export function describeLockWait(w: LockWait): string {
  const by = w.holder ? `connection ${w.holder.id} (${w.holder.user}@${w.holder.host})` : 'another session'
  return `waiting for a metadata lock on ${quotedTable(w.database, w.table)} held by ${by} for ${w.seconds} s`
}

export function lockTimeoutError(w: LockWait, limitSeconds: number): EngineError {
  const by = w.holder ? `connection ${w.holder.id} (${w.holder.user}@${w.holder.host})` : 'another session'
  return new EngineError(
    'LockTimeout',
    `the dump waited ${w.seconds} s for a metadata lock on ${quotedTable(w.database, w.table)} held by ${by} and was stopped (lock wait limit ${limitSeconds} s)`,
    { advice: advice('lockTimeout', { database: w.database, seconds: limitSeconds }) },
  )
}

export interface LockWatch {
  /** The wait that outlasted the limit (the dump's query was then stopped), else null. */
  readonly timedOut: LockWait | null
  stop(): Promise<void>
}

/** One connection of a run that watches the dumps' sessions; `watch` starts watching one dump. */
export interface LockWatcher {
  watch(opts: { databases: string[]; limitSeconds: number; onWait: (w: LockWait | null) => void }): LockWatch
  close(): Promise<void>
}

/** The watcher's connection and the connection id every dump session of the run is above. */
interface WatchSession {
  conn: Connection
  sinceId: number
}

/**
 * Watches dump sessions on a second connection of the run (same account: a session may always see and stop
 * its account's own sessions), opened once for the run — not once per database, which a run of hundreds of
 * small databases paid each time. While a dump waits for a table lock, `onWait` gets which table, who holds
 * it (where the server's METADATA_LOCK_INFO plugin tells) and for how long; when the wait outlasts
 * `limitSeconds`, the dump's query is killed and `timedOut` says why. A dump's session is one of this account
 * opened after `sinceId` (the planner's connection, opened before the job; connection ids only grow) or,
 * without one, after the watcher's own, running a dump statement on one of the watched `databases`.
 *
 * The connection is made in the background: with `sinceId` known, the first dump starts at once instead of
 * after a connect and a query (≈ 30–50 ms of every run on 2 cores); its first look is `POLL_MS` later anyway.
 * Without `sinceId` the first dump must wait for `ready()`, so that its session comes after the watcher's.
 * Best effort: a watcher that cannot connect watches nothing and never fails the backup.
 */
export function openLockWatcher(
  connection: ConnectionSettings,
  sinceId?: number,
): LockWatcher & {
  /** Resolves once the watcher is connected or gave up (a dump started after it is above its bound). */
  ready(): Promise<void>
} {
  const session: Promise<WatchSession | null> = openConnection(connection).then(
    (conn) => ({ conn, sinceId: sinceId ?? conn.threadId }),
    () => null,
  )
  let broken = false
  return {
    ready: () => session.then(() => {}),
    watch: (opts) =>
      watchDump(
        session,
        opts,
        () => broken,
        () => (broken = true),
      ),
    close: async () => {
      const s = await session
      await s?.conn.end().catch(() => s.conn.destroy())
    },
  }
}

function watchDump(
  session: Promise<WatchSession | null>,
  opts: { databases: string[]; limitSeconds: number; onWait: (w: LockWait | null) => void },
  isBroken: () => boolean,
  broke: () => void,
): LockWatch {
  let timedOut: LockWait | null = null
  let stopped = false
  let waiting = false
  let timer: NodeJS.Timeout | undefined

  const poll = async (): Promise<void> => {
    const s = await session
    if (!s) throw new Error('no watch connection')
    const { conn } = s
    const wait = await currentWait(conn, s.sinceId, opts.databases)
    if (stopped) return
    if (wait) {
      waiting = true
      opts.onWait(wait.wait)
      if (wait.wait.seconds >= opts.limitSeconds && !timedOut) {
        timedOut = wait.wait
        await conn.query(`KILL QUERY ${wait.dumpId}`)
      }
    } else if (waiting) {
      waiting = false
      opts.onWait(null)
    }
  }
  const loop = (): void => {
    if (isBroken()) return
    timer = setTimeout(() => {
      poll().then(
        () => !stopped && loop(),
        () => broke(), // the watch connection failed: watch no more
      )
    }, POLL_MS)
  }
  loop()
  return {
    get timedOut() {
      return timedOut
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
    },
  }
}

async function currentWait(
  conn: Connection,
  ownId: number,
  databases: string[],
): Promise<{ dumpId: number; wait: LockWait } | null> {
  const [rows] = await conn.query<Row[]>(
    `SELECT ID AS id, DB AS db, TIME AS time, INFO AS info FROM information_schema.PROCESSLIST
      WHERE USER = SUBSTRING_INDEX(USER(), '@', 1) AND ID > ? AND STATE IN (?) AND DB IN (?)`,
    [ownId, WAIT_STATES, databases],
  )
  const row = rows.find((r) => DUMP_STATEMENT.test(String(r.info ?? '')))
  if (!row) return null
  const database = String(row.db)
  const table = tableOfStatement(String(row.info)) ?? '?'
  const dumpId = Number(row.id)
  return {
    dumpId,
    wait: {
      database,
      table,
      holder: await lockHolder(conn, dumpId, database, table),
      seconds: Number(row.time),
    },
  }
}

/** The session holding a lock on the table, from METADATA_LOCK_INFO where the plugin is installed. */
async function lockHolder(
  conn: Connection,
  dumpId: number,
  database: string,
  table: string,
): Promise<LockWait['holder']> {
  try {
    const [rows] = await conn.query<Row[]>(
      `SELECT m.THREAD_ID AS id, p.USER AS user, p.HOST AS host
         FROM information_schema.METADATA_LOCK_INFO m
         LEFT JOIN information_schema.PROCESSLIST p ON p.ID = m.THREAD_ID
        WHERE m.TABLE_SCHEMA = ? AND m.TABLE_NAME = ? AND m.THREAD_ID <> ?
        ORDER BY m.THREAD_ID LIMIT 1`,
      [database, table, dumpId],
    )
    const r = rows[0]
    if (!r) return null
    return { id: Number(r.id), user: String(r.user ?? '?'), host: String(r.host ?? '?') }
  } catch {
    return null // no METADATA_LOCK_INFO on this server
  }
}
