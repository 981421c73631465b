/**
 * One item of a restore plan, step by step: inspect the targets, refuse a non-empty one without a drop,
 * check the file before the server is touched, pre-restore backup, drop, load, grants. Never throws: the
 * item's result says what happened, and whether its targets are partly restored.
 */
import { access } from 'node:fs/promises'
import type {
  RemoteBackup,
  RestoreItem,
  RestoreItemResult,
  RestorePlan,
  RestoreProgressView,
  RestoreSqlError,
} from '../../../../shared/restore-types.ts'
import { VERIFY_FIRST_MAX_BYTES } from '../../../../shared/restore-types.ts'
import type { AppError } from '../../../../shared/result.ts'
import { ProgressThrottle } from '../../backup/progress.ts'
import { advice, EngineError, toEngineError } from '../../errors.ts'
import { loadSql } from '../load/load-sql.ts'
import type { LoadResult } from '../load/types.ts'
import { readRemoteText, remoteLabel, withRemote } from '../remote-source.ts'
import { loadCounters, type RestoreProgress } from '../restore-progress.ts'
import { checkBackupFile } from './check-file.ts'
import { checkDataOnlyTarget, dataOnlyTablesFor } from './data-only.ts'
import { describeBackup, type BackupSource } from './describe-backup.ts'
import { applyGrantsFile } from './grants.ts'
import {
  inspectTargets,
  itemTargets,
  quoteName,
  targetNotEmpty,
  withServer,
  type ServerView,
  type TargetState,
} from './inspect.ts'
import { shellWord } from './names.ts'
import { preRestorePath } from './plan-restore.ts'
import { preRestoreBackup } from './pre-backup.ts'
import type { RunRestoreOptions } from './run-restore.ts'

export interface ItemContext {
  plan: RestorePlan
  options: RunRestoreOptions
  server: ServerView
}

/** The command that puts the targets back as the pre-restore backup holds them. */
export function undoCommand(item: RestoreItem, preRestoreBackup: string, ticket: string): string {
  const t = `--ticket ${shellWord(ticket)}`
  return item.target === null
    ? `sfdbtools restore all ${shellWord(preRestoreBackup)} --drop-target ${t}`
    : `sfdbtools restore single ${shellWord(preRestoreBackup)} --target-db ${shellWord(item.target)} --drop-target ${t}`
}

/** The result of an item that did not run (after a cancel). */
export function skippedItem(item: RestoreItem): RestoreItemResult {
  return { ...emptyResult(item), status: 'skipped' }
}

function emptyResult(item: RestoreItem): RestoreItemResult {
  return {
    file: item.file,
    databases: item.target === null ? [] : [item.target],
    status: 'failed',
    partlyRestored: false,
    createdDatabases: [],
    droppedDatabases: [],
    preRestoreBackup: null,
    undo: null,
    tables: 0,
    rows: null,
    sqlBytes: 0,
    durationMs: 0,
    bytesPerSecond: 0,
    compression: null,
    encrypted: false,
    grants: null,
    sqlErrors: [],
    warnings: [],
    error: null,
  }
}

/** A SqlError of a loader that did not list it: its line and message from the error itself. */
function sqlErrorOf(error: AppError): RestoreSqlError {
  const line = /line (\d+)/.exec(`${error.message}\n${error.detail ?? ''}`)
  const text = /^line \d+: (.*)$/m.exec(error.detail ?? '')
  return {
    statement: null,
    line: line ? Number(line[1]) : null,
    text: (text?.[1] ?? '').slice(0, 200),
    errno: Number(/ERROR (\d+)/.exec(error.message)?.[1]) || null,
    message: error.message,
  }
}

export class ItemRun {
  private readonly ctx: ItemContext
  private readonly item: RestoreItem
  private readonly index: number
  private readonly started = Date.now()
  private readonly result: RestoreItemResult
  /** The server was changed (a drop, or the loader sent something). */
  private touched = false
  private loading = false
  private before: TargetState[] = []
  private source: BackupSource | null = null

  constructor(ctx: ItemContext, item: RestoreItem, index: number) {
    this.ctx = ctx
    this.item = item
    this.index = index
    this.result = emptyResult(item)
  }

