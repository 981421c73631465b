import { describe, expect, it } from 'vitest'
import {
  DumpSplitter,
  footerOf,
  SplitError,
  splittableName,
} from '../../../electron/engine/backup/dump-splitter.ts'

/** The shape of mariadb-dump 10.11's output (header, sections, footer), as in the real dumps it splits. */
const HEADER = (db: string): string =>
  [
    '/*M!999999\\- enable the sandbox mode */ ',
    '-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)',
    '--',
    `-- Host: 127.0.0.1    Database: ${db}`,
    '-- ------------------------------------------------------',
    '-- Server version\t10.11.19-MariaDB-0+deb12u1-log',
    '',
    '/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;',
    '/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;',
    "/*!40103 SET TIME_ZONE='+00:00' */;",
    '/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;',
    '',
  ].join('\n')
const SECTION = (db: string, body = ''): string =>
  [
    '',
    '--',
    '-- Table structure for table `t`',
    '--',
    '',
    'CREATE TABLE `t` (`id` int) ENGINE=InnoDB;',
    `INSERT INTO \`t\` VALUES (1),(2),('${db} -- Current Database: x');`,
    '',
    '--',
    `-- Dumping routines for database '${db}'`,
    '--',
    body,
  ].join('\n')
const MARKER = (db: string): string =>
  `\n--\n-- Current Database: \`${db}\`\n--\n\nCREATE DATABASE /*!32312 IF NOT EXISTS*/ \`${db}\` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci */;\n\nUSE \`${db}\`;\n`
const FOOTER = [
  '/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;',
  '',
  '/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;',
  '/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;',
  '',
  '-- Dump completed on 2026-12-03 11:39:32',
  '',
].join('\n')

/** What `mariadb-dump db` writes alone, and what `mariadb-dump --databases a b c` writes for all. */
const single = (db: string, body = ''): string => HEADER(db) + SECTION(db, body) + FOOTER
const multi = (dbs: string[], bodies: Record<string, string> = {}): string =>
  HEADER(dbs[0] as string) + dbs.map((d) => MARKER(d) + SECTION(d, bodies[d])).join('') + FOOTER

/** Splits `input` fed in chunks of `size` bytes; returns each database's file. */
function splitAll(dbs: string[], input: string, size: number): string[] {
  const splitter = new DumpSplitter(dbs)
  const files: Buffer[][] = dbs.map(() => [])
  const emit = (k: number, bytes: Buffer): void => void files[k]?.push(Buffer.from(bytes))
  const onSection = (k: number): void => emit(k, splitter.headerFor(k))
  const bytes = Buffer.from(input, 'utf8')
  for (let at = 0; at < bytes.length; at += size)
    splitter.write(bytes.subarray(at, at + size), emit, onSection)
  const footer = splitter.end(emit)
  return files.map((parts, k) =>
    Buffer.concat(k < dbs.length - 1 ? [...parts, footer] : parts).toString('utf8'),
  )
}

describe('DumpSplitter', () => {
  const dbs = ['tenant_a', 'tenant_b', 'tenant_c']

  it('gives each database what its own dump writes, whatever the chunk boundaries', () => {
    const input = multi(dbs)
    for (const size of [1, 2, 3, 7, 26, 64, 255, 4096, input.length]) {
      expect(splitAll(dbs, input, size), `chunks of ${size}`).toEqual(dbs.map((d) => single(d)))
    }
  })

  it('keeps bytes that are not UTF-8 as they are', () => {
    const body = "INSERT INTO b VALUES (_binary '\u00ff\u00fe');\n"
    const input = Buffer.from(multi(dbs, { tenant_b: body }), 'latin1')
    const splitter = new DumpSplitter(dbs)
    const out: Buffer[] = []
    splitter.write(
      input,
      (k, b) => k === 1 && out.push(Buffer.from(b)),
      (k) => k === 1 && out.push(splitter.headerFor(k)),
    )
    expect(Buffer.concat(out).includes(Buffer.from([0xff, 0xfe]))).toBe(true)
  })

  it('fails on a marker of another database than the next (a routine body quoting one)', () => {
    const quoting = MARKER('tenant_c').replace('tenant_c', 'elsewhere')
    expect(() => splitAll(dbs, multi(dbs, { tenant_a: quoting }), 100)).toThrow(SplitError)
  })

  it('fails when a routine quotes the next marker exactly: the real one comes after it', () => {
    // The split cannot tell the quote from the real marker; the real one then arrives out of turn.
    expect(() => splitAll(dbs, multi(dbs, { tenant_a: MARKER('tenant_b') }), 100)).toThrow(
      /expected the section of tenant_c/,
    )
    expect(() => splitAll(dbs, multi(dbs, { tenant_b: MARKER('tenant_c') }), 100)).toThrow(
      /after the last one/,
    )
  })

  it("fails on mariadb-dump's second pass for views (sections again after the last one)", () => {
    const views = MARKER('tenant_a') + '\n-- Final view structure for view `v`\n'
    expect(() => splitAll(dbs, multi(dbs).replace(FOOTER, views + FOOTER), 50)).toThrow(/after the last one/)
  })

  it('fails when a database has no section, or the dump ends early', () => {
    expect(() => splitAll(dbs, multi(['tenant_a', 'tenant_b']), 64)).toThrow(/2 of 3 database sections/)
    const cut = multi(dbs).slice(0, -FOOTER.length)
    expect(() => splitAll(dbs, cut, 64)).toThrow(/Dump completed/)
  })

  it('fails when the header has no Database line to name the file', () => {
    const input = multi(dbs).replace('    Database: tenant_a\n', '\n')
    expect(() => splitAll(dbs, input, 64)).toThrow(/no single "Database: tenant_a" line/)
  })

  it('fails on a marker whose CREATE DATABASE or USE line is not the expected one', () => {
    const input = multi(dbs).replace('USE `tenant_b`;', 'USE `tenant_x`;')
    expect(() => splitAll(dbs, input, 64)).toThrow(SplitError)
  })

  it('refuses names whose quoting it is not sure of, and a single database', () => {
    expect(splittableName('dbsf_nbc_c01')).toBe(true)
    expect(splittableName('shop-2$')).toBe(true)
    for (const bad of ['a`b', 'a b', 'ü', '', 'x'.repeat(65), 'a\nb']) expect(splittableName(bad)).toBe(false)
    expect(() => new DumpSplitter(['only'])).toThrow(RangeError)
    expect(() => new DumpSplitter(['a', 'b`c'])).toThrow(RangeError)
  })
})

describe('footerOf', () => {
  it("takes the restore lines and the completion comment, not a routine's @saved_ lines", () => {
    const routine =
      'DELIMITER ;\n/*!50003 SET sql_mode              = @saved_sql_mode */ ;\n/*!50003 SET character_set_client  = @saved_cs_client */ ;\n'
    expect(footerOf(routine + FOOTER).toString()).toBe(FOOTER)
    expect(footerOf('--\n\n' + FOOTER).toString()).toBe(FOOTER)
  })

  it('fails without a completion comment or restore lines', () => {
    expect(() => footerOf('x\n-- Dump completed on 2026-12-03 11:39:32\n')).toThrow(/no footer/)
    expect(() => footerOf(FOOTER.trimEnd())).toThrow(/line break/)
    expect(() => footerOf('/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;\n')).toThrow(/Dump completed/)
  })
})
