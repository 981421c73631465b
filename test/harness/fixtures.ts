/**
 * Realistic test databases: InnoDB and MyISAM tables, utf8mb4 text with emoji, BLOBs, JSON, DECIMAL,
 * DATETIME, NULLs, a view, a trigger, a procedure, a function and an event — everything a logical backup
 * must carry across.
 */
import type mysql from 'mysql2/promise'

export interface SampleOptions {
  /** Rows in the main InnoDB table (default 500). */
  rows?: number
  /** Approximate bytes of text per row in the main table (default 200). */
  rowBytes?: number
}

const quoteId = (name: string): string => '`' + name.replace(/`/g, '``') + '`'

/** Drops (if present) and creates `db` with the full sample schema and deterministic content. */
export async function createSampleDatabase(
  conn: mysql.Connection,
  db: string,
  options: SampleOptions = {},
): Promise<void> {
  const rows = options.rows ?? 500
  const rowBytes = options.rowBytes ?? 200
  const q = quoteId(db)
  await conn.query(
    `DROP DATABASE IF EXISTS ${q}; CREATE DATABASE ${q} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  )
  await conn.query(`USE ${q}`)
  await conn.query(`
    CREATE TABLE customers (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(120) NOT NULL,
      email VARCHAR(190) NULL,
      balance DECIMAL(14,4) NOT NULL DEFAULT 0,
      created_at DATETIME(3) NOT NULL,
      profile JSON NULL,
      avatar BLOB NULL,
      notes TEXT NULL,
      UNIQUE KEY uq_email (email)
    ) ENGINE=InnoDB;
    CREATE TABLE audit_log (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      customer_id INT UNSIGNED NULL,
      action VARCHAR(40) NOT NULL,
      at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
    ) ENGINE=MyISAM;
    CREATE TABLE settings (
      k VARCHAR(64) NOT NULL PRIMARY KEY,
      v MEDIUMTEXT NULL
    ) ENGINE=MyISAM;
    CREATE TABLE empty_table (id INT PRIMARY KEY) ENGINE=InnoDB;
  `)
  const batch = 200
  for (let start = 0; start < rows; start += batch) {
    const values: unknown[] = []
    const tuples: string[] = []
    for (let i = start; i < Math.min(rows, start + batch); i++) {
      const text = `Catatan ${i} — café 😀 日本語 "quoted" 'single' \\backslash\\ \n`.repeat(
        Math.max(1, Math.round(rowBytes / 60)),
      )
      const blob = Buffer.alloc(32 + (i % 64))
      for (let b = 0; b < blob.length; b++) blob[b] = (i * 31 + b * 7) & 0xff
      tuples.push('(?, ?, ?, ?, ?, ?, ?)')
      values.push(
        `Pelanggan ${i} 🚀`,
        i % 7 === 0 ? null : `user${i}@example.test`,
        ((i * 1234567) % 100000000) / 10000 - 5000,
        new Date(Date.UTC(2025, i % 12, (i % 28) + 1, i % 24, i % 60, i % 60, i % 1000)),
        i % 5 === 0 ? null : JSON.stringify({ tier: i % 3, tags: ['a', 'ü', '🙂'], n: i }),
        i % 11 === 0 ? null : blob,
        i % 13 === 0 ? null : text,
      )
    }
    await conn.query(
      `INSERT INTO customers (name, email, balance, created_at, profile, avatar, notes) VALUES ${tuples.join(',')}`,
      values,
    )
  }
  await conn.query(`
    INSERT INTO audit_log (customer_id, action, at) SELECT id, 'created', '2025-06-01 10:00:00' FROM customers LIMIT 100;
    INSERT INTO settings VALUES ('theme', 'dark'), ('empty', ''), ('null', NULL), ('emoji', '🎉🎉');
    CREATE VIEW active_customers AS SELECT id, name, balance FROM customers WHERE balance > 0;
    CREATE TRIGGER trg_customers_ai AFTER INSERT ON customers FOR EACH ROW
      INSERT INTO audit_log (customer_id, action) VALUES (NEW.id, 'inserted');
    CREATE PROCEDURE add_customer(IN p_name VARCHAR(120))
      INSERT INTO customers (name, created_at) VALUES (p_name, NOW());
    CREATE FUNCTION customer_count() RETURNS INT READS SQL DATA RETURN (SELECT COUNT(*) FROM customers);
    CREATE EVENT ev_cleanup ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM audit_log WHERE at < '2000-01-01';
  `)
}

/** Creates an empty database (no tables). */
export async function createEmptyDatabase(conn: mysql.Connection, db: string): Promise<void> {
  await conn.query(`DROP DATABASE IF EXISTS ${quoteId(db)}; CREATE DATABASE ${quoteId(db)}`)
}

export interface DatabaseFingerprint {
  /** table name → CHECKSUM TABLE value (EXTENDED, so it reads the rows). */
  checksums: Record<string, string | null>
  counts: { tables: number; views: number; triggers: number; routines: number; events: number }
}

/** What must be identical between a source database and its restored copy. */
export async function fingerprint(conn: mysql.Connection, db: string): Promise<DatabaseFingerprint> {
  const [tables] = await conn.query<mysql.RowDataPacket[]>(
    `SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
    [db],
  )
  const checksums: Record<string, string | null> = {}
  for (const t of tables) {
    const name = String(t.name)
    const [rows] = await conn.query<mysql.RowDataPacket[]>(
      `CHECKSUM TABLE ${quoteId(db)}.${quoteId(name)} EXTENDED`,
    )
    const value = rows[0]?.Checksum
    checksums[name] = value === null || value === undefined ? null : String(value)
  }
  const count = async (sql: string): Promise<number> => {
    const [rows] = await conn.query<mysql.RowDataPacket[]>(sql, [db])
    return Number(rows[0]?.n ?? 0)
  }
  return {
    checksums,
    counts: {
      tables: tables.length,
      views: await count(`SELECT COUNT(*) AS n FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?`),
      triggers: await count(`SELECT COUNT(*) AS n FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?`),
      routines: await count(`SELECT COUNT(*) AS n FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?`),
      events: await count(`SELECT COUNT(*) AS n FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?`),
    },
  }
}