  async run(): Promise<RestoreItemResult> {
    try {
      await this.steps()
    } catch (e) {
      await this.fail(e)
    }
    const r = this.result
    r.durationMs = Date.now() - this.started
    r.bytesPerSecond = r.durationMs > 0 ? Math.round((r.sqlBytes * 1000) / r.durationMs) : 0
    this.emit('done', { final: true, fraction: r.status.startsWith('success') ? 1 : null })
    return r
  }

  private get signal(): AbortSignal {
    return this.ctx.options.signal
  }

  private emit(phase: RestoreProgressView['phase'], over: Partial<RestoreProgressView> = {}): void {
    this.ctx.options.onProgress?.({
      itemIndex: this.index,
      itemCount: this.ctx.plan.items.length,
      phase,
      database: this.item.target ?? this.result.databases[0] ?? null,
      table: null,
      tablesDone: 0,
      tablesTotal: this.item.totalTables,
      sqlBytes: this.result.sqlBytes,
      totalSqlBytes: this.item.totalSqlBytes,
      fraction: null,
      bytesPerSecond: 0,
      etaSeconds: null,
      elapsedMs: Date.now() - this.started,
      final: false,
      ...over,
    })
  }

  private log(level: 'info' | 'warn' | 'error', message: string): void {
    this.ctx.options.onLog?.(level, message)
  }

  private checkCancel(): void {
    if (this.signal.aborted) throw new EngineError('Cancelled', 'the restore was cancelled')
  }

  private async steps(): Promise<void> {
    const { plan } = this.ctx
    this.emit('inspect')
    const source = await describeBackup(this.item, {
      key: this.item.key,
      ...(this.ctx.options.hostKeyPolicy ? { hostKeyPolicy: this.ctx.options.hostKeyPolicy } : {}),
    })
    this.source = source
    this.result.encrypted = source.encrypted
    this.result.compression = source.compression
    const targets = await itemTargets(this.item, source, this.signal)
    this.result.databases = targets.databases
    // The file is checked while the targets are inspected (both only read); a refusal or a failed inspection
    // still comes first, and stops the check.
    const stopCheck = new AbortController()
    // A file on a destination is read for this check, then again for the load (streamed both times).
    const checking =
      source.sizeBytes <= (this.ctx.options.verifyFirstMaxBytes ?? VERIFY_FIRST_MAX_BYTES) || plan.verifyFirst
        ? this.checkFile(AbortSignal.any([this.signal, stopCheck.signal]))
        : Promise.resolve()
    checking.catch(() => {}) // awaited below, unless the target is refused
    let full: TargetState[]
    // Targets that take the file's data-only rows: they have those tables, and are backed up but never dropped.
    const kept: string[] = []
    try {
      this.before = await withServer(
        plan.connection,
        async (conn) => {
          const states = await inspectTargets(conn, targets.databases)
          for (const t of states) {
            const tables = dataOnlyTablesFor(this.item, source, t.database)
            const checked = await checkDataOnlyTarget(conn, t, tables, plan.dropTarget)
            if (checked?.refusal) throw checked.refusal
            if (checked !== null && t.tables > 0) kept.push(t.database)
          }
          return states
        },
        this.ctx.options.hostKeyPolicy,
      )
      full = this.before.filter((t) => t.tables > 0 && !kept.includes(t.database))
      const refused = full[0]
      if (refused && !plan.dropTarget) throw targetNotEmpty(refused)
    } catch (e) {
      stopCheck.abort()
      throw e
    }
    this.checkCancel()
    await checking
    this.checkCancel()
    const backedUp = [...full.map((t) => t.database), ...kept]
    if (backedUp.length > 0 && plan.preBackup !== null) await this.preBackup(backedUp)
    this.checkCancel()
    if (full.length > 0) await this.drop(full.map((t) => t.database))
    this.checkCancel()
    const loaded = await this.load()
    if (loaded.status !== 'success') {
      this.result.status = loaded.status
      throw loaded.error
        ? EngineError.from(loaded.error)
        : new EngineError('Cancelled', 'the restore was cancelled')
    }
    if (!plan.skipGrants && this.item.grantsFile !== null) await this.grants(this.item.grantsFile)
    else if (!plan.skipGrants && this.item.remote?.grantsName) await this.remoteGrants(this.item.remote)
    const r = this.result
    r.status =
      r.sqlErrors.length > 0
        ? 'success_with_errors'
        : r.warnings.length > 0
          ? 'success_with_warnings'
          : 'success'
  }

