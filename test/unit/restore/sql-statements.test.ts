/**
 * The statement splitter and classifier of restore. The main fixture, test/fixtures/dumps/sample.sql, is a
 * real `mariadb-dump` 10.11.19 file (`--single-transaction --quick --routines --triggers --events --hex-blob
 * --default-character-set=utf8mb4 --databases shop crm`) of the sample schema (test/harness/fixtures.ts,
 * 4 rows) plus a view on a view, a procedure with a BEGIN … END body and a table named `odd;name`; its
 * oracle, sample.client-log.json, is what the real `mariadb` client sent to the server for that file (the
 * server's general log).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  classifyStatement,
  SqlSplitError,
  StatementSplitter,
  type SqlStatement,
  type StatementClass,
  type StatementSplitterOptions,
} from '../../../electron/engine/restore/sql-statements.ts'

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'dumps')
const SAMPLE = readFileSync(join(FIXTURES, 'sample.sql'))
const CLIENT_LOG = JSON.parse(readFileSync(join(FIXTURES, 'sample.client-log.json'), 'utf8')) as {
  entries: { command: 'Query' | 'Init DB'; argument: string }[]
}

function split(
  input: Buffer | string,
  chunkSize = Infinity,
  options?: StatementSplitterOptions,
): { statements: SqlStatement[]; splitter: StatementSplitter } {
  const data = typeof input === 'string' ? Buffer.from(input) : input
  const statements: SqlStatement[] = []
  const splitter = new StatementSplitter((s) => statements.push(s), options)
  const size = Math.min(chunkSize, Math.max(1, data.length))
  for (let i = 0; i < data.length; i += size) splitter.push(data.subarray(i, i + size))
  splitter.end()
  return { statements, splitter }
}

const texts = (input: Buffer | string, chunkSize = Infinity, options?: StatementSplitterOptions): string[] =>
  split(input, chunkSize, options).statements.map((s) => s.text)

/** Chunks cut at pseudo-random places (a fixed seed: the same cuts every run). */
function splitRandomly(data: Buffer, seed: number, maxChunk: number): SqlStatement[] {
  let x = seed
  const next = (): number => {
    x = (x * 1103515245 + 12345) & 0x7fffffff
    return x
  }
  const statements: SqlStatement[] = []
  const splitter = new StatementSplitter((s) => statements.push(s))
  for (let i = 0; i < data.length;) {
    const size = 1 + (next() % maxChunk)
    splitter.push(data.subarray(i, i + size))
    i += size
  }
  splitter.end()
  return statements
}

const describeClass = (c: StatementClass): string =>
  [
    c.kind,
    c.database === undefined ? '' : `db=${c.database}`,
    c.table === undefined ? '' : `table=${c.table}`,
    c.name === undefined ? '' : `name=${c.name}`,
    c.routine ?? '',
    c.placeholder ? 'placeholder' : '',
  ]
    .filter((part) => part !== '')
    .join(' ')

