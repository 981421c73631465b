/**
 * The loader's view of the dump's statements: which database each one is in, what the target makes of it
 * (pointed at the one target database, or skipped in an excluded section, or never run: DROP DATABASE),
 * and the inventory of what the dump holds. Pure: no I/O, unit-testable.
 */
import { EngineError } from '../../errors.ts'
import type { SqlStatement, StatementClass } from '../sql-statements.ts'
import { countInsertRows } from './row-counter.ts'
import type { Inventory, LoadTarget } from './types.ts'

const quoteName = (name: string): string => '`' + name.replace(/`/g, '``') + '`'
const ALTER_DATABASE = /^\s*(?:\/\*!\d+\s*)?ALTER\s+(?:DATABASE|SCHEMA)\s+(`(?:[^`]|``)+`|\w+)/i

/** What to do with one statement. */
export type Decision =
  /** Send it as it is. */
  | { action: 'send' }
  /** Send these bytes instead (the dump's USE / ALTER DATABASE pointed at the target). */
  | { action: 'replace'; raw: Buffer }
  /** Never sent (DROP DATABASE, the dump's own CREATE DATABASE for a one-database target, an excluded section). */
  | { action: 'skip' }

export interface DatabaseOptions {
  charset: string | null
  collation: string | null
}

export class DumpReader {
  /** Databases the dump names (USE / CREATE / DROP / ALTER DATABASE), in order. */
  readonly sourceDatabases: string[] = []
  readonly skippedDatabases: string[] = []
  /** Databases whose statements were sent (sections), or the target. */
  readonly databases: string[] = []
  /** The character set and collation of the dump's first CREATE DATABASE (for a one-database target). */
  databaseOptions: DatabaseOptions | null = null
  /** The database in force: the target, or the section the dump is in. */
  current: string | null
  readonly tables = new Set<string>()
  readonly inventory: Inventory = {
    tables: [],
    views: [],
    procedures: [],
    functions: [],
    triggers: [],
    events: [],
  }
  rows = 0
  private readonly tableRows = new Map<string, { database: string; name: string; rows: number }>()
  private readonly target: LoadTarget
  private readonly exclude: Set<string>
  private readonly countInventory: boolean

  constructor(target: LoadTarget, countInventory: boolean) {
    this.target = target
    this.exclude = new Set(target.kind === 'sections' ? target.exclude : [])
    this.current = target.kind === 'one' ? target.database : null
    if (target.kind === 'one') this.databases.push(target.database)
    this.countInventory = countInventory
  }

  /** True while the dump is in a section that is not sent. */
  get excluded(): boolean {
    return this.current !== null && this.exclude.has(this.current)
  }

  decide(stmt: SqlStatement, cls: StatementClass, noBackslashEscapes: boolean): Decision {
    const one = this.target.kind === 'one'
    switch (cls.kind) {
      case 'use':
        return this.onDatabase(cls.database, one ? `USE ${quoteName(this.current ?? '')}` : null)
      case 'create-database': {
        const d = this.onDatabase(cls.database, null)
        if (one) {
          this.databaseOptions ??= {
            charset: /CHARACTER SET\s*=?\s*(\w+)/i.exec(stmt.text)?.[1] ?? null,
            collation: /COLLATE\s*=?\s*(\w+)/i.exec(stmt.text)?.[1] ?? null,
          }
          return { action: 'skip' }
        }
        return d
      }
      case 'drop-database':
        if (cls.database !== undefined) this.noteSource(cls.database)
        return { action: 'skip' }
      case 'other': {
        const m = ALTER_DATABASE.exec(stmt.text.slice(0, 4096))
        if (m) {
          const name = (m[1] as string).startsWith('`')
            ? (m[1] as string).slice(1, -1).replace(/``/g, '`')
            : (m[1] as string)
          this.noteSource(name)
          if (this.excluded) return { action: 'skip' }
          if (one) {
            // The name's bytes in the raw statement (the rest is kept byte for byte).
            const at = (m.index ?? 0) + m[0].length
            const from = Buffer.byteLength(stmt.text.slice(0, at - (m[1] as string).length))
            const to = Buffer.byteLength(stmt.text.slice(0, at))
            const name = Buffer.from(quoteName(this.current ?? ''), 'utf8')
            return {
              action: 'replace',
              raw: Buffer.concat([stmt.raw.subarray(0, from), name, stmt.raw.subarray(to)]),
            }
          }
        }
        break
      }
      default:
        break
    }
    if (this.excluded) return cls.kind === 'set' ? { action: 'send' } : { action: 'skip' }
    this.note(stmt, cls, noBackslashEscapes)
    return { action: 'send' }
  }

  /** The section a USE / CREATE DATABASE enters; `use`: the target's USE for a one-database target. */
  private onDatabase(name: string | undefined, use: string | null): Decision {
    if (name === undefined) return { action: 'send' }
    this.noteSource(name)
    if (use !== null) return { action: 'replace', raw: Buffer.from(use, 'utf8') }
    if (this.target.kind === 'one') return { action: 'skip' }
    this.current = name
    if (this.exclude.has(name)) {
      if (!this.skippedDatabases.includes(name)) this.skippedDatabases.push(name)
      return { action: 'skip' }
    }
    if (!this.databases.includes(name)) this.databases.push(name)
    return { action: 'send' }
  }

  private noteSource(name: string): void {
    if (this.sourceDatabases.includes(name)) return
    if (this.target.kind === 'one' && this.sourceDatabases.length > 0) {
      throw new EngineError(
        'InvalidInput',
        `the file holds more than one database (${this.sourceDatabases[0]}, ${name}): ` +
          'restoring it into one database would mix them',
      )
    }
    this.sourceDatabases.push(name)
  }

  private where(cls: StatementClass): string {
    return this.target.kind === 'one' ? this.target.database : (cls.database ?? this.current ?? '')
  }

  /** Tables, rows and objects (what a restore test checks). */
  private note(stmt: SqlStatement, cls: StatementClass, noBackslashEscapes: boolean): void {
    const database = this.where(cls)
    const name = cls.kind === 'create-table' || cls.kind === 'insert' ? cls.table : cls.name
    if (name === undefined && cls.kind !== 'create-view') return
    switch (cls.kind) {
      case 'create-table':
      case 'insert': {
        const key = `${database}\u0000${name}`
        this.tables.add(key)
        if (!this.countInventory) return
        let entry = this.tableRows.get(key)
        if (entry === undefined) {
          entry = { database, name: name as string, rows: 0 }
          this.tableRows.set(key, entry)
          this.inventory.tables.push(entry)
        }
        if (cls.kind === 'insert') {
          const rows = countInsertRows(stmt.raw, noBackslashEscapes)
          entry.rows += rows
          this.rows += rows
        }
        return
      }
      case 'create-view':
        if (this.countInventory && !cls.placeholder && cls.table !== undefined) {
          this.inventory.views.push({ database, name: cls.table })
        }
        return
      case 'create-routine':
        if (!this.countInventory) return
        if (cls.routine === 'procedure') this.inventory.procedures.push({ database, name: name as string })
        if (cls.routine === 'function') this.inventory.functions.push({ database, name: name as string })
        return
      case 'create-trigger':
        if (this.countInventory) this.inventory.triggers.push({ database, name: name as string })
        return
      case 'create-event':
        if (this.countInventory) this.inventory.events.push({ database, name: name as string })
        return
      default:
    }
  }
}