  private async checkFile(signal: AbortSignal): Promise<void> {
    const size = this.source?.sizeBytes ?? 0
    this.log('info', `checking ${this.item.file} end to end before the server is touched`)
    const throttle = new ProgressThrottle()
    const check = await checkBackupFile(
      this.item,
      this.item.key,
      signal,
      (bytes) => {
        if (throttle.ready()) this.emit('inspect', { fraction: size > 0 ? Math.min(1, bytes / size) : null })
      },
      this.ctx.plan.verifyFirst ? 'full' : 'checksum',
    )
    this.log(
      'info',
      check.sqlBytes === null
        ? `${this.item.file}: read whole, its sha256 matches the one recorded in its metadata`
        : `${this.item.file}: read whole (${check.sqlBytes} bytes of SQL; ${check.checked.join(', ') || 'no checksum or trailer to compare'})`,
    )
  }

  private async preBackup(databases: string[]): Promise<void> {
    const { plan, server, options } = this.ctx
    this.emit('pre-backup', { database: databases[0] ?? null })
    const now = new Date()
    let path = preRestorePath(plan, this.item, databases[0] ?? '', server.hostname, now)
    if (path === null) return
    // A pre-restore backup of the same database in the same second (two restores in a row): the next free name.
    for (let n = 2; n <= 99 && (await nameTaken(path)); n++)
      path = preRestorePath(plan, this.item, databases[0] ?? '', server.hostname, now, n) as string
    this.log('info', `pre-restore backup of ${databases.join(', ')} into ${path}`)
    const file = await preRestoreBackup(plan, databases, path, {
      signal: this.signal,
      combined: this.item.target === null,
      onProgress: (p) =>
        this.emit('pre-backup', {
          database: p.database,
          table: p.table,
          tablesDone: p.tablesDone,
          tablesTotal: p.tablesTotal,
          fraction: p.fraction,
          bytesPerSecond: p.bytesPerSecond,
          etaSeconds: p.etaSeconds,
          final: false,
        }),
      ...(options.onLog ? { onLog: options.onLog } : {}),
      ...(options.hostKeyPolicy ? { hostKeyPolicy: options.hostKeyPolicy } : {}),
    })
    this.result.preRestoreBackup = file
    this.result.undo = undoCommand(this.item, file, plan.ticket)
  }

  private async drop(databases: string[]): Promise<void> {
    this.emit('drop', { database: databases[0] ?? null })
    await withServer(
      this.ctx.plan.connection,
      async (conn) => {
        for (const db of databases) {
          this.touched = true
          await conn.query(`DROP DATABASE ${quoteName(db)}`)
          this.result.droppedDatabases.push(db)
          this.log('info', `dropped ${db}`)
        }
      },
      this.ctx.options.hostKeyPolicy,
    )
  }

  private progressView(p: RestoreProgress): RestoreProgressView {
    return {
      itemIndex: this.index,
      itemCount: this.ctx.plan.items.length,
      phase: 'load',
      database: p.database,
      ...loadCounters(p),
      elapsedMs: Date.now() - this.started,
      final: false,
    }
  }

  private async load(): Promise<LoadResult> {
    const { plan, options } = this.ctx
    const item = this.item
    this.emit('load')
    this.loading = true
    const r = await loadSql({
      file: item.file,
      ...(item.remote ? { remote: item.remote } : {}),
      key: item.key,
      connection: plan.connection,
      target:
        item.target === null
          ? { kind: 'sections', exclude: this.excluded() }
          : { kind: 'one', database: item.target },
      parallel: plan.parallel,
      force: plan.force,
      inventory: false,
      signal: this.signal,
      onProgress: (p) => {
        this.result.sqlBytes = p.sqlBytes
        options.onProgress?.(this.progressView(p))
      },
      ...(options.onLog ? { onLog: options.onLog } : {}),
      clientBinary: plan.clientBinary,
      loader: plan.loader ?? null,
      totalSqlBytes: item.totalSqlBytes ?? this.source?.totalSqlBytes ?? null,
      totalTables: item.totalTables ?? this.source?.totalTables ?? null,
      ...(options.hostKeyPolicy ? { hostKeyPolicy: options.hostKeyPolicy } : {}),
    })
    this.loading = false
    this.touched ||= r.touched
    const res = this.result
    if (item.target === null) res.databases = r.databases
    // A database dropped to be replaced is replaced, not created: "created" means it did not exist before.
    res.createdDatabases = r.createdDatabases.filter((db) => !res.droppedDatabases.includes(db))
    res.sqlBytes = r.sqlBytes
    res.tables = r.tables
    res.rows = r.rows
    res.compression = r.compression ?? res.compression
    res.encrypted = r.encrypted || res.encrypted
    res.warnings.push(...r.warnings)
    res.sqlErrors =
      r.sqlErrors.length > 0 || r.error?.code !== 'SqlError' ? r.sqlErrors : [sqlErrorOf(r.error)]
    return r
  }