describe('StatementSplitter on a real mariadb-dump file', () => {
  const reference = split(SAMPLE)

  it('sends exactly what the mariadb client sends', () => {
    // The client turns USE into its own Init DB (+ SELECT DATABASE()), puts the sandbox line's remnant in
    // front of the first statement, and drops comments (--skip-comments); the splitter keeps comments inside
    // a statement (a routine body keeps its comment).
    const client = CLIENT_LOG.entries
      .filter((e) => e.argument !== 'SELECT DATABASE()')
      .map((e) => (e.command === 'Init DB' ? `USE \`${e.argument}\`` : e.argument))
      .map((t) => t.replace(/^\/\*M!999999 enable the sandbox mode \*\/\s*/, ''))
    const ours = reference.statements.map((s) =>
      s.text.replace('/* a block comment; with a semicolon */', ''),
    )
    expect(client).toHaveLength(181)
    expect(ours).toEqual(client)
    expect(reference.statements.map((s) => s.index)).toEqual(client.map((_, k) => k + 1))
    expect(reference.splitter.sandboxMode).toBe(true)
    expect(reference.splitter.delimiter).toBe(';')
    expect(reference.splitter.statements).toBe(181)
    expect(reference.splitter.bytesIn).toBe(SAMPLE.length)
  })

  it('keeps routines, triggers and events whole, without the DELIMITER lines or the ;; delimiter', () => {
    const byLine = new Map(reference.statements.map((s) => [s.startLine, s]))
    expect(byLine.get(114)?.text).toBe(
      '/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER trg_customers_ai AFTER INSERT ON customers FOR EACH ROW\n' +
        "      INSERT INTO audit_log (customer_id, action) VALUES (NEW.id, 'inserted') \n*/",
    )
    expect(byLine.get(114)?.delimiter).toBe(';;')
    expect(byLine.get(262)?.text).toBe(
      'CREATE DEFINER=`root`@`localhost` PROCEDURE `multi_step`(IN p_id INT)\n' +
        'BEGIN\n' +
        "    DECLARE v_note TEXT DEFAULT 'a; b -- not a comment';\n" +
        '    /* a block comment; with a semicolon */\n' +
        '    UPDATE customers SET notes = CONCAT(notes, v_note) WHERE id = p_id;\n' +
        '    SELECT "done;" AS `status;`;\n' +
        '  END',
    )
    expect(byLine.get(225)?.text).toBe(
      'CREATE DEFINER=`root`@`localhost` FUNCTION `customer_count`() RETURNS int(11)\n' +
        '    READS SQL DATA\n' +
        'RETURN (SELECT COUNT(*) FROM customers)',
    )
    // Inside DELIMITER ;; even the SET statements end with ;; (and lose it).
    expect(byLine.get(192)).toMatchObject({
      text: '/*!50003 SET @saved_cs_client      = @@character_set_client */',
      delimiter: ';;',
    })
    expect(reference.statements.filter((s) => s.delimiter === ';;')).toHaveLength(20)
    expect(reference.statements.some((s) => /^DELIMITER/im.test(s.text))).toBe(false)
  })

  it('numbers lines and offsets so every statement can be found in the file', () => {
    const lines = SAMPLE.toString('utf8').split('\n')
    for (const s of reference.statements) {
      expect(Buffer.byteLength(s.text), `statement ${s.index}`).toBe(s.bytes)
      expect(SAMPLE.subarray(s.startOffset, s.startOffset + s.bytes).toString('utf8')).toBe(s.text)
      expect(lines[s.startLine - 1]?.startsWith(s.text.split('\n')[0] ?? '')).toBe(true)
      const delimiter = SAMPLE.subarray(s.endOffset - s.delimiter.length, s.endOffset).toString()
      expect(delimiter).toBe(s.delimiter)
      // Only blanks between the statement's end and its delimiter.
      expect(SAMPLE.subarray(s.startOffset + s.bytes, s.endOffset - s.delimiter.length).toString()).toMatch(
        /^\s*$/,
      )
    }
    expect(reference.statements.map((s) => s.startLine).slice(0, 13)).toEqual([
      8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 23, 25, 31,
    ])
    expect(reference.statements.at(-1)?.startLine).toBe(374)
  })

  it('gives identical statements for every chunk size from 1 byte up', () => {
    const expected = reference.statements
    const sizes = [...Array.from({ length: 64 }, (_, k) => k + 1), 100, 127, 1000, 4096, 65536]
    for (const size of sizes) {
      const { statements, splitter } = split(SAMPLE, size)
      expect(statements, `chunks of ${size} bytes`).toEqual(expected)
      expect(splitter.sandboxMode).toBe(true)
    }
    for (const seed of [1, 2, 3, 4, 5]) {
      expect(splitRandomly(SAMPLE, seed, 40), `random chunks, seed ${seed}`).toEqual(expected)
    }
  })

  it('reads the same file with CRLF line ends', () => {
    const crlf = Buffer.from(SAMPLE.toString('utf8').replace(/\n/g, '\r\n'))
    const expected = reference.statements.map((s) => ({
      index: s.index,
      startLine: s.startLine,
      text: s.text.replace(/\n/g, '\r\n'),
      delimiter: s.delimiter,
    }))
    for (const size of [1, 2, 3, 5, 8, 13, 4096, Infinity]) {
      const got = split(crlf, size).statements.map(({ index, startLine, text, delimiter }) => ({
        index,
        startLine,
        text,
        delimiter,
      }))
      expect(got, `chunks of ${size} bytes`).toEqual(expected)
    }
  })

  it('classifies every statement of the dump', () => {
    const classes = reference.statements.map((s) => classifyStatement(s.text))
    expect(classes.filter((c) => c.kind === 'set')).toHaveLength(122)
    expect(classes.filter((c) => c.kind !== 'set').map(describeClass)).toEqual([
      'create-database db=shop',
      'use db=shop',
      'drop-table table=active_customers',
      'drop-view table=active_customers',
      'create-view table=active_customers placeholder',
      'drop-table table=audit_log',
      'create-table table=audit_log',
      'lock-tables table=audit_log',
      'alter-table table=audit_log',
      'insert table=audit_log',
      'alter-table table=audit_log',
      'unlock-tables',
      'drop-table table=customers',
      'create-table table=customers',
      'lock-tables table=customers',
      'alter-table table=customers',
      'insert table=customers',
      'alter-table table=customers',
      'unlock-tables',
      'create-trigger table=customers name=trg_customers_ai',
      'drop-table table=empty_table',
      'create-table table=empty_table',
      'lock-tables table=empty_table',
      'alter-table table=empty_table',
      'alter-table table=empty_table',
      'unlock-tables',
      'drop-table table=rich_customers',
      'drop-view table=rich_customers',
      'create-view table=rich_customers placeholder',
      'drop-table table=settings',
      'create-table table=settings',
      'lock-tables table=settings',
      'alter-table table=settings',
      'insert table=settings',
      'alter-table table=settings',
      'unlock-tables',
      'drop-event name=ev_cleanup',
      'create-event name=ev_cleanup',
      'drop-routine name=customer_count function',
      'create-routine name=customer_count function',
      'drop-routine name=add_customer procedure',
      'create-routine name=add_customer procedure',
      'drop-routine name=multi_step procedure',
      'create-routine name=multi_step procedure',
      'create-database db=crm',
      'use db=crm',
      'drop-table table=odd;name',
      'create-table table=odd;name',
      'lock-tables table=odd;name',
      'alter-table table=odd;name',
      'insert table=odd;name',
      'alter-table table=odd;name',
      'unlock-tables',
      'use db=shop',
      'drop-view table=active_customers',
      'create-view table=active_customers',
      'drop-view table=rich_customers',
      'create-view table=rich_customers',
      'use db=crm',
    ])
  })
})

