/**
 * The phase of every statement of a dump in a parallel load (myloader's order, for one plain dump file):
 *
 * - ordered (phase 1, one session, dump order): database and table DDL — CREATE DATABASE / TABLE /
 *   SEQUENCE, DROP TABLE, the stand-in tables the dump creates for its views, SETVAL, other ALTER TABLE;
 * - data (phase 2, N sessions): each table's LOCK TABLES, ALTER TABLE … DISABLE/ENABLE KEYS, INSERT /
 *   REPLACE, the SET / COMMIT between them, UNLOCK TABLES — one data section at a time, all on one session;
 * - late (phase 3, one session, after all data, dump order): real views (DROP of the stand-in + CREATE
 *   VIEW), triggers, routines, events and everything else;
 * - both: session state (SET, USE) outside data: the ordered and the late session each need it, in place.
 *
 * A `DROP VIEW` / `DROP TABLE` is held (with the SETs after it) until the next statement shows where it
 * belongs: before a stand-in it is phase 1, before a real view phase 3 — dropping a stand-in early would
 * break the views that are created on top of it. Concatenating the lanes in call order gives back the
 * dump's order exactly (so one session taking every lane loads the dump as it is).
 */
import type { StatementClass } from '../sql-statements.ts'

export interface DataTable {
  database: string | null
  table: string
}

export interface PhaseSink<T> {
  ordered(item: T): void
  late(item: T): void
  /** Session state (SET, USE, stray UNLOCK/COMMIT) outside a data section: for the ordered and the late session. */
  both(item: T): void
  /** A table's data section begins (its statements follow through `data`). */
  dataOpen(table: DataTable): void
  data(item: T): void
  dataClose(table: DataTable): void
}

const KEYS = /\b(?:DISABLE|ENABLE)\s+KEYS\b/i

export class PhaseRouter<T> {
  /** The dump's header: the SETs before its first other statement (every data session starts with them). */
  readonly header: T[] = []
  private headerDone = false
  private open: DataTable | null = null
  private held: { item: T; state: boolean }[] = []
  private readonly sink: PhaseSink<T>
  /** Makes an item outlive the call (statements are views into the splitter's buffer). */
  private readonly keep: (item: T) => T

  constructor(sink: PhaseSink<T>, keep: (item: T) => T) {
    this.sink = sink
    this.keep = keep
  }

  /**
   * One statement, in dump order. `database`: the database in force (the session's USE), `text`: at least
   * the statement's head.
   */
  route(item: T, cls: StatementClass, database: string | null, text: string): void {
    if (!this.headerDone) {
      if (cls.kind === 'set') this.header.push(this.keep(item))
      else this.headerDone = true
    }
    const kind = cls.kind
    if (this.open !== null) {
      if (this.continuesData(cls, database, text)) {
        this.sink.data(item)
        if (kind === 'unlock-tables') this.closeData()
        return
      }
      this.closeData()
    }
    switch (kind) {
      case 'set':
      case 'use':
        if (this.held.length > 0) this.held.push({ item: this.keep(item), state: true })
        else this.sink.both(item)
        return
      case 'transaction':
      case 'unlock-tables':
        this.flushHeld('ordered')
        this.sink.both(item)
        return
      case 'drop-table':
      case 'drop-view':
        this.held.push({ item: this.keep(item), state: false })
        return
      case 'lock-tables':
      case 'insert':
        this.openData(item, cls, database)
        return
      case 'alter-table':
        if (KEYS.test(text)) {
          this.openData(item, cls, database)
          return
        }
        this.flushHeld('ordered')
        this.sink.ordered(item)
        return
      case 'create-database':
      case 'create-table':
      case 'create-sequence':
      case 'setval':
        this.flushHeld('ordered')
        this.sink.ordered(item)
        return
      case 'create-view':
        this.flushHeld(cls.placeholder ? 'ordered' : 'late')
        if (cls.placeholder) this.sink.ordered(item)
        else this.sink.late(item)
        return
      default:
        this.flushHeld('late')
        this.sink.late(item)
    }
  }

  /** The end of the dump: an open data section closes, held statements go last. */
  end(): void {
    if (this.open !== null) this.closeData()
    this.flushHeld('late')
  }

  private continuesData(cls: StatementClass, database: string | null, text: string): boolean {
    const open = this.open as DataTable
    switch (cls.kind) {
      case 'set':
      case 'transaction':
      case 'unlock-tables':
        return true
      case 'insert':
        return sameTable(open, cls, database)
      case 'alter-table':
        return KEYS.test(text) && sameTable(open, cls, database)
      default:
        return false
    }
  }

  private openData(item: T, cls: StatementClass, database: string | null): void {
    this.flushHeld('ordered')
    this.open = { database: cls.database ?? database, table: cls.table ?? '' }
    this.sink.dataOpen(this.open)
    this.sink.data(item)
  }

  private closeData(): void {
    const open = this.open
    this.open = null
    if (open !== null) this.sink.dataClose(open)
  }

  private flushHeld(lane: 'ordered' | 'late'): void {
    if (this.held.length === 0) return
    const held = this.held
    this.held = []
    for (const h of held) {
      if (h.state) this.sink.both(h.item)
      else if (lane === 'ordered') this.sink.ordered(h.item)
      else this.sink.late(h.item)
    }
  }
}

const sameTable = (open: DataTable, cls: StatementClass, database: string | null): boolean =>
  cls.table === open.table && (cls.database ?? database) === open.database