  /** `all`: the sections not restored (system databases, the excluded ones) as the loader skips them. */
  private excluded(): string[] {
    const keep = new Set(this.result.databases)
    const fromSource = (this.source?.databases ?? []).filter((d) => !keep.has(d))
    return [
      ...new Set([
        ...this.item.excludeDatabases,
        ...fromSource,
        'information_schema',
        'mysql',
        'performance_schema',
        'sys',
      ]),
    ]
  }

  /** The grants file beside the backup on its destination, read into memory and applied as a local one. */
  private async remoteGrants(remote: RemoteBackup): Promise<void> {
    const name = remote.grantsName as string
    const label = remoteLabel(remote.destination.name, name)
    try {
      const text = await withRemote(remote, (session) => readRemoteText(session, name))
      await this.grants(label, text)
    } catch (e) {
      this.result.warnings.push(`the grants file ${label} was not applied: ${toEngineError(e).message}`)
    }
  }

  private async grants(file: string, text?: string): Promise<void> {
    this.emit('grants')
    this.log('info', `applying the grants file ${file}`)
    try {
      const outcome = await withServer(
        this.ctx.plan.connection,
        (conn) => applyGrantsFile(conn, file, this.ctx.server.info.flavor, text),
        this.ctx.options.hostKeyPolicy,
      )
      const { warnings, ...grants } = outcome
      this.result.grants = grants
      this.result.warnings.push(...warnings)
    } catch (e) {
      this.result.warnings.push(`the grants file ${file} was not applied: ${toEngineError(e).message}`)
    }
  }

  /** Whether the targets differ from what the inspection saw (a loader failed after it sent something). */
  private async changed(): Promise<boolean> {
    if (this.before.length === 0) return false
    try {
      const now = await withServer(
        this.ctx.plan.connection,
        (conn) =>
          inspectTargets(
            conn,
            this.before.map((t) => t.database),
          ),
        this.ctx.options.hostKeyPolicy,
      )
      return now.some((t, i) => t.exists !== this.before[i]?.exists || t.tables !== this.before[i]?.tables)
    } catch {
      return true // cannot tell: say so rather than claim it was left alone
    }
  }

  private async fail(e: unknown): Promise<void> {
    const error = toEngineError(e)
    const r = this.result
    if (this.loading) {
      this.loading = false
      this.touched ||= await this.changed()
    }
    const cancelled = error.code === 'Cancelled' || this.signal.aborted || r.status === 'cancelled'
    r.status = cancelled ? 'cancelled' : 'failed'
    r.partlyRestored = this.touched
    if (r.sqlErrors.length === 0 && error.code === 'SqlError') r.sqlErrors = [sqlErrorOf(error.toAppError())]
    if (!this.touched) {
      r.error = cancelled
        ? {
            code: 'Cancelled',
            message: 'the restore was cancelled before anything was changed on the server',
          }
        : error.toAppError()
      this.log(cancelled ? 'warn' : 'error', r.error.message)
      return
    }
    const database = r.databases.join(', ') || (this.item.target ?? '')
    const pre = r.preRestoreBackup
    const how = cancelled ? 'the restore was cancelled' : error.message
    r.error = {
      code: cancelled ? 'Cancelled' : error.code,
      message: `${how}; ${database} is partly restored${pre ? `: the pre-restore backup ${pre} holds its state before` : ''}`,
      ...(error.detail ? { detail: error.detail } : {}),
      advice: advice('partlyRestored', { database, preRestoreBackup: pre ?? '' }),
    }
    this.log(cancelled ? 'warn' : 'error', r.error.message)
  }
}

/** Whether a backup, its `.part` or its metadata already has this name. */
async function nameTaken(path: string): Promise<boolean> {
  for (const p of [path, `${path}.part`, `${path}.meta.json`]) {
    if (
      await access(p).then(
        () => true,
        () => false,
      )
    )
      return true
  }
  return false
}