describe('StatementSplitter: quotes and comments', () => {
  it('ignores delimiters and comment markers inside strings and identifiers', () => {
    const sql = [
      "INSERT INTO t VALUES (';', 'it\\'s; ok', 'it''s; ok', \"say \\\"hi\\\"; \", \"a\"\";b\");",
      "INSERT INTO t VALUES ('-- not a comment;', '# nor this;', '/* nor; this */');",
      'SELECT `#col`, `a``;b`, `--x;` FROM `odd;name`;',
      "SELECT 'back\\\\';",
      "SELECT 'trailing backslash \\\\', 'next;';",
    ].join('\n')
    expect(texts(sql)).toEqual([
      "INSERT INTO t VALUES (';', 'it\\'s; ok', 'it''s; ok', \"say \\\"hi\\\"; \", \"a\"\";b\")",
      "INSERT INTO t VALUES ('-- not a comment;', '# nor this;', '/* nor; this */')",
      'SELECT `#col`, `a``;b`, `--x;` FROM `odd;name`',
      "SELECT 'back\\\\'",
      "SELECT 'trailing backslash \\\\', 'next;'",
    ])
  })

  it('skips comments between statements and drops trailing ones, keeps those inside', () => {
    const sql = [
      '-- a comment; with a semicolon',
      '# another; one',
      '/* a block;',
      '   comment */ SELECT 1 /* inside; */ + 2 -- trailing; comment',
      ';',
      'SELECT 3 # hash comment',
      '/* and a block */ ;',
      'SELECT 4--5;',
      'SELECT 6 --\tseven',
      ';',
      '--',
      '/**/SELECT 8;',
    ].join('\n')
    const { statements } = split(sql)
    expect(statements.map((s) => [s.startLine, s.text])).toEqual([
      [4, 'SELECT 1 /* inside; */ + 2'],
      [6, 'SELECT 3'],
      [8, 'SELECT 4--5'],
      [9, 'SELECT 6'],
      [12, 'SELECT 8'],
    ])
  })

  it('treats a conditional comment as code, as the client does', () => {
    expect(
      texts('/*!40101 SET NAMES utf8mb4 */;\n/*M!100100 SET a=1 */;\nSELECT 1 /*!50000 + 2 */;'),
    ).toEqual(['/*!40101 SET NAMES utf8mb4 */', '/*M!100100 SET a=1 */', 'SELECT 1 /*!50000 + 2 */'])
    // The client ends a statement at a delimiter even inside a conditional comment (it sends
    // "select 1 /*!40101" to the server); so does the splitter.
    expect(texts('select 1 /*!40101 ; */;')).toEqual(['select 1 /*!40101', '*/'])
  })

  it('keeps multi-byte characters whole wherever a chunk ends', () => {
    const sql = "INSERT INTO `日本` VALUES ('café 😀; 日本語', \"🎉\");\n-- ünïcödé; comment\nSELECT '🙂';"
    for (let size = 1; size <= 9; size++) {
      expect(texts(sql, size), `chunks of ${size} bytes`).toEqual([
        'INSERT INTO `日本` VALUES (\'café 😀; 日本語\', "🎉")',
        "SELECT '🙂'",
      ])
    }
    const { statements } = split(sql)
    expect(statements[0]?.bytes).toBe(Buffer.byteLength(statements[0]?.text ?? ''))
    expect(statements[1]).toMatchObject({
      startLine: 3,
      startOffset: Buffer.from(sql).indexOf("SELECT '🙂'"),
    })
  })

  it('skips empty statements and a UTF-8 byte order mark', () => {
    const sql = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(';\n;;\n  ; SELECT 1;;\n')])
    for (const size of [1, 2, Infinity]) {
      expect(split(sql, size).statements.map((s) => [s.index, s.startLine, s.text])).toEqual([
        [1, 3, 'SELECT 1'],
      ])
    }
  })

  it('counts lines in strings, comments and CRLF', () => {
    const sql = "SELECT 'a\nb\r\nc';\r\n/* x\r\ny */\r\n# z\r\nSELECT `q\nr`;\r\nSELECT 3;"
    expect(split(sql).statements.map((s) => [s.startLine, s.text])).toEqual([
      [1, "SELECT 'a\nb\r\nc'"],
      [7, 'SELECT `q\nr`'],
      [9, 'SELECT 3'],
    ])
  })
})

describe('StatementSplitter: DELIMITER', () => {
  it('changes the delimiter and never sends the DELIMITER line', () => {
    const sql = [
      'DELIMITER ;;',
      'CREATE TRIGGER t1 BEFORE INSERT ON t FOR EACH ROW',
      'BEGIN',
      "  SET NEW.a = ';;';",
      '  SET NEW.b = 1;',
      'END ;;',
      'delimiter $$',
      "SELECT '$$'$$ SELECT 2 $$",
      'DELIMITER "//"',
      'SELECT 3; SELECT 4//',
      'DELIMITER ;',
      'SELECT 5;',
    ].join('\n')
    for (const size of [1, 2, 3, 4, 5, 7, 11, Infinity]) {
      const { statements, splitter } = split(sql, size)
      expect(
        statements.map((s) => [s.startLine, s.delimiter, s.text]),
        `chunks of ${size} bytes`,
      ).toEqual([
        [
          2,
          ';;',
          "CREATE TRIGGER t1 BEFORE INSERT ON t FOR EACH ROW\nBEGIN\n  SET NEW.a = ';;';\n  SET NEW.b = 1;\nEND",
        ],
        [8, '$$', "SELECT '$$'"],
        [8, '$$', 'SELECT 2'],
        [10, '//', 'SELECT 3; SELECT 4'],
        [12, ';', 'SELECT 5'],
      ])
      expect(splitter.delimiter).toBe(';')
    }
  })

  it('reads DELIMITER lines with CRLF and after comment lines', () => {
    const sql =
      '-- routines\r\nDELIMITER ;;\r\nCREATE PROCEDURE p() SELECT 1;\r\n;;\r\nDELIMITER ;\r\nSELECT 2;\r\n'
    expect(split(sql, 3).statements.map((s) => [s.startLine, s.text])).toEqual([
      [3, 'CREATE PROCEDURE p() SELECT 1;'],
      [6, 'SELECT 2'],
    ])
  })

  it('is a command only on a line of its own between statements', () => {
    // mysqldump writes it nowhere else. (The client also acts on "delimiter " later in a line, even inside a
    // statement, which cuts statements that use the word; here it is plain SQL, which the server rejects.)
    expect(texts('SELECT 1; DELIMITER ;;\nSELECT 2;')).toEqual(['SELECT 1', 'DELIMITER', 'SELECT 2'])
    expect(texts('SELECT\nDELIMITER;')).toEqual(['SELECT\nDELIMITER'])
    expect(texts('DELIMITERS;')).toEqual(['DELIMITERS'])
    expect(texts('  \tdelimiter //\nSELECT 1//')).toEqual(['SELECT 1'])
  })

  it('refuses a DELIMITER without a delimiter or with a backslash', () => {
    const bad = (sql: string): SqlSplitError => {
      try {
        split(sql)
      } catch (e) {
        return e as SqlSplitError
      }
      throw new Error('no error')
    }
    expect(bad('SELECT 1;\nDELIMITER\nSELECT 2;')).toMatchObject({
      name: 'SqlSplitError',
      code: 'CorruptFile',
      reason: 'bad-delimiter',
      line: 2,
    })
    expect(bad('DELIMITER \\\\\n').reason).toBe('bad-delimiter')
  })
})

describe('StatementSplitter: the end of the stream', () => {
  const endError = (sql: string, options?: StatementSplitterOptions): SqlSplitError => {
    const statements: SqlStatement[] = []
    const splitter = new StatementSplitter((s) => statements.push(s), options)
    splitter.push(Buffer.from(sql))
    try {
      splitter.end()
    } catch (e) {
      expect(e).toBeInstanceOf(SqlSplitError)
      // Nothing of the unfinished statement was emitted.
      expect(statements.map((s) => s.text)).toEqual(['SELECT 1'])
      return e as SqlSplitError
    }
    throw new Error('no error')
  }

  it('fails on a last statement without its delimiter, quoting its start', () => {
    const head = 'INSERT INTO t VALUES ' + '(1),'.repeat(100) + '(2)'
    const e = endError(`SELECT 1;\n\n${head}`)
    expect(e).toMatchObject({
      code: 'IncompleteDump',
      reason: 'missing-delimiter',
      line: 3,
      statementIndex: 2,
    })
    expect(e.message).toBe('the SQL ends without the delimiter of statement 2 starting at line 3')
    expect(e.detail).toBe(head.slice(0, 200) + '…')
  })

  it('fails inside a string, an identifier or a comment, naming where it opened', () => {
    expect(endError("SELECT 1;\nINSERT INTO t VALUES ('abc\n\ndef")).toMatchObject({
      reason: 'unclosed-string',
      line: 2,
      statementIndex: 2,
    })
    expect(endError('SELECT 1;\nSELECT `a\n')).toMatchObject({ reason: 'unclosed-identifier', line: 2 })
    expect(endError('SELECT 1;\nSELECT 2 /* not closed\n;')).toMatchObject({
      reason: 'unclosed-comment',
      line: 2,
    })
    expect(endError('SELECT 1;\n\n/* not closed ;')).toMatchObject({
      reason: 'unclosed-comment',
      line: 3,
      statementIndex: undefined,
    })
    expect(endError("SELECT 1;\nDELIMITER ;;\nSELECT 'x';\n").reason).toBe('missing-delimiter')
  })

  it('emits a last statement without a delimiter when asked to, as the client runs it', () => {
    const { statements } = split('SELECT 1;\nSELECT 2 -- no delimiter', Infinity, {
      allowMissingFinalDelimiter: true,
    })
    expect(statements.map((s) => [s.text, s.delimiter])).toEqual([
      ['SELECT 1', ';'],
      ['SELECT 2', ''],
    ])
    // Never inside a string.
    expect(() => split("SELECT 'x", Infinity, { allowMissingFinalDelimiter: true })).toThrow(SqlSplitError)
  })

  it('accepts a last line comment without a newline', () => {
    expect(texts('SELECT 1;\n-- Dump completed on 2026-12-02  9:22:17')).toEqual(['SELECT 1'])
  })

  it('stays failed after an error, also one thrown by the consumer', () => {
    const splitter = new StatementSplitter(() => {
      throw new Error('server gone')
    })
    expect(() => splitter.push(Buffer.from('SELECT 1; SELECT 2;'))).toThrow('server gone')
    expect(() => splitter.push(Buffer.from('SELECT 3;'))).toThrow('server gone')
    expect(() => splitter.end()).toThrow('server gone')
  })
})

describe('StatementSplitter: NO_BACKSLASH_ESCAPES', () => {
  // Verbatim from mariadb-dump of a procedure created under sql_mode NO_BACKSLASH_ESCAPES.
  const NBE = [
    'INSERT INTO `t` VALUES',
    "('x\\\\');",
    '/*!50003 SET @saved_sql_mode       = @@sql_mode */ ;',
    "/*!50003 SET sql_mode              = 'NO_BACKSLASH_ESCAPES' */ ;",
    'DELIMITER ;;',
    'CREATE DEFINER=`root`@`localhost` PROCEDURE `p`()',
    "SELECT 'C:\\' AS path",
    ';;',
    'DELIMITER ;',
    '/*!50003 SET sql_mode              = @saved_sql_mode */ ;',
    "INSERT INTO `t` VALUES ('a\\';b');",
  ].join('\n')

  it("follows the dump's own sql_mode, so a routine's 'C:\\' string ends where the server ends it", () => {
    for (const size of [1, 3, Infinity]) {
      expect(texts(NBE, size)).toEqual([
        "INSERT INTO `t` VALUES\n('x\\\\')",
        '/*!50003 SET @saved_sql_mode       = @@sql_mode */',
        "/*!50003 SET sql_mode              = 'NO_BACKSLASH_ESCAPES' */",
        "CREATE DEFINER=`root`@`localhost` PROCEDURE `p`()\nSELECT 'C:\\' AS path",
        '/*!50003 SET sql_mode              = @saved_sql_mode */',
        "INSERT INTO `t` VALUES ('a\\';b')",
      ])
    }
  })

  it('starts in the mode it is given', () => {
    expect(
      texts("SELECT 'a\\';\nSET sql_mode = DEFAULT;\nSELECT 'b\\';';", Infinity, {
        noBackslashEscapes: true,
      }),
    ).toEqual(["SELECT 'a\\'", 'SET sql_mode = DEFAULT', "SELECT 'b\\';'"])
  })
})

describe('StatementSplitter: a 20 MB INSERT', () => {
  it('splits it from 64 KiB chunks with memory bounded by a small multiple of its size', () => {
    const head = 'INSERT INTO `big` VALUES '
    const tuple = (k: number): string =>
      `(${k},'row ${k}; it\\'s -- not # a comment',0x0123456789ABCDEF,NULL)`
    const parts: string[] = ['SET NAMES utf8mb4;\n', head]
    let size = head.length
    let k = 0
    while (size < 20 * 1024 * 1024) {
      const t = (k === 0 ? '' : ',') + tuple(k)
      parts.push(t)
      size += t.length
      k++
    }
    parts.push(';\nSELECT 1;\n')
    const input = Buffer.from(parts.join(''))
    parts.length = 0
    const statementBytes = size

    const memory = (): number => {
      const m = process.memoryUsage()
      return m.heapUsed + m.arrayBuffers
    }
    const before = memory()
    let peak = 0
    const got: { index: number; bytes: number; head: string; tail: string; table: string | undefined }[] = []
    const splitter = new StatementSplitter((s) => {
      peak = Math.max(peak, memory() - before)
      got.push({
        index: s.index,
        bytes: s.bytes,
        head: s.text.slice(0, 30),
        tail: s.text.slice(-20),
        table: classifyStatement(s.text).table,
      })
    })
    for (let i = 0; i < input.length; i += 65536) {
      splitter.push(input.subarray(i, i + 65536))
      peak = Math.max(peak, memory() - before)
    }
    splitter.end()

    expect(got.map((s) => s.index)).toEqual([1, 2, 3])
    expect(got[1]).toEqual({
      index: 2,
      bytes: statementBytes,
      head: head + "(0,'r",
      tail: tuple(k - 1).slice(-20),
      table: 'big',
    })
    expect(got[2]?.head).toBe('SELECT 1')
    // The statement's bytes, one copy being grown, and its text: well under 6 times its size.
    expect(peak).toBeLessThan(6 * statementBytes)
  })
})

describe('classifyStatement', () => {
  it.each<[string, string]>([
    ['USE `shop`', 'use db=shop'],
    ['use shop', 'use db=shop'],
    [
      'CREATE DATABASE /*!32312 IF NOT EXISTS*/ `a``b` /*!40100 DEFAULT CHARACTER SET utf8mb4 */',
      'create-database db=a`b',
    ],
    ['DROP DATABASE IF EXISTS `old`', 'drop-database db=old'],
    ['CREATE TABLE IF NOT EXISTS `db`.`Tbl` (id INT)', 'create-table db=db table=Tbl'],
    ['CREATE OR REPLACE TEMPORARY TABLE tmp (id INT)', 'create-table table=tmp'],
    ['DROP TABLE IF EXISTS `a`, `b`', 'drop-table table=a'],
    ['/*!40000 ALTER TABLE `t` DISABLE KEYS */', 'alter-table table=t'],
    ['ALTER ONLINE IGNORE TABLE t ADD KEY (a)', 'alter-table table=t'],
    ['LOCK TABLES `a` WRITE, `b` READ', 'lock-tables table=a'],
    ['UNLOCK TABLES', 'unlock-tables'],
    ['INSERT INTO `t` VALUES (1)', 'insert table=t'],
    ['insert low_priority ignore into MixedCase (a) values (1)', 'insert table=MixedCase'],
    ['INSERT IGNORE INTO `db`.`t` VALUES (1)', 'insert db=db table=t'],
    ['REPLACE INTO `t` VALUES (1)', 'insert table=t'],
    ["-- a note\n/* x */ INSERT INTO t VALUES ('/*')", 'insert table=t'],
    ['/*!50001 CREATE VIEW `v` AS SELECT \n 1 AS `a`,\n 1 AS `b`*/', 'create-view table=v placeholder'],
    [
      '/*!50001 CREATE ALGORITHM=UNDEFINED */\n/*!50013 DEFINER=`u`@`%` SQL SECURITY DEFINER */\n/*!50001 VIEW `v` AS select 1 AS `a` */',
      'create-view table=v',
    ],
    [
      "CREATE OR REPLACE DEFINER='a'@'%' SQL SECURITY INVOKER VIEW db.v AS SELECT 1",
      'create-view db=db table=v',
    ],
    ['/*!50001 DROP VIEW IF EXISTS `v`*/', 'drop-view table=v'],
    [
      '/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`%`*/ /*!50003 TRIGGER `trg` BEFORE INSERT ON `t` FOR EACH ROW BEGIN SET NEW.a = 1; END */',
      'create-trigger table=t name=trg',
    ],
    [
      'CREATE DEFINER=CURRENT_USER() TRIGGER db.t1 AFTER UPDATE ON db.tab FOR EACH ROW SET @x = 1',
      'create-trigger db=db table=tab name=t1',
    ],
    ['DROP TRIGGER IF EXISTS `trg`', 'drop-trigger name=trg'],
    ['CREATE DEFINER=`u`@`h` FUNCTION `f`(x INT) RETURNS int(11) RETURN x', 'create-routine name=f function'],
    ['CREATE DEFINER=CURRENT_USER PROCEDURE p() SELECT 1', 'create-routine name=p procedure'],
    [
      'CREATE AGGREGATE FUNCTION IF NOT EXISTS agg(x INT) RETURNS INT BEGIN END',
      'create-routine name=agg function',
    ],
    ['CREATE PACKAGE BODY pkg AS END', 'create-routine name=pkg package body'],
    ['/*!50003 DROP PROCEDURE IF EXISTS `p` */', 'drop-routine name=p procedure'],
    [
      '/*!50106 CREATE*/ /*!50117 DEFINER=`root`@`localhost`*/ /*!50106 EVENT `ev` ON SCHEDULE EVERY 1 DAY DO DELETE FROM t */',
      'create-event name=ev',
    ],
    ['/*!50106 DROP EVENT IF EXISTS `ev` */', 'drop-event name=ev'],
    [
      'CREATE SEQUENCE `s` start with 1 minvalue 1 maxvalue 9223372036854775806 increment by 1 cache 1000 nocycle ENGINE=InnoDB',
      'create-sequence table=s',
    ],
    ['SELECT SETVAL(`s`, 1001, 0)', 'setval table=s'],
    ['/*!40101 SET NAMES utf8mb4 */', 'set'],
    ['SET @@SESSION.SQL_LOG_BIN= 0', 'set'],
    ["SET @@GLOBAL.GTID_PURGED=/*!80000 '+'*/ '3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5'", 'set'],
    ['START TRANSACTION', 'transaction'],
    ['COMMIT', 'transaction'],
    ['SELECT 1', 'other'],
    ["CHANGE MASTER TO MASTER_LOG_FILE='binlog.000002', MASTER_LOG_POS=123", 'other'],
    ['/*!50003 */', 'other'],
    ['', 'other'],
  ])('%s', (text, expected) => {
    expect(describeClass(classifyStatement(text))).toBe(expected)
  })

  it('reads only the head of a huge statement', () => {
    const text = 'INSERT INTO `t` VALUES (' + "'x',".repeat(2_000_000) + "'y')"
    expect(classifyStatement(text)).toEqual({ kind: 'insert', table: 't' })
    expect(classifyStatement("INSERT INTO t VALUES ('" + 'z'.repeat(10_000_000) + "')")).toEqual({
      kind: 'insert',
      table: 't',
    })
  })
})
